// A thin promise layer over the browser's IndexedDB: open a database with the object
// stores it needs, read a store in chunks, write in one transaction. Knows nothing of
// entries or envelopes (storage.js does). Every write resolves only once its
// transaction has completed (committed), never on the request's success alone.

/** The browser's factory, or null where there is none (or reading it throws). */
export function factory() {
  try {
    return typeof indexedDB !== "undefined" && indexedDB && typeof indexedDB.open === "function" ? indexedDB : null;
  } catch {
    return null;
  }
}

const wrap = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error || new Error("request failed"));
  });

/**
 * Open (or create) database `name` holding `stores` (out-of-line keys). Opens without
 * a version first, so a database a later version of the site has upgraded still opens;
 * a store that is missing is added with a version step. Rejects on failure, when the
 * open is blocked, or after `timeoutMs` without an answer.
 * @returns {Promise<IDBDatabase>}
 */
export async function open(name, stores, { timeoutMs = 4000 } = {}) {
  const f = factory();
  if (!f) throw new Error("no indexedDB");
  const attempt = (version) =>
    new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new Error("indexedDB open timed out"));
      }, timeoutMs);
      const finish = (fn, v) => {
        if (settled) {
          if (fn === resolve && v) v.close(); // came too late: we already gave up on it
          return;
        }
        settled = true;
        clearTimeout(timer);
        fn(v);
      };
      let req;
      try {
        req = version === undefined ? f.open(name) : f.open(name, version);
      } catch (err) {
        finish(reject, err);
        return;
      }
      req.onupgradeneeded = () => {
        const db = req.result;
        for (const s of stores) if (!db.objectStoreNames.contains(s)) db.createObjectStore(s);
      };
      req.onsuccess = () => finish(resolve, req.result);
      req.onerror = () => finish(reject, req.error || new Error("indexedDB open failed"));
      req.onblocked = () => finish(reject, new Error("indexedDB open blocked"));
    });
  let db = await attempt(undefined);
  if (stores.some((s) => !db.objectStoreNames.contains(s))) {
    const next = db.version + 1;
    db.close();
    db = await attempt(next);
  }
  // Another tab (a later version of the site) wants to upgrade: step aside.
  db.onversionchange = () => db.close();
  return db;
}

/**
 * Every [key, value] of a store, read `chunk` records per request (each request's
 * values are copied into the page in their own task, so a big store never makes one
 * long task).
 * @returns {Promise<Array<[IDBValidKey, any]>>}
 */
export async function readAll(db, store, chunk = 400) {
  const out = [];
  let lower = null;
  for (;;) {
    const tx = db.transaction(store, "readonly");
    const os = tx.objectStore(store);
    const range = lower === null ? null : IDBKeyRange.lowerBound(lower, true);
    const [keys, values] = await Promise.all([wrap(os.getAllKeys(range, chunk)), wrap(os.getAll(range, chunk))]);
    for (let i = 0; i < keys.length; i++) out.push([keys[i], values[i]]);
    if (keys.length < chunk) return out;
    lower = keys[keys.length - 1];
  }
}

/** Values of `keys` in `store` (undefined where absent), read in one transaction. */
export function getMany(db, store, keys) {
  const tx = db.transaction(store, "readonly");
  const os = tx.objectStore(store);
  return Promise.all(keys.map((k) => wrap(os.get(k))));
}

/**
 * Write in one transaction. `ops`: {store, key, value} (value undefined: delete the
 * key; `clear: true`: empty the store). Resolves once the transaction is complete;
 * rejects with the transaction's error (e.g. QuotaExceededError) when it aborts, or
 * with whatever the browser throws while the requests are made.
 * @param {{store: string, key?: IDBValidKey, value?: any, clear?: boolean}[]} ops
 * @param {"strict"|"relaxed"|"default"} durability
 */
export function write(db, ops, durability = "strict") {
  return new Promise((resolve, reject) => {
    const names = [...new Set(ops.map((o) => o.store))];
    let tx;
    try {
      tx = db.transaction(names, "readwrite", { durability });
    } catch (err) {
      reject(err);
      return;
    }
    let failed = null;
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(failed || tx.error || new DOMException("transaction aborted", "AbortError"));
    tx.onerror = (event) => {
      // The abort that follows carries the same error; keep the first.
      failed = failed || (event.target && event.target.error) || tx.error;
    };
    try {
      const stores = new Map();
      for (const op of ops) {
        let os = stores.get(op.store);
        if (!os) stores.set(op.store, (os = tx.objectStore(op.store)));
        if (op.clear) os.clear();
        else if (op.value === undefined) os.delete(op.key);
        else os.put(op.value, op.key);
      }
      // Ask for the commit now: the write does not wait for this page's next task
      // (it may never come, when the page is closing).
      if (typeof tx.commit === "function") tx.commit();
    } catch (err) {
      failed = err;
      try {
        tx.abort();
      } catch {
        /* already finished */
      }
    }
  });
}
