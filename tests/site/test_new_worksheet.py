"""Adding a worksheet costs only its own files: a throwaway worksheet written into a
temporary copy of the project (its module and its page, nothing else) shows up in the
navigation, in the overview table, as a rendered form and in the engine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sitebuild import REPO

pytestmark = pytest.mark.site

MODULE = '''"""A throwaway worksheet for the registry test."""
from ..model import Context, Field, Missing, Section, Worksheet


def evaluate(values, ctx=Context()):
    note = values.get("note") or ""
    return {"ok": bool(note), "headline": f"共 {len(note)} 个字。",
            "checks": [{"key": "length", "label": "长度", "met": len(note) >= 5, "reason": "", "suggestion": ""}],
            "report_md": ""}


DEFINITION = Worksheet(
    slug="zz-probe", version=1, title="探针练习表", description="只为测试。",
    lecture="lectures/04-review.md", module="business", order=35, summary="探针：字数是否够五个",
    evaluate=evaluate,
    sections=(Section("main", "内容", (Field("note", "备注", kind="textarea", required=True,
                                          missing=Missing("请写备注。")),)),),
    example={"note": "一二三四五六"},
)
'''

PAGE = '---\nrender_macros: true\n---\n\n# 探针练习表\n\n{{ worksheet("zz-probe") }}\n'


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for name in ("mkdocs.yml", "package.json"):
        shutil.copy2(REPO / name, root / name)
    for name in ("docs", "overrides", "macros", "worksheet_engine"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "node_modules").symlink_to(REPO / "node_modules")
    # The only two files a new worksheet needs:
    (root / "worksheet_engine" / "worksheets" / "zz_probe.py").write_text(MODULE, encoding="utf-8")
    (root / "docs" / "worksheets" / "zz-probe.md").write_text(PAGE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1:8000/",
           "WS_FAST_BUILD": "1", "WS_SNAPSHOT": "0"}  # no browser runs this copy (README › Tests)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")],
                          cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


def test_the_new_worksheet_is_in_the_nav_and_the_overview(copy: Path) -> None:
    home = (copy / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="worksheets/zz-probe/"' in home and "探针练习表" in home
    overview = (copy / "site" / "worksheets" / "index.html").read_text(encoding="utf-8")
    assert 'href="zz-probe/"' in overview and "探针：字数是否够五个" in overview
    # In the course's order: after Q10 (30), before GROW (40).
    assert overview.index('href="q10/"') < overview.index('href="zz-probe/"') < overview.index('href="grow/"')


def test_the_new_worksheet_renders_a_form_and_the_engine_checks_it(copy: Path) -> None:
    page = (copy / "site" / "worksheets" / "zz-probe" / "index.html").read_text(encoding="utf-8")
    assert 'data-ws-form="zz-probe"' in page and 'data-ws-field="note"' in page
    assert "探针练习表" in page.split("data-ws-catalog=", 1)[1][:4000]
    code = ("import json, sys; from worksheet_engine.api import evaluate; "
            "print(json.dumps([evaluate('zz-probe', {'note': '一二三四五六'}), evaluate('zz-probe', {})]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)},
                         capture_output=True, text=True, check=True).stdout
    good, empty = json.loads(out)
    assert good["ok"] is True and good["checks"][0]["met"] is True
    assert empty["ok"] is False and [i["code"] for i in empty["issues"]] == ["required"]


def test_the_new_worksheet_ships_in_the_browser_engine(copy: Path) -> None:
    import zipfile

    runtime = next((copy / "site" / "assets" / "pyodide").iterdir())
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    wheel = runtime / lock["packages"]["worksheet-engine"]["file_name"]
    assert "worksheet_engine/worksheets/zz_probe.py" in zipfile.ZipFile(wheel).namelist()
