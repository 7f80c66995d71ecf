# Replaces hooks-contrib's hook, which collects every phonenumbers submodule
# (about 40 MB of geocoding, carrier and time-zone tables). The app parses,
# validates and formats numbers only (dpa_desktop/validation.py), which needs
# the per-region metadata in phonenumbers.data and phonenumbers.shortdata.
from PyInstaller.utils.hooks import collect_submodules

_UNUSED = ("phonenumbers.geo", "phonenumbers.carrier", "phonenumbers.timezone",
           "phonenumbers.tzdata")

hiddenimports = collect_submodules(
    "phonenumbers", filter=lambda name: not name.startswith(_UNUSED))
