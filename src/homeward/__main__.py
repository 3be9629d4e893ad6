"""``python -m homeward`` is the same as the ``homeward`` command."""

from homeward.cli import main

main()
