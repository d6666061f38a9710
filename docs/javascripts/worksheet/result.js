// The result panel: one shape for every worksheet. The engine's result dict may carry,
// each rendered when present, in this order:
//   headline (str), completion (0–1)
//   figures: [{key, label, value, hook?}]               a row of key figures
//   checks:  [{key, label, met: true|false|null, reason, suggestion, hook?}]
//            (older engines: criteria = {key: {label, met, reason, suggestion}})
//   rewrite (str), charts: [{title, svg}], links: [{label, href}] (href relative to the site root)
//   issues: [{code, severity, field?, message, suggestion?}], report_html (str),
//   reports: [{key, title, html}] (further documents, e.g. an interview record)
//   downloads: [{key, label, filename, mime, text, hook?}] (files to save, e.g. a calendar:
//            one button each, data-ws-download="key"; the text becomes a Blob, never markup)
// Everything from the engine goes in as text, except report_html (escaped by the
// engine, then stripped to plain markup by safeFragment) and chart SVG (rebuilt
// through an allow-list by safeSvg). `hook` = extra data attributes: {"part": "x"}
// → data-ws-part="x", set with setAttribute.

const ALLOWED_TAGS = new Set(["H1", "H2", "H3", "H4", "P", "UL", "OL", "LI", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD", "STRONG", "EM", "BR", "CODE"]);
const MET = { true: "达标", false: "未达标", unknown: "待确认" };
/** The site root, whatever sub-path the site is served under (this file is javascripts/worksheet/result.js). */
const SITE_ROOT = new URL("../../", import.meta.url);

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

const asList = (v) => (Array.isArray(v) ? v.filter((x) => x && typeof x === "object" && !Array.isArray(x)) : []);
const str = (v) => (v === undefined || v === null ? "" : String(v));

// ---- pure helpers (node-tested) ---------------------------------------------------------

const HOOK_NAME = /^[a-z][a-z-]{0,20}$/;

/**
 * The data attributes of a `hook` object: [[attribute, value], …]. Names must match
 * /^[a-z][a-z-]{0,20}$/ and not be one of `reserved` (the hooks the panel sets itself);
 * values are text (at most 200 characters); anything else is dropped.
 */
export function hookAttributes(hook, reserved = []) {
  if (!hook || typeof hook !== "object" || Array.isArray(hook)) return [];
  const out = [];
  for (const [name, value] of Object.entries(hook)) {
    if (!HOOK_NAME.test(name) || reserved.includes(name)) continue;
    if (value === null || typeof value === "object" || typeof value === "function") continue;
    out.push([`data-ws-${name}`, String(value).slice(0, 200)]);
  }
  return out;
}

/**
 * A link the engine gave, relative to the site root ("lectures/05-communication/#x"),
 * as an absolute URL under `root`; null for anything that would leave the site (an
 * absolute or protocol-relative URL, another scheme, "../" above the root).
 */
export function resolveLink(href, root = SITE_ROOT) {
  const text = str(href).trim();
  if (!text || /^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith("//") || text.startsWith("\\") || /[\u0000-\u001f\\]/.test(text)) return null;
  const base = new URL(root);
  let url;
  try {
    url = new URL(text.replace(/^\/+/, ""), base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return null;
  return url.href;
}

/** checks, or (older engines) the criteria dict as the same list. */
export function checksOf(result) {
  if (Array.isArray(result.checks)) return asList(result.checks);
  const c = result.criteria;
  if (c && typeof c === "object" && !Array.isArray(c)) return Object.entries(c).map(([key, v]) => ({ key, ...(v && typeof v === "object" ? v : {}) }));
  return [];
}

// ---- sanitizers --------------------------------------------------------------------------

/** Parse the engine's report HTML and keep only plain, attribute-free markup. */
export function safeFragment(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = String(html || "");
  const walk = (node) => {
    for (const child of [...node.childNodes]) {
      if (child.nodeType === Node.ELEMENT_NODE) {
        if (!ALLOWED_TAGS.has(child.tagName)) {
          child.replaceWith(document.createTextNode(child.textContent || ""));
          continue;
        }
        for (const attr of [...child.attributes]) child.removeAttribute(attr.name);
        walk(child);
      } else if (child.nodeType !== Node.TEXT_NODE) {
        child.remove();
      }
    }
  };
  walk(tpl.content);
  return tpl.content;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const SVG_TAGS = new Set(["svg", "g", "rect", "line", "polyline", "polygon", "circle", "path", "text", "tspan", "title", "desc"]);
const SVG_ATTRS = new Set([
  "viewBox", "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
  "d", "points", "transform", "dx", "dy", "rotate", "textLength", "lengthAdjust", "pathLength",
  "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray", "stroke-dashoffset",
  "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "opacity", "color", "visibility", "display",
  "font-size", "font-family", "font-weight", "font-style", "text-anchor", "dominant-baseline", "alignment-baseline",
  "letter-spacing", "vector-effect", "shape-rendering", "clip-rule", "style", "class", "role", "aria-label", "aria-hidden",
]);
const SVG_MAX_CHARS = 200_000;
const SVG_MAX_NODES = 5000;
/** A value that could fetch something or run script: refused wherever it appears. */
const BAD_VALUE = /url\s*\(|javascript:|expression\s*\(|@import|\\|&#|<|>/i;

/**
 * An engine-drawn chart, rebuilt element by element from an allow-list: SVG shapes and
 * text only, geometry/presentation attributes, class/role/aria-label/data-*; no links,
 * no foreignObject, no event handlers, no url(). Returns an <svg> element or null.
 */
export function safeSvg(text) {
  const source = str(text);
  if (!source.trim() || source.length > SVG_MAX_CHARS) return null;
  const doc = new DOMParser().parseFromString(source, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== "svg" || doc.getElementsByTagName("parsererror").length) return null;
  let budget = SVG_MAX_NODES;
  const copy = (node) => {
    if (--budget < 0) return null;
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.data);
    if (node.nodeType !== Node.ELEMENT_NODE || node.namespaceURI !== SVG_NS || !SVG_TAGS.has(node.localName)) return null;
    const out = document.createElementNS(SVG_NS, node.localName);
    for (const attr of node.attributes) {
      if (attr.namespaceURI) continue; // xlink:href, xml:base, …
      const name = attr.localName;
      const ok = SVG_ATTRS.has(name) || /^data-[a-z][a-z0-9-]{0,40}$/.test(name);
      if (!ok || BAD_VALUE.test(attr.value)) continue;
      out.setAttribute(name, attr.value);
    }
    for (const child of node.childNodes) {
      const c = copy(child);
      if (c) out.append(c);
    }
    return out;
  };
  const svg = copy(root);
  if (!svg || budget < 0) return null;
  if (!svg.hasAttribute("role")) svg.setAttribute("role", "img");
  return svg;
}

// ---- the panel -----------------------------------------------------------------------------

const setHooks = (node, hook, reserved) => {
  for (const [name, value] of hookAttributes(hook, reserved)) node.setAttribute(name, value);
};

function renderFigures(figures) {
  const list = el("dl", { class: "ws-figures", "data-ws-figures": "" });
  for (const f of figures) {
    const item = el("div", { class: "ws-figure", "data-ws-figure": str(f.key) });
    setHooks(item, f.hook, ["figure"]);
    item.append(el("dt", { class: "ws-figure__label" }, str(f.label || f.key)), el("dd", { class: "ws-figure__value" }, str(f.value)));
    list.append(item);
  }
  return list;
}

function renderChecks(checks) {
  const list = el("ul", { class: "ws-criteria" });
  for (const c of checks) {
    const met = c.met === true ? "true" : c.met === false ? "false" : "unknown";
    const item = el("li", { class: "ws-criterion", "data-ws-criterion": str(c.key), "data-met": met });
    setHooks(item, c.hook, ["criterion"]);
    const title = el("div", { class: "ws-criterion__title" });
    title.append(el("span", { class: "ws-criterion__label" }, str(c.label || c.key)));
    title.append(el("span", { class: "ws-criterion__verdict" }, MET[met]));
    item.append(title, el("p", { class: "ws-criterion__reason" }, str(c.reason)));
    if (c.suggestion) item.append(el("p", { class: "ws-criterion__suggestion" }, `建议：${c.suggestion}`));
    list.append(item);
  }
  return list;
}

function renderCharts(charts) {
  const box = el("div", { class: "ws-charts" });
  for (const c of charts) {
    const svg = safeSvg(c.svg);
    if (!svg) continue;
    const fig = el("figure", { class: "ws-chart", "data-ws-chart": "" });
    if (c.title) {
      svg.setAttribute("aria-label", str(c.title));
      fig.append(el("figcaption", { class: "ws-chart__title" }, str(c.title)));
    }
    fig.prepend(svg);
    box.append(fig);
  }
  return box.childElementCount ? box : null;
}

function renderLinks(links) {
  const list = el("ul", { class: "ws-links", "data-ws-links": "" });
  for (const l of links) {
    const href = resolveLink(l.href);
    if (!href) continue;
    const li = el("li");
    li.append(el("a", { href, class: "ws-link" }, str(l.label || l.href)));
    list.append(li);
  }
  return list.childElementCount ? list : null;
}

const MIME_OK = /^(text\/(calendar|plain|markdown|csv)|application\/json)$/;

/** A file name the engine suggested, safe on every system ("" when none is left). */
export function safeFileName(name) {
  return str(name).replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, "_").replace(/^[.\s]+/, "").slice(0, 150);
}

function renderDownloads(downloads) {
  const box = el("div", { class: "ws-downloads", "data-ws-downloads": "" });
  for (const d of downloads) {
    const key = str(d.key);
    const name = safeFileName(d.filename);
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(key) || !name || typeof d.text !== "string" || !d.text) continue;
    const mime = MIME_OK.test(str(d.mime)) ? str(d.mime) : "text/plain";
    const button = el("button", { type: "button", class: "md-button", "data-ws-download": key }, str(d.label || name));
    setHooks(button, d.hook, ["download"]);
    button.addEventListener("click", () => {
      const url = URL.createObjectURL(new Blob([d.text], { type: `${mime};charset=utf-8` }));
      const a = el("a", { href: url, download: name, hidden: "" });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
    box.append(button);
  }
  return box.childElementCount ? box : null;
}

function renderIssues(panel, issues, form) {
  for (const node of form.querySelectorAll("[data-ws-issues-for]")) {
    node.hidden = true;
    node.textContent = "";
  }
  if (!issues.length) return;
  panel.append(el("h3", { class: "ws-result__sub" }, `提示（${issues.length}）`));
  const list = el("ul", { class: "ws-issues" });
  for (const issue of issues) {
    const item = el("li", { class: "ws-issue", "data-ws-issue": str(issue.code), "data-severity": str(issue.severity || "warning") });
    item.append(el("span", { class: "ws-issue__msg" }, str(issue.message)));
    if (issue.suggestion) item.append(el("span", { class: "ws-issue__suggestion" }, ` 建议：${issue.suggestion}`));
    list.append(item);
    const top = str(issue.field).split(".")[0];
    const slot = top && form.querySelector(`[data-ws-issues-for="${CSS.escape(top)}"]`);
    if (slot && issue.severity !== "info") {
      slot.hidden = false;
      slot.textContent = slot.textContent ? `${slot.textContent}；${issue.message}` : str(issue.message);
    }
  }
  panel.append(list);
}

/** Show the engine's result in the panel (see the shape above). */
export function renderResult(panel, result, form) {
  panel.replaceChildren();
  panel.dataset.state = result.ok ? "ok" : "issues";
  const head = el("div", { class: "ws-result__head" });
  head.append(el("strong", { class: "ws-result__headline" }, str(result.headline) || "检查完成"));
  const meta = [];
  if (typeof result.completion === "number") meta.push(`完成度 ${Math.round(result.completion * 100)}%`);
  meta.push(`${new Date().toLocaleTimeString("zh-CN", { hour12: false })} 已检查`);
  head.append(el("span", { class: "ws-result__meta" }, meta.join(" · ")));
  panel.append(head);

  const figures = asList(result.figures);
  if (figures.length) panel.append(renderFigures(figures));
  const checks = checksOf(result);
  if (checks.length) panel.append(renderChecks(checks));
  if (result.rewrite) {
    const box = el("div", { class: "ws-rewrite" });
    box.append(el("strong", {}, "建议改写："), el("span", { "data-ws-rewrite": "" }, str(result.rewrite)));
    panel.append(box);
  }
  const charts = renderCharts(asList(result.charts));
  if (charts) panel.append(charts);
  const downloads = renderDownloads(asList(result.downloads));
  if (downloads) panel.append(downloads);
  const links = renderLinks(asList(result.links));
  if (links) {
    panel.append(el("h3", { class: "ws-result__sub" }, "相关课程内容"), links);
  }
  renderIssues(panel, asList(result.issues), form);

  if (result.report_html) panel.append(reportBox("报告预览（可下载为 Markdown 或打印）", "", result.report_html));
  for (const extra of asList(result.reports)) {
    const key = String(extra?.key ?? "");
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(key) || typeof extra.html !== "string") continue;
    panel.append(reportBox(String(extra.title ?? ""), key, extra.html));
  }
}

function reportBox(title, key, html) {
  const details = el("details", { class: "ws-report-wrap", open: "" });
  details.append(el("summary", {}, title));
  const report = el("div", { class: "ws-report", "data-ws-report": key });
  report.append(safeFragment(html));
  // Wide tables scroll sideways; make them reachable by keyboard.
  for (const table of report.querySelectorAll("table")) table.tabIndex = 0;
  details.append(report);
  return details;
}

export function renderEngineError(panel, message) {
  panel.replaceChildren(el("p", { class: "ws-result__error", role: "alert" }, message));
  panel.dataset.state = "error";
}
