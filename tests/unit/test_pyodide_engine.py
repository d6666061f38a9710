"""The same engine source, packaged as the site ships it, gives the same answers on
the browser's Python (Pyodide 3.14, run under Node) as on CPython."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from macros.runtime import PYODIDE_DIR, build_engine_wheel
from worksheet_engine import api
from worksheet_engine.grow import classify_question
from worksheet_engine.smart import check_goal
from worksheet_engine.worksheets import WORKSHEETS

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO / "tests" / "fixtures" / "eval"

SCRIPT = r'''
import json, sys, datetime
from worksheet_engine import api
from worksheet_engine.grow import classify_question
from worksheet_engine.smart import check_goal
from worksheet_engine.worksheets import WORKSHEETS
goals = json.loads(GOALS)
questions = json.loads(QUESTIONS)
out = {
    "python": sys.version_info[:2],
    "platform": sys.platform,
    "smart": [check_goal(g, today=datetime.date(2026, 11, 24)) for g in goals],
    "grow": [classify_question(q) for q in questions],
    "examples": {s: api.evaluate(s, dict(w.example), "2026-11-24") for s, w in WORKSHEETS.items()},
}
print("RESULT:" + json.dumps(out, ensure_ascii=False))
'''


def _inputs() -> tuple[list[str], list[str]]:
    goals = [g["text"] for g in json.loads((EVAL / "smart_dev.json").read_text(encoding="utf-8"))]
    questions = [q["text"] for q in json.loads((EVAL / "grow_dev.json").read_text(encoding="utf-8"))]
    return goals, questions


@pytest.fixture(scope="module")
def pyodide_result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    node = shutil.which("node")
    if node is None or not (PYODIDE_DIR / "pyodide.mjs").exists():
        pytest.fail("node and node_modules/pyodide are required: run `make test` (it runs npm ci).")
    tmp = tmp_path_factory.mktemp("pyodide")
    wheel = build_engine_wheel()
    (tmp / wheel.file_name).write_bytes(wheel.data)
    goals, questions = _inputs()
    script = f"GOALS = {json.dumps(json.dumps(goals, ensure_ascii=False))}\n"
    script += f"QUESTIONS = {json.dumps(json.dumps(questions, ensure_ascii=False))}\n" + SCRIPT
    (tmp / "script.py").write_text(script, encoding="utf-8")
    proc = subprocess.run(
        [node, str(REPO / "tests" / "pyodide" / "run_engine.mjs"), str(tmp / wheel.file_name), str(tmp / "script.py")],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT:"))
    return json.loads(line[len("RESULT:"):])


def test_runs_on_the_browsers_python(pyodide_result: dict) -> None:
    assert pyodide_result["platform"] == "emscripten"
    assert tuple(pyodide_result["python"]) >= (3, 12)


def test_smart_checks_match_cpython(pyodide_result: dict) -> None:
    import datetime

    goals, _ = _inputs()
    expected = [json.loads(json.dumps(check_goal(g, today=datetime.date(2026, 11, 24)))) for g in goals]
    assert pyodide_result["smart"] == expected


def test_question_classes_match_cpython(pyodide_result: dict) -> None:
    _, questions = _inputs()
    assert pyodide_result["grow"] == [json.loads(json.dumps(classify_question(q))) for q in questions]


def test_worksheet_examples_match_cpython(pyodide_result: dict) -> None:
    for slug, ws in WORKSHEETS.items():
        mine = json.loads(json.dumps(api.evaluate(slug, dict(ws.example), "2026-11-24")))
        theirs = pyodide_result["examples"][slug]
        assert theirs["engine_version"] == mine["engine_version"]
        assert theirs == mine, slug
