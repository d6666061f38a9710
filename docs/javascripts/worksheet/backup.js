// Backup files in the browser: the site's name, downloads, reading a chosen file.
// The rules (what a valid file is, what an import would do) live in envelope.js.
// A backup never leaves the browser unless the user saves the downloaded file.

import { EnvelopeError, LIMITS, fileName, makeBackup as buildBackup, parseBackup, planImport, applyImport, stamp } from "./envelope.js";

export { fileName, parseBackup, planImport, applyImport, stamp, EnvelopeError };

const meta = document.querySelector('meta[name="ws-runtime"]');
export const SITE_NAME = (meta && meta.dataset.siteName) || "worksheets";
export const MAX_IMPORT_BYTES = LIMITS.fileChars;

/** A backup document of these entries, stamped with this site's name. */
export function makeBackup(entries) {
  return buildBackup(entries, SITE_NAME);
}

/** Offer text as a file download (a blob: URL; nothing is sent anywhere). */
export function download(name, text, type = "application/json") {
  const blob = new Blob([text], { type: `${type};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Read and check a file the user picked. Resolves to {site, exported_at, entries};
 * rejects with an Error whose message is Chinese and says what is wrong.
 * @param {File} file
 */
export async function readBackupFile(file) {
  if (file.size > MAX_IMPORT_BYTES) throw new EnvelopeError("too_large", "文件太大（超过 5 MB），不像是本站导出的备份。");
  let text;
  try {
    text = await file.text();
  } catch {
    throw new EnvelopeError("unreadable", "浏览器读不了这个文件。");
  }
  return parseBackup(text);
}
