"""Notifications: each kind made by the real action, per recipient and scoped to its party, e-mailed only
to who opted in, and never carrying a child's name."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from homeward.notifications import services as notifications
from homeward.notifications.models import Kind, Notification
from homeward.ui.confirm import FIELD as CONFIRM
from tests.factories import cleared_case, make_child, planned_operation

pytestmark = pytest.mark.django_db

UA_LIST = ("Прізвище;Ім'я;По батькові;Дата народження;Стать;Місце народження\n"
           "Ткаченко;Олександр;Петрович;05.03.2014;ч;Херсон\n"
           "Бондаренко;Максим;Сергійович;03.09.2011;ч;Маріуполь\n"
           "Шевченко;Софія;Андріївна;27.01.2015;ж;Мелітополь\n").encode("cp1251")
RU_LIST = ("Фамилия;Имя;Отчество;Дата рождения;Пол;Место рождения\n"
           "Бондаренко;Максим;Сергеевич;03.09.2011;м;Мариуполь\n"
           "Иванов;Иван;Иванович;01.01.2010;м;Курск\n").encode()
NAMES = ["Ткаченко", "Олександр", "Бондаренко", "Максим", "Шевченко", "Софія", "Иванов", "Сергеевич"]


def kinds(user: Any) -> list[tuple[str, int]]:
    return list(Notification.objects.filter(recipient=user).order_by("created_at", "id").values_list("kind", "count"))


def ua_list(users: dict[str, Any], parties: dict[str, Any], settings: Any, *, match: bool = False) -> Any:
    """A UA list of three names concerning RU, imported through the exchange service."""
    from homeward.exchange import services

    settings.EXCHANGE_MATCH_ON_IMPORT = match
    return services.import_list(users["ua"], party=parties["UA"], title="Sought in RU", filename="ua.csv",
                                data=UA_LIST, concerning=parties["RU"], via="cli").version


def walk_to_reunited(users: dict[str, Any], op: Any, *, reunited_at: dt.datetime | None = None) -> None:
    """Sign every hand-over and run every leg; the final signature at ``reunited_at``."""
    from homeward.returns import services

    m = users["mediator"]
    first, final = list(op.handovers.order_by("before_leg"))
    services.sign(users["ru"], first, "handing")
    services.sign(m, first, "receiving")
    for leg in op.legs.order_by("sequence"):
        services.start_leg(m, leg)
        services.arrive_leg(m, leg)
    services.sign(m, final, "handing")
    services.sign(users["ua"], final, "receiving", at=reunited_at)


@pytest.fixture
def reunited_ru_child(users: dict[str, Any], parties: dict[str, Any]) -> Any:
    """An RU child reunited 100 days ago: its 1- and 3-month follow-up visits are due."""
    from homeward.returns import services

    case = cleared_case(users["ru"], users["mediator"], surname="Иванова-Секретная")
    op = planned_operation(users, parties, [case], confirm=False)
    services.set_status(users["mediator"], op, "confirmed")
    walk_to_reunited(users, op, reunited_at=timezone.now() - dt.timedelta(days=100))
    case.refresh_from_db()
    assert case.status == "reunited"
    return case


# --- the five kinds, each made by its action ----------------------------------------------------


def test_forwarding_names_notifies_the_receiving_partys_officers_only(users, parties, settings, client):
    version = ua_list(users, parties, settings)
    entries = list(version.entries.order_by("row").values_list("pk", flat=True))
    client.force_login(users["mediator"])
    resp = client.post(reverse("exchange:version_forward", args=[version.pk]),
                       {"entry": entries[:2], CONFIRM: "1", "note": ""})
    assert resp.status_code == 302
    assert version.forwardings.count() == 1, "the forwarding itself must have happened"
    assert kinds(users["ru"]) == [(Kind.LIST_FORWARDED, 2)]
    assert kinds(users["ua"]) == [] and kinds(users["mediator"]) == [] and kinds(users["caseworker"]) == []
    n = Notification.objects.get(recipient=users["ru"])
    assert n.link == reverse("exchange:version", args=[version.pk]) + "?show=pending"


def test_answers_notify_the_mediator_and_the_submitting_party_never_the_answering_one(users, parties, settings):
    from homeward.exchange import services

    version = ua_list(users, parties, settings)
    services.forward(users["mediator"], version)
    first, second, third = version.entries.order_by("row")
    services.respond(users["ru"], [services.Answer(first, "located"), services.Answer(second, "not_found")])
    assert kinds(users["mediator"]) == [(Kind.ANSWER_RECEIVED, 2)]
    assert kinds(users["caseworker"]) == [(Kind.ANSWER_RECEIVED, 2)]
    assert kinds(users["ua"]) == [(Kind.ANSWER_RECEIVED, 2)]
    assert [k for k, _n in kinds(users["ru"])] == [Kind.LIST_FORWARDED]
    # A later answer on the same version adds to the unread notification instead of piling up.
    services.respond(users["ru"], [services.Answer(third, "deceased")])
    assert kinds(users["ua"]) == [(Kind.ANSWER_RECEIVED, 3)]
    # Once read, the next answer makes it unread again with the new count.
    notifications.mark_read(users["ua"])
    services.respond(users["ru"], [services.Answer(third, "located", note="corrected")])
    n = Notification.objects.get(recipient=users["ua"])
    assert (n.count, n.read_at) == (1, None)


def test_a_matching_run_notifies_mediator_roles_once_with_its_count_of_new_pairs(users, parties, settings):
    from homeward.exchange import services
    from homeward.linkage.models import Candidate, MatchRun

    make_child(users["ua"], surname="Ткаченко")
    settings.EXCHANGE_MATCH_ON_IMPORT = True
    services.import_list(users["ru"], party=parties["RU"], title="RU seeks", filename="ru.csv", data=RU_LIST,
                         via="cli")
    ua_list(users, parties, settings, match=True)
    runs = list(MatchRun.objects.filter(status="done").order_by("pk"))
    with_pairs = [r for r in runs if r.stats.get("candidates")]
    assert with_pairs, "the upload must have found candidate pairs"
    for user in (users["mediator"], users["caseworker"]):
        mine = Notification.objects.filter(recipient=user, kind=Kind.CANDIDATES_WAITING).order_by("object_id")
        assert [(n.object_id, n.count) for n in mine] == [(r.pk, r.stats["candidates"]) for r in with_pairs]
    assert sum(r.stats["candidates"] for r in with_pairs) == Candidate.objects.filter(decision="pending").count()
    for key in ("ua", "ru", "ngo", "auditor"):
        assert not Notification.objects.filter(recipient=users[key], kind=Kind.CANDIDATES_WAITING).exists()


def test_continuous_matching_tells_mediator_roles_in_one_notification_a_day(users, settings):
    from homeward.linkage.models import Candidate

    settings.CONTINUOUS_MATCHING = True
    fields = {"given_name": "Марія", "surname": "Коваленко", "patronymic": "Іванівна", "sex": "F",
              "birth_date": dt.date(2012, 3, 4), "birth_place": "Маріуполь"}
    make_child(users["ru"], **fields)
    make_child(users["ua"], **fields)
    assert Candidate.objects.filter(run=None, decision="pending").count() == 1
    make_child(users["ua"], **{**fields, "given_name": "Мария"})
    pending = Candidate.objects.filter(run=None, decision="pending").count()
    assert pending >= 2
    for user in (users["mediator"], users["caseworker"]):
        n = Notification.objects.get(recipient=user, kind=Kind.CANDIDATES_WAITING)
        assert (n.count, n.object_id, n.link) == (pending, None, reverse("linkage:review"))
        with translation.override("en"):
            assert notifications.text(n) == f"{pending} new candidate pairs from continuous matching are waiting " \
                                            "for review."
    for key in ("ua", "ru", "ngo", "auditor"):
        assert not Notification.objects.filter(recipient=users[key]).exists()


def test_a_handover_notifies_its_signers_when_it_can_be_signed_and_each_signature_moves_it_on(users, parties):
    from homeward.returns import services

    case = cleared_case(users["ru"], users["mediator"], surname="Шевченко")
    op = planned_operation(users, parties, [case], confirm=False)
    first, final = list(op.handovers.order_by("before_leg"))
    assert not Notification.objects.filter(kind=Kind.SIGNATURE_DUE).exists(), "not signable while planning"

    services.set_status(users["mediator"], op, "confirmed")
    def due() -> Any:
        return Notification.objects.filter(kind=Kind.SIGNATURE_DUE, read_at__isnull=True)

    assert {(n.recipient.username, n.key) for n in due()} == {
        ("ru-officer", f"handover:{first.pk}:handing"), ("mediator", f"handover:{first.pk}:receiving"),
        ("caseworker", f"handover:{first.pk}:receiving")}
    assert {n.count for n in due()} == {1}
    assert not Notification.objects.filter(recipient=users["ua"]).exists()

    services.sign(users["ru"], first, "handing")
    assert not Notification.objects.filter(recipient=users["ru"], read_at__isnull=True).exists()
    services.sign(users["mediator"], first, "receiving")
    assert not due().filter(object_id=first.pk).exists()
    assert not due().filter(object_id=final.pk).exists(), "the final hand-over waits for the legs"

    for leg in op.legs.order_by("sequence"):
        services.start_leg(users["mediator"], leg)
        services.arrive_leg(users["mediator"], leg)
    assert {(n.recipient.username, n.key) for n in due()} == {
        ("mediator", f"handover:{final.pk}:handing"), ("caseworker", f"handover:{final.pk}:handing"),
        ("ua-officer", f"handover:{final.pk}:receiving")}
    assert not Notification.objects.filter(recipient=users["ru"], object_id=final.pk).exists()


def test_follow_up_reminders_run_as_a_periodic_task_and_tell_each_visit_once(users, parties, reunited_ru_child):
    from homeward.jobs import schedule
    from homeward.returns.models import FollowUp

    assert any(p.task == "homeward.notifications.tasks.remind_follow_ups" for p in schedule.PERIODIC)
    assert not Notification.objects.filter(kind=Kind.FOLLOW_UP_DUE).exists()
    due = FollowUp.objects.filter(case=reunited_ru_child, due__lte=timezone.localdate()).count()
    assert due == 2  # the 1- and 3-month visits; the 6-month one is not due yet

    assert "notifications.follow_ups_due" in schedule.enqueue_due()  # the worker's schedule (jobs run inline)
    assert kinds(users["mediator"])[-1] == (Kind.FOLLOW_UP_DUE, 2)
    assert Notification.objects.get(recipient=users["ru"], kind=Kind.FOLLOW_UP_DUE).count == 2
    assert not Notification.objects.filter(recipient=users["ua"], kind=Kind.FOLLOW_UP_DUE).exists()

    from homeward import jobs
    from homeward.notifications import tasks

    jobs.enqueue(tasks.remind_follow_ups)  # a second run: nothing new is due, nobody is told twice
    assert Notification.objects.get(recipient=users["mediator"], kind=Kind.FOLLOW_UP_DUE).count == 2


def test_a_due_follow_up_tells_the_case_worker_assigned_to_the_case_with_a_link_to_their_visits(
        users, parties, client, reunited_ru_child):
    from homeward import jobs
    from homeward.notifications import tasks
    from homeward.registry import services as registry
    from homeward.returns.models import FollowUp

    registry.assign_caseworker(users["mediator"], reunited_ru_child, users["caseworker"])
    other = cleared_case(users["ua"], users["mediator"], surname="Не-моя")  # not reunited: nothing due
    assert not FollowUp.objects.filter(case=other).exists()

    jobs.enqueue(tasks.remind_follow_ups)
    mine = Notification.objects.get(recipient=users["caseworker"], kind=Kind.FOLLOW_UP_ASSIGNED)
    assert mine.count == 2 and mine.link == reverse("returns:follow_ups") + "?show=mine"
    assert not Notification.objects.filter(kind=Kind.FOLLOW_UP_ASSIGNED).exclude(recipient=users["caseworker"])
    with translation.override("en"):
        assert notifications.text(mine) == "2 follow-up visits on cases assigned to you are due."

    jobs.enqueue(tasks.remind_follow_ups)  # run again: the same visits are not told twice
    assert Notification.objects.get(pk=mine.pk).count == 2

    client.force_login(users["caseworker"])  # the link lists exactly the assigned worker's visits still to make
    page = client.get(mine.link).content.decode()
    to_make = FollowUp.objects.filter(case=reunited_ru_child, status="scheduled").count()
    assert to_make == 3 and page.count("<summary>Record visit</summary>") == to_make
    client.force_login(users["mediator"])
    assert "Иванова-Секретная" not in client.get(mine.link).content.decode()  # nobody assigned it to them


def test_the_assigned_worker_who_turned_that_kind_off_is_not_told(users, parties, client, reunited_ru_child):
    from homeward import jobs
    from homeward.notifications import tasks
    from homeward.registry import services as registry

    registry.assign_caseworker(users["mediator"], reunited_ru_child, users["caseworker"])
    client.force_login(users["caseworker"])
    page = client.get(reverse("notifications:settings")).content.decode()
    assert Kind.FOLLOW_UP_ASSIGNED.value in page  # offered to a mediator case worker
    notifications.save_preferences(users["caseworker"],
                                   {Kind.FOLLOW_UP_ASSIGNED: notifications.Channels(in_app=False, email=False)})
    jobs.enqueue(tasks.remind_follow_ups)
    assert not Notification.objects.filter(kind=Kind.FOLLOW_UP_ASSIGNED).exists()
    assert Notification.objects.filter(recipient=users["caseworker"], kind=Kind.FOLLOW_UP_DUE).exists()


def test_a_follow_up_visit_is_not_recorded_without_choosing_done_or_missed(users, parties, client,
                                                                           reunited_ru_child):
    from homeward.returns.models import FollowUp

    fu = FollowUp.objects.filter(case=reunited_ru_child).order_by("due").first()
    client.force_login(users["mediator"])
    page = client.get(reverse("returns:follow_ups")).content.decode()
    assert 'name="status" required><option value="">' in page  # no visit outcome preselected
    client.post(reverse("returns:follow_up", args=[fu.pk]), {"version": fu.version, "status": ""})
    fu.refresh_from_db()
    assert fu.status == "scheduled"


def test_notifications_read_long_ago_are_pruned_daily_and_unread_ones_stay(users, parties, settings):
    from homeward import jobs
    from homeward.exchange import services
    from homeward.jobs import schedule
    from homeward.notifications import tasks

    assert any(p.task == "homeward.notifications.tasks.prune" for p in schedule.PERIODIC)
    version = ua_list(users, parties, settings)
    first, second = version.entries.order_by("row")[:2]
    services.forward(users["mediator"], version, [first.pk])
    services.forward(users["mediator"], version, [second.pk])
    old, recent = Notification.objects.filter(recipient=users["ru"]).order_by("created_at", "pk")
    Notification.objects.filter(pk=old.pk).update(read_at=timezone.now() - dt.timedelta(days=91))
    Notification.objects.filter(pk=recent.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    jobs.enqueue(tasks.prune)
    assert list(Notification.objects.filter(recipient=users["ru"]).values_list("pk", flat=True)) == [recent.pk]


# --- e-mail --------------------------------------------------------------------------------------


def _opt_in(client: Any, user: Any, kinds_: list[str], language: str = "en") -> None:
    client.force_login(user)
    data = {f"{k}-in_app": "on" for k in Kind.values}
    data.update({f"{k}-email": "on" for k in kinds_})
    data["language"] = language
    assert client.post(reverse("notifications:settings"), data).status_code == 302


def test_email_goes_only_to_users_who_opted_in_in_their_language(users, parties, settings, client):
    from homeward.exchange import services

    users["ru"].email = "ru@example.org"
    users["ru"].save()
    users["ua"].email = "ua@example.org"
    users["ua"].save()
    _opt_in(client, users["ru"], [Kind.LIST_FORWARDED], language="ru")
    version = ua_list(users, parties, settings)
    mail.outbox.clear()
    services.forward(users["mediator"], version)
    assert [m.to for m in mail.outbox] == [["ru@example.org"]]
    with translation.override("ru"):
        expected = notifications.subject(Notification.objects.get(recipient=users["ru"]))
    assert mail.outbox[0].subject == expected and "Homeward" not in expected.split(":")[1]
    assert reverse("exchange:version", args=[version.pk]) in mail.outbox[0].body
    assert Notification.objects.get(recipient=users["ru"]).emailed_at is not None

    # The UA officer did not opt in: the answer reaches its bell, not its mailbox.
    mail.outbox.clear()
    services.respond(users["ru"], [services.Answer(version.entries.order_by("row").first(), "located")])
    assert Notification.objects.filter(recipient=users["ua"], kind=Kind.ANSWER_RECEIVED).exists()
    assert mail.outbox == []


def test_email_off_for_a_kind_sends_nothing_and_in_app_off_hides_it(users, parties, settings, client):
    from homeward.exchange import services

    users["ru"].email = "ru@example.org"
    users["ru"].save()
    client.force_login(users["ru"])
    client.post(reverse("notifications:settings"), {"language": "en"})  # every box unticked
    version = ua_list(users, parties, settings)
    mail.outbox.clear()
    services.forward(users["mediator"], version)
    assert mail.outbox == [] and kinds(users["ru"]) == []


def test_no_child_name_in_any_notification_subject_body_or_page(users, parties, settings, client,
                                                                reunited_ru_child):
    from homeward import jobs
    from homeward.exchange import services
    from homeward.notifications import tasks

    for u in users.values():
        u.email = f"{u.username}@example.org"
        u.save()
        _opt_in(client, u, list(Kind.values))
    version = ua_list(users, parties, settings)
    services.forward(users["mediator"], version)
    services.respond(users["ru"], [services.Answer(e, "located", whereabouts="Курск, ул. Ленина 1")
                                   for e in version.entries.all()])
    jobs.enqueue(tasks.remind_follow_ups)
    child = reunited_ru_child.child
    secrets = [child.surname, child.given_name, child.patronymic, "Курск", *NAMES]
    assert Notification.objects.values("kind").distinct().count() >= 4
    texts = []
    for n in Notification.objects.all():
        for lang in ("en", "uk", "ru", "ar"):
            with translation.override(lang):
                texts += [notifications.text(n), notifications.subject(n), notifications.body(n)]
        texts.append(n.link + n.key)
    texts += [m.subject + m.body for m in mail.outbox]
    assert len(mail.outbox) >= 4
    for u in users.values():
        client.force_login(u)
        texts.append(client.get(reverse("notifications:list")).content.decode())
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_an_email_job_delivered_twice_sends_once(users, parties, settings):
    from homeward import jobs
    from homeward.exchange import services
    from homeward.notifications import tasks

    users["ru"].email = "ru@example.org"
    users["ru"].save()
    notifications.save_preferences(users["ru"], {Kind.LIST_FORWARDED: notifications.Channels(True, True)})
    mail.outbox.clear()
    services.forward(users["mediator"], ua_list(users, parties, settings))
    n = Notification.objects.get(recipient=users["ru"])
    jobs.enqueue(tasks.send_email, n.pk)  # the same job again, as after a lost worker
    assert len(mail.outbox) == 1


def test_a_rolled_back_action_tells_nobody(users, parties, settings):
    from django.db import transaction

    from homeward.exchange import services

    version = ua_list(users, parties, settings)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.forward(users["mediator"], version)
        assert Notification.objects.filter(recipient=users["ru"]).exists()
        raise RuntimeError("the request failed after forwarding")
    assert not Notification.objects.exists()


# --- scoping -------------------------------------------------------------------------------------


def test_ru_officer_gets_no_notification_about_a_ua_only_event(users, parties, reunited_ru_child):
    from homeward import jobs
    from homeward.notifications import tasks
    from homeward.returns import services

    ua_case = cleared_case(users["ua"], users["mediator"], surname="Ткаченко")
    op = services.create_operation(users["mediator"], name="UA only", from_party=parties["QA"],
                                   to_party=parties["UA"], planned_start=dt.date(2026, 2, 1),
                                   planned_end=dt.date(2026, 2, 2))
    services.add_child(users["mediator"], op, ua_case)
    before = set(Notification.objects.filter(recipient=users["ru"]).values_list("pk", "count"))
    jobs.enqueue(tasks.remind_follow_ups)
    ru_follow_ups = Notification.objects.filter(recipient=users["ru"], kind=Kind.FOLLOW_UP_DUE)
    assert [n.count for n in ru_follow_ups] == [2]  # its own child's visits only
    after = set(Notification.objects.filter(recipient=users["ru"]).exclude(kind=Kind.FOLLOW_UP_DUE)
                .values_list("pk", "count"))
    assert after <= before
    assert not Notification.objects.filter(recipient=users["ua"], kind=Kind.FOLLOW_UP_DUE).exists()


def test_ua_user_gets_404_opening_or_marking_an_ru_users_notification(users, parties, settings, client):
    from homeward.exchange import services

    version = ua_list(users, parties, settings)
    services.forward(users["mediator"], version)
    ru_note = Notification.objects.get(recipient=users["ru"])
    for who in ("ua", "mediator", "ngo", "auditor"):
        client.force_login(users[who])
        assert client.get(reverse("notifications:open", args=[ru_note.pk])).status_code == 404
        assert client.post(reverse("notifications:read", args=[ru_note.pk])).status_code == 404
        assert str(ru_note.pk) not in client.get(reverse("notifications:list")).content.decode().split(
            'id="notifications"')[-1] or not Notification.objects.filter(recipient=users[who]).exists()
        client.post(reverse("notifications:read_all"))
    ru_note.refresh_from_db()
    assert ru_note.read_at is None


@pytest.mark.parametrize("who", ["mediator", "caseworker", "ua", "ru", "ngo", "auditor"])
def test_every_role_opens_its_notifications_and_settings_from_the_bell(users, client, who):
    client.force_login(users[who])
    page = client.get(reverse("dashboard"))
    assert f'href="{reverse("notifications:list")}"' in page.content.decode()
    for url in (reverse("notifications:list"), reverse("notifications:settings"),
                reverse("notifications:list") + "?show=unread"):
        assert client.get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (reverse("notifications:list"), reverse("notifications:settings"),
                reverse("notifications:open", args=[1])):
        assert client.get(url).status_code == 302


# --- the list, the bell and the settings page ----------------------------------------------------


def test_bell_counts_unread_and_the_list_marks_read_one_or_all(users, parties, settings, client):
    from homeward.exchange import services

    version = ua_list(users, parties, settings)
    services.forward(users["mediator"], version, [version.entries.order_by("row").first().pk])
    services.forward(users["mediator"], version)
    client.force_login(users["ru"])
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="bell-count">2<' in page
    one, two = Notification.objects.filter(recipient=users["ru"]).order_by("created_at", "pk")
    listing = client.get(reverse("notifications:list")).content.decode()
    assert "1 name on list version" in listing and "2 names on list version" in listing

    resp = client.get(reverse("notifications:open", args=[one.pk]))
    assert resp.status_code == 302 and resp["Location"] == one.link
    assert client.get(resp["Location"]).status_code == 200, "the RU officer may open what it was told of"
    assert 'id="bell-count">1<' in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert 'id="bell-count"' not in client.get(reverse("dashboard")).content.decode()
    two.refresh_from_db()
    assert two.read_at is not None


def test_settings_page_offers_the_kinds_of_the_role_and_keeps_the_choice(users, client):
    client.force_login(users["ua"])
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'name="list_forwarded-email"' in page and 'name="candidates_waiting-email"' not in page
    client.post(reverse("notifications:settings"), {"list_forwarded-email": "on", "answer_received-in_app": "on",
                                                    "language": "uk"})
    ch = notifications.channels([users["ua"]], Kind.LIST_FORWARDED)[users["ua"].pk]
    assert (ch.in_app, ch.email) == (False, True)
    assert notifications.email_language(users["ua"]) == "uk"
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'id="list_forwarded-email" checked' in page and 'id="list_forwarded-in_app" checked' not in page
    client.force_login(users["auditor"])
    assert "no notifications" in client.get(reverse("notifications:settings")).content.decode()


def test_counts_read_in_the_plural_forms_of_each_language(users, parties, settings):
    from homeward.exchange import services

    version = ua_list(users, parties, settings)
    services.forward(users["mediator"], version)
    n = Notification.objects.get(recipient=users["ru"])
    with translation.override("en"):
        assert notifications.text(n).startswith("3 names")
    for lang in ("uk", "ru", "ar"):
        with translation.override(lang):
            text = notifications.text(n)
        assert text.startswith("3") and "names" not in text and f"#{version.pk}" in text


def test_the_operator_gives_a_user_an_email_address_from_the_command_line(parties):
    from click.testing import CliRunner

    from homeward.accounts.models import User
    from homeward.cli import main

    def run(*args: str, input: str | None = None) -> Any:
        return CliRunner().invoke(main, list(args), input=input)

    added = run("user", "add", "olena", "--party", "UA", "--role", "party_officer", "--email", "o@example.org",
                input="long passphrase\n")
    assert added.exit_code == 0, added.output
    assert User.objects.get(username="olena").email == "o@example.org"
    assert run("user", "email", "olena", "olena@example.org").exit_code == 0
    assert User.objects.get(username="olena").email == "olena@example.org"
    bad = run("user", "email", "olena", "not an address")
    assert bad.exit_code != 0 and "not an e-mail address" in bad.output
    assert run("user", "email", "nobody", "x@example.org").exit_code != 0
    assert run("user", "email", "olena", "").exit_code == 0
    assert User.objects.get(username="olena").email == ""


# --- the demo ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_demo_fills_the_bell_through_the_real_services(client):
    from homeward.cli.core import _extra_demo_loaders
    from homeward.registry import demo as registry_demo
    from homeward.registry.models import Child

    registry_demo.load(n_ua=25, n_ru=6, n_ru_care=8)
    for loader in _extra_demo_loaders():
        loader()
    from homeward.accounts.models import User

    mediator, ru, ua = (User.objects.get(username=u) for u in ("mediator", "ru-officer", "ua-officer"))
    assert mediator.email.endswith(".invalid")
    unread = Notification.objects.filter(read_at__isnull=True)
    assert {Kind.ANSWER_RECEIVED, Kind.CANDIDATES_WAITING, Kind.FOLLOW_UP_DUE} <= set(
        unread.filter(recipient=mediator).values_list("kind", flat=True))
    assert unread.filter(recipient=ru, kind=Kind.LIST_FORWARDED).exists()
    assert unread.filter(recipient=ua, kind=Kind.ANSWER_RECEIVED).exists()
    before = Notification.objects.count()
    for loader in _extra_demo_loaders():
        loader()
    assert Notification.objects.count() == before  # idempotent
    client.force_login(mediator)
    page = client.get(reverse("notifications:list")).content.decode()
    for child in Child.objects.all()[:40]:
        assert child.surname not in page


# --- the API -------------------------------------------------------------------------------------


def test_api_lists_counts_and_marks_the_callers_own_notifications_only(users, parties, settings, client,
                                                                       token_for):
    from homeward.exchange import services

    version = ua_list(users, parties, settings)
    services.forward(users["mediator"], version)
    ru_note = Notification.objects.get(recipient=users["ru"])
    ru = token_for("ru")
    listed = client.get("/api/v1/notifications", **ru).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["id"], item["kind"], item["count"], item["read"]) == (ru_note.pk, Kind.LIST_FORWARDED, 3, False)
    assert item["text"].startswith("3 names on list version")
    assert client.get("/api/v1/notifications/unread", **ru).json() == {"unread": 1}

    for other in ("ua", "mediator", "ngo", "auditor"):
        headers = token_for(other)
        assert client.get("/api/v1/notifications", **headers).json()["count"] == 0
        assert client.post(f"/api/v1/notifications/{ru_note.pk}/read", **headers).status_code == 404
        client.post("/api/v1/notifications/read", **headers)
    ru_note.refresh_from_db()
    assert ru_note.read_at is None

    assert client.post(f"/api/v1/notifications/{ru_note.pk}/read", **ru).json()["read"] is True
    assert client.get("/api/v1/notifications?unread=true", **ru).json()["count"] == 0
    assert client.get("/api/v1/notifications", **ru).json()["count"] == 1
    assert client.get("/api/v1/notifications").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_on_the_email_is_a_queued_job_that_a_worker_sends(users, parties, settings):
    from django_tasks_db.models import DBTaskResult

    from homeward.exchange import services
    from homeward.jobs.queue import DEFAULT_QUEUE
    from homeward.jobs.worker import WorkerProcess

    users["ru"].email = "ru@example.org"
    users["ru"].save()
    notifications.save_preferences(users["ru"], {Kind.LIST_FORWARDED: notifications.Channels(True, True)})
    version = ua_list(users, parties, settings)
    settings.BACKGROUND_JOBS = True
    mail.outbox.clear()
    services.forward(users["mediator"], version)
    n = Notification.objects.get(recipient=users["ru"])
    job = DBTaskResult.objects.get(task_path="homeward.notifications.tasks.send_email")
    assert (job.status, job.queue_name, job.args_kwargs["args"]) == ("READY", DEFAULT_QUEUE, [n.pk])
    assert mail.outbox == [], "nothing is sent in the request"
    WorkerProcess(groups=((DEFAULT_QUEUE,),), batch=True, schedule=False, interval=0.1).run()
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [["ru@example.org"]]
