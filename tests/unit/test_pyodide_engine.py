"""The same engine source, packaged as the site ships it, gives the same answers on
the browser's Python (Pyodide 3.14, run under Node) as on CPython: booted the plain way
from the engine wheel, and restored from the build's memory snapshot. Also the build's
side of the snapshot: what goes into the wheel, the file format the worker checks, and
the build's messages when a snapshot cannot be made."""

from __future__ import annotations

import datetime
import json
import logging
import shutil
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from macros import _start_snapshot
from macros.forms import Settings
from macros.runtime import (
    PYODIDE_DIR,
    SnapshotError,
    SnapshotJob,
    build_engine_wheel,
    engine_sources,
    plan_snapshot,
    pyodide_build_id,
    snapshot_failure,
    wasm_initial_memory,
)
from worksheet_engine import api
from worksheet_engine.api import check_goal, classify_question
from worksheet_engine.worksheets import WORKSHEETS

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO / "tests" / "fixtures" / "eval"
SNAPSHOT_FILE_JS = REPO / "tests" / "pyodide" / "snapshot_file.mjs"

SCRIPT = r'''
import json, sys, datetime
from worksheet_engine import api
from worksheet_engine.api import check_goal, classify_question
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


def _node() -> str:
    node = shutil.which("node")
    if node is None or not (PYODIDE_DIR / "pyodide.mjs").exists():
        pytest.fail("node and node_modules/pyodide are required: run `make test` (it runs npm ci).")
    return node


@pytest.fixture(scope="module")
def shipped() -> tuple[object, Path]:
    """The wheel the site ships and the snapshot made from it (cached by the build)."""
    _node()
    wheel = build_engine_wheel()
    job = SnapshotJob.start(plan_snapshot(wheel.content_hash))
    job.feed(wheel)
    return wheel, job.wait()


@pytest.fixture(scope="module")
def pyodide_runs(shipped: tuple, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, subprocess.Popen[str]]]:
    """Both Node runs (plain + wheel, restored from the snapshot), started together: each is
    a few seconds of one core, and they share nothing."""
    node = _node()
    wheel, snapshot = shipped
    tmp = tmp_path_factory.mktemp("pyodide")
    (tmp / wheel.file_name).write_bytes(wheel.data)
    goals, questions = _inputs()
    script = f"GOALS = {json.dumps(json.dumps(goals, ensure_ascii=False))}\n"
    script += f"QUESTIONS = {json.dumps(json.dumps(questions, ensure_ascii=False))}\n" + SCRIPT
    (tmp / "script.py").write_text(script, encoding="utf-8")
    cmd = [node, str(REPO / "tests" / "pyodide" / "run_engine.mjs"), str(tmp / wheel.file_name), str(tmp / "script.py")]
    runs = {mode: subprocess.Popen(cmd + ([str(snapshot)] if mode == "snapshot" else []), cwd=REPO, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for mode in ("plain", "snapshot")}
    yield runs
    for proc in runs.values():
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


@pytest.fixture(scope="module", params=["plain", "snapshot"])
def pyodide_result(request: pytest.FixtureRequest, pyodide_runs: dict[str, subprocess.Popen[str]]) -> dict:
    proc = pyodide_runs[request.param]
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr[-3000:]
    assert f"BOOT:{request.param}" in stdout.splitlines()
    line = next(line for line in stdout.splitlines() if line.startswith("RESULT:"))
    return json.loads(line[len("RESULT:"):])


def test_runs_on_the_browsers_python(pyodide_result: dict) -> None:
    assert pyodide_result["platform"] == "emscripten"
    assert tuple(pyodide_result["python"]) >= (3, 12)


def test_smart_checks_match_cpython(pyodide_result: dict) -> None:
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


# ---- what the browser's wheel holds ----------------------------------------------------------------


def test_wheel_ships_every_subpackage_but_the_tools(tmp_path: Path) -> None:
    """Decided by folder: a new subpackage ships, anything under tools/ never does."""
    pkg = tmp_path / "worksheet_engine"
    for rel in ("__init__.py", "__main__.py", "api.py", "lang/__init__.py", "lang/words.py", "lang/vocab.txt",
                "brand_new/__init__.py", "brand_new/deep/mod.py", "tools/__init__.py", "tools/cli.py",
                "tools/sub/report.py", "schemas/entry.v1.schema.json", "lang/__pycache__/words.cpython-311.pyc"):
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text('__version__ = "9.9"\n' if rel == "__init__.py" else "# x\n", encoding="utf-8")
    files, _ = engine_sources(pkg)
    names = {n for n, _ in files}
    assert names == {"worksheet_engine/__init__.py", "worksheet_engine/api.py", "worksheet_engine/lang/__init__.py",
                     "worksheet_engine/lang/words.py", "worksheet_engine/lang/vocab.txt",
                     "worksheet_engine/brand_new/__init__.py", "worksheet_engine/brand_new/deep/mod.py"}
    wheel = build_engine_wheel(bytecode=False, engine_dir=pkg)
    assert wheel.version.startswith("9.9+")


# ---- the snapshot file ---------------------------------------------------------------------------


def test_snapshot_fits_the_fixed_heap_of_the_shipped_runtime(shipped: tuple) -> None:
    _, snapshot = shipped
    heap = wasm_initial_memory(PYODIDE_DIR / "pyodide.asm.wasm")
    assert heap == 480 * 65536  # Pyodide 314.0.7: 30 MiB, fixed when the module is created
    data = snapshot.read_bytes()
    # Pyodide's header, padded to 4096 bytes (engine-protocol.js HEADER_BYTES): the size Pyodide
    # restores is known before the file exists.
    assert struct.unpack_from("<II", data)[1] == 4096
    build_id = "".join(f"{w:08x}" for w in struct.unpack_from("<8I", data, 16))
    assert build_id == pyodide_build_id()
    # The page map: the snapshot is 4096 + heap bytes in 4 KiB pages; pages of zeros are left out.
    magic, page, pages = struct.unpack_from("<4sII", data, 1024)
    assert (magic, page, pages * page) == (b"WSPM", 4096, 4096 + heap)
    stored = sum(bin(b).count("1") for b in data[1036:1036 + (pages + 7) // 8])
    assert len(data) == stored * page + 16 < 0.8 * (4096 + heap)  # + our trailer; a fifth or more is zeros
    assert data[-16:-8] == b"WSSNAP01"


def _open(heap: int, build_id: str, *paths: Path) -> list[str | None]:
    """engine-protocol.js openSnapshot()'s refusal reason (None: accepted) for each file, in one Node run."""
    proc = subprocess.run([_node(), str(SNAPSHOT_FILE_JS), "open", str(heap), build_id, *map(str, paths)],
                          capture_output=True, text=True, timeout=60, check=True)
    return [json.loads(line)["reason"] for line in proc.stdout.splitlines()]


def test_worker_refuses_damaged_snapshot_files(shipped: tuple, tmp_path: Path) -> None:
    """engine-protocol.js openSnapshot(), which the worker runs before Pyodide sees the bytes."""
    _, snapshot = shipped
    heap, build_id = wasm_initial_memory(PYODIDE_DIR / "pyodide.asm.wasm"), pyodide_build_id()
    assert heap and build_id
    data = snapshot.read_bytes()
    cases = {
        "truncated": data[: len(data) // 2],
        "garbled": data[:4_000_000] + bytes(b ^ 0x5A for b in data[4_000_000:4_004_096]) + data[4_004_096:],
        "no trailer": data[:-16],
        "html error page": b"<html>" + b"\0" * 2000,
    }
    for name, damaged in cases.items():
        (tmp_path / name).write_bytes(damaged)
    reasons = _open(heap, build_id, snapshot, *(tmp_path / name for name in cases))
    assert reasons[0] is None
    assert all(reasons[1:]), dict(zip(cases, reasons[1:]))
    [foreign] = _open(heap, "0" * 64, snapshot)
    assert foreign.startswith("build id")
    [bigger] = _open(heap + 65536, build_id, snapshot)
    assert bigger.startswith("size")


def test_snapshot_too_big_for_the_heap_is_a_clear_build_error(tmp_path: Path) -> None:
    plan = plan_snapshot("0123456789")
    err = snapshot_failure(plan, {"bytes": 40 << 20, "header": 128}, 3, "RangeError: offset is out of bounds")
    assert isinstance(err, SnapshotError)
    assert "no longer fits" in str(err) and "30.0 MiB" in str(err) and "snapshot: false" in str(err)
    assert snapshot_failure(plan, {"bytes": plan.heap_bytes + 128, "header": 128}, 0, "") is None
    crashed = snapshot_failure(plan, None, 2, "warm-up failed: ImportError: no module named x")
    assert crashed is not None and "ImportError" in str(crashed)


def test_changed_engine_or_runtime_gets_another_snapshot_name() -> None:
    a, b = plan_snapshot("0123456789"), plan_snapshot("0123456780")
    assert a.file_name != b.file_name and "snapshot" in a.file_name and a.key in a.file_name
    assert plan_snapshot("0123456789").file_name == a.file_name


def test_without_node_the_site_boots_the_plain_way_and_says_so(monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("WS_SNAPSHOT_CACHE", "/nonexistent-ws-snapshot-cache")
    monkeypatch.setattr("macros.runtime.shutil.which", lambda name: None)
    with caplog.at_level(logging.INFO, logger="mkdocs.macros.runtime"):
        assert _start_snapshot(Settings()) is None
    assert "plain way" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.macros.runtime"):
        assert _start_snapshot(Settings(snapshot=False)) is None
    assert "snapshot is false" in caplog.text


def test_ws_snapshot_0_builds_without_a_snapshot(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The test-only switch (README › Tests) for builds whose Python never runs in a browser."""
    monkeypatch.setenv("WS_SNAPSHOT", "0")
    monkeypatch.setattr("macros.runtime.SnapshotJob.start", lambda plan: pytest.fail("a snapshot was started"))
    with caplog.at_level(logging.INFO, logger="mkdocs.macros.runtime"):
        assert _start_snapshot(Settings()) is None
    assert "WS_SNAPSHOT=0" in caplog.text
