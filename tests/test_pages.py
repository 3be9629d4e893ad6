"""Server-rendered pages: scoping, forms with field errors, optimistic locking, transitions, audit, i18n."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def login(client, users, key):
    user = users[key]
    assert client.login(username=user.username, password="pw-" + user.username)
    return user


def test_login_page_renders_and_dashboard_requires_login(client):
    assert client.get("/login/").status_code == 200
    resp = client.get("/")
    assert resp.status_code == 302 and "/login/" in resp["Location"]


def test_failed_logins_are_throttled(client, users):
    for _ in range(5):
        client.post("/login/", {"username": "ua-officer", "password": "wrong"})
    resp = client.post("/login/", {"username": "ua-officer", "password": "pw-ua-officer"})
    assert resp.status_code == 429


def test_dashboard_counts_only_own_party_cases(client, users, ua_child, ru_child):
    login(client, users, "ua")
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp.context["total"] == 1


def test_ua_officer_children_list_hides_ru_child(client, users, ua_child, ru_child):
    login(client, users, "ua")
    body = client.get("/children/").content.decode()
    assert "Ткаченко" in body
    assert "Иванова-Секретная" not in body


def test_children_search_finds_by_name_form(client, users, ua_child):
    from homeward.registry.models import NameForm

    NameForm.objects.create(child=ua_child, surname="Tkachenko", given_name="Oleksandr", kind="other_script")
    login(client, users, "ua")
    resp = client.get("/children/?q=Tkachenko", HTTP_HX_REQUEST="true")
    assert "Ткаченко" in resp.content.decode()
    assert "<html" not in resp.content.decode()  # HTMX gets only the table


def test_ua_officer_cannot_open_ru_child_page(client, users, ru_child):
    login(client, users, "ua")
    for path in (f"/children/{ru_child.pk}/", f"/children/{ru_child.pk}/edit/"):
        resp = client.get(path)
        assert resp.status_code == 404
        assert "Иванова" not in resp.content.decode()
    assert client.post(f"/cases/{ru_child.case.pk}/transition/", {"to": "withdrawn", "reason": "x"}).status_code == 404
    assert client.post(f"/children/{ru_child.pk}/names/", {"surname": "x", "kind": "alias"}).status_code == 404


def test_ua_officer_cannot_open_ru_person_or_tracing_request(client, users, ru_child):
    from homeward.registry import services
    from homeward.registry.models import Person, TracingRequest

    person = services.save_new(users["ru"], Person(surname="Секретова", relationship="mother"))
    tracing = services.save_new(users["ru"], TracingRequest(requester=person, surname="Секретов"))
    login(client, users, "ua")
    assert client.get(f"/persons/{person.pk}/").status_code == 404
    assert client.get(f"/tracing/{tracing.pk}/").status_code == 404
    assert client.get(f"/tracing/new/?person={person.pk}").status_code == 404
    assert "Секрет" not in client.get("/tracing/").content.decode()


def test_auditor_sees_no_register_pages(client, users, ua_child):
    login(client, users, "auditor")
    assert client.get("/children/").status_code == 404
    assert client.get(f"/children/{ua_child.pk}/").status_code == 404
    assert "Ткаченко" not in client.get("/").content.decode()


def test_child_detail_view_is_audited_without_personal_data(client, users, ua_child):
    from homeward.accounts.models import AuditEvent

    login(client, users, "mediator")
    client.get(f"/children/{ua_child.pk}/")
    event = AuditEvent.objects.filter(action="view", object_type="child").get()
    assert event.object_id == str(ua_child.pk) and event.party_code == "QA"
    assert "Ткаченко" not in str(list(AuditEvent.objects.values()))


def test_impossible_birth_date_gets_a_field_error_and_saves_nothing(client, users):
    from homeward.registry.models import Child

    login(client, users, "ua")
    resp = client.post("/children/new/", {"surname": "Мельник", "given_name": "Іван", "sex": "M",
                                          "birth_date": "31.02.2015", "birth_date_precision": "day",
                                          "separation_category": "deported"})
    assert resp.status_code == 422
    assert "birth_date" in resp.context["form"].errors
    assert Child.objects.count() == 0


def test_child_created_through_form_opens_a_case(client, users):
    from homeward.registry.models import Child

    login(client, users, "ua")
    resp = client.post("/children/new/", {"surname": "Мельник", "given_name": "Іван", "sex": "M",
                                          "birth_date": "05.03.2015", "birth_date_precision": "day",
                                          "separation_category": "deported"})
    child = Child.objects.get()
    assert resp.status_code == 302
    assert child.party.code == "UA" and child.case.status == "reported"
    assert str(child.birth_date) == "2015-03-05"


def test_stale_edit_is_refused_with_conflict_message(client, users, ua_child):
    login(client, users, "ua")
    form = {"surname": "Новий", "given_name": "Олександр", "sex": "M", "birth_date_precision": "day",
            "separation_category": "deported", "version": "1"}
    assert client.post(f"/children/{ua_child.pk}/edit/", form).status_code == 302
    resp = client.post(f"/children/{ua_child.pk}/edit/", {**form, "surname": "Старий"})
    assert resp.status_code == 422
    assert "changed by someone else" in resp.content.decode()
    ua_child.refresh_from_db()
    assert ua_child.surname == "Новий"


def test_child_page_offers_only_allowed_transitions(client, users, ua_child):
    login(client, users, "ua")
    body = client.get(f"/children/{ua_child.pk}/").content.decode()
    assert 'value="withdrawn"' in body and 'value="contested"' in body
    assert 'value="located"' not in body
    login(client, users, "mediator")
    body = client.get(f"/children/{ua_child.pk}/").content.decode()
    assert 'value="located"' in body and 'value="reunited"' not in body


def test_transition_through_page_records_who_and_why(client, users, ua_child):
    login(client, users, "mediator")
    client.post(f"/cases/{ua_child.case.pk}/transition/", {"to": "not_found", "reason": "No trace at facility",
                                                           "version": "1", "confirmed": "1"})
    event = ua_child.case.events.last()
    assert (event.to_status, event.actor_party, event.reason) == ("not_found", "QA", "No trace at facility")


def test_audit_trail_is_for_the_mediator_admin_only(client, users):
    login(client, users, "caseworker")
    assert client.get("/audit/").status_code == 404
    login(client, users, "mediator")
    assert client.get("/audit/").status_code == 200


@pytest.mark.parametrize("lang,text", [("uk", "Діти"), ("ru", "Дети"), ("ar", 'dir="rtl"')])
def test_language_switch_translates_the_page(client, users, lang, text):
    login(client, users, "mediator")
    client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    assert text in client.get("/").content.decode()


def test_pages_carry_a_strict_content_security_policy(client):
    csp = client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]


def test_no_template_carries_what_the_content_security_policy_blocks():
    """Inline style attributes, <style> and <script> blocks and on* handlers are refused by the CSP, so the
    browser silently drops them (the claims review page lost its line breaks this way)."""
    import re
    from pathlib import Path

    import homeward

    blocked = re.compile(r"""\sstyle\s*=|<style[\s>]|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=\s*["']""", re.I)
    root = Path(homeward.__file__).parent
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if blocked.search(line)
    ]
    assert found == []


def test_workflow_page_lists_the_transition_table(client, users):
    login(client, users, "ua")
    body = client.get("/workflow/").content.decode()
    assert "Cleared for return" in body and "Mediator administrator" in body
    assert ">cleared_for_return<" not in body and "mediator_admin" not in body  # labels, not stored codes


def test_mediator_shares_child_with_ngo_which_then_sees_it(client, users, parties, ua_child):
    login(client, users, "ngo")
    assert client.get(f"/children/{ua_child.pk}/").status_code == 404
    login(client, users, "mediator")
    client.post(f"/children/{ua_child.pk}/share/", {"parties": [parties["NGO1"].pk]})
    login(client, users, "ngo")
    body = client.get(f"/children/{ua_child.pk}/").content.decode()
    assert "Ткаченко" in body and "asthma-secret" not in body


def test_party_officer_cannot_share_or_assign(client, users, parties, ua_child):
    login(client, users, "ua")
    assert client.post(f"/children/{ua_child.pk}/share/", {"parties": [parties["NGO1"].pk]}).status_code == 404
    assert client.post(f"/cases/{ua_child.case.pk}/assign/", {"caseworker": users["caseworker"].pk}).status_code == 404
    assert not ua_child.shared_with.exists()


def test_mediator_assigns_a_caseworker(client, users, ua_child):
    login(client, users, "mediator")
    client.post(f"/cases/{ua_child.case.pk}/assign/", {"caseworker": users["caseworker"].pk})
    ua_child.case.refresh_from_db()
    assert ua_child.case.caseworker == users["caseworker"]
