"""Demo return operations, shaped like the reported ones and walked through the real services.

* Three completed groups of 4, 6 and 11 children from Russia to Ukraine via Qatar and the Baltic states
  and Poland, each hosted at the mediator's embassy in Moscow first.
* 46 Kursk residents, 12 of them children, back to Russia through Belarus.
* One operation in planning with children the registry demo cleared for return.

Every child is synthetic (``is_demo``); every custody chain is complete (both signatures of every
hand-over are ledger entries). ``load_demo`` is idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward import access
from homeward.accounts.models import Party, User
from homeward.registry import services as registry_services
from homeward.registry.demo import (
    RU_BOYS,
    RU_GIRLS,
    RU_PLACES,
    RU_SURNAMES,
    UA_BOYS,
    UA_GIRLS,
    UA_PLACES,
    UA_SURNAMES,
    holds_real_data,
)
from homeward.registry.models import Case, Child
from homeward.registry.workflow import CaseStatus as S
from homeward.returns import checklist, services
from homeward.returns.models import FollowUp, FollowUpStatus, Item, Member, MemberKind, ReturnOperation

EVIDENCE = {
    Item.IDENTITY: ("birth_certificate", "Birth certificate seen and copied (demo)"),
    Item.RELATIONSHIP: ("court_decision", "Parental rights confirmed (demo)"),
    Item.CHILD_VIEWS: ("interview_record", "Interview with a child psychologist present (demo)"),
    Item.BEST_INTERESTS: ("assessment", "Best-interests assessment by the mediator's team (demo)"),
    Item.MEDICAL: ("medical_report", "Medical check before travel (demo)"),
}


def complete_checklist(user: User, case: Case, when: dt.datetime, *, with_file: bool = False) -> None:
    for item, (kind, description) in EVIDENCE.items():
        data = f"Synthetic demo evidence for case {case.pk}, item {item.value}.\n".encode() if with_file else None
        services.add_document(user, case, item.value, kind, description=description, data=data,
                              content_type="text/plain", at=when, via="demo")
        services.confirm_item(user, case, item.value, at=when, via="demo")


def prepare_demo_step(user: User, case: Case, step: str, when: dt.datetime) -> None:
    """Hook of the registry demo: record what the returns gates need before a step."""
    if step == S.CLEARED_FOR_RETURN and checklist.unmet(case):
        mediator = user if access.is_mediator(user) else User.objects.filter(username="mediator").first()
        if mediator is not None:
            complete_checklist(mediator, case, when)
    elif step == S.CLOSED:
        for fu in FollowUp.objects.filter(case=case).filter(status=FollowUpStatus.SCHEDULED):
            services.record_follow_up(user, fu, status=FollowUpStatus.DONE, outcome="well",
                                      notes="Demo visit.", at=when, via="demo")


def _aware(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h, 0))


def _new_child(rng: random.Random, officer: User, side: str, when: dt.datetime, medical: str = "") -> Case:
    sex = rng.choice("MF")
    if side == "UA":
        given = rng.choice(UA_BOYS if sex == "M" else UA_GIRLS)
        surname = rng.choice(UA_SURNAMES)
        place, region = rng.choice(UA_PLACES)
        facility = "Children's home, Moscow region (demo)"
    else:
        given = rng.choice(RU_BOYS if sex == "M" else RU_GIRLS)
        surname = rng.choice(RU_SURNAMES)
        surname = surname + "а" if sex == "F" and surname.endswith(("ов", "ев", "ин")) else surname
        place, region = rng.choice(RU_PLACES)
        facility = "Temporary accommodation, Sumy region (demo)"
    born = when.date() - dt.timedelta(days=rng.randint(4 * 365, 16 * 365))
    child = registry_services.save_new(officer, Child(
        party=officer.party, given_name=given, surname=surname, sex=sex, birth_date=born, birth_place=place,
        region=region, last_known_location=place, current_facility=facility,
        separation_category="deported" if side == "UA" else "evacuated",
        separation_details="Synthetic demo record — fictional.", medical_needs=medical, is_demo=True))
    case = registry_services.open_case(officer, child, at=when)
    Case.objects.filter(pk=case.pk).update(is_demo=True)
    return case


def _clear(mediator: User, case: Case, when: dt.datetime, *, with_file: bool = False) -> None:
    for i, step in enumerate((S.LOCATED, S.VERIFYING)):
        case.refresh_from_db()
        registry_services.transition(mediator, case, step, at=when + dt.timedelta(days=i), via="demo")
    complete_checklist(mediator, case, when + dt.timedelta(days=2), with_file=with_file)
    case.refresh_from_db()
    registry_services.transition(mediator, case, S.CLEARED_FOR_RETURN, at=when + dt.timedelta(days=3), via="demo")


def _run(op: ReturnOperation, signers: dict[str, User], mediator: User, start: dt.datetime) -> None:
    """Confirm the operation, then sign each hand-over and run each leg in route order."""
    services.set_status(mediator, op, "confirmed", via="demo")
    t = start
    legs = list(op.legs.order_by("sequence"))
    for n in range(1, len(legs) + 2):
        for h in op.handovers.filter(before_leg=n).order_by("created_at", "pk"):
            t += dt.timedelta(hours=1)
            services.sign(signers[h.from_party.code], h, "handing", at=t, via="demo")
            t += dt.timedelta(minutes=20)
            services.sign(signers[h.to_party.code], h, "receiving", at=t, via="demo")
        if n <= len(legs):
            leg = legs[n - 1]
            dep = max(t + dt.timedelta(hours=2), leg.planned_departure or t)
            services.start_leg(mediator, leg, at=dep, via="demo")
            t = dep + ((leg.planned_arrival - leg.planned_departure) if leg.planned_arrival and leg.planned_departure
                       else dt.timedelta(hours=6))
            services.arrive_leg(mediator, leg, at=t, via="demo")


ROUTES: list[dict[str, Any]] = [
    {
        "name": "Doha group (demo)", "children": 4, "start": (2024, 6, 10), "escorts": 2, "file": True,
        "legs": [("Moscow", "Russia", "Doha", "Qatar", "charter_flight", "Qatar Amiri Flight (demo)", 6),
                 ("Doha", "Qatar", "Warsaw", "Poland", "scheduled_flight", "Qatar Airways (demo)", 7),
                 ("Warsaw", "Poland", "Kyiv", "Ukraine", "rail", "Ukrzaliznytsia (demo)", 14)],
        "hosting": [("Embassy of the State of Qatar", "Moscow", "Russia", 1, 3),
                    ("Mediator's guest house", "Doha", "Qatar", 2, 4)],
        "final": ("Kyiv, central station", "Ukraine"), "follow_ups_done": True,
    },
    {
        "name": "Narva crossing (demo)", "children": 6, "start": (2024, 10, 14), "escorts": 2,
        "legs": [("Moscow", "Russia", "Narva", "Estonia", "road", "Embassy minibus (demo)", 11),
                 ("Narva", "Estonia", "Tallinn", "Estonia", "road", "Embassy minibus (demo)", 3),
                 ("Tallinn", "Estonia", "Warsaw", "Poland", "scheduled_flight", "LOT (demo)", 2),
                 ("Warsaw", "Poland", "Kyiv", "Ukraine", "rail", "Ukrzaliznytsia (demo)", 14)],
        "hosting": [("Embassy of the State of Qatar", "Moscow", "Russia", 1, 2)],
        "final": ("Kyiv, central station", "Ukraine"), "follow_ups_done": False,
    },
    {
        "name": "Baltic road group (demo)", "children": 11, "start": (2025, 2, 3), "escorts": 3,
        "legs": [("Moscow", "Russia", "Riga", "Latvia", "road", "Embassy coach (demo)", 14),
                 ("Riga", "Latvia", "Vilnius", "Lithuania", "road", "Embassy coach (demo)", 4),
                 ("Vilnius", "Lithuania", "Warsaw", "Poland", "road", "Embassy coach (demo)", 7),
                 ("Warsaw", "Poland", "Kyiv", "Ukraine", "rail", "Ukrzaliznytsia (demo)", 14)],
        "hosting": [("Embassy of the State of Qatar", "Moscow", "Russia", 1, 3)],
        "final": ("Kyiv, central station", "Ukraine"), "follow_ups_done": False,
    },
]


def load_demo() -> dict[str, int]:
    """Create the demo operations once; a database that already has them, or real records, is left alone."""
    if holds_real_data() or ReturnOperation.objects.filter(is_demo=True).exists():
        return {"created": 0}
    users = {u.username: u for u in User.objects.filter(username__in=["mediator", "ua-officer", "ru-officer"])}
    if len(users) < 3:
        return {"created": 0}
    mediator, ua, ru = users["mediator"], users["ua-officer"], users["ru-officer"]
    parties = {p.code: p for p in Party.objects.filter(code__in=["UA", "RU", "QA"])}
    signers = {"UA": ua, "RU": ru, "QA": mediator}
    rng = random.Random(1446)  # noqa: S311 - synthetic data
    created = 0
    with transaction.atomic():
        for route in ROUTES:
            created += _ru_to_ua(route, rng, mediator, ru, parties, signers)
        created += _kursk(rng, mediator, ua, ru, parties, signers)
        created += _under_way(rng, mediator, ru, parties, signers)
        created += _planning(mediator, parties)
    return {"created": created}


def _ru_to_ua(route: dict[str, Any], rng: random.Random, mediator: User, ru: User, parties: dict[str, Party],
              signers: dict[str, User]) -> int:
    start = _aware(*route["start"])
    cases = []
    for i in range(route["children"]):
        medical = "Type 1 diabetes; insulin (demo)" if i % 4 == 1 else ""
        case = _new_child(rng, ru, "UA", start - dt.timedelta(days=120), medical)
        Case.objects.filter(pk=case.pk).update(requesting_party=parties["UA"])
        _clear(mediator, case, start - dt.timedelta(days=40), with_file=route.get("file", False) and i == 0)
        cases.append(case)
    legs = route["legs"]
    op = services.create_operation(mediator, name=route["name"], from_party=parties["RU"], to_party=parties["UA"],
                                   planned_start=start.date(), planned_end=(start + dt.timedelta(days=5)).date(),
                                   capacity=route["children"] + route["escorts"] + 2, is_demo=True, via="demo")
    for case in cases:
        case.refresh_from_db()
        services.add_child(mediator, op, case, at=start - dt.timedelta(days=20), via="demo")
    for k in range(route["escorts"]):
        services.add_person(mediator, op, kind=MemberKind.ESCORT, full_name=f"Escort {k + 1} (demo)",
                            party=parties["QA"], role="Doctor (demo)" if k == 0 else "Embassy staff (demo)",
                            via="demo")
    t = start + dt.timedelta(days=1)
    for from_place, from_country, to_place, to_country, mode, carrier, hours in legs:
        services.add_leg(mediator, op, from_place=from_place, from_country=from_country, to_place=to_place,
                         to_country=to_country, mode=mode, carrier=carrier, planned_departure=t,
                         planned_arrival=t + dt.timedelta(hours=hours), via="demo")
        t += dt.timedelta(hours=hours + 10)
    planned = list(op.legs.order_by("sequence"))
    for place, city, country, before_leg, _days in route["hosting"]:
        begin = start if before_leg == 1 else planned[before_leg - 2].planned_arrival
        end = planned[before_leg - 1].planned_departure
        assert begin is not None and end is not None
        services.add_hosting(mediator, op, place=place, city=city, country=country, host=parties["QA"],
                             starts=begin, ends=end, before_leg=before_leg, via="demo")
    services.add_handover(mediator, op, before_leg=1, place="Embassy of the State of Qatar, Moscow", country="Russia",
                          from_party=parties["RU"], to_party=parties["QA"], planned_at=start, via="demo")
    services.add_handover(mediator, op, before_leg=len(legs) + 1, place=route["final"][0], country=route["final"][1],
                          from_party=parties["QA"], to_party=parties["UA"], final=True, planned_at=t, via="demo")
    _run(op, signers, mediator, start)
    _after(op, mediator, route["follow_ups_done"])
    return 1


def _kursk(rng: random.Random, mediator: User, ua: User, ru: User, parties: dict[str, Party],
           signers: dict[str, User]) -> int:
    start = _aware(2025, 4, 14)
    op = services.create_operation(mediator, name="Kursk residents via Belarus (demo)", from_party=parties["UA"],
                                   to_party=parties["RU"], planned_start=start.date(),
                                   planned_end=(start + dt.timedelta(days=2)).date(), capacity=46, is_demo=True,
                                   via="demo")
    for i in range(12):
        case = _new_child(rng, ru, "RU", start - dt.timedelta(days=200), "Asthma; inhaler (demo)" if i == 3 else "")
        _clear(mediator, case, start - dt.timedelta(days=30))
        case.refresh_from_db()
        services.add_child(mediator, op, case, at=start - dt.timedelta(days=10), via="demo")
    for i in range(34):
        sex = rng.choice("MF")
        surname = rng.choice(RU_SURNAMES)
        surname = surname + "а" if sex == "F" and surname.endswith(("ов", "ев", "ин")) else surname
        services.add_person(mediator, op, kind=MemberKind.ADULT, party=parties["RU"],
                            full_name=f"{surname} {rng.choice(RU_BOYS if sex == 'M' else RU_GIRLS)} (demo)",
                            role="Resident of Kursk region (demo)",
                            medical_support="Wheelchair user (demo)" if i in (4, 17) else "", via="demo")
    legs = [("Sumy", "Ukraine", "Novi Yarylovychi", "Ukraine", "road", "Coach (demo)", 6),
            ("Novi Yarylovychi", "Ukraine", "Gomel", "Belarus", "road", "Coach (demo)", 3),
            ("Gomel", "Belarus", "Bryansk", "Russia", "road", "Coach (demo)", 6)]
    t = start + dt.timedelta(hours=3)
    for from_place, from_country, to_place, to_country, mode, carrier, hours in legs:
        services.add_leg(mediator, op, from_place=from_place, from_country=from_country, to_place=to_place,
                         to_country=to_country, mode=mode, carrier=carrier, planned_departure=t,
                         planned_arrival=t + dt.timedelta(hours=hours), via="demo")
        t += dt.timedelta(hours=hours + 1)
    services.add_hosting(mediator, op, place="Reception point", city="Gomel", country="Belarus",
                         host=parties["QA"], starts=start + dt.timedelta(hours=13),
                         ends=start + dt.timedelta(hours=14), before_leg=3, via="demo")
    services.add_handover(mediator, op, before_leg=1, place="Sumy, assembly point", country="Ukraine",
                          from_party=parties["UA"], to_party=parties["QA"], planned_at=start, via="demo")
    services.add_handover(mediator, op, before_leg=4, place="Belarus–Russia border, Bryansk region",
                          country="Russia", from_party=parties["QA"], to_party=parties["RU"], final=True,
                          planned_at=t, via="demo")
    _run(op, signers, mediator, start)
    _after(op, mediator, False)
    return 1


def _after(op: ReturnOperation, mediator: User, all_done: bool) -> None:
    """Record follow-up visits: all done and the case closed for the oldest group, the first visit for others."""
    for m in op.members.filter(kind=MemberKind.CHILD).select_related("case"):
        case = m.case
        assert case is not None
        for fu in FollowUp.objects.filter(case=case).order_by("months"):
            if not all_done and fu.months > 1:
                break
            concerns = case.pk % 5 == 0
            services.record_follow_up(mediator, fu, status="done", outcome="concerns" if concerns else "well",
                                      notes="Demo visit.", further_support=concerns,
                                      at=timezone.make_aware(dt.datetime.combine(fu.due, dt.time(11))), via="demo")
        if all_done and case.pk % 2 == 0:
            case.refresh_from_db()
            last = max(fu.done_at for fu in FollowUp.objects.filter(case=case).all() if fu.done_at)
            services.close_case(mediator, case, at=last + dt.timedelta(days=1), via="demo")


def _under_way(rng: random.Random, mediator: User, ru: User, parties: dict[str, Party],
               signers: dict[str, User]) -> int:
    """An operation on its way now: children received at the embassy, the first leg travelling, the final
    hand-over still to sign (the demo's ua-officer can sign it once the mediator has)."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    start = now - dt.timedelta(days=1)
    op = services.create_operation(mediator, name="Riga group (demo)", from_party=parties["RU"],
                                   to_party=parties["UA"], planned_start=start.date(),
                                   planned_end=(start + dt.timedelta(days=3)).date(), capacity=6, is_demo=True,
                                   via="demo")
    for i in range(4):
        case = _new_child(rng, ru, "UA", start - dt.timedelta(days=90), "Epilepsy; medication (demo)" if i == 2 else "")
        Case.objects.filter(pk=case.pk).update(requesting_party=parties["UA"])
        _clear(mediator, case, start - dt.timedelta(days=30))
        case.refresh_from_db()
        services.add_child(mediator, op, case, at=start - dt.timedelta(days=10), via="demo")
    services.add_person(mediator, op, kind=MemberKind.ESCORT, full_name="Escort 1 (demo)", party=parties["QA"],
                        role="Embassy staff (demo)", via="demo")
    services.add_leg(mediator, op, from_place="Moscow", from_country="Russia", to_place="Riga", to_country="Latvia",
                     mode="road", carrier="Embassy coach (demo)", planned_departure=now - dt.timedelta(hours=4),
                     planned_arrival=now + dt.timedelta(hours=10), via="demo")
    services.add_leg(mediator, op, from_place="Riga", from_country="Latvia", to_place="Warsaw", to_country="Poland",
                     mode="scheduled_flight", carrier="airBaltic (demo)", planned_departure=now + dt.timedelta(days=1),
                     planned_arrival=now + dt.timedelta(days=1, hours=2), via="demo")
    services.add_leg(mediator, op, from_place="Warsaw", from_country="Poland", to_place="Kyiv", to_country="Ukraine",
                     mode="rail", carrier="Ukrzaliznytsia (demo)",
                     planned_departure=now + dt.timedelta(days=1, hours=6),
                     planned_arrival=now + dt.timedelta(days=1, hours=20), via="demo")
    services.add_hosting(mediator, op, place="Embassy of the State of Qatar", city="Moscow", country="Russia",
                         host=parties["QA"], starts=start, ends=now - dt.timedelta(hours=4), via="demo")
    first = services.add_handover(mediator, op, before_leg=1, place="Embassy of the State of Qatar, Moscow",
                                  country="Russia", from_party=parties["RU"], to_party=parties["QA"], planned_at=start,
                                  via="demo")
    services.add_handover(mediator, op, before_leg=4, place="Kyiv, central station", country="Ukraine",
                          from_party=parties["QA"], to_party=parties["UA"], final=True,
                          planned_at=now + dt.timedelta(days=1, hours=21), via="demo")
    services.set_status(mediator, op, "confirmed", via="demo")
    services.sign(signers["RU"], first, "handing", at=start + dt.timedelta(hours=1), via="demo")
    services.sign(signers["QA"], first, "receiving", at=start + dt.timedelta(hours=1, minutes=20), via="demo")
    services.start_leg(mediator, op.legs.get(sequence=1), at=now - dt.timedelta(hours=4), via="demo")
    return 1


def _planning(mediator: User, parties: dict[str, Party]) -> int:
    """An operation being planned now, with up to four children the registry demo cleared for return."""
    today = timezone.now().date()
    op = services.create_operation(mediator, name="Next Doha group (demo)", from_party=parties["RU"],
                                   to_party=parties["UA"], planned_start=today + dt.timedelta(days=30),
                                   planned_end=today + dt.timedelta(days=34), capacity=8, is_demo=True, via="demo")
    busy = Member.objects.filter(case__isnull=False).values_list("case_id", flat=True)
    for case in Case.objects.filter(status=S.CLEARED_FOR_RETURN, is_demo=True).exclude(pk__in=busy)[:4]:
        if not services.join_refusals(case, op):
            services.add_child(mediator, op, case, via="demo")
    return 1
