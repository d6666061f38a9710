"""The built site: strict build, forms rendered from the engine's definitions, the
runtime packaged and verifiable, and nothing loaded from outside hosts."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from worksheet_engine.worksheets import WORKSHEETS

pytestmark = pytest.mark.site


class _Collector(HTMLParser):
    """Collects every URL a page would *load* (not plain links)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.fields: list[tuple[str, str]] = []
        self.forms: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in {"script", "img", "iframe", "audio", "video", "source", "embed"} and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel", "") not in {"canonical", "alternate", "next", "prev"}:
            self.loads.append(a["href"])
        if "data-ws-field" in a:
            self.fields.append((tag, a["data-ws-field"]))
        if "data-ws-form" in a:
            self.forms.append(a["data-ws-form"])


def _parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def test_every_page_loads_only_local_files(site: Path) -> None:
    offenders = []
    for html in site.rglob("*.html"):
        for url in _parse(html).loads:
            if re.match(r"^(https?:)?//", url):
                offenders.append(f"{html.relative_to(site)}: {url}")
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", css.read_text(encoding="utf-8")):
            offenders.append(f"{css.relative_to(site)}: {url}")
    assert offenders == []


def test_no_google_fonts_or_cdn_in_any_text_asset(site: Path) -> None:
    pattern = re.compile(r"fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|unpkg\.com|cdnjs")
    hits = [
        str(p.relative_to(site))
        for p in site.rglob("*")
        if p.suffix in {".html", ".css"} and pattern.search(p.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert hits == []


@pytest.mark.parametrize("slug", sorted(WORKSHEETS))
def test_form_is_rendered_from_the_engine_definition(site: Path, slug: str) -> None:
    page = site / "worksheets" / slug / "index.html"
    parsed = _parse(page)
    assert parsed.forms == [slug]
    rendered = {name.split(".")[0] for _, name in parsed.fields}
    expected = {f.name for f in WORKSHEETS[slug].fields}
    assert rendered == expected
    # List rows come from a template whose inputs use "<list>.__i__.<sub>" names.
    for f in WORKSHEETS[slug].fields:
        for sub in f.item_fields:
            assert (f"{f.name}.__i__.{sub.name}") in {n for _, n in parsed.fields}
    html = page.read_text(encoding="utf-8")
    m = re.search(r'data-ws-definition="([^"]*)"', html)
    assert m, "definition attribute missing"
    import html as _html

    assert json.loads(_html.unescape(m.group(1))) == json.loads(json.dumps(WORKSHEETS[slug].to_info_dict()))


def test_every_input_has_a_label(site: Path) -> None:
    for slug in WORKSHEETS:
        html = (site / "worksheets" / slug / "index.html").read_text(encoding="utf-8")
        ids = re.findall(r'<(?:input|textarea|select)[^>]*\sid="([^"]+)"[^>]*data-ws-field', html)
        assert ids
        for i in ids:
            assert f'for="{i}"' in html, f"{slug}: no <label for> for #{i}"


def test_runtime_is_packaged_and_lock_matches_wheel(site: Path) -> None:
    runtime = next((site / "assets" / "pyodide").iterdir())
    for name in ("pyodide.esm.js", "pyodide.asm.esm.js", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (runtime / name).stat().st_size > 1000, name
        assert (runtime / (name + ".gz")).exists(), f"{name}.gz (precompressed) missing"
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    pkg = lock["packages"]["worksheet-engine"]
    wheel = runtime / pkg["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == pkg["sha256"]
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert "worksheet_engine/api.py" in names
    assert "worksheet_engine/checks/goal.py" in names
    assert not [n for n in names if n.startswith("worksheet_engine/tools/")]
    assert any(n.endswith(".dist-info/RECORD") for n in names)


def test_pages_without_worksheets_carry_no_form(site: Path) -> None:
    assert _parse(site / "index.html").forms == []


def test_runtime_meta_points_into_the_site(site: Path) -> None:
    html = (site / "worksheets" / "smart" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<meta name="ws-runtime" content="([^"]+)"', html)
    assert m and m.group(1).startswith("../../assets/pyodide/")
