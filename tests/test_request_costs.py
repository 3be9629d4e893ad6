"""What a request costs beyond its own records, found by profiling the load test's routes
(benchmarks/load/profile_routes.py): work done twice for one page is done once, and what never changes is
not read again for every request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import import_list

pytestmark = pytest.mark.django_db


def _lists_queries(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return sum(1 for q in ctx.captured_queries if 'FROM "exchange_partylist"' in q["sql"]), resp.content.decode()


@pytest.mark.parametrize("role", ["mediator", "ua"])
def test_the_dashboard_reads_the_lists_progress_once_for_its_work_queue_and_its_progress_panel(
        client: Any, users: dict[str, Any], parties: dict[str, Any], role: str) -> None:
    import_list(users["ua"], parties["UA"], title="Sought by UA", concerning=parties["RU"])
    client.force_login(users[role])
    n, page = _lists_queries(client, "/")
    assert n == 1
    assert "Sought by UA" in page  # the panel still shows the list (to the mediator and to its own party)


def test_the_progress_a_page_shares_is_the_progress_of_the_first_lists_only_when_a_panel_asks_for_fewer(
        users: dict[str, Any], parties: dict[str, Any]) -> None:
    from django.test import RequestFactory

    from homeward.exchange import progress

    for i in range(4):
        import_list(users["ru"], parties["RU"], title=f"List {i}", concerning=parties["UA"],
                    rows=[f"Коваленко{'абвг'[i]};Дарина;;12.04.2013;ж;Херсон"], filename=f"l{i}.csv")
    request = RequestFactory().get("/")
    request.user = users["mediator"]
    everything = progress.for_request(request)
    with CaptureQueriesContext(connection) as ctx:
        first_two = progress.for_request(request, 2)
    assert len(ctx.captured_queries) == 0
    expected = progress.for_user(users["mediator"], 2)
    assert [p.party_list.pk for p in first_two] == [p.party_list.pk for p in expected]
    assert [(p.total, p.forwarded, p.answered) for p in first_two] == [(p.total, p.forwarded, p.answered)
                                                                       for p in expected]
    assert len(everything) == 4 and len(first_two) == 2


def test_the_checkpoint_api_reads_the_cosignatures_once_for_the_note_and_the_list(
        client: Any, users: dict[str, Any], token_for: Any, settings: Any, tmp_path: Any) -> None:
    from homeward.ledger import service

    settings.HOME = tmp_path  # the log key is made here
    service.record_many(service.Record("list_submission", None, "UA", "exchange.list", i, {"n": i})
                        for i in range(3))
    service.make_checkpoint()
    auth = token_for("auditor")
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/api/v1/ledger/checkpoint", **auth)
    assert resp.status_code == 200 and resp.json()["size"] >= 3
    assert sum(1 for q in ctx.captured_queries if 'FROM "ledger_cosignature"' in q["sql"]) == 1


def test_on_postgresql_each_server_thread_keeps_its_database_connection_and_checks_it_before_reuse(
        tmp_path: Any) -> None:
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMEWARD_")}
    env.update(HOMEWARD_HOME=str(tmp_path), HOMEWARD_DATABASE_URL="postgres://u@127.0.0.1:5432/nowhere")
    code = ("import json; from homeward import settings as s; d = s.DATABASES['default']; "
            "print(json.dumps([d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    engine, max_age, health_checks = json.loads(done.stdout.strip().splitlines()[-1])
    assert engine == "django.db.backends.postgresql"
    assert max_age >= 30  # not a new connection per request
    assert health_checks is True


def test_the_log_key_file_is_parsed_once_while_it_is_unchanged(settings: Any, tmp_path: Any,
                                                              monkeypatch: Any) -> None:
    from homeward.ledger import service
    from homeward.ledger.note import Signer

    settings.HOME = tmp_path
    first = service.log_verifier()
    parsed: list[str] = []
    real = Signer.from_skey.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(Signer, "from_skey", classmethod(lambda cls, skey: parsed.append(skey) or real(cls, skey)))
    for _ in range(5):
        assert service.log_verifier() == first
        assert service.log_signer().verifier() == first
        assert service.trusted_log_verifiers() == [first]
    assert parsed == []


def test_a_replaced_log_key_and_a_longer_retired_list_are_read_again_at_their_next_use(
        settings: Any, tmp_path: Any) -> None:
    import os

    from homeward.ledger import service
    from homeward.ledger.note import Signer

    settings.HOME = tmp_path
    old = service.log_verifier()
    keys = tmp_path / "keys"
    new = Signer.generate(service.origin())
    (keys / "next.key").write_text(new.skey + "\n")
    os.replace(keys / "next.key", keys / "ledger-log.key")  # a rotation: the new key, the old one retired
    (keys / "ledger-log.retired").write_text(old.vkey + "\n")
    assert service.log_verifier() == new.verifier()
    assert service.log_signer() == new
    assert service.trusted_log_verifiers() == [new.verifier(), old]
    older = Signer.generate(service.origin()).verifier()
    with (keys / "ledger-log.retired").open("a") as fh:
        fh.write(older.vkey + "\n")
    assert service.trusted_log_verifiers() == [new.verifier(), old, older]
    (keys / "ledger-log.retired").unlink()
    assert service.trusted_log_verifiers() == [new.verifier()]


def test_a_bearer_request_beside_a_session_cookie_loads_neither_the_session_nor_its_user_nor_their_device(
        client: Any, users: dict[str, Any], token_for: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    auth = token_for("ua")
    device = TOTPDevice.objects.create(user=users["ua"], name="app", confirmed=True)
    client.force_login(users["ua"])
    session = client.session
    session["otp_device_id"] = device.persistent_id  # the second step done, as a signed-in browser has it
    session.save()
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/api/v1/auth/me", **auth)
    assert resp.status_code == 200 and resp.json()["username"] == users["ua"].username
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in ctx.captured_queries if " FROM " in q["sql"]]
    assert '"accounts_apitoken"' in tables
    assert not {'"django_session"', '"accounts_user"', '"otp_totp_totpdevice"'} & set(tables)


def test_the_duplicate_check_of_a_registration_reads_its_candidates_name_forms_in_one_query(
        users: dict[str, Any]) -> None:
    import datetime as dt

    from homeward.registry import duplicates
    from homeward.registry.models import NameForm
    from tests.factories import make_child

    data = {"given_name": "Дарина", "surname": "Коваленко", "sex": "F", "birth_date": dt.date(2013, 4, 12),
            "birth_place": "Херсон"}

    def check() -> tuple[int, list[Any]]:
        with CaptureQueriesContext(connection) as ctx:
            found = duplicates.possible_duplicates(users["ua"], data)
        return sum(1 for q in ctx.captured_queries if 'FROM "registry_nameform"' in q["sql"]), found

    for _ in range(2):
        child = make_child(users["ua"], **data)
        NameForm.objects.create(child=child, given_name="Darina", surname="Kovalenko", kind="other_script")
    few, found_few = check()
    for _ in range(6):
        make_child(users["ua"], **data)
    many, found_many = check()
    assert len(found_many) > len(found_few) >= 2  # every copy is still found
    assert many == few <= 2
    assert [r["surname"] for r in duplicates.description_of(child)] == ["Коваленко", "Kovalenko"]


def test_the_lists_progress_builds_each_list_once_and_its_versions_point_at_it(
        users: dict[str, Any], parties: dict[str, Any]) -> None:
    from homeward.exchange import progress

    for i in range(3):
        import_list(users["ua"], parties["UA"], title=f"List {i}", concerning=parties["RU"],
                    rows=[f"Коваленко{'абв'[i]};Дарина;;12.04.2013;ж;Херсон"], filename=f"l{i}.csv")
    with CaptureQueriesContext(connection) as ctx:
        found = progress.for_user(users["ua"])
        seen = [(p.version.party_list.party.code, p.version.party_list.concerning.code)  # type: ignore[union-attr]
                for p in found]
    versions_sql = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "exchange_listversion"')]
    assert len(found) == 3 and seen == [("UA", "RU")] * 3
    assert all(p.version is not None and p.version.party_list is p.party_list for p in found)
    assert len(versions_sql) == 1 and '"accounts_party"' not in versions_sql[0].split(" FROM ", 1)[0]
    assert len(ctx.captured_queries) == 3


def test_the_statistics_page_reads_the_public_claims_and_the_latest_snapshot_once_for_all_its_sections(
        client: Any, users: dict[str, Any]) -> None:
    from homeward.figures import services
    from tests.factories import add_report

    doc = add_report(users["mediator"])
    for claim in doc.claims.all():
        services.review_claim(users["mediator"], claim, "confirm")
    services.publish_snapshot(users["mediator"])
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/stats/")
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "Olena Prykladenko" in page and "<svg" in page  # the claims' sections and the charts still show
    assert sum(1 for q in ctx.captured_queries if 'FROM "figures_claim"' in q["sql"]) == 1
    assert sum(1 for q in ctx.captured_queries if 'FROM "figures_statssnapshot"' in q["sql"]) == 1


@pytest.mark.parametrize("role", ["ua", "mediator"])
def test_a_page_reads_the_signed_in_users_party_with_the_user_not_in_a_query_of_its_own(
        client: Any, users: dict[str, Any], role: str) -> None:
    client.force_login(users[role])
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/children/")
    assert resp.status_code == 200
    assert users[role].party.code in resp.content.decode()  # the header shows it
    party_alone = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().startswith('SELECT "accounts_party"')]
    assert party_alone == []


def test_the_hand_overs_awaiting_a_signature_are_found_with_as_many_queries_for_four_as_for_two(
        users: dict[str, Any], parties: dict[str, Any], two_cleared: list[Any]) -> None:
    from homeward.ui import queues
    from tests.factories import planned_operation

    planned_operation(users, parties, two_cleared[:1], name="First")
    with CaptureQueriesContext(connection) as few:
        two = queues.handovers_to_sign(users["mediator"])
    planned_operation(users, parties, two_cleared[1:], name="Second")
    with CaptureQueriesContext(connection) as many:
        four = queues.handovers_to_sign(users["mediator"])
    assert len(two) == 2 and len(four) == 4  # the mediator signs for QA at both hand-overs of each operation
    assert len(many.captured_queries) == len(few.captured_queries) <= 3


def test_the_ledger_page_shows_each_entrys_short_leaf_hash_and_its_inclusion_link(
        client: Any, users: dict[str, Any], settings: Any, tmp_path: Any) -> None:
    """The entries table's per-row values are computed in the view (one reverse(), no truncatechars per row);
    the page shows what it showed before: 16 hex digits and an ellipsis, and a link per entry in a checkpoint."""
    from homeward.ledger import service
    from homeward.ledger.models import LedgerEntry

    settings.HOME = tmp_path
    service.record_many(service.Record("list_submission", None, "UA", "exchange.list", i, {}) for i in range(3))
    service.make_checkpoint()
    service.record_many([service.Record("list_submission", None, "UA", "exchange.list", 9, {})])
    client.force_login(users["auditor"])
    body = client.get("/ledger/").content.decode()
    for e in LedgerEntry.objects.all():
        assert f"<code>{bytes(e.leaf_hash).hex()[:16]}\u2026</code>" in body
        link = f'href="/ledger/proof/inclusion?index={e.index}"'
        assert (link in body) == (e.index < 3), e.index


def test_the_latin_reading_of_a_name_shown_again_is_not_computed_again() -> None:
    from homeward.names.reading import latin_reading
    from homeward.ui import tags

    tags._reading.cache_clear()
    first = tags.latin("Коваленко Марія")
    again = tags.latin("Коваленко Марія")
    assert first == again and latin_reading("Коваленко Марія") in str(first)
    info = tags._reading.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert "Shcheglova" in str(tags.latin("Щеглова Юлия"))  # another name: its own reading


@pytest.mark.parametrize("zone", ["UTC", "Europe/Kyiv", "America/St_Johns"])
def test_the_when_filter_gives_what_format_html_gave(zone: str) -> None:
    import datetime as dt

    from django.utils import timezone
    from django.utils.html import format_html

    from homeward.ui import tags

    value = dt.datetime(2026, 3, 14, 13, 5, 9, tzinfo=dt.UTC)
    with timezone.override(zone):
        local = timezone.localtime(value)
        old = format_html('<time datetime="{}" title="{}">{} {}</time>', value.isoformat(), zone,
                          local.strftime("%Y-%m-%d %H:%M"), tags._zone_label(local))
        for fmt in ("%Y-%m-%d %H:%M", "<%H> & \"%M\""):
            got = tags.when(value, fmt)
            want = old if fmt == "%Y-%m-%d %H:%M" else format_html(
                '<time datetime="{}" title="{}">{} {}</time>', value.isoformat(), zone, local.strftime(fmt),
                tags._zone_label(local))
            assert got == want and isinstance(got, type(want))


def test_the_children_page_links_each_child_as_reverse_would_with_one_reverse_a_page(
        client: Any, users: dict[str, Any], parties: dict[str, Any]) -> None:
    from django.urls import reverse

    from homeward.registry.models import Child

    for i in range(3):
        Child.objects.create(party=parties["UA"], given_name="Олег", surname=f"Коваленко{i}")
    client.force_login(users["mediator"])
    body = client.get("/children/").content.decode()
    pks = list(Child.objects.values_list("pk", flat=True))
    assert pks
    for pk in pks:
        assert f'<a href="{reverse("child_detail", args=[pk])}">' in body


def test_a_name_words_keys_are_sent_to_postgresql_as_one_array_parameter_and_find_what_an_in_list_finds(
        users: dict[str, Any]) -> None:
    from homeward.names.search import query_keys
    from homeward.registry import search
    from homeward.registry.models import NameValueKey
    from tests.factories import make_child

    for surname in ("Коваленко", "Коваленка", "Kovalenko", "Зав'ялова"):
        make_child(users["ua"], given_name="Дарина", surname=surname)
    sent: list[tuple[str, Any]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))
        return execute(sql, params, many, context)

    for text in ("Коваленко", "Зав'ялова"):
        word = query_keys(text)[0]
        assert len(word.keys) > 50  # above psycopg's bound on the parameters of a statement it caches
        sent.clear()
        with connection.execute_wrapper(spy):
            values = search._word_values(word)
        key_sql, key_params = sent[0]
        if connection.vendor == "postgresql":
            assert "= ANY(" in key_sql and len(key_params) == 1  # the keys' array, one parameter
        expected: dict[int, int] = {}
        for vid, key in NameValueKey.objects.filter(key__in=list(word.keys)).values_list("value_id", "key"):
            expected[vid] = min(word.keys[key], expected.get(vid, 99))
        assert {vid: t for col in values.values() for vid, t in col.items()} == expected != {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL array literal")
def test_a_text_array_literal_reads_back_as_the_texts_it_was_made_of() -> None:
    from homeward.registry.search import _pg_text_array

    for texts in (['a', 'b"c', "d\\e", "f,g", "{h}", "i'j", " k ", "NULL", "", "e:марія"], ["x"], []):
        with connection.cursor() as cur:
            cur.execute("SELECT %s::text[]", [_pg_text_array(texts)])
            assert cur.fetchone()[0] == texts


def test_a_ledger_entry_locks_and_reads_the_logs_head_once() -> None:
    from django.db import transaction

    from homeward.ledger import service as ledger

    for n in range(2):  # the first append makes the head row; the second finds it
        with CaptureQueriesContext(connection) as ctx, transaction.atomic():
            entry = ledger.record("case_transition", actor=None, party_code="UA", object_type="case", object_id=n + 1,
                                  content={"case": n + 1, "from": "", "to": "reported"})
        assert entry.index == n
    assert sum(1 for q in ctx.captured_queries if q["sql"].startswith('SELECT "ledger_ledgerhead"')) == 1
    assert ledger.verify_reveal(entry, {"case": 2, "from": "", "to": "reported"}, ledger.reveal(entry)[1]) is None


def _api(client: Any, path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.post(path, body, content_type="application/json", **headers)
    return resp, [q["sql"] for q in ctx.captured_queries]


def test_a_registration_checks_neither_the_officers_party_nor_user_nor_the_new_id_by_a_query_and_reads_nothing_back(
        client: Any, token_for: Any, users: dict[str, Any]) -> None:
    from homeward.registry.models import Child

    headers = token_for("ua")
    resp, sql = _api(client, "/api/v1/children", {
        "given_name": "Софія", "surname": "Мельник", "sex": "F", "birth_date": "2013-07-01",
        "name_forms": [{"given_name": "Sofia", "surname": "Melnyk", "kind": "other_script", "source": "passport"}]},
        headers)
    assert resp.status_code == 201, resp.content
    body = resp.json()
    child = Child.objects.get(pk=body["id"])
    assert child.party == users["ua"].party and child.created_by == users["ua"]
    assert body["name_forms"] == [{"given_name": "Sofia", "surname": "Melnyk", "patronymic": "", "kind": "other_script",
                                   "source": "passport"}] and body["case_id"] is None and body["party"] == "UA"
    assert not [q for q in sql if q.startswith('SELECT 1 AS "a" FROM')]  # the existence checks of full_clean
    assert not [q for q in sql if 'FROM "registry_case"' in q]
    # still validated: a child with no name is refused, and nothing is saved
    resp, _ = _api(client, "/api/v1/children", {"given_name": " ", "surname": ""}, headers)
    assert resp.status_code == 422 and Child.objects.count() == 1


def test_a_case_transition_reads_the_cases_child_and_party_with_the_case_and_answers_with_them(
        client: Any, token_for: Any, ua_child: Any) -> None:
    case = ua_child.case
    resp, sql = _api(client, f"/api/v1/cases/{case.pk}/transitions", {"to": "located", "version": case.version},
                     token_for("mediator"))
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert (body["status"], body["version"], body["party"], body["child_id"]) == ("located", case.version + 1, "UA",
                                                                                 ua_child.pk)
    assert "verifying" in body["allowed_transitions"] and [e["to_status"] for e in body["events"]][-1] == "located"
    assert not [q for q in sql if q.startswith(('SELECT "registry_child"', 'SELECT "accounts_party"'))]
    case.refresh_from_db()
    assert (case.status, case.version) == ("located", body["version"])


def test_the_words_of_a_name_query_are_looked_up_together_in_as_many_statements_as_one_word(
        users: dict[str, Any]) -> None:
    from homeward import access
    from homeward.names.search import query_keys
    from homeward.registry import search
    from tests.factories import make_child

    for given, surname in (("Марія", "Коваленко"), ("Maria", "Kovalenko"), ("Олена", "Коваль"), ("Марія", "Бондар")):
        make_child(users["ua"], given_name=given, surname=surname, patronymic="Іванівна")
    words = query_keys("Марія Коваленко Іванівна")

    def statements(run: Any) -> tuple[Any, list[str]]:
        with CaptureQueriesContext(connection) as ctx:
            out = run()
        return out, [q["sql"] for q in ctx.captured_queries]

    together, sql = statements(lambda: search._words_values(words))
    assert len(sql) == 2  # the keys, then the values' parts: for three words as for one
    # one list of keys, each once (one arm a word made PostgreSQL start parallel workers for every query)
    assert "UNION" not in sql[0].upper()
    twice = search._words_values(query_keys("Марія Марія"))  # a key shared by words goes to each of them
    assert twice[0] == twice[1] == search._words_values(query_keys("Марія"))[0] and twice[0]
    assert together == [search._words_values([w])[0] for w in words] and all(together)
    sizes, sql = statements(lambda: search._word_sizes("c", together))
    assert len(sql) == 1 and sizes == [search._word_sizes("c", [v])[0] for v in together] == [3, 2, 4]
    found = search.search(access.children(users["ua"]), "Марія Коваленко")
    assert found is not None and len(found.ids()) == 2  # Марія Коваленко, Maria Kovalenko


def test_a_page_sessions_user_is_read_with_their_party_in_one_statement_as_the_orm_reads_them(
        client: Any, users: dict[str, Any], parties: dict[str, Any]) -> None:
    from homeward.accounts.backends import ModelBackend
    from homeward.accounts.models import User

    partyless = User.objects.create_user("no-party", password="pw-no-party-long", party=None)
    gone = User.objects.create_user("gone", password="pw-gone-long-enough", party=parties["UA"], is_active=False)
    backend = ModelBackend()
    for user_id in [*(u.pk for u in users.values()), partyless.pk, gone.pk, str(users["ua"].pk), 10**9]:
        want = User.objects.select_related("party").filter(pk=user_id, is_active=True).first()
        with CaptureQueriesContext(connection) as ctx:
            got = backend.get_user(user_id)
        assert len(ctx.captured_queries) == 1
        if want is None:
            assert got is None, user_id
            continue
        assert got is not None and got.pk == want.pk and not got._state.adding and got._state.db == want._state.db
        assert {f.attname: getattr(got, f.attname) for f in User._meta.concrete_fields} == {
            f.attname: getattr(want, f.attname) for f in User._meta.concrete_fields}
        assert User._meta.get_field("party").is_cached(got)
        assert (got.party and (got.party.pk, got.party.code, got.party.name, got.party.kind)) == (
            want.party and (want.party.pk, want.party.code, want.party.name, want.party.kind))
    client.force_login(users["ua"])  # and a page still knows who is signed in, and their party
    page = client.get("/").content.decode()
    assert f"{users['ua'].username} · UA" in page


def test_a_verified_sessions_device_and_the_bells_unread_count_are_what_the_orm_reads(
        client: Any, users: dict[str, Any]) -> None:
    from django_otp.models import Device
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from homeward.accounts.twofactor import OTPMiddleware
    from homeward.notifications import services
    from homeward.notifications.models import Notification

    totp = TOTPDevice.objects.create(user=users["ua"], name="authenticator", confirmed=True)
    static = StaticDevice.objects.create(user=users["mediator"], name="recovery codes", confirmed=True)
    middleware = OTPMiddleware(lambda request: None)
    for persistent_id in (totp.persistent_id, static.persistent_id, "otp_totp.totpdevice/999999",
                          "otp_totp.totpdevice/x", "no_app.device/1", "auth.user/1", "garbage", ""):
        want = Device.from_persistent_id(persistent_id)
        with CaptureQueriesContext(connection) as ctx:
            got = middleware._device_from_persistent_id(persistent_id)
        assert len(ctx.captured_queries) <= 1
        assert (got is None) == (want is None), persistent_id
        if want is not None:
            assert type(got) is type(want) and got.persistent_id == want.persistent_id
            fields = type(want)._meta.concrete_fields
            assert {f.attname: getattr(got, f.attname) for f in fields} == {
                f.attname: getattr(want, f.attname) for f in fields}
            assert got.verify_is_allowed() == want.verify_is_allowed()

    def note(user: Any, **fields: Any) -> None:
        Notification.objects.create(recipient=user, kind="list_forwarded", key=str(Notification.objects.count()),
                                    link="/", **fields)

    from django.utils import timezone

    note(users["ua"]), note(users["ua"]), note(users["ua"], read_at=timezone.now()), note(users["ua"], in_app=False)
    note(users["ru"])
    for user in [*users.values(), None]:
        want = services.inbox(user).filter(read_at__isnull=True).count()
        assert services.unread_count(user) == want
    assert services.unread_count(users["ua"]) == 2
    client.force_login(users["ua"])  # enrolled: the second step done, as the session remembers it
    session = client.session
    session["otp_device_id"] = totp.persistent_id
    session.save()
    assert 'id="bell-count">2</span>' in client.get("/").content.decode()
    session["otp_device_id"] = static.persistent_id  # another user's device verifies nobody
    session.save()
    assert client.get("/")["Location"].startswith("/login/verify/")


def test_an_audited_read_writes_the_row_the_orm_wrote_with_one_insert(users: dict[str, Any]) -> None:
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.urls import resolve
    from django.utils import timezone

    from homeward.accounts import audit
    from homeward.accounts.models import AuditEvent

    for user, objects in ((users["ua"], [5, 7, 3]), (users["mediator"], ["x1"]), (AnonymousUser(), []),
                          (users["ngo"], [users["ua"], users["ru"]])):
        request = RequestFactory().get("/api/v1/children?q=Secret+Name")
        request.user = user
        request.resolver_match = resolve("/api/v1/children")
        before = timezone.now()
        with CaptureQueriesContext(connection) as ctx:
            audit.read(request, "child", objects, via="api")
        assert len(ctx.captured_queries) == 1
        row = AuditEvent.objects.order_by("-id").first()
        assert row is not None and before <= row.at <= timezone.now() + dt.timedelta(seconds=1)
        ids = [o if isinstance(o, int | str) else o.pk for o in objects]
        signed_in = user.is_authenticated
        assert (row.user_id, row.party_code, row.action, row.object_type, row.object_id, row.via, row.route,
                row.count, row.ids, row.digest) == (
            user.pk if signed_in else None, user.party_code if signed_in else "", "read", "child",
            str(ids[0]) if len(ids) == 1 else "", "api", "api/v1/children", len(ids),
            "," + ",".join(map(str, ids)) + "," if ids else "", audit.ids_digest("child", ids))
        assert "Secret" not in str(row.__dict__)  # the query string never goes in
