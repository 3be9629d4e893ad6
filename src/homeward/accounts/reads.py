"""Reads that every request makes, each written once per database connection as one statement.

A signed-in page loads its user with their party, an API request its bearer token's user with theirs. As
querysets, building and compiling each of these cost ~1,300-3,000 Python calls of every request (~16 % of
``GET /api/v1/children``, by ``benchmarks/load/profile_routes.py --calls``); the statement is the same on every
request, so it is written once per connection here, with the models' own table and column names, and its rows
become model instances as the ORM makes them (``Model.from_db``, each column through the converters the ORM
applies). ``tests/test_tokens.py`` and ``tests/test_request_costs.py`` compare them with the ORM's reads.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable
from typing import Any

from homeward.accounts.models import Party, User

Selected = list[tuple[str, Any]]  # (table alias, model field), in the statement's order


@dataclasses.dataclass(frozen=True)
class Statement:
    """One connection's statement and each selected column's converters."""

    sql: str
    columns: list[tuple[Any, list[Any]]]  # (Col expression, its converters)

    def fetch_one(self, connection: Any, params: list[Any]) -> list[Any] | None:
        """The first row (converted as the ORM converts it), or ``None``."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for i, (col, converters) in enumerate(self.columns):
            for convert in converters:
                values[i] = convert(values[i], col, connection)
        return values


_statements: weakref.WeakKeyDictionary[Any, dict[str, Statement]] = weakref.WeakKeyDictionary()


def statement(connection: Any, name: str, build: Callable[[Callable[[str], str]], tuple[Selected, str]]) -> Statement:
    """The statement ``name`` of ``connection``: ``build(quote_name)`` gives the selected columns and the text
    after ``SELECT …`` (``FROM … WHERE …``, values as ``%s`` parameters), once per connection."""
    made = _statements.setdefault(connection, {})
    found = made.get(name)
    if found is None:
        qn = connection.ops.quote_name
        selected, rest = build(qn)
        columns = []
        for alias, field in selected:
            col = field.get_col(alias)
            columns.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
        # Only the models' own (quoted) table and column names are in the text; every value is a parameter.
        sql = f"SELECT {', '.join(f'{alias}.{qn(field.column)}' for alias, field in selected)} {rest}"
        found = made[name] = Statement(sql, columns)
    return found


def column(qn: Callable[[str], str], alias: str, model: Any, name: str) -> str:
    """``alias."column"`` of the field ``name`` of ``model``."""
    return f"{alias}.{qn(model._meta.get_field(name).column)}"


USER_FIELDS = [f.attname for f in User._meta.concrete_fields]
PARTY_FIELDS = [f.attname for f in Party._meta.concrete_fields]
_PARTY_PK = PARTY_FIELDS.index(Party._meta.pk.attname)


def user_selected() -> Selected:
    """The columns ``user_with_party`` reads: the user's (alias ``u``), then their party's (alias ``p``)."""
    return [("u", f) for f in User._meta.concrete_fields] + [("p", f) for f in Party._meta.concrete_fields]


def party_join(qn: Callable[[str], str]) -> str:
    """``LEFT OUTER JOIN … p ON …``: the party of the user ``u`` (a user may have none)."""
    return (f"LEFT OUTER JOIN {qn(Party._meta.db_table)} p "
            f"ON p.{qn(str(Party._meta.pk.column))} = {column(qn, 'u', User, 'party')}")


def user_with_party(alias: str, values: list[Any]) -> User:
    """The user of ``values`` (``user_selected``'s columns, converted), their party loaded with them as
    ``select_related("party")`` loads it."""
    n = len(USER_FIELDS)
    user = User.from_db(alias, USER_FIELDS, values[:n])
    party_values = values[n:n + len(PARTY_FIELDS)]
    party = None if party_values[_PARTY_PK] is None else Party.from_db(alias, PARTY_FIELDS, party_values)
    User._meta.get_field("party").set_cached_value(user, party)
    return user


def _session_user(qn: Callable[[str], str]) -> tuple[Selected, str]:
    return user_selected(), (f"FROM {qn(User._meta.db_table)} u {party_join(qn)} "
                             f"WHERE u.{qn(str(User._meta.pk.column))} = %s")


def user_by_id(user_id: Any) -> User | None:
    """``User.objects.select_related("party").get(pk=user_id)``, or ``None`` when there is no such user."""
    from django.db import connections

    connection = connections[User.objects.db]
    values = statement(connection, "session_user", _session_user).fetch_one(
        connection, [User._meta.pk.get_db_prep_value(user_id, connection)])
    return None if values is None else user_with_party(connection.alias, values)


def by_pk(model: Any, pk: Any) -> Any:
    """``model.objects.filter(pk=pk).first()``: every concrete field, in one statement written once per model."""
    from django.db import connections

    connection = connections[model.objects.db]
    meta = model._meta

    def build(qn: Callable[[str], str]) -> tuple[Selected, str]:
        return [("d", f) for f in meta.concrete_fields], (
            f"FROM {qn(meta.db_table)} d WHERE d.{qn(str(meta.pk.column))} = %s")

    values = statement(connection, f"by_pk:{meta.label}", build).fetch_one(
        connection, [meta.pk.get_db_prep_value(pk, connection)])
    return None if values is None else model.from_db(connection.alias, [f.attname for f in meta.concrete_fields],
                                                     values)


_counts: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def count(connection: Any, name: str, build: Callable[[Callable[[str], str]], str], params: list[Any]) -> int:
    """``SELECT COUNT(*) …``: ``build(quote_name)`` gives the text after ``COUNT(*)``, once per connection."""
    made = _counts.setdefault(connection, {})
    sql = made.get(name)
    if sql is None:
        sql = made[name] = f"SELECT COUNT(*) {build(connection.ops.quote_name)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0]) if row else 0
