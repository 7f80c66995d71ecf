"""Word repairs (or refuses) a file whose property elements are out of schema order;
LibreOffice does not care, so its conversion test cannot catch this. Check the order
of the children of every paragraph, run, table, row and cell property element."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree
from shipped import FORM_IDS, filled

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Sequences from the ECMA-376 schema (wml.xsd), the elements this app can write.
SEQUENCES = {
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
            "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"],
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
            "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
            "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
            "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"],
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
              "tblLook", "tblCaption", "tblDescription", "tblPrChange"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
             "tcPrChange"],
}


def _out_of_order(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    problems = []
    for parent, order in SEQUENCES.items():
        rank = {name: i for i, name in enumerate(order)}
        for el in root.iter(W + parent):
            names = [etree.QName(child).localname for child in el]
            ranks = [rank.get(n, -1) for n in names]
            if -1 in ranks or ranks != sorted(ranks):
                problems.append(f"{parent}: {names}")
    return problems


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_property_element_is_in_schema_order(form_id: str) -> None:
    with zipfile.ZipFile(filled(form_id).docx) as archive:
        parts = [n for n in archive.namelist()
                 if n.startswith("word/") and n.endswith(".xml") and ("document" in n or "header" in n
                                                                       or "footer" in n or "styles" in n)]
        problems = [f"{n}: {p}" for n in parts for p in _out_of_order(archive.read(n))]
    assert problems == []
