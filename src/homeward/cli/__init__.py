"""The ``homeward`` command line: one thin command per library function.

Commands that touch the database set Django up on first use (``homeward.cli._django``); the
matching and claim-extraction commands work without a database or Django settings.
Each domain contributes its commands from its own module listed in ``_COMMAND_MODULES``.
"""

from __future__ import annotations

import importlib

import click

from homeward import __version__

_COMMAND_MODULES = [
    "homeward.cli.core",
    "homeward.cli.linkage",
    "homeward.cli.ledger",
    "homeward.cli.lists",
    "homeward.cli.operations",
    "homeward.cli.claims",
    "homeward.cli.ops",
    "homeward.cli.search",
    "homeward.cli.tokens",
    "homeward.cli.twofactor",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="homeward")
def main() -> None:
    """Homeward: tracing children separated by war and bringing them home.

    \b
    Quick start:
      homeward demo                      # demo database + server on http://127.0.0.1:8000
      homeward link ua.csv ru.csv --out pairs.csv
      homeward --help / homeward COMMAND --help
    """


for _name in _COMMAND_MODULES:
    for _command in importlib.import_module(_name).COMMANDS:
        main.add_command(_command)
