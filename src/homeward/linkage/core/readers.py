"""Reading lists of children from CSV (UTF-8, UTF-8 with BOM or cp1251), XLSX and JSON files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .features import INPUT_COLUMNS


class InputError(ValueError):
    """A list file that cannot be used; the message names the file and the column or row."""


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1251")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 or cp1251 text") from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _norm_header(h: Any) -> str:
    return _cell(h).lstrip("\ufeff").strip().lower().replace(" ", "_")


def _rows_from_table(path: Path, header: Sequence[Any], rows: Any, required: Sequence[str]) -> list[dict[str, str]]:
    names = [_norm_header(h) for h in header]
    for col in required:
        if col not in names:
            raise InputError(f"{path}: missing column '{col}'")
    index = {n: i for i, n in reversed(list(enumerate(names)))}
    out = []
    for line_no, row in enumerate(rows, start=2):
        cells = [_cell(c) for c in row]
        if not any(cells):
            continue
        rec = {c: (cells[index[c]] if index[c] < len(cells) else "") for c in required}
        for extra, i in index.items():
            if extra not in rec and i < len(cells):
                rec[extra] = cells[i]
        if not rec.get("record_id"):
            raise InputError(f"{path}: row {line_no}: empty 'record_id'")
        out.append(rec)
    return out


def _read_csv(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    text = _decode(path.read_bytes(), path)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: empty file (missing column '{required[0]}')") from None
    try:
        return _rows_from_table(path, header, reader, required)
    except csv.Error as exc:
        raise InputError(f"{path}: unreadable CSV ({exc})") from None


def _read_xlsx(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"{path}: unreadable XLSX ({type(exc).__name__})") from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise InputError(f"{path}: empty sheet (missing column '{required[0]}')")
        return _rows_from_table(path, header, rows, required)
    finally:
        wb.close()


def _read_json(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    try:
        data = json.loads(_decode(path.read_bytes(), path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: unreadable JSON ({exc.msg} at line {exc.lineno})") from None
    if isinstance(data, dict):  # {"records": [...]} is accepted too
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list):
        raise InputError(f"{path}: JSON must be a list of records")
    out = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise InputError(f"{path}: record {n} is not an object")
        item = {_norm_header(k): v for k, v in item.items()}
        for col in required:
            if col not in item:
                raise InputError(f"{path}: record {n}: missing column '{col}'")
        rec = {k: _cell(v) for k, v in item.items()}
        if not rec.get("record_id"):
            raise InputError(f"{path}: record {n}: empty 'record_id'")
        out.append(rec)
    return out


def read_records(path: str | Path, required: Sequence[str] = INPUT_COLUMNS) -> list[dict[str, str]]:
    """Read a list file into dicts keyed by lower-case column name (values are stripped text).

    The format is chosen by extension (``.csv``/``.tsv``/``.txt``, ``.xlsx``, ``.json``).
    Raises :class:`InputError` naming the file and the missing column or bad row.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(p, required)
        if suffix == ".json":
            return _read_json(p, required)
        return _read_csv(p, required)
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror})") from None
