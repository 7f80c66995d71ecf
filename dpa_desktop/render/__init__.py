"""Renderers: the document model to DOCX (Word) and PDF (print)."""

from dpa_desktop.render import reportlab_startup as _reportlab_startup

# Before any module of this package imports reportlab: see reportlab_startup.
_reportlab_startup.prepare()
