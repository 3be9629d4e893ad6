"""Forms that never lose or invent data: dates typed in the user's order with an error for an impossible
date, required fields enforced on the server, input kept on error, an empty tracing request refused,
countries from ISO 3166 with an explicit "other", hand-overs placed at a point of the route."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import planned_operation

pytestmark = pytest.mark.django_db


def login(client, users, key):
    client.force_login(users[key])
    return users[key]


# --- dates -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("31/03/2015", dt.date(2015, 3, 31)), ("31.03.2015", dt.date(2015, 3, 31)), ("2015-03-31", dt.date(2015, 3, 31)),
    ("1.2.2013", dt.date(2013, 2, 1)), (" 05 / 06 / 2010 ", dt.date(2010, 6, 5)), ("٣١/٠٣/٢٠١٥", dt.date(2015, 3, 31)),
])
def test_dates_are_read_day_first_or_iso(text, expected):
    from homeward.ui.dates import parse_date

    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "code"), [
    ("31/02/2013", "day"), ("02/31/2013", "month"), ("29.02.2023", "day"), ("2013-13-01", "month"),
    ("31 March", "format"), ("12/2013", "format"), ("01.01.1850", "year"),
])
def test_impossible_dates_are_errors_not_blanks(text, code):
    from homeward.ui.dates import parse_date

    with pytest.raises(ValidationError) as err:
        parse_date(text)
    assert err.value.code == code


def test_leap_day_is_a_date():
    from homeward.ui.dates import parse_date

    assert parse_date("29.02.2024") == dt.date(2024, 2, 29)


def test_date_is_shown_and_hinted_in_the_users_order():
    from homeward.ui.dates import LocaleDateInput

    widget = LocaleDateInput()
    with translation.override("uk"):
        html = widget.render("d", dt.date(2015, 3, 31))
        assert 'value="31.03.2015"' in html and 'placeholder="ДД.ММ.РРРР"' in html and 'type="text"' in html
    with translation.override("en"):
        assert 'value="31/03/2015"' in widget.render("d", dt.date(2015, 3, 31))


def test_registration_with_an_impossible_date_keeps_the_input_and_saves_nothing(client, users):
    from homeward.registry.models import Child

    login(client, users, "ua")
    form = {"surname": "Гнатюк", "given_name": "Оля", "sex": "F", "birth_date": "02/31/2013",
            "birth_date_precision": "day", "separation_category": "deported", "birth_place": "Херсон"}
    resp = client.post("/children/new/", form)
    body = resp.content.decode()
    assert resp.status_code == 422
    assert Child.objects.count() == 0
    assert "There is no month 31" in body
    assert 'value="02/31/2013"' in body and 'value="Гнатюк"' in body and 'value="Херсон"' in body


def test_registration_with_a_typed_date_saves_it(client, users):
    from homeward.registry.models import Child

    login(client, users, "ua")
    resp = client.post("/children/new/", {"surname": "Гнатюк", "sex": "F", "birth_date": "28/02/2013",
                                          "birth_date_precision": "day", "separation_category": "deported"})
    assert resp.status_code == 302
    assert Child.objects.get().birth_date == dt.date(2013, 2, 28)


def test_a_birth_date_in_the_future_is_refused(client, users):
    login(client, users, "ua")
    future = (dt.date.today() + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    resp = client.post("/children/new/", {"surname": "Гнатюк", "sex": "F", "birth_date": future,
                                          "birth_date_precision": "day", "separation_category": "deported"})
    assert resp.status_code == 422 and "This date is in the future." in resp.content.decode()


# --- tracing requests --------------------------------------------------------------------------------------

def test_new_tracing_request_without_a_person_opens_the_one_form(client, users):
    login(client, users, "ngo")
    resp = client.get("/tracing/new/")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "Who is asking" in body and "The child sought" in body


def test_an_empty_tracing_request_is_refused_and_nothing_is_saved(client, users):
    from homeward.registry.models import Person, TracingRequest

    login(client, users, "ngo")
    resp = client.post("/tracing/new/", {"sex": "U", "birth_date_precision": "day", "separation_category": "other",
                                         "requester-surname": "Мельник", "requester-relationship": "mother"})
    assert resp.status_code == 422
    assert "Give at least the surname or the given name of the child sought." in resp.content.decode()
    assert 'value="Мельник"' in resp.content.decode()  # the relative typed is kept
    assert TracingRequest.objects.count() == 0 and Person.objects.count() == 0


def test_the_model_refuses_an_empty_tracing_request_through_every_path(users):
    from homeward.exceptions import InputError
    from homeward.registry import services
    from homeward.registry.models import Person, TracingRequest

    person = services.save_new(users["ngo"], Person(surname="Мельник", relationship="mother"))
    with pytest.raises(InputError):
        services.save_new(users["ngo"], TracingRequest(requester=person))


def test_ngo_files_a_request_with_a_new_relative_in_one_form(client, users):
    from homeward.registry.models import TracingRequest

    login(client, users, "ngo")
    resp = client.post("/tracing/new/", {
        "surname": "Мельник", "given_name": "Артем", "sex": "M", "birth_date": "", "birth_date_precision": "year",
        "separation_category": "deported", "last_known_location": "Маріуполь",
        "requester-surname": "Мельник", "requester-given_name": "Ірина", "requester-relationship": "mother"})
    assert resp.status_code == 302
    t = TracingRequest.objects.get()
    assert t.requester.full_name == "Мельник Ірина" and t.party.code == "NGO1" and t.requester.party.code == "NGO1"
    assert [e.kind for e in t.events.all()] == ["filed"]
    body = client.get(resp["Location"]).content.decode()
    assert "Мельник Ірина" in body  # the requester's name, not "Person #n"


def test_ngo_files_a_request_for_a_relative_already_recorded(client, users):
    from homeward.registry import services
    from homeward.registry.models import Person, TracingRequest

    mother = services.save_new(users["ngo"], Person(surname="Коваль", relationship="mother"))
    login(client, users, "ngo")
    resp = client.post("/tracing/new/", {"surname": "Коваль", "sex": "F", "birth_date_precision": "day",
                                         "separation_category": "other", "requester-existing": mother.pk})
    assert resp.status_code == 302
    assert TracingRequest.objects.get().requester == mother and Person.objects.count() == 1


def test_another_partys_relative_cannot_be_chosen(client, users):
    from homeward.registry import services
    from homeward.registry.models import Person, TracingRequest

    theirs = services.save_new(users["ua"], Person(surname="Секретний", relationship="mother"))
    login(client, users, "ngo")
    assert client.get(f"/tracing/new/?person={theirs.pk}").status_code == 404
    resp = client.post("/tracing/new/", {"surname": "Коваль", "sex": "F", "birth_date_precision": "day",
                                         "separation_category": "other", "requester-existing": theirs.pk})
    assert resp.status_code == 422 and TracingRequest.objects.count() == 0
    assert "Секретний" not in resp.content.decode()


@pytest.fixture
def request_of_ngo(users):
    from homeward.registry import services
    from homeward.registry.models import Person, TracingRequest

    mother = services.save_new(users["ngo"], Person(surname="Коваль", given_name="Ганна", relationship="mother"))
    return services.file_tracing_request(users["ngo"], TracingRequest(surname="Коваль", given_name="Софія",
                                                                      requester=mother))


def test_requester_name_is_shown_only_to_those_who_may_see_the_person(client, users, request_of_ngo):
    login(client, users, "mediator")
    assert "Коваль Ганна" in client.get(f"/tracing/{request_of_ngo.pk}/").content.decode()
    assert client.get(f"/tracing/{request_of_ngo.pk}/", HTTP_ACCEPT="text/html").status_code == 200
    login(client, users, "ua")
    assert client.get(f"/tracing/{request_of_ngo.pk}/").status_code == 404


def test_tracing_request_edit_withdraw_and_notes_make_a_history(client, users, request_of_ngo):
    t = request_of_ngo
    login(client, users, "ngo")
    resp = client.post(f"/tracing/{t.pk}/edit/", {"surname": "Коваль", "given_name": "Софія", "sex": "F",
                                                  "birth_date": "14.05.2016", "birth_date_precision": "day",
                                                  "separation_category": "evacuated", "version": t.version})
    assert resp.status_code == 302
    client.post(f"/tracing/{t.pk}/notes/", {"text": "Called the mother back"})
    assert client.post(f"/tracing/{t.pk}/withdraw/", {"reason": ""}).status_code == 302
    t.refresh_from_db()
    assert t.status == "open"  # no reason, no withdrawal
    client.post(f"/tracing/{t.pk}/withdraw/", {"reason": "The family found her"})
    t.refresh_from_db()
    assert t.status == "withdrawn" and t.birth_date == dt.date(2016, 5, 14)
    assert [(e.kind, e.text) for e in t.events.all()] == [
        ("filed", ""), ("changed", ""), ("note", "Called the mother back"), ("withdrawn", "The family found her")]
    body = client.get(f"/tracing/{t.pk}/").content.decode()
    assert "The family found her" in body and "Withdrawn" in body
    assert f"/tracing/{t.pk}/edit/" not in body  # a withdrawn request is no longer edited
    assert client.get(f"/tracing/{t.pk}/edit/").status_code == 404


def test_other_party_cannot_withdraw_or_annotate(client, users, request_of_ngo):
    login(client, users, "ua")
    assert client.post(f"/tracing/{request_of_ngo.pk}/withdraw/", {"reason": "x"}).status_code == 404
    assert client.post(f"/tracing/{request_of_ngo.pk}/notes/", {"text": "x"}).status_code == 404


def test_tracing_list_filters_by_status(client, users, request_of_ngo):
    login(client, users, "ngo")
    assert "Коваль Софія" in client.get("/tracing/?status=open").content.decode()
    assert "Коваль Софія" not in client.get("/tracing/?status=closed").content.decode()


def test_every_demo_tracing_request_has_its_filing_in_its_history(client, users):
    from homeward.registry import demo
    from homeward.registry.models import TracingRequest

    demo.load(n_ua=6, n_ru=2, n_ru_care=2)
    requests = TracingRequest.objects.filter(is_demo=True)
    assert requests.filter(party__code="NGO1").count() == 25
    assert not requests.exclude(events__kind="filed").exists()
    login(client, users, "mediator")
    page = client.get(f"/tracing/{requests.first().pk}/").content.decode()
    assert "Filed before histories were kept" not in page


# --- returns forms: countries, route points, input kept ----------------------------------------------------


def test_failed_leg_keeps_all_eight_fields(client, users, parties, two_cleared):
    op = planned_operation(users, parties, two_cleared, confirm=False)
    login(client, users, "mediator")
    data = {"leg-from_place": "Kyiv", "leg-from_country_0": "UA", "leg-from_country_1": "", "leg-to_place": "Lviv",
            "leg-to_country_0": "__other__", "leg-to_country_1": "Halychyna", "leg-mode": "rail",
            "leg-carrier": "UZ", "leg-planned_departure": "12/01/2026 18:00", "leg-planned_arrival": "12/01/2026 09:00"}
    resp = client.post(f"/returns/{op.pk}/legs/", data)
    body = resp.content.decode()
    assert resp.status_code == 422
    assert op.legs.count() == 2
    assert "The arrival cannot be before the departure." in body
    for value in ("Kyiv", "Lviv", "UZ", "12/01/2026 18:00", "12/01/2026 09:00", "Halychyna"):
        assert f'value="{value}"' in body, value
    assert '<option value="UA" selected>' in body and '<option value="rail" selected>' in body


def test_a_leg_stores_iso_country_codes_shown_translated(client, users, parties, two_cleared):
    op = planned_operation(users, parties, two_cleared, confirm=False)
    login(client, users, "mediator")
    resp = client.post(f"/returns/{op.pk}/legs/", {
        "leg-from_place": "Kyiv", "leg-from_country_0": "UA", "leg-to_place": "Lviv", "leg-to_country_0": "UA",
        "leg-mode": "rail"})
    assert resp.status_code == 302
    assert op.legs.get(sequence=3).to_country == "UA"
    client.post("/i18n/setlang/", {"language": "uk", "next": "/"})
    body = client.get(f"/returns/{op.pk}/").content.decode()
    assert "Lviv (Україна)" in body


def test_country_other_needs_its_text():
    from homeward.ui.countries import CountryField

    field = CountryField()
    assert field.clean(["PL", ""]) == "PL"
    assert field.clean(["__other__", "Transnistria"]) == "Transnistria"
    with pytest.raises(ValidationError):
        field.clean(["__other__", ""])
    with pytest.raises(ValidationError):
        field.clean(["XX", ""])


def test_handover_is_placed_at_a_point_of_the_route_with_its_country(client, users, parties, two_cleared):
    op = planned_operation(users, parties, two_cleared, confirm=False)
    login(client, users, "mediator")
    page = client.get(f"/returns/{op.pk}/").content.decode()
    assert "Moscow (Russia) — start, before leg 1" in page and "Kyiv (Ukraine) — end of the route, after leg 2" in page
    resp = client.post(f"/returns/{op.pk}/handovers/", {"handover-point": "1", "handover-place": "Embassy of Qatar",
                                                         "handover-from_party": "RU", "handover-to_party": "QA"})
    assert resp.status_code == 302
    h = op.handovers.order_by("-created_at", "-pk").first()
    assert (h.before_leg, h.place, h.country) == (1, "Embassy of Qatar, Moscow", "Russia")


def test_handover_without_a_point_is_refused_with_the_input_kept(client, users, parties, two_cleared):
    op = planned_operation(users, parties, two_cleared, confirm=False)
    login(client, users, "mediator")
    n = op.handovers.count()
    resp = client.post(f"/returns/{op.pk}/handovers/", {"handover-place": "Embassy of Qatar",
                                                         "handover-from_party": "RU", "handover-to_party": "QA"})
    assert resp.status_code == 422 and op.handovers.count() == n
    assert 'value="Embassy of Qatar"' in resp.content.decode()


def test_the_service_refuses_a_handover_in_the_wrong_country(users, parties, two_cleared):
    from homeward.exceptions import InputError
    from homeward.returns import services

    op = planned_operation(users, parties, two_cleared, confirm=False)
    with pytest.raises(InputError) as err:
        services.add_handover(users["mediator"], op, before_leg=3, place="Embassy of Qatar, Moscow", country="RU",
                              from_party=parties["RU"], to_party=parties["QA"])
    assert "Kyiv" in str(err.value.errors)
    with pytest.raises(InputError):
        services.add_handover(users["mediator"], op, before_leg=9, place="Nowhere", country="UA",
                              from_party=parties["RU"], to_party=parties["QA"])
