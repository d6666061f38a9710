// Reads and checks a backup file off the page's main thread (a module worker), so a
// file of thousands of entries never freezes the page: the file's text, JSON.parse and
// every entry's check and migration (envelope.js parseBackup, the one owner of the
// format) run here. The entries go back in chunks, each copied into the page in its
// own task. Messages: in {file}; out {head: {site, exported_at, records, total}} then
// {entries: [...]}… then {done: true}, or {error: {code, message, known}}.

import { EnvelopeError, parseBackup } from "./envelope.js";

const CHUNK = 250;

self.onmessage = async (event) => {
  const { file } = event.data || {};
  try {
    let text;
    try {
      text = await file.text();
    } catch {
      throw new EnvelopeError("unreadable", "浏览器读不了这个文件。");
    }
    const parsed = parseBackup(text);
    text = null;
    const records = Array.isArray(parsed.records) ? parsed.records : [];
    self.postMessage({ head: { site: parsed.site, exported_at: parsed.exported_at, records, total: parsed.entries.length } });
    for (let i = 0; i < parsed.entries.length; i += CHUNK) self.postMessage({ entries: parsed.entries.slice(i, i + CHUNK) });
    self.postMessage({ done: true });
  } catch (err) {
    const known = err instanceof EnvelopeError;
    self.postMessage({ error: { code: known ? err.code : "unreadable", message: known ? err.message : "文件无法读取。", known } });
  }
};
