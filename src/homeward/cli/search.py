"""Name search commands: ``homeward search …``."""

from __future__ import annotations

import click


@click.group()
def search() -> None:
    """The name search index (any script, scheme or form; see docs/search.md).

    \b
    Examples:
      homeward search reindex            # rebuild the index from every record, with progress
    """


@search.command("reindex")
@click.option("--quiet", is_flag=True, help="No progress lines, only the summary.")
def search_reindex(quiet: bool) -> None:
    """Rebuild the name search index from every child (with its other name forms), person, tracing request
    and list name, in one transaction: searches see the old index until the new one is complete.

    Prints one progress line per 5,000 records of each type (to stderr) and a summary of the records (and
    child name forms) indexed.

    \b
    Examples:
      homeward search reindex
      homeward search reindex --quiet
    """
    from homeward.cli._django import setup

    setup()
    from homeward.registry import search as name_search

    def progress(kind: str, done: int, total: int) -> None:
        if not quiet:
            click.echo(f"{kind}: {done:,}/{total:,} records", err=True)

    written = name_search.reindex(progress)
    for kind, n in written.items():
        click.echo(f"{kind}: {n:,} records indexed")


COMMANDS = [search]
