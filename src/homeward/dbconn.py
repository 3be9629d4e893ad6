"""Per-connection tuning of the database driver (hooked to ``connection_created`` in ``AccountsConfig.ready``).

PostgreSQL: Django registers, on each psycopg connection, a timestamp-with-time-zone loader of its own, a
Python subclass of psycopg's pure-Python loader that parses each value in Python and then relabels it with the
configured zone. With ``USE_TZ`` and the connection in UTC (Django sets its session's ``TimeZone`` to UTC)
psycopg's C loader already returns exactly that value, ``tzinfo=datetime.UTC``, ~5 µs sooner per value
(docs/benchmarks.md); every list page and API page loads hundreds of them. The loader registered here hands
each value to the C loader and keeps the ``timezone`` attribute Django's cursors check.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def _utc_loader() -> type | None:
    try:
        import psycopg
        from psycopg.adapt import Loader
    except ImportError:  # SQLite only
        return None
    oid = psycopg.adapters.types["timestamptz"].oid
    found = psycopg.adapters.get_loader(oid, psycopg.pq.Format.TEXT)  # the C loader when psycopg[binary] is there
    if found is None or found.__module__.startswith("psycopg.types"):  # the pure-Python one: nothing to gain
        return None
    fast: Any = found

    class UtcTimestamptzLoader(Loader):
        timezone = dt.UTC  # django.db.backends.postgresql.base.DatabaseWrapper.create_cursor compares this

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._load = fast(oid, context).load

        def load(self, data: Any) -> dt.datetime:
            return self._load(data)

    return UtcTimestamptzLoader


_LOADER = _utc_loader()


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "postgresql" or _LOADER is None or connection.timezone is not dt.UTC:
        return
    if connection.connection.pgconn.parameter_status(b"TimeZone") != b"UTC":
        return
    connection.connection.adapters.register_loader("timestamptz", _LOADER)
