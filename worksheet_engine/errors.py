"""Programmer and format faults. User mistakes are :class:`~worksheet_engine.model.Issue`s."""

from __future__ import annotations

from typing import ClassVar


class WorksheetError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code: ClassVar[int] = 1
    code: ClassVar[str] = "worksheet_error"


class UnknownWorksheetError(WorksheetError, KeyError):
    exit_code: ClassVar[int] = 2
    code: ClassVar[str] = "unknown_worksheet"

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug

    def __str__(self) -> str:
        return f"没有名为 “{self.slug}” 的工作表。"


class EntryFormatError(WorksheetError, ValueError):
    exit_code: ClassVar[int] = 3
    code: ClassVar[str] = "entry_format"


class SchemaVersionError(EntryFormatError):
    code: ClassVar[str] = "schema_version"
