// Form <-> data and repeating rows. Knows nothing of storage or the engine: it is
// given callbacks. Finds elements only through data-ws-* attributes.
//
// Values: text, number, date and select fields hold a string; a single choice (radio
// group) holds the chosen option's value, "" when none; a multiple choice (checkboxes)
// holds an array of the chosen values, in the options' order; a list holds an array
// of row objects (empty rows dropped).

/** Add one control's value to `obj[key]` (radios and checkboxes count only when checked). */
function take(obj, key, node) {
  if (node.type === "radio") {
    if (!(key in obj)) obj[key] = "";
    if (node.checked) obj[key] = node.value;
  } else if (node.type === "checkbox") {
    if (!Array.isArray(obj[key])) obj[key] = [];
    if (node.checked) obj[key].push(node.value);
  } else {
    obj[key] = node.value;
  }
}

/** Show a saved value in one control. */
function show(node, value) {
  if (node.type === "radio") node.checked = value !== undefined && value !== null && value !== "" && String(value) === node.value;
  else if (node.type === "checkbox") node.checked = Array.isArray(value) && value.map(String).includes(node.value);
  else node.value = value == null || typeof value === "object" ? "" : String(value);
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
