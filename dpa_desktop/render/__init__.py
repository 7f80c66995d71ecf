"""Renderers: the document model to DOCX (Word) and PDF (print)."""
