"""DPA Desktop: data processing agreements for Dutch care practices, offline."""

__version__ = "0.1.0"
