// Entry point (loaded once per visit as an ES module). Mounts worksheets on every
// page Material shows, including after instant navigation, and keeps one Python
// worker for the whole visit.

import * as engine from "./engine-client.js";
import * as store from "./storage.js";
import { WorksheetController } from "./controller.js";
import { openFromAddress } from "./people.js";
import { WorkspacePage } from "./workspace.js";

// On a worksheet page, start Python at once: module scripts run as soon as the HTML is
// parsed, before Material's document$ fires and before the forms are mounted.
if (engine.PYTHON_START === "worksheet" && document.querySelector("[data-ws-root]")) {
  engine.start().catch(() => {});
}

/** @type {Set<WorksheetController>} */
const mounted = new Set();
/** @type {Set<WorkspacePage>} the agents' workspace (人员与跟进), when on show */
const workspaces = new Set();
/** Roots already given a controller (it sets data-ws-mounted once its entries are shown). */
const taken = new WeakSet();

// Ask the browser not to evict our data under storage pressure (where it allows: there
// is no navigator.storage on a plain-HTTP intranet host). Only once something that keeps
// data is on show: a page without worksheets never opens the store.
let persistAsked = false;
function askPersist() {
  if (persistAsked) return;
  persistAsked = true;
  store.ready().then(() => {
    if (navigator.storage && navigator.storage.persist && store.storageHealth() === "ok") {
      navigator.storage.persisted().then((yes) => yes || navigator.storage.persist()).catch(() => {});
    }
  }, () => {});
}

function mountAll(root) {
  for (const c of mounted) if (!c.root.isConnected) {
    c.dispose();
    mounted.delete(c);
  }
  for (const w of workspaces) if (!w.root.isConnected) {
    w.dispose();
    workspaces.delete(w);
  }
  const roots = [...root.querySelectorAll("[data-ws-root]:not([data-ws-mounted])")].filter((node) => !taken.has(node));
  for (const node of roots) taken.add(node);
  // A workspace link names the entry to open (?entry=<id>): choose it before mounting.
  const opening = new URLSearchParams(location.search).has("entry") ? openFromAddress(roots) : null;
  const mount = () => {
    for (const node of roots) {
      try {
        mounted.add(new WorksheetController(node));
      } catch (err) {
        console.error("worksheet mount failed", err);
      }
    }
  };
  if (opening) opening.catch(() => {}).then(mount);
  else mount();
  for (const node of root.querySelectorAll("[data-ws-workspace]:not([data-ws-mounted])")) {
    node.setAttribute("data-ws-mounted", "");
    try {
      workspaces.add(new WorkspacePage(node));
    } catch (err) {
      console.error("workspace mount failed", err);
    }
  }
  if (roots.length || workspaces.size) askPersist();
  if (roots.length && engine.PYTHON_START !== "never") engine.start().catch(() => {});
}

function flushAll() {
  for (const c of mounted) c.flush();
}

// Save before the page goes away, whatever the reason (the writes are issued at once,
// inside the event: the page may not get another task). Hidden also covers a tab
// switched away from, then killed, and mobile browsers that never send pagehide.
window.addEventListener("pagehide", flushAll);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") flushAll();
});
// News from other tabs reaches each controller through store.onChange.
// Material re-renders content on instant navigation: flush edits first.
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("a[href]")) flushAll();
}, true);

if (engine.PYTHON_START === "idle") {
  const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 1500));
  idle(() => engine.start().catch(() => {}));
}

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(() => mountAll(document));
} else {
  mountAll(document);
}
