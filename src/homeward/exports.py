"""Spreadsheet exports that cannot run formulas: one helper for every CSV and XLSX Homeward writes.

A cell whose text a spreadsheet would read as a formula (``=HYPERLINK(...)``, ``+1+cmd|...``, ``@SUM``)
is neutralised as OWASP and ASVS 1.2.10 recommend: a leading apostrophe is added, so Excel, LibreOffice
and Google Sheets show the text and never evaluate it. The characters that start a formula are ``=``,
``+``, ``-``, ``@``, tab, carriage return, line feed and NUL, and their full-width forms (``＝``, ``＋``,
``－``, ``＠``, which some spreadsheet locales accept as the same). Leading spaces do not hide them
(LibreOffice can trim spaces on import). Numbers, dates and ``None`` pass unchanged, so ``-5`` stays a
number while the text ``"-5"`` becomes ``'-5``.

XLSX cells are also always written as text (never as formula cells), and characters the XLSX format
cannot hold (C0 controls) are replaced by U+FFFD rather than failing the export.

Use it for every export::

    from homeward import exports

    with open(path, "w", newline="", encoding="utf-8") as f:
        w = exports.csv_writer(f)
        w.writerow(["name", "id"])          # every cell goes through safe_cell
    data = exports.csv_bytes(["name"], rows)                      # UTF-8 with a BOM, for Excel
    data = exports.xlsx_bytes([("Names", [["name"], *rows])])     # one sheet per (title, rows)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

__all__ = ["FORMULA_START", "SafeCsvWriter", "csv_bytes", "csv_dict_writer", "csv_writer", "safe_cell", "safe_row",
           "xlsx_append", "xlsx_bytes"]

FORMULA_START = frozenset("=+-@\t\r\n\0" + "\uff1d\uff0b\uff0d\uff20")


class _Writable(Protocol):
    """A text file, a StringIO or a Django ``HttpResponse``."""

    def write(self, s: str, /) -> Any: ...


_LEADING_SPACE = " \u00a0\u3000"
# What openpyxl refuses in a cell (C0 controls but tab, LF, CR).
_XLSX_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")


def safe_cell(value: Any) -> Any:
    """The value as a cell no spreadsheet evaluates: text that would start a formula gets a leading ``'``."""
    if isinstance(value, str) and value:
        first = value.lstrip(_LEADING_SPACE)[:1]
        if first and first in FORMULA_START:
            return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, f: _Writable, **kwargs: Any) -> None:
        self._w = csv.writer(f, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._w.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _SafeDictWriter(csv.DictWriter):  # generic in typeshed only, not at run time
    def writerow(self, rowdict: Any) -> Any:
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})


def csv_writer(f: _Writable, **kwargs: Any) -> SafeCsvWriter:
    return SafeCsvWriter(f, **kwargs)


def csv_dict_writer(f: _Writable, fieldnames: Sequence[str], **kwargs: Any) -> csv.DictWriter[str]:
    """``csv.DictWriter`` whose every cell (the header too) goes through :func:`safe_cell`."""
    return _SafeDictWriter(f, fieldnames=fieldnames, **kwargs)


def csv_bytes(header: Sequence[Any] | None, rows: Iterable[Iterable[Any]], *, bom: bool = True) -> bytes:
    """A whole CSV as UTF-8 bytes; with a byte-order mark by default so Excel reads Cyrillic correctly."""
    buf = io.StringIO()
    w = csv_writer(buf)
    if header is not None:
        w.writerow(header)
    w.writerows(rows)
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, str):
        return _XLSX_ILLEGAL.sub("\ufffd", value)
    return value


def xlsx_append(ws: Any, row: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet; text cells are typed as text, never as formulas."""
    ws.append([_xlsx_value(v) for v in row])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def xlsx_bytes(sheets: Sequence[tuple[str, Iterable[Iterable[Any]]]]) -> bytes:
    """A workbook with one sheet per ``(title, rows)``; titles are cut to Excel's 31 characters."""
    from openpyxl import Workbook

    wb = Workbook()
    first = True
    for title, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = _XLSX_ILLEGAL.sub("", re.sub(r"[\\/*?:\[\]]", " ", str(title)))[:31] or "Sheet"
        for row in rows:
            xlsx_append(ws, row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
