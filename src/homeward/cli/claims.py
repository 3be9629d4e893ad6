"""``homeward claims``: numeric claims with provenance, extracted from report texts.

Works without a database: nothing here imports Django.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click

FIELDS = ("file", "value", "qualifier", "quantity", "direction", "claimant", "as_of", "scope", "start", "end",
          "text")
MANIFEST_FIELDS = ("file", "published", "outlet", "language")
LANGUAGES = ("en", "uk", "ru")
_FRONT = re.compile(r"(?P<key>DATE|SOURCE|OUTLET|LANGUAGE|URL|TITLE)[ \t]*:[ \t]*(?P<value>[^\r\n]*)(?:\r?\n|$)",
                    re.IGNORECASE)


@dataclass
class Job:
    """One text to read, and what is known about it."""

    name: str  # as printed in the "file" field
    path: Path | None  # None: standard input
    published: date | None = None
    outlet: str | None = None
    language: str | None = None


@click.group(name="claims")
def claims() -> None:
    """Figures with provenance: find numeric claims about children and people moved by the war."""


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.ClickException(f"{where}: {value!r} is not a date; use YYYY-MM-DD, e.g. 2025-03-14")


def _published(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD, e.g. 2025-03-14")


def read_manifest(path: Path) -> list[Job]:
    """Jobs from a CSV (with a header row) or JSON-lines manifest: file, published, outlet, language.

    Relative file names are taken from the manifest's folder. A bad row stops everything, naming the row
    and the field, before any text is read.
    """
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"cannot read manifest {path}: {exc}")
    rows: list[tuple[int, dict[str, object]]] = []
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        for i, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path}, line {i}: not JSON ({exc.msg})")
            if not isinstance(row, dict):
                raise click.ClickException(f"{path}, line {i}: expected an object with a \"file\" field")
            rows.append((i, row))
    else:
        reader = csv.DictReader(raw.splitlines())
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise click.ClickException(f"{path}: the header must name the columns {', '.join(MANIFEST_FIELDS)}")
        rows = [(i, dict(r)) for i, r in enumerate(reader, start=2)]
    jobs = []
    for i, row in rows:
        where = f"{path}, {'line' if path.suffix.lower() != '.csv' else 'row'} {i}"
        unknown = sorted(set(row) - set(MANIFEST_FIELDS) - {"url", "title", "id"})
        if unknown:
            raise click.ClickException(f"{where}: unknown field {unknown[0]!r} (fields: {', '.join(MANIFEST_FIELDS)})")
        name = str(row.get("file") or "").strip()
        if not name:
            raise click.ClickException(f"{where}, field \"file\": missing")
        file = Path(name) if Path(name).is_absolute() else path.parent / name
        if not file.is_file():
            raise click.ClickException(f"{where}, field \"file\": no such file {file}")
        published = str(row.get("published") or "").strip()
        language = str(row.get("language") or "").strip().lower() or None
        if language and language not in LANGUAGES:
            raise click.ClickException(
                f"{where}, field \"language\": {language!r} is not one of {', '.join(LANGUAGES)}")
        jobs.append(Job(name, file, _date(published, f"{where}, field \"published\"") if published else None,
                        str(row.get("outlet") or "").strip() or None, language))
    return jobs


def front_matter(text: str) -> tuple[int, dict[str, str]]:
    """Leading ``DATE: 2025-03-14`` / ``SOURCE: Reuters`` lines: (where the body starts, their values)."""
    pos, found = 0, {}
    while True:
        m = _FRONT.match(text, pos)
        if not m:
            break
        found[m.group("key").upper()] = m.group("value").strip()
        pos = m.end()
    if found:
        blank = re.match(r"[ \t]*\r?\n", text[pos:])
        pos += blank.end() if blank else 0
    return pos, found


@claims.command(name="extract")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--manifest", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="CSV (with a header) or JSONL listing file, published, outlet, language per report.")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="Output format: one JSON object per claim.")
@click.option("--published", callback=_published, metavar="YYYY-MM-DD",
              help="Publication date of the report(s); resolves 'on Tuesday', 'as of June 2', "
                   "'in July last year'. A manifest row or a DATE: line in the file wins over it.")
@click.option("--outlet", default=None, help="Outlet to credit when the text attributes a figure to no one "
                                             "(default: a SOURCE: line, else a dateline such as '(Reuters) -').")
@click.option("--all", "include_vague", is_flag=True,
              help="Also print vague amounts ('thousands of children') with value null.")
def extract_cmd(files: tuple[str, ...], manifest: Path | None, fmt: str, published: date | None,
                outlet: str | None, include_vague: bool) -> None:
    """Print every numeric claim in FILE... (or the files of a manifest) as JSON lines.

    Each line has: file, value, qualifier, quantity (deported, returned, reunited, evacuated, adopted,
    identified, other), direction (UA→RU, RU→UA, …), claimant, as_of (YYYY-MM-DD, YYYY-MM or YYYY),
    scope (event or cumulative), start and end (character offsets of the number in the file's text), text
    (the sentence) and trace (the decisions that made the claim, and the numbers of its sentence that were
    dropped, and why). Files are read as UTF-8; "-" reads standard input. A text may start with
    "DATE: 2025-03-14" and "SOURCE: Reuters" lines (then a blank line): they are its publication date and
    outlet.

    \b
    Examples:
      homeward claims extract report.txt --format jsonl --published 2025-03-14
      homeward claims extract --manifest reports.csv > claims.jsonl
      homeward claims extract wires/*.txt --published 2024-06-03 --outlet Reuters
      echo "Officials said 214 children had been returned." | homeward claims extract -

    \b
    A manifest (CSV with a header, or JSONL):
      file,published,outlet,language
      ap-2023-04-08.txt,2023-04-08,AP,en
    """
    from homeward.figures.extract import extract

    if not files and manifest is None:
        raise click.UsageError("give FILE... or --manifest")
    jobs = read_manifest(manifest) if manifest is not None else []
    jobs += [Job(name, None if name == "-" else Path(name)) for name in files]
    for job in jobs:
        if job.path is None:
            text = sys.stdin.read()
        else:
            try:
                text = job.path.read_bytes().decode("utf-8")  # no newline translation: offsets stay exact
            except (OSError, UnicodeDecodeError) as exc:
                raise click.ClickException(f"cannot read {job.name}: {exc}")
        body_at, front = front_matter(text)
        pub = job.published or (_date(front["DATE"], f"{job.name}, DATE: line") if front.get("DATE") else None) \
            or published
        source = job.outlet or front.get("SOURCE") or front.get("OUTLET") or outlet
        lang = job.language or (front.get("LANGUAGE", "").lower() or None)
        for claim in extract(text[body_at:], published=pub, outlet=source, lang=lang):
            if claim.value is None and not include_vague:
                continue
            row = {"file": job.name, **{k: getattr(claim, k) for k in FIELDS if k != "file"}}
            row["start"] += body_at
            row["end"] += body_at
            trace = claim.trace.to_dict()
            for d in trace["dropped"]:
                d["start"] += body_at
                d["end"] += body_at
            row["trace"] = trace
            click.echo(json.dumps(row, ensure_ascii=False))


COMMANDS: list[click.Command] = [claims]
