"""mkdocs-macros module: registers the worksheet macro, applies the trainer's settings
from mkdocs.yml ``extra:`` and packages the browser runtime.

Kept thin on purpose; the work happens in :mod:`macros.forms` and :mod:`macros.runtime`.

Trainer settings (see docs/trainer/deploy.md, "品牌与课程设置"):

* ``extra.branding`` / ``extra.course``: shown by overrides/main.html (banner) and
  overrides/partials/{logo,copyright}.html; also usable in pages as ``{{ course.dates }}``.
* ``extra.course.modules``: pages of the modules left out are dropped from ``nav`` (here,
  in ``on_config``, before MkDocs builds the navigation), listed as ``not_in_nav`` so a
  strict build does not complain, and kept out of the search index.
* ``extra.worksheets.python_start`` / ``watchdog_seconds`` / ``snapshot``: rendered with
  the runtime's URLs as ``<script type="application/json" id="ws-runtime">``
  (overrides/main.html), which the browser code reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pathspec

from .activities import register as register_activities
from .blank import add_blank_nav, blank_link, render_blank_page
from .forms import MODULES, MacroError, Settings, fill_worksheet_nav, render_worksheet, worksheet_index
from .quiz import render_quiz
from .runtime import (
    RuntimeMissing,
    SnapshotError,
    SnapshotJob,
    build_engine_wheel,
    engine_sources,
    install_runtime,
    log,
    plan_snapshot,
    precompress,
    precompress_site,
    pyodide_version,
    snapshot_off,
    write_server_files,
)


def filter_nav(nav: Any, hidden: frozenset[str]) -> Any:
    """``nav`` (mkdocs.yml form) without the pages in ``hidden``; emptied sections go too."""
    if isinstance(nav, list):
        out = []
        for item in nav:
            kept = filter_nav(item, hidden)
            if kept is not None:
                out.append(kept)
        return out or None
    if isinstance(nav, dict):
        out_dict = {}
        for title, value in nav.items():
            kept = filter_nav(value, hidden)
            if kept is not None:
                out_dict[title] = kept
        return out_dict or None
    if isinstance(nav, str) and nav.replace("\\", "/").lstrip("./") in hidden:
        return None
    return nav


def _apply_modules(conf: Any, settings: Settings) -> None:
    hidden = settings.hidden_pages
    if not hidden:
        return
    if conf.get("nav"):
        conf["nav"] = filter_nav(conf["nav"], hidden) or []
    spec = pathspec.gitignore.GitIgnoreSpec.from_lines(f"/{p}" for p in sorted(hidden))
    current = conf.get("not_in_nav")
    conf["not_in_nav"] = current + spec if current else spec


def define_env(env: Any) -> None:
    settings = Settings.from_extra(env.conf.get("extra") or {})
    if settings.logo and not (Path(env.conf["docs_dir"]) / settings.logo).is_file():
        raise MacroError(f"extra.branding.logo: {settings.logo} not found under docs/ (put the file in docs/assets/)")
    if env.conf.get("nav") and not fill_worksheet_nav(env.conf["nav"]):
        raise MacroError("mkdocs.yml nav needs a section holding worksheets/index.md (the worksheet pages go there)")
    if env.conf.get("nav"):
        add_blank_nav(env.conf["nav"])
    _apply_modules(env.conf, settings)
    env.variables["_ws_hidden_pages"] = settings.hidden_pages
    # The snapshot's Node process boots Pyodide now, gets the wheel once it is built, and
    # works while MkDocs renders the pages; on_post_build collects it.
    job = _start_snapshot(settings)
    wheel = build_engine_wheel(job=job)
    if job is not None:
        job.feed(wheel)
    env.variables["_ws_snapshot"] = job
    runtime_path = f"assets/pyodide/{pyodide_version()}/"
    # Exposed to the templates through config.extra (and to pages as variables).
    extra = env.conf["extra"]
    extra.setdefault("worksheets", {})
    # The browser modules main.js imports, preloaded from <head> so the whole graph is
    # fetched in parallel instead of one import level at a time.
    js_dir = Path(env.conf["docs_dir"]) / "javascripts" / "worksheet"
    modules = sorted(p.name for p in js_dir.glob("*.js") if p.name != "engine-worker.js")
    extra["worksheets"].update(
        modules=modules,
        runtime_path=runtime_path,
        lock_version=wheel.sha256[:12],
        wheel=wheel.file_name,
        snapshot=job.plan.file_name if job else None,
        heap_bytes=job.plan.heap_bytes if job else None,
        build_id=job.plan.build_id if job else None,
        python_start=settings.python_start,
        watchdog_seconds=settings.watchdog_seconds,
    )
    extra["branding"] = {"organisation": settings.organisation, "logo": settings.logo}
    extra["course"] = {
        "dates": settings.dates,
        "trainer": settings.trainer,
        "contact": settings.contact,
        "modules": list(settings.modules),
        "module_names": [MODULES[m][0] for m in settings.modules],
    }
    env.variables["branding"] = extra["branding"]
    env.variables["course"] = extra["course"]
    env.variables["_ws_wheel"] = wheel
    register_activities(env)

    @env.macro
    def worksheet(slug: str) -> str:
        """Render the form of worksheet ``slug`` from the engine's own definition."""
        page = getattr(env, "page", None)
        where = getattr(getattr(page, "file", None), "src_path", "?")
        return render_worksheet(slug, where=where) + blank_link(slug, where)

    @env.macro
    def quiz(lecture: str) -> str:
        """The knowledge check of a lecture page (e.g. "01-learning"), inside data-ws-quiz."""
        page = getattr(env, "page", None)
        return render_quiz(lecture, where=getattr(getattr(page, "file", None), "src_path", "?"))

    @env.macro
    def blank_worksheets() -> str:
        """Every worksheet as an empty A4 paper form (docs/worksheets/blank.md)."""
        return render_blank_page(settings.hidden_pages)

    @env.macro
    def worksheet_overview() -> str:
        """The overview table of every listed worksheet, from the engine's definitions."""
        return worksheet_index(Path(env.conf["docs_dir"]))

    @env.macro
    def course_info() -> str:
        """A Markdown note with the course dates, trainer and contact ("" if none is set)."""
        rows = [(label, value) for label, value in (
            ("主办", settings.organisation), ("日期", settings.dates),
            ("讲师", settings.trainer), ("联系方式", settings.contact),
        ) if value]
        if not rows:
            return ""
        body = "\n".join(f"    - **{label}**：{value}" for label, value in rows)
        return f'!!! info "课程信息"\n\n{body}\n'


def _start_snapshot(settings: Settings) -> SnapshotJob | None:
    if not settings.snapshot:
        log.info("extra.worksheets.snapshot is false: the site boots Python the plain way")
        return None
    if snapshot_off():
        log.info("WS_SNAPSHOT=0: no memory snapshot, the site boots Python the plain way")
        return None
    try:
        plan = plan_snapshot(engine_sources()[1])
        if plan.heap_bytes is None:
            log.info("cannot read the Python runtime's heap size from its wasm: no memory snapshot, "
                     "the site boots Python the plain way")
            return None
        return SnapshotJob.start(plan)
    except RuntimeMissing:
        log.info("node not found: no memory snapshot, the site boots Python the plain way (4-6 s instead of ~1 s)")
        return None


def on_pre_page_macros(env: Any) -> None:
    """Pages of hidden modules stay out of the search index."""
    page = getattr(env, "page", None)
    src = getattr(getattr(page, "file", None), "src_uri", None)
    if src and src in env.variables.get("_ws_hidden_pages", frozenset()):
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}


def on_post_build(env: Any) -> None:
    site_dir = Path(env.conf["site_dir"])
    job: SnapshotJob | None = env.variables.get("_ws_snapshot")
    snapshot = None
    if job is not None:
        try:
            snapshot = job.wait()
        except SnapshotError as exc:
            raise MacroError(str(exc)) from None
    target = install_runtime(site_dir, env.conf["extra"]["worksheets"]["runtime_path"],
                             env.variables["_ws_wheel"], snapshot, job.plan.file_name if job else None)
    precompress(target)
    precompress_site(site_dir, skip=target)
    write_server_files(site_dir)
