"""List exchange commands: ``homeward lists …`` and ``homeward sign``.

``homeward sign`` works without a database; the ``lists`` commands set Django up on first use and
act as the operator (the mediator's view).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import click


def _setup() -> None:
    from homeward.cli._django import setup

    setup()


@click.group()
def lists() -> None:
    """Lists of children exchanged between the parties through the mediator.

    \b
    Examples:
      homeward lists import ua-sought.csv --party UA --title "Sought in RU"
      homeward lists list
      homeward lists diff 3 4
      homeward lists export 4 --format pdf --out report.pdf
    """


@lists.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--party", "party_code", required=True, help="Submitting party, e.g. UA.")
@click.option("--title", required=True, help="List title; the same title again makes a new version.")
@click.option("--concerning", "concerning_code", default="", help="The other party (default: the other authority).")
@click.option("--accept-valid", is_flag=True, help="Keep the valid rows when some are invalid (default: reject all).")
@click.option("--signature", "signature_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Detached signature made with `homeward sign`.")
def lists_import(file: Path, party_code: str, title: str, concerning_code: str, accept_valid: bool,
                 signature_file: Path | None) -> None:
    """Import FILE (CSV, XLSX or JSON) as a new version of the party's list TITLE.

    Prints the new version's id as the last line.  If any row is invalid (and without
    --accept-valid) nothing is stored but the rejection; the row report goes to stderr and the
    command exits 1.

    \b
    Examples:
      homeward lists import ua-sought.csv --party UA --title "Sought in RU"
      homeward lists import ua.xlsx --party UA --title "Sought in RU" --accept-valid --signature ua.xlsx.sig
    """
    _setup()
    from homeward.access import OPERATOR
    from homeward.accounts.models import Party
    from homeward.exceptions import FileInputError, InputError
    from homeward.exchange import services

    party = Party.objects.filter(code=party_code.upper()).first()
    if party is None:
        raise click.BadParameter("no such party", param_hint="--party")
    concerning = None
    if concerning_code:
        concerning = Party.objects.filter(code=concerning_code.upper()).first()
        if concerning is None:
            raise click.BadParameter("no such party", param_hint="--concerning")
    signature = signature_file.read_text(encoding="utf-8") if signature_file else ""
    try:
        outcome = services.import_list(OPERATOR, party=party, title=title, filename=file.name,
                                       data=file.read_bytes(), concerning=concerning, accept_valid=accept_valid,
                                       signature=signature, via="cli")
    except FileInputError as exc:
        click.echo(f"FAIL: {exc}", err=True)
        sys.exit(1)
    except InputError as exc:
        click.echo("FAIL: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items()), err=True)
        sys.exit(1)
    check = outcome.check
    if outcome.version is None:
        assert outcome.rejection is not None
        for p in check.problems:
            click.echo(f"{file.name}, row {p.row}, field {p.field!r}: {p.text()}", err=True)
        click.echo(f"REJECTED: {len(check.invalid)} of {check.total} rows invalid; nothing stored "
                   f"(rejection #{outcome.rejection.pk}). Fix the rows or use --accept-valid.", err=True)
        sys.exit(1)
    v = outcome.version
    for p in check.problems:
        click.echo(f"left out: row {p.row}, field {p.field!r}: {p.text()}", err=True)
    click.echo(f"List #{v.party_list_id} version {v.number}: {v.accepted_count} names, {v.rejected_count} rows "
               f"left out; sha256 {v.sha256}; ledger entry {v.ledger_index}"
               + (f"; signed by {v.signature_key}" if v.signature_key else ""))
    click.echo(str(v.pk))


@lists.command("list")
def lists_list() -> None:
    """Print every list version: id, list, parties, version, names, upload time, hash.

    \b
    Example:
      homeward lists list
    """
    _setup()
    from homeward.exchange.models import ListVersion

    click.echo("version\tlist\tfrom\tto\tnumber\tnames\trejected\tuploaded\tsha256\ttitle")
    for v in ListVersion.objects.select_related("party_list", "party_list__party", "party_list__concerning") \
            .order_by("party_list_id", "number"):
        pl = v.party_list
        click.echo(f"{v.pk}\t{pl.pk}\t{pl.party.code}\t{pl.concerning.code}\t{v.number}\t{v.accepted_count}\t"
                   f"{v.rejected_count}\t{v.uploaded_at:%Y-%m-%dT%H:%M:%SZ}\t{v.sha256[:16]}\t{pl.title}")


@lists.command("diff")
@click.argument("a", type=int)
@click.argument("b", type=int)
def lists_diff(a: int, b: int) -> None:
    """Show names added (+), removed (-) and changed (~, field by field) from version A to version B.

    \b
    Example:
      homeward lists diff 3 4
    """
    _setup()
    from homeward.exchange import diff
    from homeward.exchange.models import ListVersion

    va, vb = ListVersion.objects.filter(pk=a).first(), ListVersion.objects.filter(pk=b).first()
    if va is None or vb is None:
        raise click.ClickException("no such version")
    if va.party_list_id != vb.party_list_id:
        raise click.ClickException("the versions belong to different lists")
    d = diff.diff_entries(list(va.entries.all()), list(vb.entries.all()))
    for e in d.added:
        click.echo(f"+ row {e.row}: {e.full_name} {e.birth_date or ''}".rstrip())
    for e in d.removed:
        click.echo(f"- row {e.row}: {e.full_name} {e.birth_date or ''}".rstrip())
    for c in d.changed:
        for ch in c.changes:
            click.echo(f"~ row {c.old.row}->{c.new.row}: {ch.field}: {ch.old or ''} -> {ch.new or ''}")
    click.echo(f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed, {d.unchanged} unchanged",
               err=True)


@lists.command("export")
@click.argument("version_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here (default: stdout).")
def lists_export(version_id: int, fmt: str, out: Path | None) -> None:
    """Export the reconciliation report of a version as CSV, XLSX or PDF.

    \b
    Examples:
      homeward lists export 4 --format xlsx --out list4.xlsx
      homeward lists export 4 --format csv > list4.csv
    """
    _setup()
    from homeward.access import OPERATOR
    from homeward.exchange import reports
    from homeward.exchange.models import ListVersion

    v = ListVersion.objects.select_related("party_list").filter(pk=version_id).first()
    if v is None:
        raise click.ClickException("no such version")
    render = {"csv": reports.to_csv, "xlsx": reports.to_xlsx, "pdf": reports.to_pdf}[fmt]
    data = render(reports.build(OPERATOR, v))
    if out:
        out.write_bytes(data)
        click.echo(str(out))
    else:
        sys.stdout.buffer.write(data)


@click.command("sign")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your party's private key (homeward keys generate).")
@click.option("--party", "party_code", default="", help="Your party code (default: from the key name, ua.x -> UA).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Signature file (default: FILE.sig).")
def sign(file: Path, key_file: Path, party_code: str, out: Path | None) -> None:
    """Sign FILE with your party's key: a detached signature over its SHA-256, for `lists import --signature`.

    Works offline, without a database. The server verifies it with your party's registered keys.

    \b
    Examples:
      homeward sign ua-sought.csv --key ~/.homeward/ua.key
      homeward sign ua-sought.csv --key ua.key --party UA --out ua-sought.sig
    """
    from homeward.ledger.entry import statement
    from homeward.ledger.errors import LedgerError
    from homeward.ledger.note import Signer

    try:
        signer = Signer.from_skey(key_file.read_text())
    except (LedgerError, ValueError) as exc:
        raise click.ClickException(f"{key_file}: not a private key ({exc})") from None
    party = (party_code or signer.name.split(".", 1)[0]).upper()
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    text = statement("list_submission", party, "file", digest)
    target = out or file.with_name(file.name + ".sig")
    target.write_text(signer.sign(text), encoding="utf-8")
    click.echo(f"Signed sha256 {digest} as {signer.name} for party {party}.", err=True)
    click.echo(str(target))


COMMANDS: list[click.Command] = [lists, sign]
