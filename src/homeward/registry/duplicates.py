"""Possible duplicates of a child being registered, among the children the caller may see.

    found = duplicates.possible_duplicates(user, {"given_name": "Mariia", "surname": "Kovalenko", ...})
    for d in found:  # best first, each at least WARN_THRESHOLD
        d.child_id, d.match_probability, d.explanation

The candidates are looked up in the caller's scope only (``homeward.access.children``), so a warning never
shows, counts or hints at a child the caller may not see. A child that only the *other* party holds is
never mentioned to the officer; continuous matching (``homeward.registry.continuous``) proposes that pair to
the mediator's review queue instead, in the background (so the response time says nothing either).

Scoring is :mod:`homeward.registry.scoring`: the matcher's comparison levels and the weights of the model
in use (the installation's own trained model, else the shipped reference model).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from homeward import access
from homeward.access import Actor, Viewer
from homeward.registry import scoring
from homeward.registry.models import Child, TracingRequest

if TYPE_CHECKING:
    from homeward.accounts.models import Party

#: A possible duplicate is shown from this match probability (the review queue's threshold).
WARN_THRESHOLD = 0.5
#: At most this many candidate records are scored per registration.
MAX_CANDIDATES = 400
#: At most this many warnings are shown.
MAX_SHOWN = 10

Names = tuple[str, str, str]  # given name, surname, patronymic


@dataclass(frozen=True)
class Duplicate:
    child_id: int
    match_probability: float
    explanation: str
    score: scoring.Score
    name: str = ""  # the held child's name, for the caller's own warning (a child in its scope)

    @property
    def percent(self) -> int:
        return int(round(self.match_probability * 100))

    def as_api(self) -> dict[str, Any]:
        return {"id": self.child_id, "match_probability": round(self.match_probability, 4),
                "explanation": self.explanation}


def description(data: Mapping[str, Any], name_forms: Iterable[Mapping[str, Any]] = ()) -> list[dict[str, str]]:
    """A child description (form or API fields) as matcher records: one per name form, the first the main one."""
    def text(value: Any) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        return "" if value is None else str(value).strip()

    base = {k: text(data.get(k)) for k in ("given_name", "surname", "patronymic", "sex", "birth_date",
                                           "birth_place")}
    if base["sex"] not in ("M", "F"):
        base["sex"] = ""
    rows = [base]
    for form in name_forms:
        rows.append({**base, "given_name": text(form.get("given_name")) or base["given_name"],
                     "surname": text(form.get("surname")) or base["surname"],
                     "patronymic": text(form.get("patronymic")) or base["patronymic"]})
    return rows


def description_of(child: Child | TracingRequest) -> list[dict[str, str]]:
    """The matcher records of a stored child or tracing request (a child's other name forms included)."""
    fields = {k: getattr(child, k) for k in ("given_name", "surname", "patronymic", "sex", "birth_date",
                                             "birth_place")}
    # ``name_forms.all()``, not ``.values()``: the candidates' forms are prefetched (one query for all of them),
    # and ``.values()`` would bypass that and ask once per candidate.
    forms = [{"given_name": f.given_name, "surname": f.surname, "patronymic": f.patronymic}
             for f in child.name_forms.all()] if isinstance(child, Child) and not child._state.adding else []
    return description(fields, forms)


# --- the model in use ------------------------------------------------------------------------------


def current_model() -> scoring.Model:
    """The installation's latest own trained model, else the shipped reference model (cached)."""
    from homeward.linkage.models import MatchRun, RunStatus

    runs = tuple(MatchRun.objects.filter(status=RunStatus.DONE).exclude(model_json="").values_list(
        "pk", flat=True)[:20])
    return _model_for(runs)


@lru_cache(maxsize=8)
def _model_for(runs: tuple[int, ...]) -> scoring.Model:
    from homeward.linkage import core
    from homeward.linkage.models import MatchRun

    texts = dict(MatchRun.objects.filter(pk__in=runs).values_list("pk", "model_json"))
    for pk in runs:
        trained = json.loads(texts[pk])
        if trained.get("trained", True) and "parameters_from" not in trained:
            try:
                return scoring.model_from(trained)
            except scoring.UnknownLevel:
                continue  # a model of another shape (extra columns only, an older format)
    return scoring.model_from(core.reference_model())


def registry_size() -> int:
    """How many children the registry holds (continuous matching's prior denominator; never shown to anyone).
    The warning's prior is taken from the caller's scope instead (:func:`scope_size`)."""
    return Child.objects.count()


# --- candidates and scores --------------------------------------------------------------------------


def _dates(rows: Sequence[Mapping[str, str]]) -> set[dt.date]:
    out: set[dt.date] = set()
    for row in rows[:1]:
        f = scoring.features_of(row)
        for key in ("dob", "dob_sw"):
            if f[key]:
                out.add(dt.date.fromisoformat(f[key]))
    return out


def candidate_ids(scope: QuerySet[Child], rows: Sequence[Mapping[str, str]]) -> list[int]:
    """Ids of the children in ``scope`` worth scoring against ``rows``: two blocks, each of at most
    :data:`MAX_CANDIDATES` — the same name in any script or form (the registry's name index when present),
    and the same birth date (also with day and month swapped), whatever the names: the block that finds a
    child under an adoptive surname (given name, patronymic and birth date then carry the evidence), and
    that a common name's many namesakes cannot crowd out. Only ids inside ``scope`` are ever looked up."""
    ids: dict[int, None] = dict.fromkeys(_by_name(scope, rows)[:MAX_CANDIDATES])
    dates = _dates(rows)
    if dates:
        # through the birth-date index (without it SQLite walked all 700,000 children in name order: 3.8 s;
        # with it 9 ms, and 2 ms ordered by id, which needs no sort of the candidates by name)
        same_day = scope.filter(birth_date__in=dates).order_by("pk").values_list("pk", flat=True)
        ids.update(dict.fromkeys(same_day[:MAX_CANDIDATES]))
    return list(ids)


def _by_name(scope: QuerySet[Child], rows: Sequence[Mapping[str, str]]) -> list[int]:
    """Children of ``scope`` found under the given name and surname of any of ``rows``."""
    import importlib

    try:
        search: Any = importlib.import_module("homeward.registry.search")  # the name-key index (issue 10, item 1)
    except ImportError:
        search = None
    out: dict[int, None] = {}
    for row in rows:
        words = " ".join(w for w in (row["given_name"], row["surname"]) if w)
        if not words:
            continue
        if search is not None and hasattr(search, "search"):
            found = search.search(scope, words)
            if found is not None:
                out.update(dict.fromkeys(found.ids(MAX_CANDIDATES)))  # only the rank groups it reaches
        else:
            surname = row["surname"]
            if surname:
                q = Q(surname__iexact=surname) | Q(name_forms__surname__iexact=surname)
                out.update(dict.fromkeys(scope.filter(q).values_list("pk", flat=True)[:MAX_CANDIDATES]))
    return list(out)


# --- how common a name is among the children the caller may see ------------------------------------

#: Name frequencies (and scope sizes) are counted at most once in this many seconds per scope and name.
FREQUENCY_TTL = 900.0
#: The name index's columns and group-key prefixes of the features the model adjusts by term frequency.
_TF_PARTS = {"g_can": ("given_value", "gg:", "g_grp"), "s_can": ("surname_value", "gs:", "s_grp"),
             "p_can": ("patronymic_value", "gp:", "p_grp")}
#: The size of a scope (the prior's denominator) is counted at most once in this many seconds per scope.
SCOPE_SIZE_TTL = 60.0
_counted: dict[tuple[str, str, str], tuple[float, int]] = {}


def _cached_count(scope_key: str, column: str, key: str, count: Any, ttl: float = FREQUENCY_TTL) -> int:
    import time

    now = time.monotonic()
    hit = _counted.get((scope_key, column, key))
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    if len(_counted) > 50_000:
        _counted.clear()
    n = int(count())
    _counted[(scope_key, column, key)] = (now, n)
    return n


def clear_counts() -> None:
    """Forget every cached scope size, name count and place table (a test's database is not the next one's)."""
    _counted.clear()
    _places.clear()


def _scope_key(scope: QuerySet[Child]) -> str:
    sql, params = scope.query.sql_with_params()
    return sql + repr(params)


def scope_size(scope: QuerySet[Child]) -> int:
    """How many children ``scope`` (the caller's) holds: the warning's prior denominator (Fellegi–Sunter's λ is
    the chance that a registration repeats one given child *among those it is compared with*, and only the
    caller's scope is compared with; the whole registry's size would also let the other party's count move an
    officer's probabilities). Counted at most once per :data:`SCOPE_SIZE_TTL` seconds per scope; never shown."""
    return _cached_count(_scope_key(scope), "", "", lambda: scope.order_by().count(), SCOPE_SIZE_TTL)


#: Birth places are counted among at most this many of the scope's latest children (a share's standard error
#: is then at most 0.007, and the count costs the same at any registry size: 30–200 ms at 700,000 on SQLite).
PLACE_SAMPLE = 5_000
_places: dict[str, tuple[float, dict[str, float]]] = {}


def place_frequencies(scope: QuerySet[Child]) -> dict[str, float]:
    """How common each birth place is among the children of ``scope`` that have one: ``{place key: share}``
    (the matcher's canonical place, ``features.place_key``: a place written in another script or scheme is the
    same place), estimated on the scope's latest :data:`PLACE_SAMPLE` children (a birth place has no index;
    counting all 350,000 of a scope took 1.0–1.4 s on SQLite), at most once per :data:`FREQUENCY_TTL` seconds
    per scope. A place the sample lacks keeps the model's average weight."""
    import time

    from homeward.linkage.core import features

    scope_key = _scope_key(scope)
    now = time.monotonic()
    hit = _places.get(scope_key)
    if hit is not None and now - hit[0] < FREQUENCY_TTL:
        return hit[1]
    texts: dict[str, int] = {}
    for text in scope.order_by("-pk").values_list("birth_place", flat=True)[:PLACE_SAMPLE]:
        texts[text or ""] = texts.get(text or "", 0) + 1
    counts: dict[str, int] = {}
    for text, n in texts.items():
        key = features.place_key(text)
        if key:
            counts[key] = counts.get(key, 0) + n
    total = sum(counts.values())
    shares = {key: n / total for key, n in counts.items()} if total else {}
    if len(_places) > 1000:
        _places.clear()
    _places[scope_key] = (now, shares)
    return shares


def name_frequencies(scope: QuerySet[Child], mine: Mapping[str, Any],
                     columns: Iterable[str] = (*_TF_PARTS, "place")) -> scoring.Frequencies:
    """How common the given name, surname and patronymic of ``mine`` (one description's features) are among
    the children of ``scope`` — the term frequencies of the batch matcher's model, counted in the caller's
    scope only (so a warning's probabilities say nothing of children the caller may not see): the share of
    the scope's children whose name value carries the same canonical key in the name index. Counts are
    cached for :data:`FREQUENCY_TTL` seconds per scope and key (a common name costs a count of thousands of
    index rows)."""
    from homeward.registry.models import NameRef, NameValueKey

    scope_key = _scope_key(scope)
    size = scope_size(scope)
    if not size:
        return {}
    out: dict[str, dict[str, float]] = {}
    for column in columns:
        if column == "place" and mine.get("place"):
            share = place_frequencies(scope).get(str(mine["place"]))
            if share is not None:
                out["place"] = {str(mine["place"]): share}
            continue
        if column not in _TF_PARTS or not mine.get(column):
            continue
        ref_column, prefix, groups = _TF_PARTS[column]
        value = str(mine[column])
        key = (prefix if value in mine[groups] else "a:") + value  # canonical: the first group, else the ASCII key
        values = NameValueKey.objects.filter(key=key[:64]).values("value_id")
        refs = NameRef.objects.filter(ref_type=NameRef.RefType.CHILD, **{f"{ref_column}__in": values}).values("ref_id")
        n = _cached_count(scope_key, column, key, lambda refs=refs: scope.filter(pk__in=refs).order_by().count())
        out[column] = {value: n / size}
    return out


def name_share_floor(size: int) -> dict[str, float]:
    """The smallest share a name counted in a scope of ``size`` children can have: one child (the held child
    itself, when the registration repeats it). It replaces the model's minimum u (0.001, a bound for
    frequencies estimated on its training lists: at 350,000 children it made every name rarer than 350
    children weigh as one of 350) for the given name, surname and patronymic, whose shares the warning counts
    exactly (:func:`name_frequencies`). The birth place, estimated on a sample, keeps the model's bound."""
    return {column: 1 / max(size, 1) for column in _TF_PARTS}


def score_against(scope: QuerySet[Child], rows: Sequence[Mapping[str, str]], *,
                  exclude: Iterable[int] = (), threshold: float = WARN_THRESHOLD) -> list[Duplicate]:
    """The children of ``scope`` that ``rows`` (one child's records) likely describe, best first."""
    if not rows:
        return []
    skip = set(exclude)
    ids = [pk for pk in candidate_ids(scope, rows) if pk not in skip]
    if not ids:
        return []
    model, size = current_model(), scope_size(scope)
    mine = [scoring.features_of(r) for r in rows]
    tf_columns = model.tf_columns()
    tfs = [name_frequencies(scope, m, tf_columns) for m in mine]
    floor = name_share_floor(size)
    found = []
    for child in Child.objects.filter(pk__in=ids).prefetch_related("name_forms"):
        theirs = [scoring.features_of(r) for r in description_of(child)]
        best = model.best(mine, theirs, size, tfs, floor)
        if best.match_probability >= threshold:
            found.append(Duplicate(child.pk, best.match_probability, best.explanation, best, child.full_name))
    found.sort(key=lambda d: (-d.match_probability, d.child_id))
    return found


def scored(actor: Viewer, data: Mapping[str, Any], name_forms: Iterable[Mapping[str, Any]] = (), *,
           exclude: Iterable[int] = (), threshold: float = WARN_THRESHOLD) -> list[Duplicate]:
    """Every candidate the actor may see scoring at least ``threshold`` against ``data``, best first
    (:func:`possible_duplicates` shows the first :data:`MAX_SHOWN` of the default threshold's)."""
    rows = description(data, name_forms)
    if not any(r["given_name"] or r["surname"] for r in rows):
        return []
    return score_against(access.children(actor), rows, exclude=exclude, threshold=threshold)


def possible_duplicates(actor: Viewer, data: Mapping[str, Any], name_forms: Iterable[Mapping[str, Any]] = (),
                        *, exclude: Iterable[int] = ()) -> list[Duplicate]:
    """Children the actor may see that the description ``data`` (+ ``name_forms``) likely repeats."""
    return scored(actor, data, name_forms, exclude=exclude)[:MAX_SHOWN]


# --- the registration page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormCheck:
    """What the registration page does with a valid form: ``found`` children it likely repeats; save only
    if ``proceed`` (nothing found, or "Register anyway" with a ``reason``)."""

    found: list[Duplicate]
    reason: str
    error: str

    @property
    def proceed(self) -> bool:
        return not self.found or bool(self.reason)


def check_form(actor: Viewer, cleaned: Mapping[str, Any], post: Mapping[str, Any]) -> FormCheck:
    from django.utils.translation import gettext as _

    found = possible_duplicates(actor, cleaned)
    if not found:
        return FormCheck([], "", "")
    anyway = post.get("register_anyway") == "1"
    reason = str(post.get("duplicate_reason", "")).strip()[:2000] if anyway else ""
    error = _("Say why you register this child anyway.") if anyway and not reason else ""
    return FormCheck(found, reason, error)


def record_override(actor: Actor, child: Child, check: FormCheck) -> None:
    """Keep who registered ``child`` despite the warning, why, and which children the warning listed."""
    from homeward.accounts import audit
    from homeward.registry.models import DuplicateOverride

    DuplicateOverride.objects.create(
        child=child, decided_by=access.user_of(actor), reason=check.reason,
        possible_duplicates=[{"id": d.child_id, "match_probability": round(d.match_probability, 4)}
                             for d in check.found])
    audit.record(actor, "register_anyway", child)


# --- the list import's preview ---------------------------------------------------------------------------

#: The preview checks this many valid rows against the caller's registry (each costs a search and a few scores).
PREVIEW_REGISTRY_ROWS = 100
#: Rows sharing a surname key or a birth date are compared within the file; larger groups are skipped.
FILE_BLOCK_MAX = 200
#: The prior of two rows of one file being one child is taken as in a registry of at least this many
#: children (the file's own size says little for a short file: a pair of twins in a two-row file would
#: otherwise start at a 1-in-40 prior).
FILE_PRIOR_FLOOR = 1000


@dataclass
class RowFlag:
    """Why a row of an uploaded list may repeat a child: children of the caller's own registry, and other
    rows of the same file (``(row, percent)``), each likely the same child."""

    row: int
    registry: list[Duplicate]
    file_rows: list[tuple[int, int]]


@dataclass
class PreviewCheck:
    flags: dict[int, RowFlag]
    checked_against_registry: int
    rows: int

    def flagged(self) -> list[RowFlag]:
        return [self.flags[r] for r in sorted(self.flags)]


def _flag(flags: dict[int, RowFlag], row: int) -> RowFlag:
    return flags.setdefault(row, RowFlag(row, [], []))


def check_rows(actor: Viewer, party: Party, rows: Sequence[tuple[int, Mapping[str, Any]]]) -> PreviewCheck:
    """Mark the rows of an upload (``(row number, values)``, the importer's valid rows) that likely repeat a
    child of the caller's *own* registry (``party``'s children within the caller's scope: never the other
    party's), or another row of the same file under another spelling (exact repeats are the importer's)."""
    flags: dict[int, RowFlag] = {}
    described = [(n, description(values)) for n, values in rows]
    described = [(n, d) for n, d in described if d[0]["given_name"] or d[0]["surname"]]
    model = current_model()
    feats = {n: scoring.features_of(d[0]) for n, d in described}
    blocks: dict[Any, list[int]] = {}
    for n, f in feats.items():
        for key in (("s", f["s_can"]), ("d", f["dob"])):
            if key[1]:
                blocks.setdefault(key, []).append(n)
    seen: set[tuple[int, int]] = set()
    size = max(len(feats), scope_size(access.children(actor)), FILE_PRIOR_FLOOR)
    for members in blocks.values():
        if len(members) < 2 or len(members) > FILE_BLOCK_MAX:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (min(a, b), max(a, b))
                if pair in seen:
                    continue
                seen.add(pair)
                score = model.score(feats[pair[0]], feats[pair[1]], size)
                if score.match_probability >= WARN_THRESHOLD:
                    pct = int(round(score.match_probability * 100))
                    _flag(flags, pair[1]).file_rows.append((pair[0], pct))
                    _flag(flags, pair[0]).file_rows.append((pair[1], pct))
    scope = access.children(actor).filter(party=party)
    checked = described[:PREVIEW_REGISTRY_ROWS]
    for n, d in checked:
        found = score_against(scope, d)[:3]
        if found:
            _flag(flags, n).registry.extend(found)
    for flag in flags.values():
        flag.file_rows.sort()
    return PreviewCheck(flags, len(checked), len(described))
