"""Per-connection tuning (``homeward.dbconn``): on PostgreSQL, times with a time zone are parsed by psycopg's C
loader and still come back exactly as Django's own loader gives them (aware, in UTC)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL connection's loader")


@postgres_only
def test_a_postgresql_connection_loads_times_with_the_c_loader() -> None:
    from homeward import dbconn

    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(
        connection.connection.adapters.types["timestamptz"].oid, 0)
    assert dbconn._LOADER is not None and loader is dbconn._LOADER


@postgres_only
def test_times_read_from_postgresql_are_aware_and_in_utc_as_django_gives_them() -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT '2026-03-29 01:30:00.25+02'::timestamptz, '1999-12-31 23:59:59-11'::timestamptz, "
                    "NULL::timestamptz")
        summer, new_year, nothing = cur.fetchone()
    assert summer == dt.datetime(2026, 3, 28, 23, 30, 0, 250000, tzinfo=dt.UTC) and summer.tzinfo is dt.UTC
    assert new_year == dt.datetime(2000, 1, 1, 10, 59, 59, tzinfo=dt.UTC) and new_year.tzinfo is dt.UTC
    assert nothing is None


def test_a_saved_time_reads_back_equal_and_in_utc(users: dict) -> None:
    from homeward.accounts.models import AuditEvent

    event = AuditEvent.objects.create(user=users["ua"], action="read", object_type="child")
    again = AuditEvent.objects.get(pk=event.pk)
    assert again.at == event.at and again.at.utcoffset() == dt.timedelta(0)
