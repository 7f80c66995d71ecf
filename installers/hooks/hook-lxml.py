# Replaces hooks-contrib's hook, which lists every lxml submodule as a hidden
# import; python-docx uses lxml.etree only, and the spec excludes the HTML,
# objectify and schematron parts, which made that hook warn once per module.
from PyInstaller.utils.hooks import collect_submodules

_UNUSED = ("lxml.html", "lxml.objectify", "lxml.isoschematron", "lxml.cssselect")

hiddenimports = collect_submodules("lxml", filter=lambda name: not name.startswith(_UNUSED))
