"""Read exported backups for the trainer's tools, leniently.

The saved-data format is owned by the browser: ``docs/javascripts/worksheet/envelope.js``
writes, validates and migrates every record (it must work before and without Python),
and ``worksheet_engine/schemas/*.schema.json`` document it. This module only *reads*
files that the browser exported, for the class report: it refuses what cannot be a
backup, with a stable :attr:`BackupFormatError.code`, and is lenient about details the
browser already checked when it exported (dates, lengths, id spelling).

Envelope (``schema_version`` 1)::

    {"format": "worksheet-entry", "schema_version": 1, "worksheet": "smart",
     "worksheet_version": 1, "id": "…", "name": "张三 · 2026 Q4",
     "created_at": "…", "saved_at": "…", "rev": 3, "data": {…}}

Version 0 (``slug/title/updated/values``) is migrated on read; a backup file is
``{"format": "worksheet-backup", "schema_version": 1, "entries": [envelope, …]}``, and a
single bare envelope is read as a backup of one entry.

Example::

    >>> entries = load_backup('{"format": "worksheet-entry", "schema_version": 0, '
    ...     '"slug": "smart", "title": "张三", "updated": "2025-06-01T08:00:00Z", '
    ...     '"values": {"goal_text": "提高 CSAT"}}')
    >>> entries[0]["name"], entries[0]["schema_version"], entries[0]["data"]["goal_text"]
    ('张三', 1, '提高 CSAT')
    >>> try:
    ...     load_backup("{")
    ... except BackupFormatError as exc:
    ...     print(exc.code)
    not_json
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

from ..errors import EntryFormatError

__all__ = ["ENTRY_FORMAT", "BACKUP_FORMAT", "SCHEMA_VERSION", "CODES", "BackupFormatError", "load_backup"]

ENTRY_FORMAT: Final = "worksheet-entry"
BACKUP_FORMAT: Final = "worksheet-backup"
SCHEMA_VERSION: Final = 1
#: Deeper than anything the site writes (entry → data → list → row → value).
MAX_DEPTH: Final = 12
#: Keys that could reach Object.prototype in careless JavaScript; a file holding one
#: was not written by the site.
FORBIDDEN_KEYS: Final = frozenset({"__proto__", "constructor", "prototype"})

#: Every code :class:`BackupFormatError` can carry, with what it means.
CODES: Final[Mapping[str, str]] = {
    "empty": "文件是空的。",
    "not_json": "文件不是有效的 JSON：可能不完整（被截断）或已损坏。",
    "too_deep": "文件的嵌套层次太深，不像是本站导出的备份。",
    "forbidden_key": "文件里有本站从不写入的字段名，不像是本站导出的备份。",
    "wrong_format": "这不是本站导出的备份文件（缺少 format 标记 worksheet-backup）。",
    "too_new": "文件来自更新版本的站点，请先升级本站再读取。",
    "bad_entry": "有条目缺少工作表名称或内容，无法读取。",
}


class BackupFormatError(EntryFormatError):
    """A file the trainer's tools cannot read; ``code`` is one of :data:`CODES`."""

    def __init__(self, code: str, detail: str = "") -> None:
        assert code in CODES, code
        super().__init__(CODES[code] + (f"（{detail}）" if detail else ""))
        self.code = code  # type: ignore[misc]  # per instance, unlike the class default


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _scan(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise BackupFormatError("too_deep")
    if isinstance(value, dict):
        if FORBIDDEN_KEYS.intersection(value):
            raise BackupFormatError("forbidden_key")
        for item in value.values():
            _scan(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _scan(item, depth + 1)


def _version(doc: Mapping[str, Any]) -> int:
    v = doc.get("schema_version")
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise BackupFormatError("wrong_format", "格式版本无效")
    if v > SCHEMA_VERSION:
        raise BackupFormatError("too_new", f"格式版本 {v}")
    return v


def _fnv1a(text: str) -> str:
    """FNV-1a (32 bit) over UTF-8, as 8 hex digits; the same as envelope.js's fnv1a."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8", "surrogatepass"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{h:08x}"


def _migrate_0(env: Mapping[str, Any]) -> dict[str, Any]:
    """v0 (pre-release drafts): slug/title/updated/values → worksheet/name/saved_at/data,
    with the id the browser derives for it."""
    updated = env.get("updated") if isinstance(env.get("updated"), str) else "1970-01-01T00:00:00.000Z"
    title = env.get("title")
    name = title[:120] if isinstance(title, str) and title.strip() else "未命名条目"
    slug = env.get("slug")
    return {"format": ENTRY_FORMAT, "schema_version": 1, "worksheet": slug, "worksheet_version": 1,
            "id": f"v0-{_fnv1a(chr(10).join((str(slug), updated, name)))}", "name": name,
            "created_at": updated, "saved_at": updated, "rev": 0, "data": env.get("values")}


#: MIGRATIONS[n] turns a version-n envelope into version n+1 (the browser's own steps).
MIGRATIONS: Final[Mapping[int, Callable[[Mapping[str, Any]], dict[str, Any]]]] = {0: _migrate_0}


def _entry(raw: Any, number: int) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("format") != ENTRY_FORMAT:
        raise BackupFormatError("bad_entry", f"第 {number} 个条目")
    env, version = dict(raw), _version(raw)
    while version < SCHEMA_VERSION:
        env, version = MIGRATIONS[version](env), version + 1
    if not isinstance(env.get("worksheet"), str) or not isinstance(env.get("data"), dict):
        raise BackupFormatError("bad_entry", f"第 {number} 个条目")
    name = env.get("name")
    env["name"] = name if isinstance(name, str) and name.strip() else "未命名条目"
    env["id"] = env.get("id") if isinstance(env.get("id"), str) and env.get("id") else f"entry-{number}"
    return env


def load_backup(text: str) -> list[dict[str, Any]]:
    """The entries of a backup file (or of one exported entry), migrated to the current
    envelope version.

    Raises:
        BackupFormatError: the file cannot be read; the message is Chinese and says why.
    """
    if not isinstance(text, str) or not text.strip():
        raise BackupFormatError("empty")
    try:
        doc = json.loads(text.lstrip("\ufeff"), parse_constant=_reject_constant)
    except RecursionError:
        raise BackupFormatError("too_deep") from None
    except ValueError:
        raise BackupFormatError("not_json") from None
    _scan(doc)
    if isinstance(doc, dict) and doc.get("format") == BACKUP_FORMAT:
        _version(doc)
        raw = doc.get("entries")
        if not isinstance(raw, list):
            raise BackupFormatError("wrong_format", "缺少条目列表")
    elif isinstance(doc, dict) and doc.get("format") == ENTRY_FORMAT:
        raw = [doc]
    else:
        raise BackupFormatError("wrong_format")
    return [_entry(item, i + 1) for i, item in enumerate(raw)]
