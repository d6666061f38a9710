"""`make bench`: the worksheet runtime against the usual main-thread Pyodide page.

Builds the site for http://127.0.0.1:PORT/training/, serves it from a plain static
server (bench/server.py: ``http.server`` plus optional gzip_static), adds a baseline
page that boots the same Pyodide on the main thread the usual way (bench/baseline/),
and drives both in Debian's headless Chromium with Playwright. Every figure is the
median / min / max of ``--runs`` runs (default 5). Results go to bench/results.json
and a Markdown table is printed.

    .venv/bin/python bench/run.py [--runs 5] [--out bench/results.json]

Variants, in the same run: ``site`` (the site as shipped: Python restored from the build's
memory snapshot), ``plain`` (the same site and files with ``?ws-snapshot=0``: Pyodide
initialised from scratch, then the engine wheel), ``baseline`` (the usual main-thread
page) and the ``reference`` (bare Pyodide in a worker).

Metrics (keys in results.json):
  a_input_ms        navigation → the first keystroke the mounted worksheet accepted (keys
                    are sent every ~20 ms from the moment the field exists), first visit
  a_worst_key_ms    worst delay of a keystroke typed every ~50 ms until Python was ready
  b_cold_ms         navigation → engine ready, empty cache (fresh private context)
  b_cold_gzip_ms    same, runtime served precompressed (.gz, Content-Encoding: gzip)
  b_return_ms       returning visitor: persistent browser profile, browser restarted
  b_warm_private_ms / b_warm_private_gzip_ms   second load in the same private context
  a_mounted_ms      navigation → the worksheet app is mounted (autosave on)
  c_longtask_ms     longest main-thread task between navigation and engine ready
  c_longtask_after_dcl_ms   the same, counting only tasks after DOMContentLoaded
  d_first_check_ms  first click on 检查 → result in the DOM
  d_p95_ms          p95 of 50 checks (click → result in the DOM); d_p95_frame_ms to the next frame;
                    d_trip_*, d_python_*, d_parse_*: the worker round trip, the time in Python
                    and the page's JSON.parse of the answer (engine-client.js getCheckCosts())
  e_instant_ms      click on a second worksheet page → its engine status is ready
  f_first_mb / f_first_gzip_mb / f_return_mb   bytes the server sent for a visit
  h_lecture_ready_ms   a lecture that links to a worksheet, opened cold: navigation →
                    Python ready, started in the background once the page is idle
  h_click_ready_ms  then a click on the lecture's worksheet link → that worksheet's engine ready
  g_build_s         full `mkdocs build --strict` into an empty folder (caches warm)
  g_build_engine_change_s   the same after an engine change: no bytecode and no snapshot
                    cached (Node compiles the bytecode and makes the snapshot)
  s_*               storage with 1,000 and 5,000 saved entries (Python off): mount, typing
                    (longest task, longest stall), import and a conflicting re-import; see
                    bench/storage.py (``--only storage`` measures just these)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.server import StaticServer, serve  # noqa: E402
from bench.storage import rows as storage_rows  # noqa: E402
from bench.storage import run_storage  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.sitebuild import free_port  # noqa: E402

SUB_PATH = "/training/"
SMART = "worksheets/smart/"
BASELINE = "bench-baseline/smart/"
BARE = "bench-baseline/bare/"
LECTURE = "lectures/03-goals/"
CLIENT = "javascripts/worksheet/engine-client.js"
GOALS = [
    "本季度末前，将团队的客户满意度（CSAT）从85%提升到92%。",
    "两周内完成 12 名新员工的工单系统培训，考核通过率不低于90%。",
    "提高服务质量。",
    "下个月底前把平均处理时长从 320 秒降到 290 秒，同时一次解决率不低于 80%。",
    "尽快让大家更积极一些。",
]

#: Installed in every document before its own scripts run.
INIT_SCRIPT = r"""
(() => {
  const b = window.__bench = { longtasks: [], keys: [], inputAt: null, mountedAt: null, readyAt: null, engineAt: null, error: null, want: null };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) {}
  document.addEventListener("keydown", (e) => { b.keys.push(performance.now() - e.timeStamp); }, true);
  document.addEventListener("input", () => { if (b.inputAt === null && b.mountedAt !== null) b.inputAt = performance.now(); }, true);
  const check = () => {
    const sel = b.want ? `[data-ws-root="${b.want}"][data-ws-mounted]` : "[data-ws-root][data-ws-mounted]";
    const root = document.querySelector(sel);
    if (!root) return;
    if (b.mountedAt === null) b.mountedAt = performance.now();
    const s = root.querySelector("[data-ws-engine-status]");
    if (!s) return;
    if (s.dataset.state === "ready" && b.readyAt === null) b.readyAt = performance.now();
    if (s.dataset.state === "error" && b.error === null) b.error = s.textContent;
  };
  b.check = check;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === "ws-engine-ready" && b.engineAt === null) b.engineAt = performance.now();
    }).observe({ type: "mark", buffered: true });
  } catch (e) {}
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state", "data-ws-mounted"] });
})();
"""

CHECK_LOOP = r"""
async ([n, goals]) => {
  const root = document.querySelector("[data-ws-root][data-ws-mounted]");
  const field = root.querySelector('[data-ws-field="goal_text"]');
  const button = root.querySelector('[data-ws-action="check"]');
  const panel = root.querySelector("[data-ws-result]");
  const dom = [], frame = [];
  for (let i = 0; i < n; i++) {
    field.value = goals[i % goals.length];  // no input event: no autosave, no auto-check
    const t0 = performance.now();
    const done = new Promise((resolve) => {
      const mo = new MutationObserver(() => {
        if (panel.querySelector("[data-ws-criterion]")) { mo.disconnect(); resolve(performance.now()); }
      });
      mo.observe(panel, { childList: true, subtree: true });
    });
    button.click();
    const t1 = await done;
    const t2 = await new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    dom.push(t1 - t0);
    frame.push(t2 - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { dom, frame };
}
"""

CLICK_TO = r"""
([target]) => {
  const a = [...document.querySelectorAll("a[href]")].find((x) => x.href.split("#")[0].endsWith(target));
  if (!a) throw new Error("no link to " + target);
  window.__bench.readyAt = null;
  window.__bench.mountedAt = null;
  window.__visit = 1;
  const t = performance.timeOrigin + performance.now();
  a.click();
  return t;
}
"""


# ---- helpers -------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        chromium = "?"
    os_name = platform.platform()
    try:
        pretty = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text())
        if pretty:
            os_name = f"{pretty.group(1)} ({platform.release()})"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "os": os_name,
        "chromium": chromium,
        "python": platform.python_version(),
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def stats(values: list[float]) -> dict[str, float] | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def p95(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def build(dest: Path, site_url: str, caches: dict[str, str] | None = None) -> float:
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1", **(caches or {})}
    env.pop("WS_FAST_BUILD", None)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(dest)],
                          cwd=REPO, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}")
    if "memory snapshot" in proc.stderr and "plain way" in proc.stderr:
        raise SystemExit("the build made no memory snapshot (is node installed?):\n" + proc.stderr[-2000:])
    return took


def engine_change_caches(work: Path) -> dict[str, str]:
    """Caches as they are right after an engine change: no bytecode, no snapshot; the .gz
    copies of the unchanged Pyodide files are still there (they do not depend on the engine)."""
    from macros import runtime

    gz = work / "gzip-cache"
    gz.mkdir(parents=True, exist_ok=True)
    for name in runtime.RUNTIME_FILES:
        for cached in runtime.GZIP_CACHE.glob(f"{runtime._file_sha256(runtime.PYODIDE_DIR / name)[:24]}-*.gz"):
            shutil.copy2(cached, gz / cached.name)
    return {"WS_PYC_CACHE": str(work / "pyc-cache"), "WS_SNAPSHOT_CACHE": str(work / "snapshot-cache"),
            "WS_GZIP_CACHE": str(gz)}


def add_baseline(site: Path) -> None:
    """Two copies of the built SMART page whose worksheet script is replaced by the baseline."""
    html = (site / SMART / "index.html").read_text(encoding="utf-8")
    html, n = re.subn(r'<script[^>]*src="[^"]*javascripts/worksheet/main\.js"[^>]*></script>', "", html)
    if n != 1:
        raise SystemExit("baseline: could not find the worksheet script tag in the SMART page")
    # No early worker from the <head> either: the baseline boots Python itself.
    html, n = re.subn(r"<script>\s*\(function \(\) \{.*?__wsEarly.*?</script>", "", html, flags=re.S)
    if n != 1:
        raise SystemExit("baseline: could not find the early-start script in the SMART page")
    # The usual setup: no instant navigation, every click is a full page load.
    html, n = re.subn(r'"navigation\.instant(?:\.[a-z]+)?",\s*', "", html)
    if not n:
        raise SystemExit("baseline: navigation.instant not found in the page config")
    folder = site / "bench-baseline"
    folder.mkdir(exist_ok=True)
    shutil.copy2(REPO / "bench" / "baseline" / "baseline.js", folder / "baseline.js")
    tag = '<script type="module" src="../baseline.js"></script>'
    runtime = re.search(r'<meta name="ws-runtime" content="([^"]+)"', html)
    if not runtime:
        raise SystemExit("baseline: no ws-runtime meta in the SMART page")
    shutil.copy2(REPO / "bench" / "baseline" / "bare.js", folder / "bare.js")
    (folder / "bare").mkdir(exist_ok=True)
    (folder / "bare" / "index.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>bare</title>'
        f'<meta name="ws-runtime" content="{runtime.group(1)}"></head><body>'
        '<div data-ws-root="bare" data-ws-mounted><span data-ws-engine-status data-state="loading">…</span></div>'
        '<script type="module" src="../bare.js"></script></body></html>', encoding="utf-8")
    for name, nxt in (("smart", "smart-2"), ("smart-2", "smart")):
        page = html.replace("</body>", f'<p><a id="bench-next" href="../{nxt}/">下一页</a></p>{tag}</body>')
        (folder / name).mkdir(exist_ok=True)
        (folder / name / "index.html").write_text(page, encoding="utf-8")


# ---- one measured visit ----------------------------------------------------------------------------


def wait_ready(page: Any, timeout_s: float = 120) -> None:
    page.wait_for_function("() => window.__bench && (window.__bench.readyAt !== null || window.__bench.error !== null)",
                           timeout=timeout_s * 1000)
    err = page.evaluate("window.__bench.error")
    if err:
        raise RuntimeError(f"engine error: {err}")


def settle(server: StaticServer) -> int:
    """Bytes sent once the server has been quiet for 300 ms."""
    last, quiet = -1, 0.0
    while quiet < 0.3:
        time.sleep(0.1)
        now = server.bytes_sent
        quiet = quiet + 0.1 if now == last else 0.0
        last = now
    return last


def boot_mode(page: Any, origin: str) -> str | None:
    """How the site's worker started Python on this page (engine-client.js getBoot())."""
    return page.evaluate("u => import(u).then(m => m.getBoot().boot, () => null)", origin + CLIENT)


def visit(page: Any, url: str, server: StaticServer, typing: bool = False) -> dict[str, Any]:
    server.reset()
    page.goto(url, wait_until="commit")
    if typing:
        # Type into the field from the moment it exists, one key every ~20 ms, until
        # Python is ready: (a) is the first keystroke the mounted worksheet accepted,
        # (a′) the worst delay any keystroke saw.
        page.wait_for_selector('[data-ws-field="goal_text"]', state="attached", timeout=60_000)
        page.focus('[data-ws-field="goal_text"]')
        while page.evaluate("window.__bench.readyAt === null && window.__bench.error === null"):
            page.keyboard.press("a")
            time.sleep(0.02)
    wait_ready(page)
    b = page.evaluate("({readyAt: __bench.readyAt, inputAt: __bench.inputAt, mountedAt: __bench.mountedAt,"
                      " keys: __bench.keys, longtasks: __bench.longtasks,"
                      " dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd})")
    ready = b["readyAt"]
    tasks = [d for start, d in b["longtasks"] if start <= ready]
    # Tasks that start once the page's own loading work (parsing, theme scripts, the
    # DOMContentLoaded handlers that mount the worksheet) is over: what booting Python costs.
    late = [d for start, d in b["longtasks"] if b["dcl"] <= start <= ready]
    return {
        "ready_ms": ready,
        "input_ms": b["inputAt"],
        "mounted_ms": b["mountedAt"],
        "worst_key_ms": max(b["keys"]) if b["keys"] else None,
        "keys": len(b["keys"]),
        "longest_task_ms": max(tasks) if tasks else 0.0,
        "longest_late_task_ms": max(late) if late else 0.0,
        "bytes": settle(server),
    }


def new_context(browser: Any) -> Any:
    ctx = browser.new_context(locale="zh-CN")
    ctx.add_init_script(script=INIT_SCRIPT)
    return ctx


def run_variant(p: Any, browser: Any, server: StaticServer, origin: str, kind: str, runs: int,
                log: Callable[[str], None]) -> dict[str, list[float]]:
    """``site``: everything; ``plain``: the start-up rows only, with ``?ws-snapshot=0``;
    ``baseline``: the main-thread page."""
    query = "?ws-snapshot=0" if kind == "plain" else ""
    start_url = origin + (BASELINE if kind == "baseline" else SMART) + query
    next_target = "/bench-baseline/smart-2/" if kind == "baseline" else "/worksheets/swot/"
    expect_boot = {"site": "snapshot", "plain": "plain"}.get(kind)
    m: dict[str, list[float]] = {}

    def add(key: str, value: float | None) -> None:
        m.setdefault(key, []).append(value)

    def checked(page: Any, v: dict[str, Any]) -> dict[str, Any]:
        if expect_boot:
            got = boot_mode(page, origin)
            if got != expect_boot:
                raise RuntimeError(f"{kind}: Python started as {got!r}, expected {expect_boot!r}")
        return v

    for i in range(runs):
        # Cold, plain server; then a second load in the same private context.
        server.gzip = False
        ctx = new_context(browser)
        page = ctx.new_page()
        v = checked(page, visit(page, start_url, server))
        add("a_mounted_ms", v["mounted_ms"])
        add("b_cold_ms", v["ready_ms"])
        add("c_longtask_ms", v["longest_task_ms"])
        add("c_longtask_after_dcl_ms", v["longest_late_task_ms"])
        add("f_first_mb", v["bytes"] / 1e6)
        page2 = ctx.new_page()
        page.close()
        w = checked(page2, visit(page2, start_url, server))
        add("b_warm_private_ms", w["ready_ms"])
        add("f_warm_private_mb", w["bytes"] / 1e6)
        ctx.close()

        if kind != "plain":
            # Cold again, typing into the worksheet from the moment it exists until Python is
            # ready (kept apart: the typing harness itself takes CPU from the boot).
            ctx = new_context(browser)
            page = ctx.new_page()
            v = visit(page, start_url, server, typing=True)
            add("a_input_ms", v["input_ms"])
            add("a_worst_key_ms", v["worst_key_ms"])
            add("b_cold_typing_ms", v["ready_ms"])
            ctx.close()

        # Cold with precompressed runtime, then warm in the same private context.
        server.gzip = True
        ctx = new_context(browser)
        page = ctx.new_page()
        v = checked(page, visit(page, start_url, server))
        add("b_cold_gzip_ms", v["ready_ms"])
        add("f_first_gzip_mb", v["bytes"] / 1e6)
        page2 = ctx.new_page()
        page.close()
        w = checked(page2, visit(page2, start_url, server))
        add("b_warm_private_gzip_ms", w["ready_ms"])
        add("f_warm_private_gzip_mb", w["bytes"] / 1e6)
        ctx.close()
        server.gzip = False

        if kind != "plain":
            # Checks, then navigation to a second worksheet page.
            ctx = new_context(browser)
            page = ctx.new_page()
            visit(page, start_url, server)
            times = page.evaluate(CHECK_LOOP, [50, GOALS])
            add("d_first_check_ms", times["dom"][0])
            add("d_p95_ms", p95(times["dom"]))
            add("d_p95_frame_ms", p95(times["frame"]))
            add("d_median_ms", statistics.median(times["dom"]))
            if kind == "site":
                # Where a check's time goes: engine-client.js's own account of the last 50.
                costs = page.evaluate("u => import(u).then(m => m.getCheckCosts().slice(-50))", origin + CLIENT)
                for part in ("trip", "python", "parse"):
                    values = [c[part] for c in costs]
                    add(f"d_{part}_median_ms", statistics.median(values))
                    add(f"d_{part}_p95_ms", p95(values))
            if kind == "site":
                page.evaluate("window.__bench.want = 'swot'")
            clicked = page.evaluate(CLICK_TO, [next_target])
            page.wait_for_function("() => window.__bench && window.__bench.readyAt !== null", timeout=120_000)
            ready_epoch = page.evaluate("performance.timeOrigin + window.__bench.readyAt")
            instant = page.evaluate("window.__visit === 1")
            add("e_instant_ms", ready_epoch - clicked)
            add("e_same_document", 1.0 if instant else 0.0)
            ctx.close()

        if kind == "site":
            # A lecture that links to a worksheet, opened cold: Python starts once the page
            # is idle; then the reader clicks through to the worksheet.
            ctx = new_context(browser)
            page = ctx.new_page()
            server.reset()
            page.goto(origin + LECTURE, wait_until="commit")
            page.wait_for_function("() => window.__bench && window.__bench.engineAt !== null", timeout=120_000)
            add("h_lecture_ready_ms", page.evaluate("window.__bench.engineAt"))
            checked(page, {})
            # The reader reads before clicking: wait until the worker's background warm-up
            # (after a restore) is over, so the click measures what a reader meets.
            page.evaluate("u => import(u).then(m => { window.__wsClient = m; })", origin + CLIENT)
            page.wait_for_function("() => window.__wsClient.getTimings().warm !== undefined", timeout=60_000)
            page.evaluate("window.__bench.want = 'smart'")
            clicked = page.evaluate(CLICK_TO, ["/worksheets/smart/"])
            page.wait_for_function("() => window.__bench.readyAt !== null || window.__bench.error !== null",
                                   timeout=120_000)
            add("h_click_ready_ms", page.evaluate("performance.timeOrigin + window.__bench.readyAt") - clicked)
            add("h_same_document", 1.0 if page.evaluate("window.__visit === 1") else 0.0)
            ctx.close()

        # Returning visitor: persistent profile, browser restarted between visits.
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
            for visit_no in (1, 2):
                pctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                            headless=True, locale="zh-CN")
                pctx.add_init_script(script=INIT_SCRIPT)
                page = pctx.new_page()
                v = checked(page, visit(page, start_url, server))
                pctx.close()
            add("b_return_ms", v["ready_ms"])
            add("f_return_mb", v["bytes"] / 1e6)
        extra = ""
        if kind != "plain":
            extra = f", p95 check {m['d_p95_ms'][-1]:.1f} ms, next page {m['e_instant_ms'][-1]:.0f} ms"
        if kind == "site":
            extra += f", lecture → click → ready {m['h_click_ready_ms'][-1]:.0f} ms"
        log(f"  {kind} run {i + 1}/{runs}: cold {m['b_cold_ms'][-1]:.0f} ms, gzip {m['b_cold_gzip_ms'][-1]:.0f} ms, "
            f"return {m['b_return_ms'][-1]:.0f} ms, longest task {m['c_longtask_ms'][-1]:.0f} ms{extra}")
    return m


def run_bare(browser: Any, server: StaticServer, origin: str, runs: int) -> dict[str, list[float]]:
    """Reference: Pyodide alone in a worker on a blank page, cold and plain / gzip."""
    m: dict[str, list[float]] = {"ref_bare_cold_ms": [], "ref_bare_cold_gzip_ms": []}
    for _ in range(runs):
        for gz, key in ((False, "ref_bare_cold_ms"), (True, "ref_bare_cold_gzip_ms")):
            server.gzip = gz
            ctx = new_context(browser)
            page = ctx.new_page()
            m[key].append(visit(page, origin + BARE, server)["ready_ms"])
            ctx.close()
    server.gzip = False
    return m


# ---- report ----------------------------------------------------------------------------------------

ROWS = [
    # key, label, unit, target (site)
    ("a_input_ms", "(a) navigation → worksheet input accepts text", "ms", 150),
    ("a_mounted_ms", "(a″) navigation → worksheet app mounted (autosave on)", "ms", None),
    ("a_worst_key_ms", "(a′) worst keystroke delay while Python boots", "ms", None),
    ("b_cold_ms", "(b) navigation → engine ready, cold cache", "ms", 1500),
    ("b_cold_gzip_ms", "(b) … cold, runtime served gzip (.gz)", "ms", 1500),
    ("b_cold_typing_ms", "(b) … cold, while the harness types a key every ~20 ms", "ms", None),
    ("b_return_ms", "(b) … returning visitor (profile kept, browser restarted)", "ms", 1000),
    ("b_warm_private_ms", "(b) … second load, same private window", "ms", None),
    ("b_warm_private_gzip_ms", "(b) … second load, same private window, gzip", "ms", None),
    ("c_longtask_ms", "(c) longest main-thread task, navigation → engine ready", "ms", 50),
    ("c_longtask_after_dcl_ms", "(c′) … only after DOMContentLoaded (page's own load done)", "ms", None),
    ("d_first_check_ms", "(d) first check (click → result in page)", "ms", None),
    ("d_p95_ms", "(d) p95 of 50 checks (click → result in page)", "ms", 20),
    ("d_median_ms", "(d) median of 50 checks", "ms", None),
    ("d_p95_frame_ms", "(d) p95 of 50 checks, to the next frame", "ms", None),
    ("d_trip_median_ms", "(d) … of which the worker round trip (post → answer), median", "ms", None),
    ("d_trip_p95_ms", "(d) … worker round trip, p95", "ms", None),
    ("d_python_median_ms", "(d) … of which Python (api.evaluate_json in the worker), median", "ms", None),
    ("d_python_p95_ms", "(d) … Python, p95", "ms", None),
    ("d_parse_p95_ms", "(d) … parsing the answer on the page, p95", "ms", None),
    ("e_instant_ms", "(e) click → second worksheet page, engine ready", "ms", 100),
    ("h_lecture_ready_ms", "(h) lecture opened cold → Python ready in the background", "ms", None),
    ("h_click_ready_ms", "(h) … then click → the worksheet's engine ready", "ms", 100),
    ("f_first_mb", "(f) bytes sent, first visit, plain", "MB", None),
    ("f_first_gzip_mb", "(f) bytes sent, first visit, precompressed", "MB", 14),
    ("f_warm_private_mb", "(f) bytes sent, second load, private window", "MB", None),
    ("f_warm_private_gzip_mb", "(f) bytes sent, second load, private window, gzip", "MB", None),
    ("f_return_mb", "(f) bytes sent, returning visitor", "MB", None),
    ("g_build_s", "(g) full `mkdocs build --strict` into an empty folder (caches warm)", "s", 10),
    ("g_build_engine_change_s", "(g) … after an engine change (Node compiles bytecode, makes the snapshot)", "s", 15),
    # Storage at thousands of entries (bench/storage.py; Python kept off in these visits).
    *storage_rows(),
]
#: Start-up rows where the snapshot must beat the plain boot of the same site, same run.
RATIO_KEYS = ("b_cold_ms", "b_cold_gzip_ms", "b_return_ms", "b_warm_private_ms", "b_warm_private_gzip_ms")
RATIO_TARGET = 3.0


def fmt(s: dict[str, float] | None, unit: str) -> str:
    if not s:
        return "—"
    nd = 2 if unit == "MB" or (unit == "ms" and s["median"] < 20) or unit == "s" else 0
    return f"{s['median']:.{nd}f} ({s['min']:.{nd}f}–{s['max']:.{nd}f})"


def ratio(a: dict[str, float] | None, b: dict[str, float] | None) -> float | None:
    """a ÷ b of the medians."""
    if a and b and b["median"] > 0:
        return a["median"] / b["median"]
    return None


def table(summary: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| Metric | Target | This site (snapshot) | Plain boot, same site | Plain ÷ snapshot | Baseline (main thread) "
        "| Baseline ÷ site | Target met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, label, unit, target in ROWS:
        site = summary["site"].get(key)
        plain = summary.get("plain", {}).get(key)
        base = summary.get("baseline", {}).get(key)
        r_plain, r_base = ratio(plain, site), ratio(base, site)
        met = "—"
        if target is not None and site:
            met = "yes" if site["median"] <= target else "**no**"
        if key in RATIO_KEYS and r_plain is not None:
            verdict = "yes" if r_plain >= RATIO_TARGET else "**no**"
            met = verdict if met == "—" else f"{met}; {verdict} (≥ {RATIO_TARGET:g}×)"
        tgt = f"≤ {target} {unit}" if target is not None else ""
        if key in RATIO_KEYS:
            tgt = (tgt + "; " if tgt else "") + f"≥ {RATIO_TARGET:g}× plain"
        lines.append(f"| {label} [{unit}] | {tgt} | {fmt(site, unit)} | {fmt(plain, unit)} | "
                     f"{f'{r_plain:.1f}×' if r_plain else '—'} | {fmt(base, unit)} | "
                     f"{f'{r_base:.1f}×' if r_base else '—'} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    ap.add_argument("--only", choices=["site", "plain", "baseline", "storage"], help="measure one variant only (storage: the (s) rows)")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    info = machine()
    log(f"machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB, {info['chromium']}")
    port = free_port()
    origin = f"http://127.0.0.1:{port}{SUB_PATH}"
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        # Builds after an engine change (no bytecode, no snapshot cached: Node compiles the
        # bytecode and makes the snapshot), then the usual full builds with warm caches.
        changed = []
        for i in range(min(args.runs, 2)):
            caches = engine_change_caches(work / f"caches-{i}")
            changed.append(build(work / "build-first" / SUB_PATH.strip("/"), origin, caches))
            log(f"  build after an engine change {i + 1}: {changed[-1]:.2f} s")
            shutil.rmtree(work / "build-first", ignore_errors=True)
        # Not measured: makes sure the regular caches hold this engine's bytecode and snapshot.
        build(work / "build-prime" / SUB_PATH.strip("/"), origin)
        shutil.rmtree(work / "build-prime", ignore_errors=True)
        builds = []
        for i in range(args.runs):
            dest = work / f"build-{i}" / SUB_PATH.strip("/")
            builds.append(build(dest, origin))
            log(f"  build {i + 1}/{args.runs}: {builds[-1]:.2f} s")
            if i < args.runs - 1:
                shutil.rmtree(work / f"build-{i}", ignore_errors=True)
        root = work / f"build-{args.runs - 1}"
        add_baseline(root / SUB_PATH.strip("/"))
        raw: dict[str, dict[str, list[float]]] = {
            "site": {"g_build_s": builds, "g_build_engine_change_s": changed}, "plain": {}, "baseline": {},
            "reference": {}}
        with serve(root, port) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for kind in ("site", "plain", "baseline"):
                if args.only and kind != args.only:
                    continue
                log(f"measuring {kind} …")
                raw[kind].update(run_variant(p, browser, server, origin, kind, args.runs, log))
            if not args.only or args.only == "storage":
                log("measuring storage with 1,000 and 5,000 entries …")
                raw["site"].update(run_storage(browser, origin, args.runs, log))
            if not args.only:
                log("measuring the reference (Pyodide alone in a worker, blank page) …")
                raw["reference"] = run_bare(browser, server, origin, args.runs)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    info["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    summary = {kind: {k: stats(v) for k, v in m.items()} for kind, m in raw.items()}
    md = table(summary)
    ref = summary.get("reference", {})
    if ref.get("ref_bare_cold_ms"):
        md += ("\n\nReference on the same machine — Pyodide alone in a module worker on a blank page "
               "(no theme, no engine package), navigation → loadPyodide() resolved: "
               f"cold {fmt(ref['ref_bare_cold_ms'], 'ms')} ms, "
               f"cold with gzip {fmt(ref.get('ref_bare_cold_gzip_ms'), 'ms')} ms.")
    result = {
        "machine": info,
        "runs": args.runs,
        "url": origin,
        "targets": {key: target for key, _, _, target in ROWS if target is not None},
        "summary": summary,
        "raw": raw,
        "table_md": md,
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nMachine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB RAM, {info['os']}, "
          f"{info['chromium']}, Python {info['python']}; {args.runs} runs each; {info['date']}; "
          f"load average {info['loadavg_start'][0]} at start, {info['loadavg_end'][0]} at end\n")
    print(md)
    print(f"\nResults written to {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
