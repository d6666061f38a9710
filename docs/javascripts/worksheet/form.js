// Form <-> data, repeating rows, and the result panel. Knows nothing of storage or
// Python: it is given callbacks. Finds elements only through data-ws-* attributes.

const ALLOWED_TAGS = new Set(["H1", "H2", "H3", "H4", "P", "UL", "OL", "LI", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD", "STRONG", "EM", "BR", "CODE"]);

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

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Repeating rows of one list field. */
function listApi(container) {
  const rows = container.querySelector("[data-ws-rows]");
  const template = container.querySelector("template[data-ws-row-template]");
  const max = Number(container.dataset.maxItems || 30);
  const addButton = container.querySelector('[data-ws-action="add-row"]');
  const renumber = () => {
    [...rows.children].forEach((row, i) => {
      for (const node of row.querySelectorAll("[data-ws-field]")) {
        const parts = node.dataset.wsField.split(".");
        parts[1] = String(i);
        node.dataset.wsField = parts.join(".");
        node.name = node.dataset.wsField;
        node.id = node.id.replace(/-\d+-(?=[^-]+$)/, `-${i}-`);
      }
      for (const label of row.querySelectorAll("label[for]")) label.htmlFor = label.htmlFor.replace(/-\d+-(?=[^-]+$)/, `-${i}-`);
      for (const n of row.querySelectorAll(".ws-row__num")) n.textContent = ` ${i + 1}`;
      const rm = row.querySelector('[data-ws-action="remove-row"]');
      if (rm) rm.setAttribute("aria-label", `删除第 ${i + 1} 行`);
    });
    if (addButton) addButton.disabled = rows.children.length >= max;
  };
  const add = () => {
    if (rows.children.length >= max) return null;
    const i = rows.children.length;
    // The template is our own build output (no user text), so string substitution is safe.
    const html = template.innerHTML.replaceAll("__i__", String(i)).replaceAll("__n__", String(i + 1));
    const holder = document.createElement("template");
    holder.innerHTML = html;
    const row = holder.content.firstElementChild;
    rows.append(row);
    renumber();
    return row;
  };
  const remove = (row) => {
    row.remove();
    renumber();
  };
  const setCount = (n) => {
    const want = Math.min(Math.max(n, Number(container.dataset.minItems || 0), 1), max);
    while (rows.children.length > want) rows.lastElementChild.remove();
    while (rows.children.length < want) add();
    renumber();
  };
  return { rows, add, remove, setCount };
}

/**
 * Wire one worksheet form.
 * @param {HTMLFormElement} form
 * @param {{onInput: () => void, onSubmit: () => void}} hooks
 */
export function bindForm(form, hooks) {
  const lists = new Map();
  for (const c of form.querySelectorAll("[data-ws-list]")) {
    const api = listApi(c);
    api.setCount(0);
    lists.set(c.dataset.wsList, api);
  }
  form.addEventListener("input", () => hooks.onInput());
  form.addEventListener("change", () => hooks.onInput());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    hooks.onSubmit();
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-ws-action]");
    if (!button || !form.contains(button)) return;
    const action = button.dataset.wsAction;
    if (action === "add-row") {
      const api = lists.get(button.closest("[data-ws-list]").dataset.wsList);
      const row = api.add();
      if (row) row.querySelector("[data-ws-field]")?.focus();
      hooks.onInput();
    } else if (action === "remove-row") {
      const container = button.closest("[data-ws-list]");
      const api = lists.get(container.dataset.wsList);
      const row = button.closest("[data-ws-row]");
      const next = row.nextElementSibling || row.previousElementSibling;
      api.remove(row);
      if (api.rows.children.length === 0) api.add();
      (next?.querySelector("[data-ws-field]") || container.querySelector('[data-ws-action="add-row"]')).focus();
      hooks.onInput();
    }
  });

  /** @returns {object} the form's current values (lists as arrays of row objects) */
  const read = () => {
    const data = {};
    for (const node of form.querySelectorAll("[data-ws-field]")) {
      const parts = node.dataset.wsField.split(".");
      if (parts.length === 1) {
        data[parts[0]] = node.value;
      } else {
        const [list, index, sub] = parts;
        data[list] ??= [];
        data[list][Number(index)] ??= {};
        data[list][Number(index)][sub] = node.value;
      }
    }
    for (const [name, api] of lists) {
      data[name] = (data[name] || []).filter((row) => row && Object.values(row).some((v) => String(v ?? "").trim() !== ""));
    }
    return data;
  };

  /** Put saved values back into the form. Unknown keys are kept by the caller, not shown. */
  const write = (data) => {
    data = data && typeof data === "object" ? data : {};
    for (const [name, api] of lists) {
      const rows = Array.isArray(data[name]) ? data[name] : [];
      api.setCount(rows.length + (rows.length < Number(api.rows.parentElement.dataset.maxItems || 30) ? 1 : 0));
      [...api.rows.children].forEach((row, i) => {
        for (const node of row.querySelectorAll("[data-ws-field]")) {
          const sub = node.dataset.wsField.split(".")[2];
          const value = rows[i] && typeof rows[i] === "object" ? rows[i][sub] : "";
          node.value = value == null ? "" : String(value);
        }
      });
    }
    for (const node of form.querySelectorAll("[data-ws-field]")) {
      if (node.dataset.wsField.includes(".")) continue;
      const value = data[node.dataset.wsField];
      node.value = value == null || typeof value === "object" ? "" : String(value);
    }
  };
  return { read, write };
}

const MET = { true: "达标", false: "未达标", unknown: "待确认" };

/**
 * Show the engine's result. Everything from the engine is inserted as text, except
 * report_html, which Python escaped and safeFragment() strips to plain markup.
 */
export function renderResult(panel, result, form) {
  panel.replaceChildren();
  panel.dataset.state = result.ok ? "ok" : "issues";
  const head = el("div", { class: "ws-result__head" });
  head.append(el("strong", { class: "ws-result__headline" }, result.headline || "检查完成"));
  const pct = Math.round((result.completion ?? 0) * 100);
  head.append(el("span", { class: "ws-result__meta" }, `完成度 ${pct}% · ${new Date().toLocaleTimeString("zh-CN", { hour12: false })} 由 Python 检查`));
  panel.append(head);

  if (result.criteria && Object.keys(result.criteria).length) {
    const list = el("ul", { class: "ws-criteria" });
    for (const [key, c] of Object.entries(result.criteria)) {
      const met = c.met === true ? "true" : c.met === false ? "false" : "unknown";
      const item = el("li", { class: "ws-criterion", "data-ws-criterion": key, "data-met": met });
      const title = el("div", { class: "ws-criterion__title" });
      title.append(el("span", { class: "ws-criterion__label" }, c.label || key));
      title.append(el("span", { class: "ws-criterion__verdict" }, MET[met]));
      item.append(title, el("p", { class: "ws-criterion__reason" }, c.reason || ""));
      if (c.suggestion) item.append(el("p", { class: "ws-criterion__suggestion" }, `建议：${c.suggestion}`));
      list.append(item);
    }
    panel.append(list);
  }

  if (result.rewrite) {
    const box = el("div", { class: "ws-rewrite" });
    box.append(el("strong", {}, "建议改写："), el("span", { "data-ws-rewrite": "" }, result.rewrite));
    panel.append(box);
  }

  for (const node of form.querySelectorAll("[data-ws-issues-for]")) {
    node.hidden = true;
    node.textContent = "";
  }
  const issues = Array.isArray(result.issues) ? result.issues : [];
  if (issues.length) {
    panel.append(el("h3", { class: "ws-result__sub" }, `提示（${issues.length}）`));
    const list = el("ul", { class: "ws-issues" });
    for (const issue of issues) {
      const item = el("li", { class: "ws-issue", "data-ws-issue": issue.code || "", "data-severity": issue.severity || "warning" });
      item.append(el("span", { class: "ws-issue__msg" }, issue.message || ""));
      if (issue.suggestion) item.append(el("span", { class: "ws-issue__suggestion" }, ` 建议：${issue.suggestion}`));
      list.append(item);
      const top = String(issue.field || "").split(".")[0];
      const slot = top && form.querySelector(`[data-ws-issues-for="${CSS.escape(top)}"]`);
      if (slot && issue.severity !== "info") {
        slot.hidden = false;
        slot.textContent = slot.textContent ? `${slot.textContent}；${issue.message}` : issue.message;
      }
    }
    panel.append(list);
  }

  if (result.report_html) {
    const details = el("details", { class: "ws-report-wrap", open: "" });
    details.append(el("summary", {}, "报告预览（可下载为 Markdown 或打印）"));
    const report = el("div", { class: "ws-report", "data-ws-report": "" });
    report.append(safeFragment(result.report_html));
    // Wide tables scroll sideways; make them reachable by keyboard.
    for (const table of report.querySelectorAll("table")) table.tabIndex = 0;
    details.append(report);
    panel.append(details);
  }
}

export function renderEngineError(panel, message) {
  panel.replaceChildren(el("p", { class: "ws-result__error", role: "alert" }, message));
  panel.dataset.state = "error";
}
