"""A small, clearly fictional list exchange for the demo: a UA list of children sought in Russia,
submitted, partly forwarded by the mediator, and partly answered by RU. Idempotent."""

from __future__ import annotations

from django.db import transaction

from homeward.accounts.models import Party, User
from homeward.exchange import services
from homeward.exchange.models import ListEntry, PartyList

TITLE = "Demo: children sought in the Russian Federation"
ROWS = [
    ("Прізвище", "Ім'я", "По батькові", "Дата народження", "Стать", "Місце народження"),
    ("Коваленко", "Дарина", "Олександрівна", "12.04.2013", "ж", "Херсон"),
    ("Бондаренко", "Максим", "Сергійович", "03.09.2011", "ч", "Маріуполь"),
    ("Шевченко", "Софія", "Андріївна", "27.01.2015", "ж", "Мелітополь"),
    ("Ткаченко", "Артем", "Іванович", "15.06.2012", "ч", "Бердянськ"),
    ("Мельник", "Поліна", "Василівна", "08.11.2014", "ж", "Ізюм"),
    ("Олійник", "Богдан", "Вікторович", "30.03.2010", "ч", "Нова Каховка"),
    ("Лисенко", "Злата", "Миколаївна", "19.07.2016", "ж", "Лисичанськ"),
    ("Марченко", "Назар", "Петрович", "02.12.2012", "ч", "Сєвєродонецьк"),
]
ANSWERS = [("located", "Demo: placement known to the mediator"), ("not_found", ""), ("more_data", "")]


def _csv() -> bytes:
    rows = list(ROWS)
    # One name the other side has registered (a child in Russia's care sought by Ukraine): a match to review.
    from homeward.registry.models import Child

    child = Child.objects.filter(is_demo=True, party__code="RU", case__requesting_party__code="UA").order_by(
        "created_at", "pk").first()
    if child is not None and child.birth_date is not None:
        rows.append((child.surname, child.given_name, child.patronymic, child.birth_date.strftime("%d.%m.%Y"),
                     {"M": "ч", "F": "ж"}.get(child.sex, ""), child.birth_place))
    return ("\n".join(";".join(r) for r in rows) + "\n").encode("cp1251", errors="replace")


def load_demo() -> dict[str, int]:
    """Create the demo list once; return how many versions were created (0 if already there)."""
    ua, ru, qa = (Party.objects.filter(code=c).first() for c in ("UA", "RU", "QA"))
    ua_officer = User.objects.filter(username="ua-officer").first()
    ru_officer = User.objects.filter(username="ru-officer").first()
    mediator = User.objects.filter(username="mediator").first()
    if ua is None or ru is None or qa is None or ua_officer is None or ru_officer is None or mediator is None:
        return {"created": 0}
    if PartyList.objects.filter(party=ua, title=TITLE).exists():
        return {"created": 0}
    with transaction.atomic():
        outcome = services.import_list(ua_officer, party=ua, title=TITLE, filename="demo-ua-sought.csv",
                                       data=_csv(), concerning=ru, via="cli")  # match synchronously
        version = outcome.version
        assert version is not None
        PartyList.objects.filter(pk=version.party_list_id).update(is_demo=True)
        entries = list(version.entries.order_by("row"))
        services.forward(mediator, version, [e.pk for e in entries[:5]], note="Demo: first part")
        forwarded = ListEntry.objects.filter(pk__in=[e.pk for e in entries[:3]]).select_related("forwarding")
        services.respond(ru_officer, [services.Answer(e, status, where)
                                      for e, (status, where) in zip(forwarded, ANSWERS, strict=True)])
    return {"created": 1}
