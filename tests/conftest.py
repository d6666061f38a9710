"""Fixtures shared by every layer: one strict build of the site per test run.

The site and browser layers both read it, so a run builds the main site once. It is
built for the address the browser tests serve it at (``/training/`` on a free
loopback port), which also checks that nothing assumes the server root.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sitebuild import SUB_PATH, build_site, free_port


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    """(served root, port): the site is in ``root / "training"``, built for
    ``http://127.0.0.1:<port>/training/``."""
    port = free_port()
    root = tmp_path_factory.mktemp("served")
    # build_site sets WS_FAST_BUILD: files over 1 MB gzip at level 1 (README, Tests).
    build_site(root / SUB_PATH.strip("/"), site_url=f"http://127.0.0.1:{port}{SUB_PATH}")
    yield root, port


@pytest.fixture(scope="session")
def site(site_root: tuple[Path, int]) -> Path:
    """The built site's folder."""
    return site_root[0] / SUB_PATH.strip("/")
