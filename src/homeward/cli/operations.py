"""Return operations: list them, print a leg's manifest."""

from __future__ import annotations

from pathlib import Path

import click

from homeward.cli import _django


@click.group(name="operations")
def operations() -> None:
    """Return operations: groups travelling home, their legs and manifests.

    \b
    Example:
      homeward operations list
    """


@operations.command(name="list")
@click.option("--status", default=None, help="Only operations in this status (planning, confirmed, under_way, "
              "completed, cancelled).")
def list_operations(status: str | None) -> None:
    """One line per operation: id, name, direction, status, planned dates and number of people.

    \b
    Example:
      homeward operations list --status completed
    """
    _django.setup()
    from django.db.models import Count, Q

    from homeward.returns.models import ReturnOperation

    qs = ReturnOperation.objects.select_related("from_party", "to_party").annotate(
        people=Count("members"), kids=Count("members", filter=Q(members__kind="child"))).order_by("planned_start", "id")
    if status:
        qs = qs.filter(status=status)
    rows = list(qs)
    if not rows:
        click.echo("No operations.")
        return
    for op in rows:
        click.echo(f"{op.pk:>4}  {op.name:<40}  {op.direction:<8}  {op.status:<10}  "
                   f"{op.planned_start:%Y-%m-%d}  {op.people:>3} people ({op.kids} children)")


@operations.command(name="manifest")
@click.argument("operation_id", type=int)
@click.option("--leg", "leg_number", type=int, required=True, help="Leg number (1 = the first leg).")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True,
              help="Where to write the PDF.")
def manifest(operation_id: int, leg_number: int, out: Path) -> None:
    """Write the printable manifest of one leg as PDF, watermarked for the command-line operator.

    \b
    Example:
      homeward operations manifest 3 --leg 1 --out manifest.pdf
    """
    _django.setup()
    from homeward.accounts import audit
    from homeward.returns import manifest as manifests
    from homeward.returns.models import Leg, ReturnOperation

    op = ReturnOperation.objects.select_related("from_party", "to_party").filter(pk=operation_id).first()
    if op is None:
        raise click.ClickException(f"No operation #{operation_id}.")
    leg = Leg.objects.filter(operation=op, sequence=leg_number).first()
    if leg is None:
        raise click.ClickException(f"Operation #{operation_id} has no leg {leg_number}.")
    out.write_bytes(manifests.render(None, op, leg))
    out.chmod(0o600)
    audit.record(None, "export", op, via="cli")
    click.echo(f"Manifest of operation #{op.pk}, leg {leg.sequence}: {len(manifests.rows(None, op))} people "
               f"written to {out}.")


COMMANDS: list[click.Command] = [operations]
