"""Runs the browser's pure JavaScript tests (tests/js/*.test.mjs) with `node --test`:
envelope.test.mjs (the saved-data format against tests/fixtures/backups/),
sync.test.mjs (two and three tabs, every interleaving replayed deterministically) and
result.test.mjs (hooks, links and checks of the result panel)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed (it is in CI)")
def test_node_test_suite_passes() -> None:
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / "tests" / "js").glob("*.test.mjs"))
    assert files, "no tests/js/*.test.mjs found"
    # Explicit file names: `node --test <dir>` changed meaning between Node 20 and 22.
    proc = subprocess.run([NODE, "--test", *files], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert "# fail 0" in proc.stdout
