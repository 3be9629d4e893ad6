"""Reading a party's list file and checking it row by row. Pure: no database.

``read_table(data, filename)`` turns CSV (UTF-8, UTF-8 with BOM or cp1251; comma, semicolon or tab),
XLSX or JSON bytes into a header and rows of text. ``detect_mapping(headers)`` finds the columns
from common English, Ukrainian and Russian headers. ``check_rows(table, mapping)`` validates every
row and returns the valid ones and the problems, each naming its row and field (never a value).

Row numbers are those a person sees: in CSV and XLSX the header is row 1 and data starts at row 2;
in JSON the first record is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward import exports
from homeward.exceptions import FileInputError
from homeward.names import DateError, parse_date, split_full_name

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
MAX_TEXT = 100

FIELDS: tuple[str, ...] = ("record_id", "surname", "given_name", "patronymic", "full_name", "birth_date", "sex",
                           "birth_place")
FIELD_LABELS: dict[str, Any] = {
    "record_id": gettext_lazy("Record number"),
    "surname": gettext_lazy("Surname"),
    "given_name": gettext_lazy("Given name"),
    "patronymic": gettext_lazy("Patronymic"),
    "full_name": gettext_lazy("Full name (split into parts)"),
    "birth_date": gettext_lazy("Birth date"),
    "sex": gettext_lazy("Sex"),
    "birth_place": gettext_lazy("Birth place"),
}
REQUIRED = ("surname", "given_name")

# Normalised header -> field. Headers are compared lower-case, with apostrophes unified, dots and
# underscores dropped and spaces collapsed (see ``_norm``).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "record_id": ("record id", "recordid", "id", "no", "nr", "number", "№", "№ п/п", "п/п", "№пп", "номер",
                  "ідентифікатор", "идентификатор", "код", "code", "ref", "reference"),
    "surname": ("surname", "last name", "lastname", "family name", "familyname", "прізвище", "фамилия"),
    "given_name": ("given name", "givenname", "first name", "firstname", "forename", "name", "ім'я", "имя"),
    "patronymic": ("patronymic", "middle name", "middlename", "father's name", "по батькові", "по-батькові",
                   "побатькові", "отчество"),
    "full_name": ("full name", "fullname", "піб", "пib", "фио", "прізвище ім'я по батькові",
                  "прізвище, ім'я, по батькові", "фамилия имя отчество", "фамилия, имя, отчество", "child",
                  "дитина", "ребенок", "ребёнок"),
    "birth_date": ("birth date", "birthdate", "date of birth", "dob", "born", "дата народження", "дата нар",
                   "дн", "дата рождения", "дата рожд", "др", "д/р", "д/н"),
    "sex": ("sex", "gender", "стать", "пол"),
    "birth_place": ("birth place", "birthplace", "place of birth", "місце народження", "место рождения"),
}
_HEADER_INDEX = {syn: f for f, syns in _SYNONYMS.items() for syn in syns}

_SEX = {
    "M": ("m", "male", "boy", "man", "ч", "чол", "чоловіча", "чоловіча стать", "чоловік", "хлопчик", "м", "муж",
          "мужской", "мужчина", "мальчик"),
    "F": ("f", "female", "girl", "woman", "ж", "жін", "жіноча", "жіноча стать", "жінка", "дівчинка", "жен",
          "женский", "женщина", "девочка"),
    "": ("u", "unknown", "?", "-", "невідомо", "неизвестно", "н/д"),
}
_SEX_INDEX = {v: code for code, values in _SEX.items() for v in values}

PROBLEMS: dict[str, Any] = {
    "required": gettext_lazy("required, but empty"),
    "bad_date": gettext_lazy("not a real date"),
    "future_date": gettext_lazy("a date in the future"),
    "bad_sex": gettext_lazy("not a recognised sex (use M/F, Ч/Ж or М/Ж)"),
    "too_long": gettext_lazy("longer than %(n)s characters"),
    "duplicate": gettext_lazy("duplicate of row %(row)s in this file"),
}


def max_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_ROWS", DEFAULT_MAX_ROWS))


@dataclass
class Table:
    file_format: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number, cells)
    encoding: str = ""
    delimiter: str = ""


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    code: str
    column: str = ""
    other_row: int | None = None

    def text(self) -> str:
        template = PROBLEMS.get(self.code, self.code)
        return str(template) % {"n": MAX_TEXT, "row": self.other_row}

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "column": self.column, "code": self.code,
                "other_row": self.other_row}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Problem:
        return cls(int(d.get("row") or 0), str(d.get("field") or ""), str(d.get("code") or ""),
                   str(d.get("column") or ""), d.get("other_row"))


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]
    raw: dict[str, str] = field(default_factory=dict)


@dataclass
class CheckResult:
    valid: list[ParsedRow]
    invalid: list[ParsedRow]
    problems: list[Problem]

    @property
    def total(self) -> int:
        return len(self.valid) + len(self.invalid)

    def problems_for(self, row: int) -> list[Problem]:
        return [p for p in self.problems if p.row == row]


# --- reading ------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u00a0", " ").strip()


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise FileInputError(filename, None, None, _("The file is not valid UTF-8 text.")) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError:
        raise FileInputError(filename, None, None, _("The file is neither UTF-8 nor cp1251 text.")) from None


def _too_many_rows(filename: str) -> FileInputError:
    return FileInputError(filename, None, None, _("The file has more than %(n)s rows; split it into several lists.")
                          % {"n": f"{max_rows():,}"})


def _collect(filename: str, rows: Iterable[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    out: list[tuple[int, list[str]]] = []
    limit = max_rows()
    for number, cells in rows:
        if not any(cells):
            continue
        out.append((number, cells))
        if len(out) > limit:
            raise _too_many_rows(filename)
    return out


def _read_csv(data: bytes, filename: str) -> Table:
    text, encoding = _decode(data, filename)
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count) if first.strip() else ","
    if first.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_cell(h) for h in next(reader)]
        rows = _collect(filename, ((n, [_cell(c) for c in r]) for n, r in enumerate(reader, start=2)))
    except StopIteration:
        raise FileInputError(filename, None, None, _("The file is empty.")) from None
    except csv.Error:
        raise FileInputError(filename, None, None, _("The file is not readable CSV.")) from None
    return Table("csv", header, rows, encoding, delimiter)


def _read_xlsx(data: bytes, filename: str) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileInputError(filename, None, None, _("The file is not a readable XLSX workbook.")) from None
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        first = next(it, None)
        if first is None:
            raise FileInputError(filename, None, None, _("The first sheet is empty."))
        header = [_cell(h) for h in first]
        rows = _collect(filename, ((n, [_cell(c) for c in r]) for n, r in enumerate(it, start=2)))
    finally:
        wb.close()
    return Table("xlsx", header, rows)


def _read_json(data: bytes, filename: str) -> Table:
    text, encoding = _decode(data, filename)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileInputError(filename, exc.lineno, None, _("The file is not valid JSON.")) from None
    if isinstance(parsed, dict):
        parsed = next((v for v in parsed.values() if isinstance(v, list)), None)
    if not isinstance(parsed, list):
        raise FileInputError(filename, None, None, _("The JSON must be a list of records."))
    if len(parsed) > max_rows():
        raise _too_many_rows(filename)
    headers: list[str] = []
    for n, item in enumerate(parsed, start=1):
        if not isinstance(item, dict):
            raise FileInputError(filename, n, None, _("This record is not an object."))
        for key in item:
            if str(key) not in headers:
                headers.append(str(key))
    rows = [(n, [_cell(item.get(h)) for h in headers]) for n, item in enumerate(parsed, start=1)]
    return Table("json", headers, _collect(filename, rows), encoding)


def read_table(data: bytes, filename: str) -> Table:
    """Read list bytes; raises ``FileInputError`` for a file too large, unreadable or with too many rows."""
    if len(data) > max_bytes():
        raise FileInputError(filename, None, None, _("The file is larger than %(mb)s MB.")
                             % {"mb": max_bytes() // (1024 * 1024)})
    if not data.strip():
        raise FileInputError(filename, None, None, _("The file is empty."))
    lower = filename.lower()
    if data.startswith(b"PK\x03\x04") or lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, filename)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if lower.endswith(".json") or head in (b"[", b"{"):
        return _read_json(data, filename)
    return _read_csv(data, filename)


# --- mapping ------------------------------------------------------------------------------------


def _norm(header: str) -> str:
    h = header.lower().replace("\ufeff", "")
    h = re.sub("[’ʼ`´‘]", "'", h)
    h = re.sub(r"[._]", " ", h) if "/" not in h else h.replace("_", " ")
    h = re.sub(r"\s+", " ", h).strip(" :*")
    return h


def _lookup(header: str) -> str | None:
    h = _norm(header)
    if h in _HEADER_INDEX:
        return _HEADER_INDEX[h]
    squeezed = h.replace(" ", "").replace(".", "")
    for syn, f in _HEADER_INDEX.items():
        if squeezed == syn.replace(" ", "").replace(".", ""):
            return f
    return None


def detect_mapping(headers: list[str]) -> dict[str, int | None]:
    """Field -> column index for every field, ``None`` where no column was recognised."""
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)
    for i, header in enumerate(headers):
        f = _lookup(header)
        if f is not None and mapping[f] is None:
            mapping[f] = i
    # "name" alone next to a surname column is the given name; without one, it is a full name.
    if mapping["surname"] is None and mapping["given_name"] is not None and mapping["full_name"] is None:
        if _norm(headers[mapping["given_name"]]) == "name":
            mapping["full_name"], mapping["given_name"] = mapping["given_name"], None
    return mapping


def clean_mapping(raw: Mapping[str, Any], headers: list[str]) -> dict[str, int | None]:
    """A mapping from a form or a stored JSON: indices within the header, unknown fields dropped."""
    out: dict[str, int | None] = dict.fromkeys(FIELDS)
    for f in FIELDS:
        value = raw.get(f)
        try:
            index = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            index = None
        out[f] = index if index is not None and 0 <= index < len(headers) else None
    return out


# --- checking -----------------------------------------------------------------------------------


def parse_sex(value: str) -> str | None:
    """``M``, ``F`` or ``""`` (unknown) for a sex written in English, Ukrainian or Russian; ``None`` if not one."""
    v = value.strip().lower().rstrip(".")
    return _SEX_INDEX.get(v)


def _dup_key(values: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(values.get(k) or "").casefold() for k in ("surname", "given_name", "patronymic", "birth_date"))


def check_rows(table: Table, mapping: Mapping[str, int | None], *, today: dt.date | None = None) -> CheckResult:
    """Validate every row: required fields, real dates, sex values, lengths and duplicates in the file."""
    today = today or dt.date.today()
    valid: list[ParsedRow] = []
    invalid: list[ParsedRow] = []
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple[str, ...], int] = {}
    headers = table.headers

    def col(f: str) -> str:
        i = mapping.get(f)
        return headers[i] if i is not None and i < len(headers) else ""

    for number, cells in table.rows:
        raw = {headers[i] if i < len(headers) and headers[i] else f"column {i + 1}": c for i, c in enumerate(cells)}

        def get(f: str, cells: list[str] = cells) -> str:
            i = mapping.get(f)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        row_problems: list[Problem] = []
        values: dict[str, Any] = {f: get(f) for f in ("record_id", "surname", "given_name", "patronymic",
                                                     "birth_place")}
        full = get("full_name")
        if full and not (values["surname"] and values["given_name"]):
            s, g, p = split_full_name(full)
            values["surname"] = values["surname"] or s
            values["given_name"] = values["given_name"] or g
            values["patronymic"] = values["patronymic"] or p
        for f in REQUIRED:
            if not values[f]:
                src = f if mapping.get(f) is not None or mapping.get("full_name") is None else "full_name"
                row_problems.append(Problem(number, f, "required", col(src)))
        for f in ("record_id", "surname", "given_name", "patronymic", "birth_place"):
            limit = MAX_TEXT * 2 if f == "birth_place" else MAX_TEXT
            if len(values[f]) > limit:
                row_problems.append(Problem(number, f, "too_long", col(f)))
        values["birth_date"], values["birth_date_precision"] = None, ""
        date_text = get("birth_date")
        if date_text:
            try:
                parsed = parse_date(date_text, reference=today)
            except DateError:
                row_problems.append(Problem(number, "birth_date", "bad_date", col("birth_date")))
            else:
                if parsed.value is not None and parsed.value > today:
                    row_problems.append(Problem(number, "birth_date", "future_date", col("birth_date")))
                values["birth_date"] = parsed.value
                values["birth_date_precision"] = parsed.precision if parsed.value else "unknown"
        sex_text = get("sex")
        sex = parse_sex(sex_text) if sex_text else ""
        if sex is None:
            row_problems.append(Problem(number, "sex", "bad_sex", col("sex")))
            sex = ""
        values["sex"] = sex
        if not row_problems:
            rid = values["record_id"].casefold()
            if rid and rid in seen_ids:
                row_problems.append(Problem(number, "record_id", "duplicate", col("record_id"), seen_ids[rid]))
            key = _dup_key(values)
            if not row_problems and key in seen_keys:
                row_problems.append(Problem(number, "surname", "duplicate", col("surname") or col("full_name"),
                                            seen_keys[key]))
            if not row_problems:
                if rid:
                    seen_ids[rid] = number
                seen_keys[key] = number
        parsed_row = ParsedRow(number, values, raw)
        if row_problems:
            invalid.append(parsed_row)
            problems.extend(row_problems)
        else:
            valid.append(parsed_row)
    return CheckResult(valid, invalid, problems)


# --- exports ------------------------------------------------------------------------------------

def problems_csv(problems: Iterable[Problem]) -> str:
    """The row report as CSV text: row, field, column, problem. Names rows and fields, never values."""
    buf = io.StringIO()
    w = exports.csv_writer(buf)
    w.writerow(["row", "field", "column", "problem"])
    for p in problems:
        w.writerow([p.row, p.field, p.column, p.text()])
    return buf.getvalue()
