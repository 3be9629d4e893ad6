"""The small SQL dialect of a saved model's comparison levels and blocking rules, evaluated in Python.

A saved model (``homeward-linkage/1``) carries its comparison levels and prediction blocking rules as DuckDB
SQL (``model.py`` writes them; older models keep the SQL they were trained with). :mod:`.small` scores a small
run without DuckDB, so it needs those conditions as Python functions with DuckDB's meaning: SQL's three-valued
logic (``None`` is NULL; a CASE level holds only when its condition is true), strict functions (a NULL
argument gives NULL, but ``coalesce``), 1-based list and string positions, and DuckDB's Jaro-Winkler
similarity to the last bit (:func:`jaro_winkler_similarity`; a test compares the two on generated names).

Only the constructs the matcher's SQL uses are known; anything else raises :class:`Unsupported`, and the run
goes to Splink as before (never a guess).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

Row = Mapping[str, Any]
Value = Callable[[Row, Row], Any]


class Unsupported(ValueError):
    """SQL this evaluator does not know (the caller falls back to Splink)."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
      | (?P<str>'(?:[^']|'')*')
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*|"[^"]+")
      | (?P<op>>=|<=|<>|!=|\|\||[=<>()\[\],.+\-*/])
    )""",
    re.VERBOSE,
)


def _tokens(sql: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    sql = sql.strip()
    while pos < len(sql):
        m = _TOKEN.match(sql, pos)
        if m is None or m.end() == pos:
            raise Unsupported(f"cannot read SQL at {sql[pos:pos + 20]!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(sql) and sql[pos].isspace():
            pos += 1
    return out


# --- the tree: tuples (kind, ...) ------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A column of one side: ``name_l`` / ``l.name`` is ("l", "name")."""

    side: str
    name: str


Node = tuple[Any, ...]
_KEYWORDS = {"AND", "OR", "NOT", "IS", "NULL", "TRUE", "FALSE"}


class _Parser:
    def __init__(self, sql: str, suffixed: bool) -> None:
        self.tokens = _tokens(sql)
        self.i = 0
        self.suffixed = suffixed  # level conditions name columns x_l / x_r; blocking rules l.x / r.x

    def peek(self, k: int = 0) -> tuple[str, str]:
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else ("", "")

    def word(self, k: int = 0) -> str:
        kind, text = self.peek(k)
        return text.upper() if kind == "name" else ""

    def take(self, text: str) -> None:
        kind, got = self.peek()
        if (got.upper() if kind == "name" else got) != text:
            raise Unsupported(f"expected {text!r}, found {got!r}")
        self.i += 1

    def parse(self) -> Node:
        node = self.or_()
        if self.i != len(self.tokens):
            raise Unsupported(f"unexpected {self.peek()[1]!r}")
        return node

    def or_(self) -> Node:
        items = [self.and_()]
        while self.word() == "OR":
            self.i += 1
            items.append(self.and_())
        return items[0] if len(items) == 1 else ("or", *items)

    def and_(self) -> Node:
        items = [self.not_()]
        while self.word() == "AND":
            self.i += 1
            items.append(self.not_())
        return items[0] if len(items) == 1 else ("and", *items)

    def not_(self) -> Node:
        if self.word() == "NOT":
            self.i += 1
            return ("not", self.not_())
        return self.cmp()

    def cmp(self) -> Node:
        left = self.add()
        kind, text = self.peek()
        if kind == "op" and text in ("=", ">=", "<=", "<", ">", "<>", "!="):
            self.i += 1
            return ("cmp", "!=" if text == "<>" else text, left, self.add())
        if self.word() == "IS":
            self.i += 1
            negated = self.word() == "NOT"
            if negated:
                self.i += 1
            self.take("NULL")
            return ("notnull" if negated else "isnull", left)
        return left

    def add(self) -> Node:
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-", "||"):
            op = self.peek()[1]
            self.i += 1
            node = ("arith", op, node, self.unary())
        return node

    def unary(self) -> Node:
        node = self.primary()
        while self.peek() == ("op", "["):
            self.i += 1
            kind, text = self.peek()
            if kind != "num" or "." in text:
                raise Unsupported("only a constant list index is known")
            self.i += 1
            self.take("]")
            node = ("index", node, int(text))
        return node

    def primary(self) -> Node:
        kind, text = self.peek()
        if kind == "num":
            self.i += 1
            return ("const", float(text) if any(c in text for c in ".eE") else int(text))
        if kind == "str":
            self.i += 1
            return ("const", text[1:-1].replace("''", "'"))
        if (kind, text) == ("op", "("):
            self.i += 1
            node = self.or_()
            self.take(")")
            return node
        if kind == "op" and text == "-":
            self.i += 1
            return ("arith", "-", ("const", 0), self.primary())
        if kind != "name":
            raise Unsupported(f"unexpected {text!r}")
        upper = text.upper()
        if upper in ("TRUE", "FALSE"):
            self.i += 1
            return ("const", upper == "TRUE")
        if upper == "NULL":
            self.i += 1
            return ("const", None)
        if upper in _KEYWORDS:
            raise Unsupported(f"unexpected {text!r}")
        self.i += 1
        if self.peek() == ("op", "("):
            self.i += 1
            args: list[Node] = []
            if self.peek() != ("op", ")"):
                args.append(self.or_())
                while self.peek() == ("op", ","):
                    self.i += 1
                    args.append(self.or_())
            self.take(")")
            return ("call", text.lower(), *args)
        if not self.suffixed and text.lower() in ("l", "r") and self.peek() == ("op", "."):
            self.i += 1
            kind2, name = self.peek()
            if kind2 != "name":
                raise Unsupported("a column name after l. / r.")
            self.i += 1
            return ("col", Column(text.lower(), name.strip('"')))
        name = text.strip('"')
        if self.suffixed and (name.endswith("_l") or name.endswith("_r")):
            return ("col", Column(name[-1], name[:-2]))
        raise Unsupported(f"a column of neither side: {name!r}")


def parse(sql: str, *, suffixed: bool = True) -> Node:
    """The tree of a condition: columns as ``x_l`` / ``x_r`` (``suffixed``, comparison levels) or ``l.x`` /
    ``r.x`` (blocking rules)."""
    return _Parser(sql, suffixed).parse()


def columns(node: Node) -> set[Column]:
    """Every column a tree reads."""
    if node[0] == "col":
        return {node[1]}
    out: set[Column] = set()
    for part in node[1:]:
        if isinstance(part, tuple):
            out |= columns(part)
    return out


# --- evaluation ------------------------------------------------------------------------------------

@lru_cache(maxsize=200_000)
def jaro_winkler_similarity(s1: str, s2: str) -> float:
    """DuckDB's ``jaro_winkler_similarity`` (prefix weight 0.1, no cutoff), to the last bit: over the UTF-8
    bytes, its window ``max(len) / 2 - 1``, greedy matching, half the out-of-order matches as transpositions,
    and its order of floating-point operations (RapidFuzz's current release differs in the last bit)."""
    p, t = s1.encode(), s2.encode()
    n_p, n_t = len(p), len(t)
    if not n_p or not n_t:
        return 0.0
    if n_p == 1 and n_t == 1:
        sim = float(p[0] == t[0])
    else:
        bound = (n_t // 2 - 1) if n_t > n_p else (n_p // 2 - 1)
        flagged_p = [False] * n_p
        matched_t: list[int] = []
        for j in range(n_t):
            c = t[j]
            for i in range(max(0, j - bound), min(n_p, j + bound + 1)):
                if not flagged_p[i] and p[i] == c:
                    flagged_p[i] = True
                    matched_t.append(c)
                    break
        common = len(matched_t)
        if not common:
            sim = 0.0
        else:
            matched_p = [p[i] for i in range(n_p) if flagged_p[i]]
            transpositions = sum(a != b for a, b in zip(matched_p, matched_t, strict=True)) // 2
            sim = 0.0
            sim += common / n_p
            sim += common / n_t
            sim += (common - transpositions) / common
            sim = sim / 3.0
    prefix = 0
    for a, b in zip(p[:4], t[:4], strict=False):
        if a != b:
            break
        prefix += 1
    if sim > 0.7 and prefix:
        sim = _winkler()(sim, prefix)
    return sim


def _winkler_plain(sim: float, prefix: int) -> float:
    return sim + prefix * 0.1 * (1.0 - sim)


def _winkler_fused(sim: float, prefix: int) -> float:
    """``sim + (prefix * 0.1) * (1.0 - sim)`` with one rounding of the multiply-add, as a compiler that fuses
    them (FMA) computes it."""
    return float(Fraction(prefix * 0.1) * Fraction(1.0 - sim) + Fraction(sim))


_PROBE = ("valentinovich", "vikterovich")  # a pair whose similarity differs in the last bit between the two


@lru_cache(maxsize=1)
def _winkler() -> Callable[[float, int], float]:
    """Which of the two the installed DuckDB computes (its build may fuse the multiply-add or not): asked once
    on a probe pair; neither raises :class:`Unsupported` (the run goes to Splink)."""
    import duckdb

    with duckdb.connect() as con:
        row = con.execute("select jaro_similarity(?, ?), jaro_winkler_similarity(?, ?)", [*_PROBE, *_PROBE]).fetchone()
    jaro, expected = (float(v) for v in row or (0.0, 0.0))
    for fn in (_winkler_plain, _winkler_fused):
        if fn(jaro, 1) == expected:
            return fn
    raise Unsupported("DuckDB's Jaro-Winkler similarity is neither of the known computations")


def _hamming(a: str, b: str) -> int:
    if len(a) != len(b):  # DuckDB refuses strings of different lengths
        raise Unsupported("hamming() of strings of different lengths")
    return sum(x != y for x, y in zip(a, b, strict=True))


def _substr(s: Any, start: Any, length: Any = None) -> Any:
    if not isinstance(s, str) or not isinstance(start, int) or start < 1:
        raise Unsupported("substr() outside its known use")
    return s[start - 1:] if length is None else s[start - 1:start - 1 + int(length)]


def _list_has_any(a: Any, b: Any) -> bool:
    return not {x for x in a if x is not None}.isdisjoint(x for x in b if x is not None)


def _levenshtein(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


_STRICT: dict[str, Callable[..., Any]] = {
    "list_has_any": _list_has_any,
    "hamming": _hamming,
    "substr": _substr,
    "substring": _substr,
    "abs": abs,
    "levenshtein": _levenshtein,
}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: bool(a == b), "!=": lambda a, b: bool(a != b),
    ">=": lambda a, b: bool(a >= b), "<=": lambda a, b: bool(a <= b),
    "<": lambda a, b: bool(a < b), ">": lambda a, b: bool(a > b),
}


def compile_node(node: Node, *, rename: Mapping[Column, Column] | None = None) -> Value:
    """A function of (left row, right row) giving the tree's SQL value (None for NULL). ``rename`` reads other
    columns in place of some (a blocking rule's exploded array: its element)."""
    kind = node[0]
    if kind == "const":
        value = node[1]
        return lambda a, b: value
    if kind == "col":
        col = (rename or {}).get(node[1], node[1])
        name = col.name
        if col.side == "l":
            return lambda a, b: a.get(name)
        return lambda a, b: b.get(name)
    if kind in ("and", "or"):
        parts = [compile_node(p, rename=rename) for p in node[1:]]
        stop = kind == "or"  # OR: true decides; AND: false decides

        def logical(a: Row, b: Row) -> Any:
            unknown = False
            for p in parts:
                v = p(a, b)
                if v is None:
                    unknown = True
                elif bool(v) is stop:
                    return stop
            return None if unknown else not stop

        return logical
    if kind == "not":
        inner = compile_node(node[1], rename=rename)

        def negated(a: Row, b: Row) -> Any:
            v = inner(a, b)
            return None if v is None else not v

        return negated
    if kind in ("isnull", "notnull"):
        inner = compile_node(node[1], rename=rename)
        if kind == "isnull":
            return lambda a, b: inner(a, b) is None
        return lambda a, b: inner(a, b) is not None
    if kind == "cmp":
        op = _COMPARE[node[1]]
        x, y = compile_node(node[2], rename=rename), compile_node(node[3], rename=rename)

        def compare(a: Row, b: Row) -> Any:
            u, v = x(a, b), y(a, b)
            return None if u is None or v is None else op(u, v)

        return compare
    if kind == "arith":
        op_text = node[1]
        x, y = compile_node(node[2], rename=rename), compile_node(node[3], rename=rename)

        def arith(a: Row, b: Row) -> Any:
            u, v = x(a, b), y(a, b)
            if u is None or v is None:
                return None
            if op_text == "||":
                return f"{u}{v}"
            if isinstance(u, str) or isinstance(v, str):
                raise Unsupported("arithmetic on text")
            return u + v if op_text == "+" else u - v

        return arith
    if kind == "index":
        inner, k = compile_node(node[1], rename=rename), node[2]
        if k < 1:
            raise Unsupported("a list index below 1")

        def index(a: Row, b: Row) -> Any:
            v = inner(a, b)
            return v[k - 1] if isinstance(v, list | tuple) and len(v) >= k else None

        return index
    if kind == "call":
        name, args = node[1], [compile_node(p, rename=rename) for p in node[2:]]
        if name == "coalesce":
            def first(a: Row, b: Row) -> Any:
                for p in args:
                    v = p(a, b)
                    if v is not None:
                        return v
                return None

            return first
        if name == "jaro_winkler_similarity" and len(args) == 2:
            jw = jaro_winkler_similarity
            x, y = args

            def similarity(a: Row, b: Row) -> Any:
                u, v = x(a, b), y(a, b)
                return None if u is None or v is None else jw(u, v)

            return similarity
        fn = _STRICT.get(name)
        if fn is None:
            raise Unsupported(f"unknown function {name}()")

        def call(a: Row, b: Row) -> Any:
            values = [p(a, b) for p in args]
            return None if any(v is None for v in values) else fn(*values)

        return call
    raise Unsupported(f"unknown node {kind!r}")


def condition(sql: str, *, suffixed: bool = True) -> Value:
    """A level's (or a rule's) condition as a function of (left row, right row): True, False or None."""
    return compile_node(parse(sql, suffixed=suffixed))
