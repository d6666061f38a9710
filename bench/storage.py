"""`make bench` rows for storage at thousands of entries (issue 15): the SMART page with
1,000 and 5,000 saved entries (90 % of them SMART entries, the worst case for its list).

Per size and run, in a fresh private context with Python kept off (these rows measure
the page's own storage work, not Python's start-up):

  s_mount_<n>_ms            navigation → the worksheet mounted (entries listed, autosave on)
  s_mount_task_<n>_ms       longest main-thread task of that load (long tasks are ≥ 50 ms; 0: none)
  s_type_task_<n>_ms        longest task while typing 100 characters, one every 30 ms, into a new
                            entry (n + 1 entries), autosave writing at least once a second
                            (0: no task ≥ 50 ms)
  s_type_stall_<n>_ms       the longest the main thread was busy meanwhile, any task (a timer asks
                            every 5 ms and notes how late it ran): catches tasks under 50 ms too
  s_import_read_<n>_ms      import of a backup of n entries into an empty browser: file chosen →
                            the dry-run dialog shown (reading, checking, planning)
  s_import_write_<n>_ms     … "导入" clicked → the result notice (every entry on disk)
  s_import_task_<n>_ms      longest task of the whole import
  s_reimport_<n>_ms         the same n entries imported again with every one changed (n
                            conflicts kept as copies): file chosen → dialog + "导入" → notice
  s_reimport_task_<n>_ms    longest task of that re-import

Run alone: ``.venv/bin/python bench/storage.py [--runs 3] [--sizes 1000,5000]`` (builds the
site once); bench/run.py calls ``run_storage`` for its table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SMART = "worksheets/smart/"
SIZES = (1000, 5000)

#: Before the page's scripts: Python off, long tasks, keystroke delays, import milestones.
PROBE = r"""
window.WS_PYTHON_START = "never";
(() => {
  const b = window.__sb = { longtasks: [], mountedAt: null, changeAt: null, dialogAt: null, okAt: null, doneAt: null, notice: "" };
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]); })
      .observe({ type: "longtask", buffered: true });
  } catch (e) {}
  // The longest the main thread was busy: a timer asks every 5 ms and notes how late it ran.
  b.stall = 0;
  b.watch = (on) => {
    clearTimeout(b.timer);
    if (!on) return;
    b.stall = 0;
    let due = performance.now() + 5;
    const tick = () => {
      const now = performance.now();
      b.stall = Math.max(b.stall, now - due);
      due = now + 5;
      b.timer = setTimeout(tick, 5);
    };
    b.timer = setTimeout(tick, 5);
  };
  document.addEventListener("change", (e) => { if (e.target.matches && e.target.matches('[data-ws-action="import"]')) b.changeAt = performance.now(); }, true);
  document.addEventListener("click", (e) => { if (e.target.closest && e.target.closest("[data-ws-dialog-ok]")) b.okAt = performance.now(); }, true);
  new MutationObserver(() => {
    const root = document.querySelector('[data-ws-root="smart"][data-ws-mounted]');
    if (root && b.mountedAt === null) b.mountedAt = performance.now();
    const d = document.querySelector("[data-ws-dialog]");
    if (d && d.open && b.changeAt !== null && b.dialogAt === null) b.dialogAt = performance.now();
    const n = document.querySelector("[data-ws-notice]");
    const code = n && !n.hidden ? n.dataset.wsNoticeCode : "";
    if (b.okAt !== null && b.doneAt === null && (code === "imported" || code === "import-partial")) { b.doneAt = performance.now(); b.notice = code; }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ws-mounted", "open", "data-ws-notice-code", "hidden"] });
})();
"""

STORY = "本周二组的一次解决率回升，复盘会上大家提出先复述客户诉求，再给出处理时限。"


def entries(n: int, prefix: str = "b", variant: str = "") -> list[dict[str, Any]]:
    """n realistic entries (about 1 KB each), 90 % SMART, 10 % SWOT, one minute apart."""
    t0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    out = []
    for i in range(n):
        t = (t0 + dt.timedelta(minutes=i)).isoformat().replace("+00:00", "Z")
        slug = "swot" if i % 10 == 0 else "smart"
        out.append({
            "format": "worksheet-entry", "schema_version": 1, "worksheet": slug, "worksheet_version": 1,
            "id": f"{prefix}{i:05d}", "name": f"员工{i % 15:02d} · 第 {i // 15 + 1} 次面谈", "created_at": t, "saved_at": t,
            "rev": 0, "completion": 0.67,
            "data": {"goal_text": f"本季度末前，将员工{i % 15:02d}的一次解决率从 {70 + i % 10}% 提升到 {80 + i % 10}%。{variant}",
                     "owner": f"员工{i % 15:02d}", "why_relevant": STORY * 6},
        })
    return out


def backup(envs: list[dict[str, Any]]) -> bytes:
    doc = {"format": "worksheet-backup", "schema_version": 1, "site": "bench", "exported_at": "2026-03-01T09:00:00.000Z", "entries": envs}
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def _longest(tasks: list[list[float]], start: float, end: float | None = None) -> float:
    """The longest task that started in [start, end] (the harness's own task that hands a
    file to the page, which ends by firing "change", is left out)."""
    ds = [d for s, d in tasks if s >= start and (end is None or s <= end)]
    return max(ds) if ds else 0.0


def _import(page: Any, data: bytes, name: str, keep_both: bool = False) -> dict[str, float]:
    # No notice left from before: the result notice of this import is what ends it.
    page.evaluate("""Object.assign(window.__sb, {changeAt: null, dialogAt: null, okAt: null, doneAt: null, notice: ''});
      document.querySelectorAll('[data-ws-notice]').forEach((n) => { n.hidden = true; })""")
    page.set_input_files('[data-ws-action="import"]', files=[{"name": name, "mimeType": "application/json", "buffer": data}])
    page.wait_for_selector("[data-ws-dialog][open]", timeout=300_000)
    if keep_both:
        page.check('[data-ws-import-mode="keep-both"]')
    page.click("[data-ws-dialog-ok]")
    page.wait_for_function("window.__sb.doneAt !== null", timeout=600_000)
    b = page.evaluate("window.__sb")
    if b["notice"] != "imported":
        raise RuntimeError(f"import ended with {b['notice']}")
    return {"read": b["dialogAt"] - b["changeAt"], "write": b["doneAt"] - b["okAt"],
            "task": _longest(b["longtasks"], b["changeAt"], b["doneAt"])}


def one_run(browser: Any, origin: str, n: int) -> dict[str, float]:
    url = origin + SMART
    out: dict[str, float] = {}
    # Import into an empty browser (also fills it for the rows below).
    ctx = browser.new_context(locale="zh-CN", accept_downloads=True)
    ctx.add_init_script(script=PROBE)
    try:
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_function("window.__sb.mountedAt !== null", timeout=60_000)
        page.evaluate("document.querySelectorAll('.ws-entries__more').forEach((d) => { d.open = true; })")
        first = entries(n)
        r = _import(page, backup(first), f"bench-{n}.json")
        out[f"s_import_read_{n}_ms"], out[f"s_import_write_{n}_ms"], out[f"s_import_task_{n}_ms"] = r["read"], r["write"], r["task"]

        # Mount with n entries stored.
        page.goto("about:blank")
        page.goto(url)
        page.wait_for_function("window.__sb.mountedAt !== null", timeout=60_000)
        b = page.evaluate("window.__sb")
        out[f"s_mount_{n}_ms"] = b["mountedAt"]
        out[f"s_mount_task_{n}_ms"] = _longest(b["longtasks"], 0, b["mountedAt"])

        # Typing into a new entry beside the n (n + 1 entries: the 1,001): 100
        # characters, one every 30 ms (autosave writes at least once a second).
        page.click('[data-ws-action="new-entry"]')
        page.click("[data-ws-dialog-ok]")
        page.wait_for_selector('[data-ws-save-status][data-state="saved"]', timeout=30_000)
        field = page.locator('[data-ws-field="goal_text"]')
        field.click()
        page.evaluate("window.__sb.watch(true); window.__sb.typeAt = performance.now()")
        page.keyboard.type("再补充一句：下周一前完成三次旁听和一次复盘反馈，" * 4, delay=30)
        page.wait_for_selector('[data-ws-save-status][data-state="saved"]', timeout=30_000)
        page.evaluate("window.__sb.watch(false)")
        b = page.evaluate("window.__sb")
        out[f"s_type_task_{n}_ms"] = _longest(b["longtasks"], b["typeAt"])
        out[f"s_type_stall_{n}_ms"] = b["stall"]

        # The same entries again, every one changed: n conflicts, kept as copies.
        page.evaluate("document.querySelectorAll('.ws-entries__more').forEach((d) => { d.open = true; })")
        r = _import(page, backup(entries(n, variant="（改过）")), f"bench-{n}-changed.json", keep_both=True)
        out[f"s_reimport_{n}_ms"] = r["read"] + r["write"]
        out[f"s_reimport_task_{n}_ms"] = r["task"]
    finally:
        ctx.close()
    return out


def run_storage(browser: Any, origin: str, runs: int, log: Callable[[str], None], sizes: tuple[int, ...] = SIZES) -> dict[str, list[float]]:
    raw: dict[str, list[float]] = {}
    for n in sizes:
        for i in range(runs):
            r = one_run(browser, origin, n)
            for k, v in r.items():
                raw.setdefault(k, []).append(v)
            log(f"  storage, {n} entries, run {i + 1}/{runs}: mount {r[f's_mount_{n}_ms']:.0f} ms, typing: longest task "
                f"{r[f's_type_task_{n}_ms']:.0f} ms, longest stall {r[f's_type_stall_{n}_ms']:.0f} ms; import "
                f"{r[f's_import_read_{n}_ms']:.0f} + {r[f's_import_write_{n}_ms']:.0f} ms (longest task {r[f's_import_task_{n}_ms']:.0f} ms); "
                f"conflicting re-import {r[f's_reimport_{n}_ms']:.0f} ms")
    return raw


def rows(sizes: tuple[int, ...] = SIZES) -> list[tuple[str, str, str, float | None]]:
    """Rows for bench/run.py's table: key, label, unit, target."""
    out: list[tuple[str, str, str, float | None]] = []
    for n in sizes:
        out += [
            (f"s_mount_{n}_ms", f"(s) {n:,} entries: navigation → worksheet mounted", "ms", None),
            (f"s_mount_task_{n}_ms", f"(s) … longest task of that load (0: none ≥ 50 ms)", "ms", None),
            (f"s_type_task_{n}_ms", f"(s) {n + 1:,} entries: longest task while typing (0: none ≥ 50 ms)", "ms", 100 if n <= 1000 else None),
            (f"s_type_stall_{n}_ms", "(s) … longest main-thread stall while typing (a 5 ms timer's worst lateness)", "ms", 50 if n <= 1000 else None),
            (f"s_import_read_{n}_ms", f"(s) import {n:,} entries: file chosen → dry-run dialog", "ms", None),
            (f"s_import_write_{n}_ms", "(s) … 导入 → every entry on disk, result shown", "ms", None),
            (f"s_import_task_{n}_ms", "(s) … longest task of the import (0: none ≥ 50 ms)", "ms", None),
            (f"s_reimport_{n}_ms", f"(s) re-import of the {n:,}, every one changed (kept as copies)", "ms", None),
            (f"s_reimport_task_{n}_ms", "(s) … longest task of the re-import", "ms", None),
        ]
    return out


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    from bench.run import build, fmt, machine, stats
    from bench.server import serve
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.sitebuild import free_port

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--out", type=Path, default=None, help="write the raw figures and summary as JSON")
    args = ap.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    info = machine()
    port = free_port()
    origin = f"http://127.0.0.1:{port}/training/"
    work = Path(tempfile.mkdtemp(prefix="bench-storage-"))
    try:
        build(work / "training", origin)
        with serve(work, port), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            raw = run_storage(browser, origin, args.runs, log, sizes)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary = {k: stats(v) for k, v in raw.items()}
    lines = ["| Metric | Target | Median (min–max) | Met |", "|---|---|---|---|"]
    for key, label, unit, target in rows(sizes):
        s = summary.get(key)
        met = "—" if target is None or not s else ("yes" if s["max"] <= target else "**no**")
        lines.append(f"| {label} [{unit}] | {f'≤ {target} {unit}' if target else ''} | {fmt(s, unit)} | {met} |")
    print(f"\nMachine: {info['cpu']}, {info['cores']} cores, {info['chromium']}; {args.runs} runs; load average "
          f"{info['loadavg_start'][0]} at start\n")
    print("\n".join(lines))
    if args.out:
        args.out.write_text(json.dumps({"machine": info, "raw": raw, "summary": summary}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
