"""``homeward claims``: numeric claims with provenance, extracted from report texts.

Works without a database: nothing here imports Django.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

FIELDS = ("file", "value", "qualifier", "quantity", "direction", "claimant", "as_of", "scope", "start", "end",
          "text")


@click.group(name="claims")
def claims() -> None:
    """Figures with provenance: find numeric claims about children and people moved by the war."""


def _published(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD, e.g. 2025-03-14")


@claims.command(name="extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="Output format: one JSON object per claim.")
@click.option("--published", callback=_published, metavar="YYYY-MM-DD",
              help="Publication date of the report(s); resolves 'on Tuesday', 'as of June 2', "
                   "'in July last year'. Without it only explicit dates are resolved.")
@click.option("--outlet", default=None, help="Outlet to credit when the text attributes a figure to no one "
                                             "(default: taken from a dateline such as '(Reuters) -').")
@click.option("--all", "include_vague", is_flag=True,
              help="Also print vague amounts ('thousands of children') with value null.")
def extract_cmd(files: tuple[str, ...], fmt: str, published: date | None, outlet: str | None,
                include_vague: bool) -> None:
    """Print every numeric claim in FILE... as JSON lines.

    Each line has: file, value, qualifier, quantity (deported, returned, reunited, evacuated, adopted,
    identified, other), direction (UA→RU, RU→UA, …), claimant, as_of (YYYY-MM-DD, YYYY-MM or YYYY),
    scope (event or cumulative), start and end (character offsets of the number in the file's text)
    and text (the sentence). Files are read as UTF-8; "-" reads standard input.

    \b
    Examples:
      homeward claims extract report.txt --format jsonl --published 2025-03-14
      homeward claims extract wires/*.txt --published 2024-06-03 --outlet Reuters > claims.jsonl
      echo "Officials said 214 children had been returned." | homeward claims extract -
    """
    from homeward.figures.extract import extract

    for name in files:
        if name == "-":
            text = sys.stdin.read()
        else:
            try:
                text = Path(name).read_bytes().decode("utf-8")  # no newline translation: offsets stay exact
            except (OSError, UnicodeDecodeError) as exc:
                raise click.ClickException(f"cannot read {name}: {exc}")
        for claim in extract(text, published=published, outlet=outlet):
            if claim.value is None and not include_vague:
                continue
            row = {"file": name, **{k: getattr(claim, k) for k in FIELDS if k != "file"}}
            click.echo(json.dumps(row, ensure_ascii=False))


COMMANDS: list[click.Command] = [claims]
