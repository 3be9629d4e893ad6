"""Shared test builders: parties, users of every role, and a record of every kind per party.

The one place test modules get their builders from (no test module imports another test module's helpers).
``tests/conftest.py`` turns the first ones into fixtures (``parties``, ``users``, ``ua_child``, ``ru_child``,
``token_for``); ``tests/ui_world.py`` and ``tests/_live.py`` build larger worlds on top of these.

Every user's password is ``password_of(username)`` (``"pw-" + username``), so a test can sign in as anyone.

Roles (the keys of :func:`make_users`)
    ``mediator`` (mediator administrator), ``caseworker`` (mediator case worker), ``ua`` and ``ru`` (party
    officers), ``ngo`` (NGO case worker), ``auditor``.
Records
    :func:`make_child` (with its case), :func:`make_person`, :func:`make_tracing_request`,
    :func:`import_list` (a UA-style list, :func:`ua_csv`), :func:`cleared_case` (a case walked to
    ``cleared_for_return``), :func:`planned_operation` (RU → UA with legs and hand-overs),
    :func:`make_pairs` (linkage candidates), :func:`add_report` (a figures source), :func:`reunite`,
    :func:`party_records` (one of each kind for a party).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

PARTIES = {
    "UA": ("Ukraine", "authority"),
    "RU": ("Russia", "authority"),
    "QA": ("Qatar", "mediator"),
    "NGO1": ("Tracing NGO", "ngo"),
}

# key: (username, party code, role)
ROLES = {
    "mediator": ("mediator", "QA", "mediator_admin"),
    "caseworker": ("caseworker", "QA", "mediator_caseworker"),
    "ua": ("ua-officer", "UA", "party_officer"),
    "ru": ("ru-officer", "RU", "party_officer"),
    "ngo": ("ngo-worker", "NGO1", "ngo_caseworker"),
    "auditor": ("auditor", "QA", "auditor"),
}


def password_of(username: str) -> str:
    return "pw-" + username


# --- parties and users ---------------------------------------------------------------------------


def make_party(code: str, name: str = "", kind: str = "authority") -> Any:
    from homeward.accounts.models import Party

    return Party.objects.create(code=code, name=name or code, kind=kind)


def make_parties() -> dict[str, Any]:
    """UA and RU (authorities), QA (the mediator) and NGO1 (a tracing NGO)."""
    return {code: make_party(code, name, kind) for code, (name, kind) in PARTIES.items()}


def make_user(username: str, party: Any, role: str) -> Any:
    from homeward.accounts.models import User

    u = User(username=username, party=party, role=role)
    u.set_password(password_of(username))
    u.save()
    return u


def make_users(parties: dict[str, Any]) -> dict[str, Any]:
    """A user of every role (see :data:`ROLES`)."""
    return {key: make_user(username, parties[code], role) for key, (username, code, role) in ROLES.items()}


def login(client: Any, user: Any) -> Any:
    """Sign ``client`` in as ``user`` with the password (the login path, not ``force_login``)."""
    assert client.login(username=user.username, password=password_of(user.username))
    return client


# --- registry ------------------------------------------------------------------------------------


def make_child(user: Any, **fields: Any) -> Any:
    """A child registered by ``user`` (its party's record), with its case opened."""
    from homeward.registry import services
    from homeward.registry.models import Child

    data = {"given_name": "Олександр", "surname": "Коваленко", "patronymic": "Петрович", "sex": "M",
            "birth_date": dt.date(2014, 3, 5), "birth_place": "Херсон"}
    data.update(fields)
    child = services.save_new(user, Child(**data))
    services.open_case(user, child)
    return child


def make_person(user: Any, **fields: Any) -> Any:
    from homeward.registry import services
    from homeward.registry.models import Person

    data: dict[str, Any] = {"surname": "Коваленко", "given_name": "Олена", "relationship": "mother"}
    data.update(fields)
    return services.save_new(user, Person(**data))


def make_tracing_request(user: Any, requester: Any = None, **fields: Any) -> Any:
    from homeward.registry import services
    from homeward.registry.models import TracingRequest

    data: dict[str, Any] = {"surname": "Коваленко", "given_name": "Олександр"}
    data.update(fields)
    return services.file_tracing_request(user, TracingRequest(requester=requester or make_person(user), **data))


# --- list exchange -------------------------------------------------------------------------------

UA_HEADER = "Прізвище;Ім'я;По батькові;Дата народження;Стать;Місце народження"
UA_ROWS = [
    "Коваленко;Дарина;Олександрівна;12.04.2013;ж;Херсон",
    "Бондаренко;Максим;Сергійович;03.09.2011;ч;Маріуполь",
    "Шевченко;Софія;Андріївна;27.01.2015;Ж;Мелітополь",
]


def ua_csv(rows: list[str] | None = None, encoding: str = "cp1251") -> bytes:
    """A list as a Ukrainian authority exports it: cp1251, semicolons, Ukrainian headers."""
    return ("\r\n".join([UA_HEADER, *(rows if rows is not None else UA_ROWS)]) + "\r\n").encode(encoding)


def import_list(user: Any, party: Any, title: str = "Sought", rows: list[str] | None = None,
                filename: str = "list.csv", **kw: Any) -> Any:
    """A list submitted by ``party`` (``user`` an officer of it, or the mediator); returns the import result."""
    from homeward.exchange import services

    return services.import_list(user, party=party, title=title, filename=filename, data=ua_csv(rows), **kw)


# --- returns -------------------------------------------------------------------------------------


def cleared_case(officer: Any, mediator: Any, **fields: Any) -> Any:
    """A child's case walked to cleared_for_return with a complete verification checklist."""
    from homeward.registry import services as registry
    from homeward.returns import services
    from homeward.returns.models import Item

    case = make_child(officer, **fields).case
    for step in ("located", "verifying"):
        case.refresh_from_db()
        registry.transition(mediator, case, step)
    for item in Item:
        services.add_document(mediator, case, item.value, "other", description="seen")
        services.confirm_item(mediator, case, item.value)
    case.refresh_from_db()
    registry.transition(mediator, case, "cleared_for_return")
    case.refresh_from_db()
    return case


def planned_operation(users: dict[str, Any], parties: dict[str, Any], cases: list[Any], *,
                      confirm: bool = True, from_party: str = "RU", to_party: str = "UA",
                      name: str = "Return operation Riga") -> Any:
    """RU → UA (or the reverse): hand-over RU→QA at the embassy, two legs, final hand-over QA→UA in Kyiv."""
    from homeward.returns import services

    m = users["mediator"]
    op = services.create_operation(m, name=name, from_party=parties[from_party], to_party=parties[to_party],
                                   planned_start=dt.date(2026, 1, 10), planned_end=dt.date(2026, 1, 12), capacity=10)
    for case in cases:
        services.add_child(m, op, case)
    services.add_leg(m, op, from_place="Moscow", from_country="Russia", to_place="Riga", to_country="Latvia",
                     mode="road", carrier="Embassy coach")
    services.add_leg(m, op, from_place="Riga", from_country="Latvia", to_place="Kyiv", to_country="Ukraine",
                     mode="rail")
    services.add_hosting(m, op, place="Embassy of Qatar", city="Moscow", country="Russia", host=parties["QA"],
                         starts=dt.datetime(2026, 1, 9, tzinfo=dt.UTC), ends=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    services.add_handover(m, op, before_leg=1, place="Embassy of Qatar, Moscow", country="Russia",
                          from_party=parties[from_party], to_party=parties["QA"])
    services.add_handover(m, op, before_leg=3, place="Kyiv station", country="Ukraine", from_party=parties["QA"],
                          to_party=parties[to_party], final=True)
    if confirm:
        services.set_status(m, op, "confirmed")
    op.refresh_from_db()
    return op


# --- linkage -------------------------------------------------------------------------------------

REASONS = [{"comparison": "sex", "level": "same", "weight": 1.0},
           {"comparison": "birth date", "level": "different dates", "weight": -6.5},
           {"comparison": "given name", "level": "same name", "weight": 9.8},
           {"comparison": "surname", "level": "spelling differs by a typo", "weight": 3.2}]


def make_pairs(users: dict[str, Any], n: int = 3) -> list[Any]:
    """``n`` pending child ↔ child pairs, nearest the threshold first (probabilities 0.51, 0.55, ...)."""
    from homeward.linkage.models import Candidate

    pairs = []
    for i in range(n):
        a = make_child(users["ua"], given_name="Марія", surname=f"Шевченко{i}", birth_date=dt.date(2012, 1, 1 + i))
        b = make_child(users["ru"], given_name="Мария", surname=f"Шевченко{i}", birth_date=dt.date(2012, 1, 1 + i))
        pairs.append(Candidate.objects.create(left_type="child", left_id=a.pk, right_type="child", right_id=b.pk,
                                              match_probability=0.51 + 0.04 * i, match_weight=0.1 + i,
                                              reasons=REASONS))
    return pairs


def sought_pair(users: dict[str, Any]) -> tuple[Any, Any]:
    """A family's tracing request written in Latin (by the NGO), and the registered UA child it describes,
    among six other UA children."""
    child = make_child(users["ua"], given_name="Олександр", surname="Коваленко", patronymic="Петрович",
                       birth_date=dt.date(2014, 3, 5), birth_place="Херсон")
    for i, (given, surname) in enumerate([("Марія", "Шевченко"), ("Іван", "Бондар"), ("Софія", "Мельник"),
                                          ("Дмитро", "Ткаченко"), ("Анна", "Кравець"), ("Тарас", "Бойко")]):
        make_child(users["ua"], given_name=given, surname=surname, patronymic="", sex="F" if given[-1] == "я" else "M",
                   birth_date=dt.date(2010 + i, 1 + i, 10 + i), birth_place="Маріуполь")
    mother = make_person(users["ngo"], surname="Kovalenko", given_name="Olena", relationship="mother")
    from homeward.registry import services
    from homeward.registry.models import TracingRequest

    request = services.save_new(users["ngo"], TracingRequest(
        requester=mother, given_name="Aleksandr", surname="Kovalenko", patronymic="Petrovich", sex="M",
        birth_date=dt.date(2014, 5, 3), birth_place="Kherson"))
    return child, request


def run_now(user: Any) -> Any:
    """A matching run, in the foreground."""
    from homeward.linkage import services

    return services.start(user, background=False)


# --- figures -------------------------------------------------------------------------------------

REPORT = ("KYIV, March 14 (Reuters) - Ukraine's human rights commissioner Olena Prykladenko said on Tuesday that "
          "214 children had been returned so far this year, while more than 9,000 remained unaccounted for.")


def add_report(user: Any = None, text: str = REPORT, published: dt.date = dt.date(2025, 3, 14)) -> Any:
    from homeward.figures import services

    return services.add_document(user, title="Wire report", text=text, outlet="Reuters",
                                 url="https://example.org/wire", published_on=published)


def reunite(child: Any, user: Any, at: dt.datetime) -> None:
    """Record (directly) that ``child``'s case reached ``reunited`` at ``at``."""
    from homeward.registry.models import CaseEvent

    CaseEvent.objects.create(case=child.case, from_status="in_transit", to_status="reunited", actor=user,
                             actor_party=user.party_code, at=at)


# --- one record of each kind per party -----------------------------------------------------------


@dataclass
class PartyRecords:
    """One record of every kind a party owns: the objects of the access matrix's "own" and "other" cells."""

    child: Any
    person: Any
    tracing_request: Any
    case: Any
    list_version: Any
    operation: Any


def party_records(users: dict[str, Any], parties: dict[str, Any], key: str, *, concerning: str) -> PartyRecords:
    """For the party of ``users[key]`` (``"ua"`` or ``"ru"``): a child with its case (cleared for return), a
    person, a tracing request, a list concerning ``concerning`` and a return operation to the party."""
    officer = users[key]
    code = officer.party.code
    case = cleared_case(officer, users["mediator"], surname=f"Дитина-{code}")
    person = make_person(officer, surname=f"Мати-{code}", child=case.child)
    request = make_tracing_request(officer, requester=person, surname=f"Шукана-{code}")
    version = import_list(officer, parties[code], title=f"Sought by {code}",
                          concerning=parties[concerning]).version
    operation = planned_operation(users, parties, [case], from_party=concerning, to_party=code,
                                  name=f"Return to {code}")
    return PartyRecords(case.child, person, request, case, version, operation)
