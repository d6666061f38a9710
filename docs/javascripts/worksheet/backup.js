// Backup files: build, download, read and plan an import. Pure helpers plus two
// tiny DOM helpers (download). A backup never leaves the browser unless the user
// saves the downloaded file somewhere.

import { BACKUP_FORMAT, upgradeEnvelope } from "./storage.js";

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const meta = document.querySelector('meta[name="ws-runtime"]');
export const SITE_NAME = (meta && meta.dataset.siteName) || "worksheets";

export function stamp(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A file name safe on Windows, macOS and Linux. */
export function fileName(...parts) {
  return parts
    .filter(Boolean)
    .join("-")
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_")
    .replace(/\s+/g, "_")
    .slice(0, 150);
}

export function makeBackup(entries) {
  return {
    format: BACKUP_FORMAT,
    schema_version: 1,
    site: SITE_NAME,
    exported_at: new Date().toISOString(),
    entries,
  };
}

export function download(name, text, type = "application/json") {
  const blob = new Blob([text], { type: `${type};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Read a backup file's text into valid envelopes, or throw with a Chinese reason.
 * Accepts a backup (many entries) or a single exported entry.
 */
export function parseBackup(text) {
  if (typeof text !== "string" || !text.trim()) throw new Error("文件是空的。");
  if (text.length > MAX_IMPORT_BYTES) throw new Error("文件太大（超过 5 MB），不像是本站导出的备份。");
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error("文件不是有效的 JSON：可能不完整（被截断）或已损坏。");
  }
  let raw;
  if (doc && doc.format === BACKUP_FORMAT) {
    if (!Array.isArray(doc.entries)) throw new Error("备份文件缺少条目列表（entries）。");
    if (doc.schema_version !== 1) throw new Error(`备份格式版本 ${doc.schema_version} 无法识别。`);
    raw = doc.entries;
  } else if (doc && doc.format === "worksheet-entry") {
    raw = [doc];
  } else {
    throw new Error("这不是本站导出的备份文件（缺少 format 标记）。");
  }
  if (raw.length > 5000) throw new Error("备份里的条目多得不正常（超过 5000 条）。");
  const entries = raw.map((env, i) => {
    try {
      return upgradeEnvelope(env);
    } catch (err) {
      throw new Error(`第 ${i + 1} 个条目无法读取：${err.message}`);
    }
  });
  return { site: typeof doc.site === "string" ? doc.site : "", entries };
}

/**
 * Decide what an import would do, without changing anything.
 * @returns {{add: object[], same: object[], conflicts: object[]}}
 */
export function planImport(incoming, existingById) {
  const plan = { add: [], same: [], conflicts: [] };
  for (const env of incoming) {
    const have = existingById.get(`${env.worksheet}.${env.id}`);
    if (!have) plan.add.push(env);
    else if (JSON.stringify(have.data) === JSON.stringify(env.data) && have.name === env.name) plan.same.push(env);
    else plan.conflicts.push({ incoming: env, existing: have });
  }
  return plan;
}
