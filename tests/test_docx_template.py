"""The DOCX starts from a shipped, styled template: it must be what the code makes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from dpa_desktop.answers import example_answers
from dpa_desktop.assemble import build_document
from dpa_desktop.forms.loader import load_form_by_id
from dpa_desktop.render import docx as render

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OUR_STYLES = ["Normal", "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Clause1", "Clause2",
              "Clause3", "TableText", "SmallText", "Header", "Footer"]


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _styles(xml: bytes) -> dict[str, bytes]:
    root = etree.fromstring(xml)
    return {s.get(f"{W}styleId"): etree.tostring(s, method="c14n") for s in root.iter(f"{W}style")
            if s.get(f"{W}styleId") in OUR_STYLES}


def test_the_shipped_template_is_what_build_template_makes() -> None:
    shipped = _parts(render.template_path().read_bytes())
    built = _parts(render.build_template())
    assert sorted(shipped) == sorted(built)
    assert _styles(shipped["word/styles.xml"]) == _styles(built["word/styles.xml"])
    assert sorted(_styles(built["word/styles.xml"])) == sorted(OUR_STYLES)
    for part in ("word/document.xml", "word/footer1.xml", "word/header1.xml"):
        assert shipped[part] == built[part], f"{part}: run python -m dpa_desktop.render.docx"


def test_a_document_from_the_template_or_from_scratch_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = load_form_by_id("vcare")
    doc = build_document(spec, example_answers(spec))
    render.render_docx(doc, tmp_path / "shipped.docx")
    monkeypatch.setattr(render, "template_path", lambda: tmp_path / "missing.docx")
    render.render_docx(doc, tmp_path / "scratch.docx")
    a, b = _parts((tmp_path / "shipped.docx").read_bytes()), _parts((tmp_path / "scratch.docx").read_bytes())
    assert sorted(a) == sorted(b)
    for name in a:
        if name != "docProps/core.xml":  # the time of generation
            assert a[name] == b[name], name


def test_each_document_has_its_own_properties_and_header(tmp_path: Path) -> None:
    spec = load_form_by_id("vcare")
    doc = build_document(spec, example_answers(spec))
    render.render_docx(doc, tmp_path / "a.docx")
    opened = docx.Document(str(tmp_path / "a.docx"))
    props = opened.core_properties
    assert (props.title, props.subject, props.author) == (doc.title, doc.subject, doc.author)
    assert props.created.year >= 2026 and props.created == props.modified
    assert opened.sections[0].header.paragraphs[0].text == doc.header
    footer = opened.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "Pagina " in footer


def test_every_style_a_document_names_is_in_the_pruned_template() -> None:
    """The template keeps only the styles agreements use; each one named is defined."""
    import io
    import re
    import zipfile

    from dpa_desktop import paths
    from dpa_desktop.answers import example_answers
    from dpa_desktop.assemble import build_document
    from dpa_desktop.fill import render_bytes
    from dpa_desktop.forms.loader import load_forms

    loaded = load_forms()
    assert set(loaded.forms) == {p.stem for p in paths.forms_dir().glob("*.yaml")}
    for spec in loaded.forms.values():
        docx_bytes, _ = render_bytes(build_document(spec, example_answers(spec)))
        with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
            defined = set(re.findall(r'w:styleId="([^"]+)"', z.read("word/styles.xml").decode()))
            named = set()
            for name in z.namelist():
                if name.startswith("word/") and name.endswith(".xml"):
                    named |= set(re.findall(r'<w:(?:pStyle|rStyle|tblStyle|basedOn|next|link) w:val="([^"]+)"',
                                            z.read(name).decode()))
            assert named <= defined, (spec.id, named - defined)
            assert "word/stylesWithEffects.xml" not in z.namelist()
            assert {"Heading1", "Clause1", "TableText", "SmallText", "Title"} <= defined
