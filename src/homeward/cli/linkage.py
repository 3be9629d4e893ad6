"""``homeward link`` and ``homeward dedupe``: the matcher on files, without a database or Django."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from homeward import exports

LINK_EXAMPLES = """\b
Examples:
  homeward link ua.csv ru.xlsx --out pairs.csv
  homeward link ua.json ru.csv --out pairs.csv --threshold 0.9
  homeward link ua.csv ru.csv --out pairs.csv --ambiguous ambiguous.csv
  homeward link ua.csv ru.csv --out pairs.csv --labels reviewed.csv
\b
Input: CSV (UTF-8, UTF-8 with BOM or cp1251; comma, semicolon or tab), XLSX (first sheet)
or a JSON list of objects, with the columns
  record_id, given_name, surname, patronymic, sex, birth_date, birth_place
(only record_id must be filled; names in Ukrainian, Russian or Latin script).
\b
Output: left_id,right_id,match_probability,match_weight,explanation -- one best link per
record, match_probability >= threshold. The trained model is saved next to it as
PAIRS.model.json (its model_version is a hash of the parameters).
--ambiguous FILE: group,left_id,right_id,match_probability,match_weight,explanation -- one
row per rival of a record ("left:ID" or "right:ID" in group) for which two or more records of
the other list are about equally likely (weights within 1 bit, together >= threshold); such
pairs are left out of PAIRS, not picked at random.
--labels FILE: left_id,right_id,is_match -- pairs labelled the same child give m (Splink's
estimate from pairwise labels) next to EM and are linked; pairs labelled different children
are never linked (a reviewer's decision is final).
\b
If the trained model fails its sanity checks (EM collapsed: e.g. "same given name" counted as
evidence against a match), the run repairs it or uses the reference model's parameters,
chooses by likelihood on pairs it was not trained on, and says so in "warning:" lines on
stderr and in the model file's training_report.
Exit code 2 with one line naming the file and column if an input cannot be used.
"""

DEDUPE_EXAMPLES = """\b
Examples:
  homeward dedupe registry.csv --out clusters.csv
  homeward dedupe list.xlsx --out clusters.csv --threshold 0.9
\b
Writes cluster_id,record_id for every record (a record alone is its own cluster);
records of one cluster describe the same child. The model is saved as CLUSTERS.model.json.
"""


def _fail(message: str) -> NoReturn:
    click.echo(" ".join(message.split()), err=True)
    sys.exit(2)


class _Bar:
    """tqdm progress bar on stderr driven by the core's (stage, fraction) callback."""

    def __init__(self, enabled: bool) -> None:
        self._bar: Any = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=100, file=sys.stderr, unit="%", bar_format="{desc:<12} {bar} {n:.0f}%")

    def __call__(self, stage: str, fraction: float) -> None:
        if self._bar is None:
            return
        self._bar.set_description_str(stage)
        self._bar.update(max(0.0, 100 * fraction - self._bar.n))

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _read(path: str) -> list[dict[str, str]]:
    from homeward.linkage.core import InputError, read_records

    try:
        return read_records(path)
    except InputError as exc:
        _fail(str(exc))


AMBIGUOUS_COLUMNS = ["group", "left_id", "right_id", "match_probability", "match_weight", "explanation"]
_TRUE, _FALSE = {"1", "true", "yes", "y", "same"}, {"0", "false", "no", "n", "different"}


def _read_labels(path: str) -> list[tuple[str, str, bool]]:
    """left_id,right_id,is_match rows; a bad row ends with exit code 2 naming the file, row and column."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            missing = [c for c in ("left_id", "right_id", "is_match") if c not in (reader.fieldnames or [])]
            if missing:
                _fail(f"{path}: missing column {missing[0]!r}")
            out = []
            for row_no, row in enumerate(reader, start=2):
                value = (row.get("is_match") or "").strip().lower()
                if value not in _TRUE | _FALSE:
                    _fail(f"{path}: row {row_no}, column 'is_match': not 1/0, true/false or yes/no")
                left_id, right_id = (row.get("left_id") or "").strip(), (row.get("right_id") or "").strip()
                if not left_id or not right_id:
                    _fail(f"{path}: row {row_no}, column {'left_id' if not left_id else 'right_id'!r}: empty")
                out.append((left_id, right_id, value in _TRUE))
            return out
    except OSError as exc:
        _fail(f"{path}: cannot read ({exc.strerror})")
    except UnicodeDecodeError:
        _fail(f"{path}: not UTF-8 text")


def _warn(stats: dict[str, Any]) -> None:
    """The run's warnings on stderr, one line each (a failed training check, the model chosen instead)."""
    for warning in stats.get("warnings", []):
        click.echo("warning: " + " ".join(str(warning).split()), err=True)


def _model_path(out: str) -> Path:
    p = Path(out)
    return p.with_name(p.stem + ".model.json")


def _save_model(out: str, model_json: str) -> Path:
    path = _model_path(out)
    path.write_text(model_json, encoding="utf-8")
    return path


@click.command("link", epilog=LINK_EXAMPLES)
@click.argument("left", type=click.Path(dir_okay=False))
@click.argument("right", type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Pairs CSV to write.")
@click.option(
    "--threshold",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="Lowest match probability written.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--ambiguous",
    "ambiguous_out",
    type=click.Path(dir_okay=False),
    help="Also write the ambiguous groups (records with two or more about equally likely rivals) here.",
)
@click.option(
    "--labels",
    "labels_file",
    type=click.Path(dir_okay=False),
    help="Reviewers' labels to fit on: CSV with left_id,right_id,is_match (1/0, true/false, yes/no).",
)
def link_command(
    left: str, right: str, out: str, threshold: float, quiet: bool, ambiguous_out: str | None, labels_file: str | None
) -> None:
    """Match two lists of children (e.g. a Ukrainian and a Russian list) across scripts."""
    from homeward.linkage.core import LinkageError, link

    left_rows, right_rows = _read(left), _read(right)
    labels = _read_labels(labels_file) if labels_file else []
    bar = _Bar(not quiet)
    try:
        result = link(left_rows, right_rows, threshold=threshold, progress=bar, labels=labels)
    except LinkageError as exc:
        bar.close()
        _fail(str(exc).replace("left list", left).replace("right list", right))
    bar.close()
    try:
        with open(out, "w", newline="", encoding="utf-8") as f:
            w = exports.csv_writer(f)
            w.writerow(["left_id", "right_id", "match_probability", "match_weight", "explanation"])
            for x in result.links:
                w.writerow(
                    [x.left_id, x.right_id, f"{x.match_probability:.6f}", f"{x.match_weight:.2f}", x.explanation]
                )
        model_path = _save_model(out, result.model_json())
    except OSError as exc:
        _fail(f"{out}: cannot write ({exc.strerror})")
    if ambiguous_out:
        try:
            with open(ambiguous_out, "w", newline="", encoding="utf-8") as f:
                w = exports.csv_writer(f)
                w.writerow(AMBIGUOUS_COLUMNS)
                for a in result.ambiguous:
                    w.writerow([a.group, a.left_id, a.right_id, f"{a.match_probability:.6f}",
                                f"{a.match_weight:.2f}", a.explanation])
        except OSError as exc:
            _fail(f"{ambiguous_out}: cannot write ({exc.strerror})")
    _warn(result.stats)
    groups = result.stats.get("ambiguous_groups", 0)
    click.echo(
        f"{len(result.links)} links -> {out} (model {result.model_version} -> {model_path})"
        + (f"; {groups} ambiguous groups" + (f" -> {ambiguous_out}" if ambiguous_out else "") if groups else ""),
        err=True,
    )


@click.command("dedupe", epilog=DEDUPE_EXAMPLES)
@click.argument("list_file", metavar="LIST", type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Clusters CSV to write.")
@click.option(
    "--threshold",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="Lowest match probability that joins two records.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def dedupe_command(list_file: str, out: str, threshold: float, quiet: bool) -> None:
    """Find records of one list that describe the same child."""
    from homeward.linkage.core import LinkageError, dedupe

    rows = _read(list_file)
    bar = _Bar(not quiet)
    try:
        result = dedupe(rows, threshold=threshold, progress=bar)
    except LinkageError as exc:
        bar.close()
        _fail(str(exc).replace("list", list_file, 1))
    bar.close()
    try:
        with open(out, "w", newline="", encoding="utf-8") as f:
            w = exports.csv_writer(f)
            w.writerow(["cluster_id", "record_id"])
            for cid, members in result.clusters.items():
                for rid in members:
                    w.writerow([cid, rid])
        model_path = _save_model(out, result.model_json())
    except OSError as exc:
        _fail(f"{out}: cannot write ({exc.strerror})")
    _warn(result.stats)
    multi = sum(1 for m in result.clusters.values() if len(m) > 1)
    click.echo(
        f"{len(rows)} records, {multi} clusters with duplicates -> {out} "
        f"(model {result.model_version} -> {model_path})",
        err=True,
    )


COMMANDS: list[click.Command] = [link_command, dedupe_command]

__all__ = ["COMMANDS", "dedupe_command", "link_command"]
