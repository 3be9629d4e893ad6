"""Illustrative sources for the demo: a few sample documents in the style of news wires and official
statements, with organisations and name variants. Every document is marked ``is_demo`` and titled
"[Illustrative]"; the figures in them are invented and must not be cited.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.figures import services
from homeward.figures.models import ClaimStatus, Document, NameVariant, Organisation, OrganisationKind, SourcePerson

ORGANISATIONS = [
    ("Ombudsman of Ukraine (illustrative)", OrganisationKind.GOVERNMENT, "UA",
     ["Ukraine's human rights commissioner", "Ukrainian Ombudsman's office", "human rights commissioner",
      "Уповноважений Верховної Ради з прав людини", "Офіс Омбудсмана", "омбудсмен Украины"]),
    ("Children's Rights Commissioner of Russia (illustrative)", OrganisationKind.GOVERNMENT, "RU",
     ["children's rights commissioner", "уполномоченный по правам ребенка", "уповноважена з прав дитини РФ"]),
    ("Children of War platform (illustrative)", OrganisationKind.GOVERNMENT, "UA",
     ["Children of War", "Діти війни", "Дети войны"]),
    ("University research lab (illustrative)", OrganisationKind.RESEARCH, "",
     ["research lab", "Humanitarian Research Lab", "дослідницька лабораторія"]),
    ("Homeward demo wire", OrganisationKind.MEDIA, "", ["Demo Wire"]),
]
PEOPLE = [
    ("Olena Prykladenko (fictional spokesperson)", "Spokesperson", "Ombudsman of Ukraine (illustrative)",
     ["Olena Prykladenko", "Prykladenko", "Олена Прикладенко", "Прикладенко", "Елена Прикладенко"]),
    ("Irina Obraztsova (fictional spokesperson)", "Spokesperson",
     "Children's Rights Commissioner of Russia (illustrative)",
     ["Irina Obraztsova", "Obraztsova", "Ірина Образцова", "Ирина Образцова", "Образцова"]),
]
DOCUMENTS = [
    ("[Illustrative] Wire: returns so far", "Demo Wire", "en", dt.date(2025, 3, 14),
     "KYIV, March 14 (Demo Wire) - Ukraine's human rights commissioner spokesperson Olena Prykladenko said on "
     "Tuesday that 1,226 children had been returned so far, while more than 9,000 remained unaccounted "
     "for. The Children of War platform lists 19,546 children deported. Prykladenko said the latest group of "
     "11 children, aged two to 17, crossed the border on Wednesday."),
    ("[Illustrative] Wire: a year of returns", "Demo Wire", "en", dt.date(2024, 12, 30),
     "KYIV, Dec 30 (Demo Wire) - Olena Prykladenko said on Monday that 1,012 children had been brought back "
     "to Ukraine in total. As of June 2, the figure stood at 371, according to the Children of War platform."),
    ("[Illustrative] Заява: повернення дітей", "Homeward demo wire", "uk", dt.date(2024, 6, 20),
     "Україна повернула додому ще 6 дітей. Про це повідомила речниця Олена Прикладенко у вівторок. "
     "Загалом, за даними платформи «Діти війни», станом на 17 червня 2024 року повернуто 388 дітей."),
    ("[Illustrative] Сообщение: приняты дети", "Homeward demo wire", "ru", dt.date(2023, 5, 19),
     "Более 700 тыс. детей были приняты в России. Об этом сообщила Ирина Образцова в четверг. По ее словам, "
     "380 детей-сирот переданы в семьи под опеку."),
]


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Create the illustrative sources once (idempotent) and confirm their claims as a demo mediator."""
    if Document.objects.filter(is_demo=True).exists():
        return {"documents": 0}
    orgs: dict[str, Organisation] = {}
    for name, kind, country, variants in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "country": country,
                                                                         "is_demo": True})
        orgs[name] = org
        for v in variants:
            NameVariant.objects.get_or_create(organisation=org, name=v)
    for name, title, org_name, variants in PEOPLE:
        person, _ = SourcePerson.objects.get_or_create(name=name, defaults={"title": title,
                                                                            "organisation": orgs[org_name],
                                                                            "is_demo": True})
        for v in variants:
            NameVariant.objects.get_or_create(person=person, name=v)
    from homeward.accounts.models import User

    reviewer = User.objects.filter(role="mediator_admin").order_by("id").first()
    created = 0
    for title, outlet, lang, published, text in DOCUMENTS:
        doc = services.add_document(None, title=title, text=text, outlet=outlet, language=lang,
                                    published_on=published, is_demo=True)
        created += 1
        doc.claims.update(status=ClaimStatus.CONFIRMED, reviewed_by=reviewer, reviewed_at=timezone.now(),
                          review_note="Demo: confirmed automatically (illustrative document).")
    from homeward.figures.models import StatsSnapshot

    if reviewer is not None and not StatsSnapshot.objects.exists():
        services.publish_snapshot(reviewer)  # the demo's public page shows a first dated publication
    return {"documents": created}
