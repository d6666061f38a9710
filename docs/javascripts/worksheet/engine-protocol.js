// The contracts the engine worker shares with the rest of the code, in one place:
//
// 1. Runtime settings. The build renders them ONCE per page as
//    <script type="application/json" id="ws-runtime"> (overrides/main.html). The early
//    start script in <head> and engine-client.js both read them with readRuntime().
// 2. Messages between the page and the worker (engine-client.js <-> engine-worker.js):
//      page -> worker  {id, op: OP.INIT, payload: BootOptions}          (id is always INIT_ID)
//                      {id, op: OP.EVALUATE, payload: {slug, data_json, today}}
//      worker -> page  {type: MSG.PROGRESS, value, text}                 while booting
//                      {id, result}       INIT answered
//                      {id, json}         EVALUATE answered: the engine's JSON text, parsed by
//                                         the page (a result, or {"error": {code, message}})
//                      {id, error: {code, message}}   the request failed
//    The INIT result is {state: "ready", boot: BOOT.SNAPSHOT | BOOT.PLAIN,
//    fallback: string | null, timings}. `boot` says how Python started; `fallback` why a
//    snapshot was not used (null when it was, or when none was offered).
// 3. The memory-snapshot file written by the build (macros/runtime.py runs sealSnapshot()
//    under Node) and checked by the worker (openSnapshot()) before Pyodide restores it.
//
// No DOM access at module level: Node imports this file at build time.

export const OP = Object.freeze({ INIT: "init", EVALUATE: "evaluate" });
export const MSG = Object.freeze({ PROGRESS: "progress" });
export const BOOT = Object.freeze({ SNAPSHOT: "snapshot", PLAIN: "plain" });
/** The id of the one INIT request a worker receives, whoever sends it. */
export const INIT_ID = 0;
export const PYTHON_START_MODES = Object.freeze(["worksheet", "idle", "never"]);

/**
 * @typedef {object} Runtime        what the build renders into #ws-runtime
 * @property {string} index        folder of the Python runtime (relative to the page)
 * @property {string} lock         lock file name (+ version query), relative to index
 * @property {string} wheel        engine wheel file name, relative to index
 * @property {string|null} snapshot  memory snapshot file name, relative to index (null: none)
 * @property {number|null} heap_bytes   the runtime's fixed initial heap (a snapshot's heap size)
 * @property {string|null} build_id     the Pyodide build a snapshot must come from
 * @property {string} worker       engine-worker.js (relative to the page)
 * @property {string} worksheets   the worksheets folder (relative to the page)
 * @property {string} python_start worksheet | idle | never
 * @property {number} watchdog_ms
 */

/** @typedef {{indexURL: string, lockFileURL: string, wheelURL: string, snapshotURL: string|null, heapBytes: number|null, buildId: string|null}} BootOptions
 * (the snapshot file has snapshotFileBytes(heapBytes) bytes) */

/**
 * The page's runtime settings with every URL made absolute, or null when the page has none.
 * @param {Document} doc
 */
export function readRuntime(doc) {
  const node = doc.getElementById("ws-runtime");
  if (!node) return null;
  let raw;
  try {
    raw = JSON.parse(node.textContent || "");
  } catch {
    return null;
  }
  const base = doc.baseURI;
  const index = new URL(raw.index, base).href;
  return {
    ...raw,
    index,
    worker: new URL(raw.worker, base).href,
    worksheets: new URL(raw.worksheets, base).href,
  };
}

/**
 * When Python starts. A test-only override wins over mkdocs.yml: `?ws-python=never` in the
 * address, or `window.WS_PYTHON_START = "never"` set before the page's scripts run (for
 * example by Playwright's context.add_init_script). The <head> script in
 * overrides/main.html applies the same rule before this module can load.
 * @param {Runtime} runtime
 * @param {string} search   location.search
 * @param {unknown} forced  window.WS_PYTHON_START
 */
export function pythonStart(runtime, search, forced) {
  const asked = new URLSearchParams(search).get("ws-python") || forced;
  if (typeof asked === "string" && PYTHON_START_MODES.includes(asked)) return asked;
  return PYTHON_START_MODES.includes(runtime.python_start) ? runtime.python_start : "worksheet";
}

/**
 * The INIT payload. `?ws-snapshot=0` (diagnosis, and `make bench`'s plain runs) and a
 * browser that asks to save data (the plain boot downloads less) boot without the snapshot.
 * @param {Runtime} runtime
 * @param {string} search
 * @param {boolean} saveData  navigator.connection.saveData
 * @returns {BootOptions}
 */
export function bootOptions(runtime, search, saveData) {
  const off = new URLSearchParams(search).get("ws-snapshot") === "0" || saveData === true;
  const index = runtime.index;
  return {
    indexURL: index,
    lockFileURL: new URL(runtime.lock, index).href,
    wheelURL: new URL(runtime.wheel, index).href,
    snapshotURL: runtime.snapshot && !off ? new URL(runtime.snapshot, index).href : null,
    heapBytes: runtime.heap_bytes ?? null,
    buildId: runtime.build_id ?? null,
  };
}

/** @param {BootOptions} options */
export function initMessage(options) {
  return { id: INIT_ID, op: OP.INIT, payload: options };
}

// ---- the snapshot file ------------------------------------------------------------------
//
// Layout: Pyodide's own memory snapshot — a header (magic, header length, JSON length, 0,
// 32-byte build id, JSON), then the wasm heap — with the header padded to HEADER_BYTES, so
// the file's size is known before it exists (HEADER_BYTES + heap + TRAILER_BYTES: the page
// gets it from the build, and the worker can start Pyodide while the file downloads). Then a
// 16-byte trailer of ours: "WSSNAP01", a checksum of the snapshot (one 32-bit word in every
// CHECK_STRIDE, plus its length), and CHECK_STRIDE. The worker refuses a truncated,
// garbled or foreign file before Pyodide sees it.

const TRAILER_MAGIC = [0x4e535357, 0x31305041]; // "WSSNAP01", little-endian words
export const TRAILER_BYTES = 16;
export const HEADER_BYTES = 4096;
const CHECK_STRIDE = 8;
const PYODIDE_MAGIC = 1886286592; // first word of every Pyodide 314 snapshot
const FIXED_HEADER = 48; // Pyodide's header before its JSON

/** @param {Uint8Array} bytes (length a multiple of 4) */
function checksum(bytes, stride) {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i += stride) h = Math.imul(h ^ words[i], 0x01000193);
  return Math.imul(h ^ words.length, 0x01000193) >>> 0;
}

/** Bytes of the file the build writes for a runtime whose heap is `heapBytes`. */
export function snapshotFileBytes(heapBytes) {
  return HEADER_BYTES + heapBytes + TRAILER_BYTES;
}

/**
 * The file the build writes: Pyodide's snapshot with its header padded to HEADER_BYTES
 * (Pyodide reads the heap from the offset in the header), plus our trailer.
 * @param {Uint8Array} snapshot  what pyodide.makeMemorySnapshot() returned
 */
export function sealSnapshot(snapshot) {
  const head = new Uint32Array(snapshot.buffer, snapshot.byteOffset, 3);
  if (head[0] !== PYODIDE_MAGIC) throw new Error("not a Pyodide snapshot");
  const [headerBytes, jsonBytes] = [head[1], head[2]];
  if (FIXED_HEADER + jsonBytes > HEADER_BYTES) throw new Error(`snapshot header too long (${jsonBytes} bytes of JSON)`);
  const heap = snapshot.subarray(headerBytes);
  if (heap.byteLength % 4) throw new Error("snapshot heap length is not a multiple of 4");
  const out = new Uint8Array(HEADER_BYTES + heap.byteLength + TRAILER_BYTES);
  out.set(snapshot.subarray(0, FIXED_HEADER + jsonBytes));
  new Uint32Array(out.buffer, 0, 2)[1] = HEADER_BYTES;
  out.set(heap, HEADER_BYTES);
  const body = out.subarray(0, out.byteLength - TRAILER_BYTES);
  const tail = new Uint32Array(out.buffer, body.byteLength, 4);
  tail[0] = TRAILER_MAGIC[0];
  tail[1] = TRAILER_MAGIC[1];
  tail[2] = checksum(body, CHECK_STRIDE);
  tail[3] = CHECK_STRIDE;
  return out;
}

/**
 * Check a downloaded snapshot file against what this page's runtime expects.
 * @param {ArrayBuffer | Uint8Array} file
 * @param {{heapBytes: number|null, buildId: string|null}} expect
 * @returns {{snapshot: Uint8Array, reason: null} | {snapshot: null, reason: string}}
 *   snapshot: the part Pyodide restores (the file without our trailer)
 */
export function openSnapshot(file, expect) {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const bad = (reason) => ({ snapshot: null, reason });
  const n = bytes.byteLength;
  if (n < HEADER_BYTES + TRAILER_BYTES || n % 4 || bytes.byteOffset % 4) return bad(`size ${n}`);
  const tail = new Uint32Array(bytes.buffer, bytes.byteOffset + n - TRAILER_BYTES, 4);
  if (tail[0] !== TRAILER_MAGIC[0] || tail[1] !== TRAILER_MAGIC[1] || !(tail[3] > 0)) return bad("no trailer");
  const snapshot = bytes.subarray(0, n - TRAILER_BYTES);
  const head = new Uint32Array(bytes.buffer, bytes.byteOffset, 12);
  if (head[0] !== PYODIDE_MAGIC) return bad("magic");
  if (head[1] !== HEADER_BYTES) return bad(`header ${head[1]}`);
  if (expect.heapBytes && snapshot.byteLength !== HEADER_BYTES + expect.heapBytes) {
    return bad(`size ${snapshot.byteLength}, expected ${HEADER_BYTES} + ${expect.heapBytes}`);
  }
  const buildId = Array.from(head.subarray(4, 12), (w) => w.toString(16).padStart(8, "0")).join("");
  if (expect.buildId && buildId !== expect.buildId) return bad(`build id ${buildId.slice(0, 12)}…`);
  if (checksum(snapshot, tail[3]) !== tail[2]) return bad("checksum");
  return { snapshot, reason: null };
}
