// Form <-> data and repeating rows. Knows nothing of storage or the engine: it is
// given callbacks. Finds elements only through data-ws-* attributes.
//
// Values: text, number, date and select fields hold a string; a single choice (radio
// group) holds the chosen option's value, "" when none; a multiple choice (checkboxes)
// holds an array of the chosen values, in the options' order; a list holds an array
// of row objects (empty rows dropped).
//
// Honest inputs: number fields are text boxes, so what the reader typed ("1,5", "八十五")
// reaches the engine, which reads it or says why not. A date the date box cannot show
// (an imported "2026年12月22日") is kept as it was, in a text box beside it, until the
// reader picks a date; it is never replaced by an empty value. Text cut to a field's
// limit (maxlength) is said beside the field, with how much was left out.

// ---- dates the date box cannot show ---------------------------------------------------------

const RAW_HINT = "日期框显示不了这种写法，已原样保留，检查时照样认得。要改，请在日期框里重选，或直接改这段文字。";
let rawIds = 0;

/** The kept-as-typed text box of a date input, or null. */
function rawBox(node) {
  const next = node.nextElementSibling;
  return next && next.matches("[data-ws-date-raw-box]") ? next : null;
}

/** Keep `raw` (a date the date input refused) beside the input, or drop the box ("" ). */
function keepRawDate(node, raw) {
  let box = rawBox(node);
  if (!raw) {
    if (box) box.remove();
    return;
  }
  if (!box) {
    const id = `ws-date-raw-${++rawIds}`;
    box = document.createElement("span");
    box.className = "ws-date-raw";
    box.dataset.wsDateRawBox = "";
    const text = document.createElement("input");
    text.type = "text";
    text.autocomplete = "off";
    text.dataset.wsDateRaw = "";
    text.setAttribute("aria-label", `${node.labels && node.labels[0] ? node.labels[0].textContent.trim() : "日期"}（原样保留的写法）`);
    text.setAttribute("aria-describedby", id);
    const hint = document.createElement("span");
    hint.className = "ws-help ws-date-raw__hint";
    hint.id = id;
    hint.textContent = RAW_HINT;
    box.append(text, hint);
    node.after(box);
  }
  box.querySelector("[data-ws-date-raw]").value = raw;
}

/** A date input's value: the picked date, else the text kept beside it. */
function dateValue(node) {
  if (node.value) return node.value;
  const box = rawBox(node);
  return box ? box.querySelector("[data-ws-date-raw]").value : "";
}

// ---- text cut to a field's limit --------------------------------------------------------------

const CUT_NOTE = "data-ws-cut-note";

function cutNote(node) {
  const next = node.nextElementSibling;
  return next && next.hasAttribute(CUT_NOTE) ? next : null;
}

/**
 * Say beside a text box when what the reader pasted or typed did not fit its maxlength,
 * and how much was left out (the browser cuts it without a word). Wires every text box
 * and text area inside `root` (the form, the name dialog).
 */
export function noteClipping(root) {
  const cutBy = new WeakMap();
  root.addEventListener("beforeinput", (event) => {
    const node = event.target;
    if (!(node instanceof HTMLTextAreaElement || (node instanceof HTMLInputElement && node.type === "text"))) return;
    const max = node.maxLength;
    const typed = event.data ?? (event.dataTransfer ? event.dataTransfer.getData("text/plain") : "") ?? "";
    if (!(max > 0) || !typed || !event.inputType.startsWith("insert")) return cutBy.delete(node);
    const text = node instanceof HTMLTextAreaElement ? typed.replace(/\r\n?/g, "\n") : typed.replace(/\r\n|[\r\n]/g, " ");
    const selected = Math.max(0, (node.selectionEnd ?? 0) - (node.selectionStart ?? 0));
    const cut = node.value.length - selected + text.length - max;
    if (cut <= 0) return cutBy.delete(node);
    cutBy.set(node, cut);
    let note = cutNote(node);
    if (!note) {
      note = document.createElement("p");
      note.className = "ws-field__issues ws-cut-note";
      note.setAttribute(CUT_NOTE, "");
      note.setAttribute("role", "status");
      node.after(note);
    }
    note.dataset.cut = String(cut);
    note.dataset.max = String(max);
    note.textContent = `这一栏最多 ${max} 个字，${event.inputType === "insertFromPaste" || event.inputType === "insertFromDrop" ? "粘贴的内容" : "输入的内容"}有 ${cut} 个字没有放进来。请把要点写短一些，或分开写在别处。`;
  });
  root.addEventListener("input", (event) => {
    const node = event.target;
    if (cutBy.has(node)) cutBy.delete(node);
    else if (node instanceof Element) cutNote(node)?.remove();
  });
}

/** Add one control's value to `obj[key]` (radios and checkboxes count only when checked). */
function take(obj, key, node) {
  if (node.type === "radio") {
    if (!(key in obj)) obj[key] = "";
    if (node.checked) obj[key] = node.value;
  } else if (node.type === "checkbox") {
    if (!Array.isArray(obj[key])) obj[key] = [];
    if (node.checked) obj[key].push(node.value);
  } else if (node.type === "date") {
    obj[key] = dateValue(node);
  } else {
    obj[key] = node.value;
  }
}

/** Show a saved value in one control. */
function show(node, value) {
  if (node.type === "radio") node.checked = value !== undefined && value !== null && value !== "" && String(value) === node.value;
  else if (node.type === "checkbox") node.checked = Array.isArray(value) && value.map(String).includes(node.value);
  else {
    const text = value == null || typeof value === "object" ? "" : String(value);
    node.value = text;
    if (node.type === "date") keepRawDate(node, node.value === text ? "" : text);
    cutNote(node)?.remove();
  }
}

/** The values of the form's top-level (non-list) controls, as read() gives them. */
export function readControls(form) {
  const data = {};
  for (const node of form.querySelectorAll("[data-ws-field]")) {
    if (!node.dataset.wsField.includes(".")) take(data, node.dataset.wsField, node);
  }
  return data;
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
  noteClipping(form);
  form.addEventListener("input", (event) => {
    // A date picked in the date box replaces the text kept beside it.
    if (event.target.type === "date" && event.target.value) keepRawDate(event.target, "");
    hooks.onInput();
  });
  form.addEventListener("change", (event) => {
    const t = event.target;
    if (t.type === "date" && t.value) keepRawDate(t, "");
    // The kept text cleared: back to the plain date box.
    if (t.matches && t.matches("[data-ws-date-raw]") && !t.value.trim()) keepRawDate(t.parentElement.previousElementSibling, "");
    hooks.onInput();
  });
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
        take(data, parts[0], node);
      } else {
        const [list, index, sub] = parts;
        data[list] ??= [];
        data[list][Number(index)] ??= {};
        take(data[list][Number(index)], sub, node);
      }
    }
    for (const [name, api] of lists) {
      data[name] = (data[name] || []).filter((row) => row && Object.values(row).some((v) => (Array.isArray(v) ? v.length > 0 : String(v ?? "").trim() !== "")));
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
          show(node, rows[i] && typeof rows[i] === "object" ? rows[i][sub] : "");
        }
      });
    }
    for (const node of form.querySelectorAll("[data-ws-field]")) {
      if (node.dataset.wsField.includes(".")) continue;
      show(node, data[node.dataset.wsField]);
    }
  };
  return { read, write };
}
