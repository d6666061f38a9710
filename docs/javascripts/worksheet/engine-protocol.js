// The contracts the engine worker shares with the rest of the code, in one place:
//
// 1. Runtime settings. The build renders them ONCE per page as
//    <script type="application/json" id="ws-runtime"> (overrides/main.html). The early
//    start script in <head> and engine-client.js both read them with readRuntime().
// 2. Messages between the page and the worker (engine-client.js <-> engine-worker.js):
//      page -> worker  {id, op: OP.INIT, payload: BootOptions}          (id is always INIT_ID)
//                      {id, op: OP.EVALUATE, payload: {slug, data_json, today, context_json?, entry_json?}}
//                      {id, op: OP.CALL, payload: {name, payload_json, today}}   api.call_json
//                                         (e.g. name "workspace_summary")
//                                         entry_json ({name, saved}): a download; the result
//                                         then holds document_md (api.evaluate_json)
//      worker -> page  {type: MSG.PROGRESS, value, text}                 while booting
//                      {type: MSG.WARMED, at}    the background warm-up after "ready" is over
//                      {id, result}       INIT answered
//                      {id, json, ms}     EVALUATE / CALL answered: the engine's JSON text, parsed by
//                                         the page (a result, or {"error": {code, message}});
//                                         ms: time spent in Python
//                      {id, error: {code, message}}   the request failed
//    The INIT result is {state: "ready", boot: BOOT.SNAPSHOT | BOOT.PLAIN,
//    fallback: string | null, timings}. `boot` says how Python started; `fallback` why a
//    snapshot was not used (null when it was, or when none was offered).
// 3. The memory-snapshot file written by the build (macros/runtime.py runs sealSnapshot()
//    under Node) and checked by the worker (openSnapshot()) before Pyodide restores it.
//
// No DOM access at module level: Node imports this file at build time.

export const OP = Object.freeze({ INIT: "init", EVALUATE: "evaluate", CALL: "call" });
export const MSG = Object.freeze({ PROGRESS: "progress", WARMED: "warmed" });
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
 * (the snapshot Pyodide restores has snapshotBytes(heapBytes) bytes) */

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
// What Pyodide restores ("the snapshot"): its own header (magic, header length, JSON length,
// 0, 32-byte build id, JSON), padded here to HEADER_BYTES, then the wasm heap. Its size is
// thus known before the file exists (snapshotBytes(heap)), so the worker hands Pyodide the
// buffer at once and fills it while Pyodide sets up.
//
// The file the build writes stores it sparsely: the snapshot in PAGE_BYTES pages, pages of
// zeros left out (about 40 % of a fresh heap), and the header page, which is always stored,
// carries the page map at MAP_OFFSET ("WSPM", page size, page count, one bit per page: 1 =
// stored). After the stored pages comes a 16-byte trailer: "WSSNAP01", a checksum of the
// snapshot (one 32-bit word in every CHECK_STRIDE, plus its length), CHECK_STRIDE. The
// worker refuses a truncated, garbled or foreign file before Pyodide sees it.

export const HEADER_BYTES = 4096;
const PAGE_BYTES = 4096;
const MAP_OFFSET = 1024; // Pyodide's header JSON must end before it
const MAP_MAGIC = 0x4d505357; // "WSPM"
const TRAILER_MAGIC = [0x4e535357, 0x31305041]; // "WSSNAP01", little-endian words
const TRAILER_BYTES = 16;
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

function isZero(bytes) {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  return true;
}

/** Bytes of the snapshot Pyodide restores, for a runtime whose fixed heap is `heapBytes`. */
export function snapshotBytes(heapBytes) {
  return HEADER_BYTES + heapBytes;
}

/**
 * The file the build writes (see above), from what pyodide.makeMemorySnapshot() returned
 * or from a snapshot already padded by this module.
 * @param {Uint8Array} raw
 */
export function sealSnapshot(raw) {
  const head = new Uint32Array(raw.buffer, raw.byteOffset, 3);
  if (head[0] !== PYODIDE_MAGIC) throw new Error("not a Pyodide snapshot");
  const [headerBytes, jsonBytes] = [head[1], head[2]];
  if (FIXED_HEADER + jsonBytes > MAP_OFFSET) throw new Error(`snapshot header too long (${jsonBytes} bytes of JSON)`);
  const heap = raw.subarray(headerBytes);
  if (heap.byteLength % PAGE_BYTES) throw new Error("snapshot heap is not a whole number of pages");
  const snapshot = new Uint8Array(HEADER_BYTES + heap.byteLength);
  snapshot.set(raw.subarray(0, FIXED_HEADER + jsonBytes));
  new Uint32Array(snapshot.buffer, 0, 2)[1] = HEADER_BYTES;
  snapshot.set(heap, HEADER_BYTES);
  const pages = snapshot.byteLength / PAGE_BYTES;
  const map = new Uint32Array(snapshot.buffer, MAP_OFFSET, 3);
  map[0] = MAP_MAGIC;
  map[1] = PAGE_BYTES;
  map[2] = pages;
  const bits = snapshot.subarray(MAP_OFFSET + 12, MAP_OFFSET + 12 + Math.ceil(pages / 8));
  if (MAP_OFFSET + 12 + bits.byteLength > HEADER_BYTES) throw new Error("snapshot too large for the page map");
  const kept = [0];
  for (let p = 1; p < pages; p++) {
    if (!isZero(snapshot.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES))) kept.push(p);
  }
  for (const p of kept) bits[p >> 3] |= 1 << (p & 7);
  const out = new Uint8Array(kept.length * PAGE_BYTES + TRAILER_BYTES);
  kept.forEach((p, i) => out.set(snapshot.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES), i * PAGE_BYTES));
  const tail = new Uint32Array(out.buffer, out.byteLength - TRAILER_BYTES, 4);
  tail[0] = TRAILER_MAGIC[0];
  tail[1] = TRAILER_MAGIC[1];
  tail[2] = checksum(snapshot, CHECK_STRIDE);
  tail[3] = CHECK_STRIDE;
  return out;
}

/**
 * Rebuilds the snapshot from the file as it arrives (push() each chunk, then finish()),
 * into `target` (zero-filled, snapshotBytes(heap) long), so it can be handed to Pyodide
 * before the download ends.
 */
export class SnapshotReader {
  /** @param {Uint8Array} target */
  constructor(target) {
    this.target = target;
    this.header = new Uint8Array(HEADER_BYTES);
    this.tail = new Uint8Array(TRAILER_BYTES);
    this.received = 0;
    /** @type {number[]|null} offsets of the stored pages in the snapshot, once the map is read */
    this.pages = null;
    this.error = null;
  }

  /** @param {Uint8Array} chunk */
  push(chunk) {
    let at = 0;
    while (at < chunk.byteLength && !this.error) {
      const pos = this.received;
      if (pos < HEADER_BYTES) {
        const n = Math.min(HEADER_BYTES - pos, chunk.byteLength - at);
        this.header.set(chunk.subarray(at, at + n), pos);
        at += n;
        this.received += n;
        if (this.received === HEADER_BYTES) this.readMap();
        continue;
      }
      const pageIndex = Math.floor((pos - HEADER_BYTES) / PAGE_BYTES) + 1; // the header page is the first
      const inPage = (pos - HEADER_BYTES) % PAGE_BYTES;
      if (pageIndex < this.pages.length) {
        const n = Math.min(PAGE_BYTES - inPage, chunk.byteLength - at);
        this.target.set(chunk.subarray(at, at + n), this.pages[pageIndex] + inPage);
        at += n;
        this.received += n;
        continue;
      }
      const inTail = pos - this.pages.length * PAGE_BYTES;
      const n = Math.min(TRAILER_BYTES - inTail, chunk.byteLength - at);
      if (n <= 0) {
        this.error = "size: longer than expected";
        break;
      }
      this.tail.set(chunk.subarray(at, at + n), inTail);
      at += n;
      this.received += n;
    }
  }

  readMap() {
    const map = new Uint32Array(this.header.buffer, MAP_OFFSET, 3);
    if (map[0] !== MAP_MAGIC || map[1] !== PAGE_BYTES || map[2] * PAGE_BYTES !== this.target.byteLength) {
      this.error = map[0] === MAP_MAGIC ? `size ${map[2] * map[1]}, expected ${this.target.byteLength}` : "no page map";
      return;
    }
    const bits = this.header.subarray(MAP_OFFSET + 12);
    const pages = [];
    for (let p = 0; p < map[2]; p++) if (bits[p >> 3] & (1 << (p & 7))) pages.push(p * PAGE_BYTES);
    if (pages[0] !== 0) {
      this.error = "page map";
      return;
    }
    this.pages = pages;
    this.target.set(this.header, 0);
  }

  /**
   * @param {{heapBytes: number|null, buildId: string|null}} expect
   * @returns {{snapshot: Uint8Array, reason: null} | {snapshot: null, reason: string}}
   */
  finish(expect) {
    const bad = (reason) => ({ snapshot: null, reason });
    if (this.error) return bad(this.error);
    if (!this.pages || this.received !== this.pages.length * PAGE_BYTES + TRAILER_BYTES) return bad(`size ${this.received}`);
    const tail = new Uint32Array(this.tail.buffer);
    if (tail[0] !== TRAILER_MAGIC[0] || tail[1] !== TRAILER_MAGIC[1] || !(tail[3] > 0)) return bad("no trailer");
    const snapshot = this.target;
    const head = new Uint32Array(snapshot.buffer, snapshot.byteOffset, 12);
    if (head[0] !== PYODIDE_MAGIC) return bad("magic");
    if (head[1] !== HEADER_BYTES) return bad(`header ${head[1]}`);
    if (expect.heapBytes && snapshot.byteLength !== snapshotBytes(expect.heapBytes)) return bad("size");
    const buildId = Array.from(head.subarray(4, 12), (w) => w.toString(16).padStart(8, "0")).join("");
    if (expect.buildId && buildId !== expect.buildId) return bad(`build id ${buildId.slice(0, 12)}…`);
    if (checksum(snapshot, tail[3]) !== tail[2]) return bad("checksum");
    return { snapshot, reason: null };
  }
}

function readWhole(file) {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  if (bytes.byteLength < HEADER_BYTES + TRAILER_BYTES) return null;
  const map = new DataView(bytes.buffer, bytes.byteOffset + MAP_OFFSET, 12);
  const size = map.getUint32(0, true) === MAP_MAGIC ? map.getUint32(4, true) * map.getUint32(8, true) : 0;
  if (!size || size > 1 << 30) return null;
  const reader = new SnapshotReader(new Uint8Array(size));
  reader.push(bytes);
  return reader;
}

/**
 * The snapshot in a whole file (tests, the build's own restore check), checked.
 * @param {ArrayBuffer | Uint8Array} file
 * @param {{heapBytes: number|null, buildId: string|null}} expect
 */
export function openSnapshot(file, expect) {
  const reader = readWhole(file);
  return reader ? reader.finish(expect) : { snapshot: null, reason: "no page map" };
}

/** The snapshot in a file, unchecked (for tests that make damaged files). */
export function unsealSnapshot(file) {
  const reader = readWhole(file);
  if (!reader || reader.error) throw new Error("not a snapshot file");
  return reader.target;
}
