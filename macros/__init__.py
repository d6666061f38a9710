"""mkdocs-macros module: registers the worksheet macro and packages the browser runtime.

Kept thin on purpose; the work happens in :mod:`macros.forms` and :mod:`macros.runtime`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .forms import Settings, render_worksheet
from .runtime import build_engine_wheel, install_runtime, precompress, pyodide_version


def define_env(env: Any) -> None:
    settings = Settings.from_extra(env.conf.get("extra") or {})
    wheel = build_engine_wheel()
    runtime_path = f"assets/pyodide/{pyodide_version()}/"
    # Exposed to overrides/main.html (the <meta name="ws-runtime"> tag) through config.extra.
    extra = env.conf["extra"]
    extra.setdefault("worksheets", {})
    extra["worksheets"].update(
        runtime_path=runtime_path,
        lock_version=wheel.sha256[:12],
        python_start=settings.python_start,
    )
    env.variables["_ws_wheel"] = wheel

    @env.macro
    def worksheet(slug: str) -> str:
        """Render the form of worksheet ``slug`` from the engine's own definition."""
        page = getattr(env, "page", None)
        where = getattr(getattr(page, "file", None), "src_path", "?")
        return render_worksheet(slug, where=where)


def on_post_build(env: Any) -> None:
    site_dir = Path(env.conf["site_dir"])
    target = install_runtime(site_dir, env.conf["extra"]["worksheets"]["runtime_path"],
                             env.variables["_ws_wheel"])
    precompress(target)
