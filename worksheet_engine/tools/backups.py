"""Saved entries and backup files: validation and step-by-step migration.

The browser keeps every worksheet entry as a versioned *envelope* and exports
*backup files* holding many of them. This module reads both with exactly the rules
of ``docs/javascripts/worksheet/envelope.js`` (the two are run against the same
fixtures in ``tests/fixtures/backups/``), and the JSON schemas in
``worksheet_engine/schemas/`` describe the formats for other tools.

Envelope, ``schema_version`` 1::

    {"format": "worksheet-entry", "schema_version": 1, "worksheet": "smart",
     "worksheet_version": 1, "id": "…", "name": "张三 · 2026 Q4",
     "created_at": "2026-01-05T09:00:00.000Z", "saved_at": "…", "rev": 3,
     "completion": 0.5, "vid": "…", "parent": "…", "data": {…}}

``vid`` (optional) is a fresh id per write and ``parent`` the ``vid`` the write was
made from: the browser uses them to tell a later save from a simultaneous one.

Envelope, ``schema_version`` 0 (pre-release drafts), migrated on read::

    {"format": "worksheet-entry", "schema_version": 0, "slug": "smart",
     "title": "…", "updated": "…", "values": {…}}

Backup file::

    {"format": "worksheet-backup", "schema_version": 1, "site": "…",
     "exported_at": "…", "entries": [envelope, …]}

A single bare envelope is also accepted as a backup of one entry. One bad entry
refuses the whole file: an import either reads everything or changes nothing.

Example::

    >>> entries = load_backup('{"format": "worksheet-entry", "schema_version": 0, '
    ...     '"slug": "smart", "title": "张三", "updated": "2025-06-01T08:00:00Z", '
    ...     '"values": {"goal_text": "提高 CSAT"}}')
    >>> entries[0]["name"], entries[0]["schema_version"], entries[0]["data"]["goal_text"]
    ('张三', 1, '提高 CSAT')
    >>> load_backup("{")
    Traceback (most recent call last):
    ...
    worksheet_engine.schema.BackupFormatError: 文件不是有效的 JSON：可能不完整（被截断）或已损坏。
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from ..errors import EntryFormatError, SchemaVersionError

__all__ = [
    "ENTRY_FORMAT",
    "BACKUP_FORMAT",
    "SCHEMA_VERSION",
    "BACKUP_SCHEMA_VERSION",
    "LIMITS",
    "FORBIDDEN_KEYS",
    "BackupFormatError",
    "validate_envelope",
    "upgrade_envelope",
    "parse_backup",
    "load_backup",
    "is_iso_datetime",
]

ENTRY_FORMAT: Final = "worksheet-entry"
BACKUP_FORMAT: Final = "worksheet-backup"
SCHEMA_VERSION: Final = 1
BACKUP_SCHEMA_VERSION: Final = 1

#: Limits shared with envelope.js (keep both in step).
LIMITS: Final[Mapping[str, int]] = {
    "fileChars": 5_000_000,
    "entries": 5000,
    "nameChars": 120,
    "stringChars": 100_000,
    "depth": 6,
    "docDepth": 10,
    "keys": 500,
    "items": 1000,
}

#: Keys that could reach Object.prototype in careless JavaScript: a file holding one is refused.
FORBIDDEN_KEYS: Final = ("__proto__", "constructor", "prototype")

_ID_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SLUG_RE: Final = re.compile(r"[a-z0-9_-]{1,40}")
_ISO_RE: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))", re.ASCII
)
_EPOCH: Final = "1970-01-01T00:00:00.000Z"
_MAX_REV: Final = 2**31 - 1


class BackupFormatError(EntryFormatError):
    """A file or record that cannot be trusted. ``reason`` is a stable code
    (``not_json``, ``wrong_format``, ``too_new``, ``forbidden_key``, …); the message is
    Chinese, for the reader."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class _TooNewError(BackupFormatError, SchemaVersionError):
    """A record from a newer version of the site."""


def _fail(reason: str, message: str) -> BackupFormatError:
    cls = _TooNewError if reason == "too_new" else BackupFormatError
    return cls(reason, message)


def _bad_field(name: str, why: str) -> BackupFormatError:
    return _fail("bad_field", f"字段 {name} 无效：{why}。")


def _forbidden(key: str) -> BackupFormatError:
    return _fail("forbidden_key", f"包含不允许的键名“{key}”，可能是被篡改的文件。")


def _is_int(value: Any) -> bool:
    """An integer (JSON ``1.0`` counts as 1, as in JavaScript); booleans never do."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def is_iso_datetime(value: Any) -> bool:
    """A strict ISO 8601 date-time with an offset, on a real calendar day."""
    if not isinstance(value, str):
        return False
    m = _ISO_RE.fullmatch(value)
    if not m:
        return False
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    if not (1 <= mo <= 12 and d >= 1 and h <= 23 and mi <= 59 and s <= 59):
        return False
    if m.group(9) is not None and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
        return False
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return d <= days[mo - 1]


def _fnv1a(text: str) -> str:
    """FNV-1a (32 bit) over UTF-8, as 8 hex digits; same result as envelope.js's fnv1a."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8", "surrogatepass"):
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return f"{h:08x}"


def _clip(text: str, n: int) -> str:
    return text[:n]


# ---- data ----------------------------------------------------------------------------


def _clean_data(value: Any, depth: int = 0) -> Any:
    """Check entry data and return a clean copy of JSON values; raise BackupFormatError."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if len(value) > LIMITS["stringChars"]:
            raise _fail("too_long", f"有一段文字超过 {LIMITS['stringChars']} 个字符，不像是工作表的内容。")
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise _fail("bad_value", "数据里有无法识别的数字。")
        return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value
    if not isinstance(value, (list, dict)):
        raise _fail("bad_value", "数据里有无法识别的值。")
    if depth >= LIMITS["depth"]:
        raise _fail("too_deep", "数据嵌套层次太深，不像是工作表的内容。")
    if isinstance(value, list):
        if len(value) > LIMITS["items"]:
            raise _fail("too_big", f"一个列表超过 {LIMITS['items']} 项，不像是工作表的内容。")
        return [_clean_data(v, depth + 1) for v in value]
    if len(value) > LIMITS["keys"]:
        raise _fail("too_big", f"一个对象超过 {LIMITS['keys']} 个键，不像是工作表的内容。")
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k in FORBIDDEN_KEYS:
            raise _forbidden(k)
        if _utf16_len(k) > 200:
            raise _fail("too_long", "数据里有一个键名太长。")
        out[k] = _clean_data(v, depth + 1)
    return out


def _scan_document(doc: Any) -> None:
    """Refuse forbidden keys anywhere and nesting deeper than LIMITS['docDepth']."""
    stack: list[tuple[Any, int]] = [(doc, 0)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, (list, dict)):
            continue
        if depth >= LIMITS["docDepth"]:
            raise _fail("too_deep", "文件的嵌套层次太深，不像是本站导出的备份。")
        if isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
        else:
            for k, v in node.items():
                if k in FORBIDDEN_KEYS:
                    raise _forbidden(k)
                stack.append((v, depth + 1))


# ---- envelopes -----------------------------------------------------------------------


def validate_envelope(env: Any) -> dict[str, Any]:
    """Check a schema_version-1 envelope; return a clean copy with only the known keys.

    Raises:
        BackupFormatError: with a stable ``reason`` and a Chinese message.
    """
    if not isinstance(env, dict):
        raise _fail("bad_entry", "条目不是一个对象。")
    for k in env:
        if k in FORBIDDEN_KEYS:
            raise _forbidden(k)
    if env.get("format") != ENTRY_FORMAT:
        raise _fail("wrong_format", f"条目的 format 不是 {ENTRY_FORMAT}。")
    if not _is_int(env.get("schema_version")) or env.get("schema_version") != SCHEMA_VERSION:
        raise _fail("bad_version", f"条目的格式版本应为 {SCHEMA_VERSION}。")
    worksheet = env.get("worksheet")
    if not isinstance(worksheet, str) or not _SLUG_RE.fullmatch(worksheet):
        raise _bad_field("worksheet", "应是小写字母、数字、- 或 _")
    wv = env.get("worksheet_version")
    if not _is_int(wv) or not 1 <= wv <= _MAX_REV:
        raise _bad_field("worksheet_version", "应是正整数")
    ident = env.get("id")
    if not isinstance(ident, str) or not _ID_RE.fullmatch(ident):
        raise _bad_field("id", "应由 1–64 个字母、数字、- 或 _ 组成")
    name = env.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _bad_field("name", "应是非空文字")
    if len(name) > LIMITS["nameChars"]:
        raise _bad_field("name", f"不能超过 {LIMITS['nameChars']} 个字符")
    if not is_iso_datetime(env.get("created_at")):
        raise _bad_field("created_at", "应是 ISO 8601 时间")
    if not is_iso_datetime(env.get("saved_at")):
        raise _bad_field("saved_at", "应是 ISO 8601 时间")
    rev = env.get("rev")
    if not _is_int(rev) or not 0 <= rev <= _MAX_REV:
        raise _bad_field("rev", "应是不小于 0 的整数")
    completion = env.get("completion")
    has_completion = "completion" in env and completion is not None
    if has_completion and (
        isinstance(completion, bool)
        or not isinstance(completion, (int, float))
        or not 0 <= completion <= 1
    ):
        raise _bad_field("completion", "应是 0 到 1 之间的数")
    for key in ("vid", "parent"):
        value = env.get(key)
        if value is not None and (not isinstance(value, str) or not _ID_RE.fullmatch(value)):
            raise _bad_field(key, "应由 1–64 个字母、数字、- 或 _ 组成")
    data = env.get("data")
    if not isinstance(data, dict):
        raise _bad_field("data", "应是对象")
    out: dict[str, Any] = {
        "format": ENTRY_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "worksheet": worksheet,
        "worksheet_version": int(wv),
        "id": ident,
        "name": name,
        "created_at": env["created_at"],
        "saved_at": env["saved_at"],
        "rev": int(rev),
        "data": _clean_data(data),
    }
    if has_completion:
        out["completion"] = completion
    for key in ("vid", "parent"):
        if isinstance(env.get(key), str):
            out[key] = env[key]
    return out


def _migrate_0(env: dict[str, Any], id_hint: str) -> dict[str, Any]:
    """v0 (pre-release drafts): slug/title/updated/values → worksheet/name/saved_at/data."""
    slug = env.get("slug")
    if not isinstance(slug, str) or not _SLUG_RE.fullmatch(slug):
        raise _bad_field("slug", "应是工作表名称")
    values = env.get("values")
    if not isinstance(values, dict):
        raise _bad_field("values", "应是对象")
    updated = env["updated"] if is_iso_datetime(env.get("updated")) else _EPOCH
    title = env.get("title")
    name = _clip(title, LIMITS["nameChars"]) if isinstance(title, str) and title.strip() else "未命名条目"
    seed = "\n".join((slug, updated, name))
    ident = id_hint if id_hint and _ID_RE.fullmatch(id_hint) else f"v0-{_fnv1a(seed)}"
    return {
        "format": ENTRY_FORMAT,
        "schema_version": 1,
        "worksheet": slug,
        "worksheet_version": 1,
        "id": ident,
        "name": name,
        "created_at": updated,
        "saved_at": updated,
        "rev": 0,
        "data": values,
    }


#: MIGRATIONS[n] turns a version-n envelope into version n+1. Never drop a step.
MIGRATIONS: Final[Mapping[int, Callable[[dict[str, Any], str], dict[str, Any]]]] = {0: _migrate_0}


def upgrade_envelope(raw: Any, id_hint: str = "") -> dict[str, Any]:
    """Bring an envelope of any known version up to SCHEMA_VERSION, then validate it.

    Raises:
        BackupFormatError: unreadable record (``too_new`` ones are also SchemaVersionError).
    """
    if not isinstance(raw, dict):
        raise _fail("bad_entry", "条目不是一个对象。")
    if raw.get("format") != ENTRY_FORMAT:
        raise _fail("wrong_format", f"条目的 format 不是 {ENTRY_FORMAT}。")
    version = raw.get("schema_version")
    if not _is_int(version) or version < 0:
        raise _fail("bad_version", "条目缺少有效的格式版本（schema_version）。")
    version = int(version)
    if version > SCHEMA_VERSION:
        raise _fail(
            "too_new",
            f"条目来自更新版本的站点（格式版本 {version}），本站只认识到版本 {SCHEMA_VERSION}。请先升级本站。",
        )
    env = raw
    while version < SCHEMA_VERSION:
        for k in env:
            if k in FORBIDDEN_KEYS:
                raise _forbidden(k)
        env = MIGRATIONS[version](env, id_hint)
        version += 1
    return validate_envelope(env)


# ---- backup files --------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def parse_backup(text: str) -> dict[str, Any]:
    """Read a backup file's text: ``{"site", "exported_at", "entries"}`` with every entry
    checked and migrated, or BackupFormatError (one bad entry refuses the whole file)."""
    if not isinstance(text, str) or not text.strip():
        raise _fail("empty", "文件是空的。")
    if _utf16_len(text) > LIMITS["fileChars"]:
        raise _fail("too_large", "文件太大（超过 5 MB），不像是本站导出的备份。")
    try:
        doc = json.loads(text[1:] if text.startswith("\ufeff") else text, parse_constant=_reject_constant)
    except RecursionError:
        raise _fail("too_deep", "文件的嵌套层次太深，不像是本站导出的备份。") from None
    except ValueError:
        raise _fail("not_json", "文件不是有效的 JSON：可能不完整（被截断）或已损坏。") from None
    _scan_document(doc)
    if not isinstance(doc, dict):
        raise _fail("wrong_format", "这不是本站导出的备份文件（应以 { 开头，含 format 标记）。")
    if doc.get("format") == BACKUP_FORMAT:
        v = doc.get("schema_version")
        if not _is_int(v) or v < 1:
            raise _fail("bad_version", "备份文件缺少有效的格式版本（schema_version）。")
        if v > BACKUP_SCHEMA_VERSION:
            raise _fail(
                "too_new",
                f"备份来自更新版本的站点（格式版本 {int(v)}），本站只认识到版本 {BACKUP_SCHEMA_VERSION}。请先升级本站。",
            )
        raw = doc.get("entries")
        if not isinstance(raw, list):
            raise _fail("no_entries", "备份文件缺少条目列表（entries）。")
    elif doc.get("format") == ENTRY_FORMAT:
        raw = [doc]
    else:
        raise _fail("wrong_format", "这不是本站导出的备份文件（缺少 format 标记 worksheet-backup）。")
    if len(raw) > LIMITS["entries"]:
        raise _fail("too_many", f"备份里的条目多得不正常（超过 {LIMITS['entries']} 条）。")
    entries = []
    for i, item in enumerate(raw):
        try:
            entries.append(upgrade_envelope(item))
        except BackupFormatError as exc:
            raise _fail(exc.reason, f"第 {i + 1} 个条目无法读取：{exc}") from None
    site = doc.get("site")
    exported = doc.get("exported_at")
    return {
        "site": site[:200] if isinstance(site, str) else "",
        "exported_at": exported if is_iso_datetime(exported) else "",
        "entries": entries,
    }


def load_backup(text: str) -> list[dict[str, Any]]:
    """The entries of a backup file (or of one exported entry), migrated to the current
    envelope version.

    Raises:
        EntryFormatError: the file cannot be read; the message is Chinese and says why
            (the exception is a :class:`BackupFormatError` with a ``reason`` code).
    """
    entries: list[dict[str, Any]] = parse_backup(text)["entries"]
    return entries
