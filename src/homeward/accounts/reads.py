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


# --- querysets compiled once per connection and scope ------------------------------------------------------------
#
# A page's scoped querysets (``access.lists(user)``, ``access.follow_ups(user)…``) are built and compiled anew on
# every request: ~1,000-4,000 Python calls a query, most of a dashboard's work queue (profile_routes.py --tree).
# Their SQL depends only on the kind of scope (the user's role, whether active, whether of a party) and on the
# *number* of values of an ``__in`` list; the values themselves are parameters. So the queryset is built once per
# connection and kind, with stand-in values (sentinels), compiled by the ORM itself, and each request sends the
# same SQL with its own values in the sentinels' places. Its rows go through the converters the ORM applies.
# Building twice with two sets of sentinels finds every parameter that follows the values: one that follows them
# but is not a sentinel (a value the ORM transformed beyond recognition), or SQL text that differs between the two
# (a value written into the text), is refused at the first use (RuntimeError), never sent.

_SENTINEL_BASE = (1_987_654_000, 1_876_543_000)  # two sets of stand-in ints, within a 32-bit id's range


def _sentinel(value: Any, n: int, which: int) -> Any:
    import datetime as dt

    if isinstance(value, bool) or value is None:
        raise TypeError("a prepared value must be an int, str or date")
    if isinstance(value, int):
        return _SENTINEL_BASE[which] + n
    if isinstance(value, dt.datetime):
        raise TypeError("a prepared value must not be a datetime (its adaptation depends on the time zone)")
    if isinstance(value, dt.date):
        return dt.date(1903 + which, 1, 1) + dt.timedelta(days=n)
    if isinstance(value, str):
        return f"\u2063prepared-{which}-{n}\u2063"
    raise TypeError(f"a prepared value must be an int, str or date, not {type(value).__name__}")


@dataclasses.dataclass(frozen=True)
class Prepared:
    """A queryset's SQL with its parameters, and where each value goes."""

    sql: str | None  # None: the queryset is empty whatever the values (``none()``, an empty ``__in``)
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int, bool], ...]  # (parameter index, value index, sent as str)
    kind: str  # "dicts", "tuples", "flat" or "count"
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]  # (column, converters, expression)

    def run(self, connection: Any, flat: list[Any]) -> Any:
        if self.sql is None:
            return 0 if self.kind == "count" else []
        params = list(self.params)
        for at, which, as_str in self.slots:
            params[at] = str(flat[which]) if as_str else flat[which]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.kind == "count":
            return int(rows[0][0]) if rows else 0
        if self.converters:
            converted = []
            for raw in rows:
                row = list(raw)
                for pos, convs, expression in self.converters:
                    value = row[pos]
                    for convert in convs:
                        value = convert(value, expression, connection)
                    row[pos] = value
                converted.append(row)
            rows = converted
        if self.kind == "dicts":
            names = self.names
            return [dict(zip(names, row, strict=True)) for row in rows]
        if self.kind == "flat":
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]


def _flatten(values: dict[str, Any]) -> tuple[list[Any], tuple[Any, ...]]:
    """The values in order (an ``__in`` list's items one by one, duplicates dropped as the ORM drops them) and the
    shape that, with the scope, keys the statement."""
    flat: list[Any] = []
    shape: list[Any] = []
    for key in sorted(values):
        value = values[key]
        if isinstance(value, (list, tuple)):
            items = list(dict.fromkeys(value))
            flat.extend(items)
            shape.append((key, len(items)))
        else:
            flat.append(value)
            shape.append((key, None))
    return flat, tuple(shape)


def _stand_ins(values: dict[str, Any], which: int) -> tuple[dict[str, Any], list[Any]]:
    out: dict[str, Any] = {}
    flat: list[Any] = []
    n = 0
    for key in sorted(values):
        value = values[key]
        if isinstance(value, (list, tuple)):
            items = [_sentinel(v, n + i, which) for i, v in enumerate(dict.fromkeys(value))]
            n += len(items)
            out[key] = items
            flat.extend(items)
        else:
            out[key] = _sentinel(value, n, which)
            n += 1
            flat.append(out[key])
    return out, flat


class _Captured(Exception):  # noqa: N818 - not an error: the statement a count would send
    pass


def _compile(connection: Any, queryset: Any, count: bool) -> tuple[str | None, list[Any], Any]:
    from django.core.exceptions import EmptyResultSet

    if count:  # the statement ``count()`` would send: its compiler's, caught before it is sent
        captured: list[tuple[str | None, list[Any]]] = []
        ops = connection.ops
        original = ops.compiler

        def capturing(name: str) -> Any:
            class Capturing(original(name)):  # type: ignore[misc]
                def execute_sql(self, *args: Any, **kwargs: Any) -> Any:
                    try:
                        sql, params = self.as_sql()
                    except EmptyResultSet:
                        sql, params = None, []
                    captured.append((sql, list(params)))
                    raise _Captured

            return Capturing

        ops.compiler = capturing  # this connection's (this thread's) only, for this one count
        try:
            queryset.count()
        except _Captured:
            return captured[0][0], captured[0][1], None
        finally:
            del ops.compiler
        return None, [], None  # the ORM knew the answer without asking (an empty scope)
    compiler = queryset.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None, [], None
    return sql, list(params), compiler


def _prepare(connection: Any, build: Callable[..., Any], values: dict[str, Any], count: bool) -> Prepared:
    from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable

    built = []
    for which in (0, 1):
        kwargs, flat = _stand_ins(values, which)
        queryset = build(**kwargs)
        sql, params, compiler = _compile(connection, queryset, count)
        built.append((queryset, sql, params, compiler, flat))
    (queryset, sql, params, compiler, flat), (_q2, sql2, params2, _c2, flat2) = built
    if sql != sql2 or len(params) != len(params2):  # e.g. a value written into the text (a slice's LIMIT)
        raise RuntimeError("a prepared queryset's SQL depends on its values, not only on their number")
    slots = []
    for at, (a, b) in enumerate(zip(params, params2, strict=True)):
        if a == b:
            continue
        for which, (s1, s2) in enumerate(zip(flat, flat2, strict=True)):
            if a == s1 and b == s2:
                slots.append((at, which, False))
                break
            if a == str(s1) and b == str(s2) and not isinstance(s1, str):
                slots.append((at, which, True))
                break
        else:
            raise RuntimeError(f"parameter {at} of a prepared queryset follows its values but is none of them")
    if count:
        return Prepared(sql, tuple(params), tuple(slots), "count", (), ())
    iterable = queryset._iterable_class
    if iterable is ValuesIterable:
        kind = "dicts"
    elif iterable is FlatValuesListIterable:
        kind = "flat"
    elif iterable is ValuesListIterable:
        kind = "tuples"
    else:
        raise TypeError("a prepared queryset reads values(), values_list() or count(), not model instances")
    names: tuple[str, ...] = ()
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...] = ()
    if compiler is not None:
        query = queryset.query
        names = tuple(query.selected) if getattr(query, "selected", None) else (
            *query.extra_select, *query.values_select, *query.annotation_select)
        fields = [s[0] for s in compiler.select[0:compiler.col_count]]
        converters = tuple((pos, tuple(convs), expression)
                           for pos, (convs, expression) in compiler.get_converters(fields).items())
    return Prepared(sql, tuple(params), tuple(slots), kind, names, converters)


_prepared: weakref.WeakKeyDictionary[Any, dict[Any, Prepared]] = weakref.WeakKeyDictionary()
_UID, _PID = "\x00user", "\x00party"  # the signed-in user's ids, values like the others (sorted first)


def _run(name: str, actor: Any, build: Callable[..., Any], values: dict[str, Any], count: bool) -> Any:
    from django.db import connections

    if not isinstance(actor, User) or actor.pk is None:  # the operator, a visitor: built each time, as before
        queryset = build(actor, **values)
        return queryset.count() if count else list(queryset)
    role, active, has_party = actor.role, actor.is_active, actor.party_id is not None
    values = {**values, _UID: actor.pk, **({_PID: actor.party_id} if has_party else {})}

    def build_as(**kwargs: Any) -> Any:
        stand_in = User(id=kwargs.pop(_UID), party_id=kwargs.pop(_PID, None), role=role, is_active=active)
        return build(stand_in, **kwargs)

    flat, shape = _flatten(values)
    connection = connections["default"]
    made = _prepared.setdefault(connection, {})
    key = (name, count, role, bool(active), shape)
    found = made.get(key)
    if found is None:
        found = made[key] = _prepare(connection, build_as, values, count)
    return found.run(connection, flat)


def rows(name: str, actor: Any, build: Callable[..., Any], **values: Any) -> list[Any]:
    """``list(build(actor, **values))`` for a ``values()`` / ``values_list()`` queryset scoped to ``actor``,
    compiled once per connection, ``name`` and kind of scope. ``build`` must take every value that varies from
    request to request as an argument (ints, strings, dates, or lists of them), nothing from the clock or the
    request otherwise; it is called with a stand-in user of the actor's role and sentinel ids."""
    return list(_run(name, actor, build, values, count=False))


def counted(name: str, actor: Any, build: Callable[..., Any], **values: Any) -> int:
    """``build(actor, **values).count()``, compiled as :func:`rows` compiles."""
    return int(_run(name, actor, build, values, count=True))
