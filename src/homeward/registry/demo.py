"""A clearly fictional, synthetic demo data set: parties, users and ~300 children in both directions.

Every record is marked ``is_demo`` and every name is drawn at random from common-name lists; any
resemblance to a real child is coincidence. Cases are walked through the real workflow
(``services.transition``), so their history is also in the ledger.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.accounts.models import Party, User
from homeward.accounts.roles import PartyKind, Role
from homeward.registry import services
from homeward.registry.models import Case, Child, Person, TracingRequest
from homeward.registry.workflow import CaseStatus as S

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo credential
PARTIES = [
    ("UA", "Ukraine — Coordination HQ for the Treatment of Prisoners of War (fictional demo)", PartyKind.AUTHORITY),
    ("RU", "Russia — Office of the Children's Rights Commissioner (fictional demo)", PartyKind.AUTHORITY),
    ("QA", "Qatar — Mediator (fictional demo)", PartyKind.MEDIATOR),
    ("NGO1", "Family Tracing Network (fictional demo NGO)", PartyKind.NGO),
]
USERS = [
    ("mediator", "QA", Role.MEDIATOR_ADMIN),
    ("mediator-cw", "QA", Role.MEDIATOR_CASEWORKER),
    ("ua-officer", "UA", Role.PARTY_OFFICER),
    ("ru-officer", "RU", Role.PARTY_OFFICER),
    ("ngo-worker", "NGO1", Role.NGO_CASEWORKER),
    ("auditor", "QA", Role.AUDITOR),
]

UA_BOYS = ["Олександр", "Максим", "Артем", "Дмитро", "Андрій", "Іван", "Богдан", "Михайло", "Назар", "Денис",
           "Владислав", "Тарас", "Микола", "Євген", "Олексій", "Кирило", "Ярослав", "Данило"]
UA_GIRLS = ["Анастасія", "Софія", "Марія", "Вікторія", "Дарина", "Олена", "Катерина", "Юлія", "Ганна",
            "Поліна", "Аліна", "Ірина", "Злата", "Оксана", "Наталія", "Яна"]
UA_SURNAMES = ["Коваленко", "Бондаренко", "Шевченко", "Ткаченко", "Кравченко", "Мельник", "Бойко", "Олійник",
               "Лисенко", "Марченко", "Савченко", "Руденко", "Кравець", "Поліщук", "Гончаренко", "Мороз",
               "Петренко", "Гаврилюк", "Ковальчук", "Симоненко", "Левченко", "Павленко"]
UA_PATRONYMICS = [("Олександрович", "Олександрівна"), ("Сергійович", "Сергіївна"), ("Андрійович", "Андріївна"),
                  ("Іванович", "Іванівна"), ("Петрович", "Петрівна"), ("Миколайович", "Миколаївна"),
                  ("Васильович", "Васильівна"), ("Вікторович", "Вікторівна")]
RU_BOYS = ["Александр", "Максим", "Артём", "Дмитрий", "Андрей", "Иван", "Михаил", "Никита", "Егор", "Кирилл",
           "Илья", "Матвей", "Тимофей"]
RU_GIRLS = ["Анастасия", "София", "Мария", "Виктория", "Дарья", "Елена", "Екатерина", "Полина", "Алиса",
            "Ксения", "Варвара"]
RU_SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов",
               "Волков", "Алексеев", "Лебедева", "Фёдоров", "Беляев", "Тарасов", "Белов"]
RU_PATRONYMICS = [("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"), ("Андреевич", "Андреевна"),
                  ("Иванович", "Ивановна"), ("Петрович", "Петровна"), ("Николаевич", "Николаевна"),
                  ("Владимирович", "Владимировна"), ("Викторович", "Викторовна")]
UA_PLACES = [("Херсон", "Херсонська"), ("Маріуполь", "Донецька"), ("Мелітополь", "Запорізька"),
             ("Бердянськ", "Запорізька"), ("Сєвєродонецьк", "Луганська"), ("Харків", "Харківська"),
             ("Ізюм", "Харківська"), ("Нова Каховка", "Херсонська"), ("Лисичанськ", "Луганська")]
RU_PLACES = [("Суджа", "Курская"), ("Курск", "Курская"), ("Рыльск", "Курская"), ("Глушково", "Курская")]
RU_FACILITIES = ["Дитячий будинок (окупована територія)", "Санаторій, Краснодарський край",
                 "Прийомна сім'я, Московська обл.", "Табір відпочинку, Крим",
                 "Центр соціальної допомоги, Ростовська обл."]

# Target status and the path that reaches it (through the real workflow).
PATHS: dict[str, list[str]] = {
    S.REPORTED: [],
    S.LOCATED: [S.LOCATED],
    S.VERIFYING: [S.LOCATED, S.VERIFYING],
    S.CLEARED_FOR_RETURN: [S.LOCATED, S.VERIFYING, S.CLEARED_FOR_RETURN],
    S.IN_MEDIATOR_CARE: [S.LOCATED, S.VERIFYING, S.CLEARED_FOR_RETURN, S.IN_MEDIATOR_CARE],
    S.IN_TRANSIT: [S.LOCATED, S.VERIFYING, S.CLEARED_FOR_RETURN, S.IN_MEDIATOR_CARE, S.IN_TRANSIT],
    S.REUNITED: [S.LOCATED, S.VERIFYING, S.CLEARED_FOR_RETURN, S.IN_MEDIATOR_CARE, S.IN_TRANSIT, S.REUNITED],
    S.CLOSED: [S.LOCATED, S.VERIFYING, S.CLEARED_FOR_RETURN, S.IN_MEDIATOR_CARE, S.IN_TRANSIT, S.REUNITED, S.CLOSED],
    S.NOT_FOUND: [S.NOT_FOUND],
    S.DECLINED: [S.LOCATED, S.DECLINED],
    S.CONTESTED: [S.LOCATED, S.CONTESTED],
    S.WITHDRAWN: [S.WITHDRAWN],
}
STATUS_WEIGHTS = {S.REPORTED: 20, S.LOCATED: 14, S.VERIFYING: 10, S.CLEARED_FOR_RETURN: 6, S.IN_MEDIATOR_CARE: 4,
                  S.IN_TRANSIT: 3, S.REUNITED: 16, S.CLOSED: 8, S.NOT_FOUND: 6, S.DECLINED: 3, S.CONTESTED: 6,
                  S.WITHDRAWN: 4}


# Other domains' preparations before a demo step, e.g. the returns checklist its clearance gate needs:
# callables (user, case, step, when), appended by their AppConfig.ready().
STEP_HOOKS: list[Callable[[User, Case, str, dt.datetime], None]] = []


class NotADemoDatabase(Exception):
    """The database holds real (non-demo) records; the demo loader will not touch it."""


def holds_real_data() -> bool:
    return any(m.objects.filter(is_demo=False).exists() for m in (Child, Person, TracingRequest, Case))


def ensure_parties_and_users() -> dict[str, User]:
    parties = {}
    for code, name, kind in PARTIES:
        parties[code], _ = Party.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    users = {}
    for username, code, role in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, party=parties[code], role=role)
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
    return users


def _patronymic(rng: random.Random, forms: list[tuple[str, str]], sex: str) -> str:
    male, female = rng.choice(forms)
    return male if sex == "M" else female


def _ru_feminine(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ин", "ёв")) else surname


# The first UA and the first RU record of the demo: the same boy in each party's own script (the cross-script
# search and the matcher's examples: "Oleksandr Kovalenko", "Саша Коваленко", "Kowalenko" find both for the mediator).
SHOWCASE = {"UA": ("Олександр", "Коваленко", "Андрійович"), "RU": ("Александр", "Коваленко", "Андреевич")}


def _child(rng: random.Random, side: str, party: Party, user: User, today: dt.date,
           names: tuple[str, str, str] | None = None) -> Child:
    sex = rng.choice("MF")
    if side == "UA":
        given = rng.choice(UA_BOYS if sex == "M" else UA_GIRLS)
        surname = rng.choice(UA_SURNAMES)
        patronymic = _patronymic(rng, UA_PATRONYMICS, sex)
        place, region = rng.choice(UA_PLACES)
        category = rng.choice(["deported", "deported", "deported", "evacuated", "lost_contact", "orphaned",
                               "parent_detained"])
        facility = rng.choice(RU_FACILITIES)
    else:
        given = rng.choice(RU_BOYS if sex == "M" else RU_GIRLS)
        surname = _ru_feminine(rng.choice(RU_SURNAMES)) if sex == "F" else rng.choice(RU_SURNAMES).rstrip("а")
        patronymic = _patronymic(rng, RU_PATRONYMICS, sex)
        place, region = rng.choice(RU_PLACES)
        category = rng.choice(["evacuated", "lost_contact", "parent_detained", "other"])
        facility = "Пункт тимчасового розміщення, Сумська обл."
    if names:  # drawn above all the same, so every other record of the demo stays as it was
        sex, (given, surname, patronymic) = "M", names
    born = today - dt.timedelta(days=rng.randint(2 * 365, 17 * 365))
    precise = rng.random() > 0.12
    child = Child(
        party=party, given_name=given, surname=surname, patronymic=patronymic, sex=sex,
        birth_date=born if precise else None, birth_date_precision="day" if precise else "estimated",
        estimated_age=None if precise else (today - born).days // 365,
        age_estimated_on=None if precise else today - dt.timedelta(days=rng.randint(30, 400)),
        birth_place=place, region=region, last_known_location=place, current_facility=facility,
        separation_category=category,
        separation_details="Synthetic demo record — fictional.",
        medical_needs=rng.choice(["", "", "", "Asthma; inhaler daily (demo)", "Type 1 diabetes (demo)"]),
        is_demo=True,
    )
    return services.save_new(user, child)


def load(progress: Callable[[int, int], None] | None = None, *, n_ua: int = 200, n_ru: int = 60,
         n_ru_care: int = 40, seed: int = 2022) -> dict[str, Any]:
    """Create the demo data set. Refuses a database that holds real records; idempotent on a demo one."""
    if holds_real_data():
        raise NotADemoDatabase("This database holds non-demo records; the demo loader will not touch it.")
    users = ensure_parties_and_users()
    if Child.objects.filter(is_demo=True).exists():
        return {"created": 0, "users": list(users)}
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    today = dt.date(2025, 9, 1)
    parties = {p.code: p for p in Party.objects.all()}
    mediator, ua, ru, ngo = users["mediator"], users["ua-officer"], users["ru-officer"], users["ngo-worker"]
    plan = [("UA", parties["UA"], ua, None)] * n_ua + [("RU", parties["RU"], ru, None)] * n_ru \
        + [("UA", parties["RU"], ru, parties["UA"])] * n_ru_care
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    total = len(plan)
    start = timezone.make_aware(dt.datetime(2023, 3, 1, 9, 0))
    for i, (side, party, officer, requesting) in enumerate(plan):
        with transaction.atomic():
            showcase = SHOWCASE.get(side) if i in (0, n_ua) else None
            child = _child(rng, side, party, officer, today, showcase)
            when = start + dt.timedelta(days=rng.randint(0, 700), hours=rng.randint(0, 8))
            case = services.open_case(officer, child, requesting_party=requesting, at=when)
            Case.objects.filter(pk=case.pk).update(caseworker=users["mediator-cw"])
            target = rng.choices(statuses, weights)[0] if side == "UA" or requesting else rng.choice(
                [S.REPORTED, S.LOCATED, S.VERIFYING, S.REUNITED, S.REUNITED, S.CLOSED, S.CONTESTED])
            for step in PATHS[target]:
                when += dt.timedelta(days=rng.randint(3, 60), hours=rng.randint(0, 6))
                actor = officer if step == S.WITHDRAWN else mediator
                reason = "Demo: recorded for the synthetic data set." if step in (
                    S.NOT_FOUND, S.DECLINED, S.CONTESTED, S.WITHDRAWN) else ""
                case.refresh_from_db()
                for hook in STEP_HOOKS:
                    hook(actor, case, step, min(when, timezone.now()))
                services.transition(actor, case, step, reason=reason, at=min(when, timezone.now()))
            if rng.random() < 0.7:
                parent = Person(party=party, child=child, given_name=rng.choice(UA_GIRLS if side == "UA" else RU_GIRLS),
                                surname=child.surname if side == "UA" else _ru_feminine(child.surname),
                                relationship=rng.choice(["mother", "mother", "father", "grandparent",
                                                         "legal_guardian"]),
                                phone=f"+000 {rng.randint(100, 999)} {rng.randint(1000, 9999)} (demo)", is_demo=True)
                services.save_new(officer, parent)
                case.requesters.add(parent)
                if rng.random() < 0.5:
                    req = TracingRequest(party=parent.party, requester=parent, child=child, status="matched",
                                         given_name=child.given_name, surname=child.surname,
                                         patronymic=child.patronymic, sex=child.sex, birth_date=child.birth_date,
                                         birth_place=child.birth_place, separation_category=child.separation_category,
                                         is_demo=True)
                    services.file_tracing_request(officer, req)  # filed through the service: it has a history
        if progress:
            progress(i + 1, total)
    # Open tracing requests filed by the NGO for families, not yet matched.
    for _ in range(25):
        sex = rng.choice("MF")
        parent = services.save_new(ngo, Person(party=parties["NGO1"], given_name=rng.choice(UA_GIRLS),
                                               surname=rng.choice(UA_SURNAMES), relationship="mother",
                                               email="family@example.org", is_demo=True))
        services.file_tracing_request(ngo, TracingRequest(
            party=parties["NGO1"], requester=parent, given_name=rng.choice(UA_BOYS if sex == "M" else UA_GIRLS),
            surname=parent.surname, sex=sex, birth_date=today - dt.timedelta(days=rng.randint(3 * 365, 16 * 365)),
            birth_place=rng.choice(UA_PLACES)[0], separation_category="lost_contact", is_demo=True))
    return {"created": total, "users": list(users)}
