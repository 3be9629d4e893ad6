"""The pages' per-row and per-page work made cheaper (issue #15, found with benchmarks/load/profile_routes.py
--calls): each cheaper form gives exactly the markup the template gave, for every role and language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import make_child

pytestmark = pytest.mark.django_db

# The children table's row as template markup, before ``ui.rows.child_row`` (registry/_children_table.html).
CHILD_ROW = (
    '{% load i18n %}'
    '    <tr>{% if bulk %}<td>{% if c.case %}<input type="checkbox" name="ids" value="{{ c.pk }}" form="bulk" '
    'aria-label="{% blocktranslate with n=c.pk %}Select child {{ n }}{% endblocktranslate %}">{% endif %}</td>'
    '{% endif %}\n'
    '      <td>{{ c.pk }}</td><td><a href="{{ c.detail_url }}">{{ c.full_name|default:_("(no name)") }}</a>'
    '{% if is_mediator %}{% with r=c|latin %}{% if r %}<br>{{ r }}{% endif %}{% endwith %}{% endif %}'
    '{% if c.search_hit.why %}<div class="muted small match-why">{{ c.search_hit.why|join:"; " }}</div>{% endif %}'
    '</td>\n'
    '      <td>{{ c.birth_date|date:"Y-m-d"|default:"—" }}</td><td>{{ c.region|default:"—" }}</td>'
    '<td>{{ c.party.code }}</td>\n'
    '      <td>{% if c.case %}<span class="badge {{ c.case.status }}">{{ c.case.get_status_display }}</span>'
    '{% else %}—{% endif %}</td></tr>\n')


def _children(users: dict[str, Any], parties: dict[str, Any]) -> list[Any]:
    """Children of every kind a row shows: with and without a case, a name or none, Latin or Cyrillic, of
    either party, a region with markup in it, no birth date; as the view reads them."""
    from homeward.registry.models import Child

    make_child(users["ua"], region="Херсонська")
    make_child(users["ru"], surname="Иванова", given_name="Мария", patronymic="", region="")
    make_child(users["ua"], surname="Kovalenko", given_name="Olena", patronymic="", birth_date=None)
    Child.objects.create(party=parties["UA"], given_name="", surname="", region='<b>"Зх" & \'Пд\'</b>')
    Child.objects.create(party=parties["RU"], given_name="Пётр", surname="Коваленко", birth_date=dt.date(2012, 1, 2))
    rows = list(Child.objects.select_related("case", "party").order_by("created_at", "id"))
    for child in rows:
        child.detail_url = f"/children/{child.pk}/"
    return rows


@pytest.mark.parametrize("lang", ["en", "uk", "ar"])
def test_a_children_table_row_is_the_markup_the_row_template_gave(
        users: dict[str, Any], parties: dict[str, Any], lang: str) -> None:
    from homeward.registry import search
    from homeward.registry.models import Child
    from homeward.ui.rows import child_row

    children = _children(users, parties)
    found = search.search(Child.objects.select_related("case", "party"), "Коваленко")
    assert found is not None
    hits = list(found[0:25])
    for child in hits:
        child.detail_url = f"/children/{child.pk}/"
    assert any(c.search_hit.why for c in hits)  # the "why it matched" line is compared too
    template = Template(CHILD_ROW)
    with translation.override(lang):
        for child in [*children, *hits]:
            for bulk in (False, True):
                for mediator in (False, True):
                    want = template.render(Context({"c": child, "bulk": bulk, "is_mediator": mediator}))
                    assert "    " + child_row(child, bulk, mediator) + "\n" == want


@pytest.mark.parametrize("role", ["mediator", "ua"])
def test_the_children_page_shows_each_visible_child_in_its_row_and_no_other(
        client: Any, users: dict[str, Any], parties: dict[str, Any], role: str) -> None:
    from homeward.registry.models import Child

    _children(users, parties)
    client.force_login(users[role])
    body = client.get("/children/").content.decode()
    for child in Child.objects.all():
        shown = f'<td>{child.pk}</td><td><a href="/children/{child.pk}/">' in body
        assert shown == (role == "mediator" or child.party_id == parties["UA"].pk)
    assert ('name="ids"' in body) == (role == "mediator")  # the bulk assignment's boxes, the mediator's alone


# The lists' progress rows as template markup, before ``ui.rows.progress_row``: the dashboard's panel
# (exchange/_dashboard_progress.html) and /lists/ (exchange/lists.html).
DASHBOARD_PROGRESS_ROW = (
    '{% load i18n %}'
    '      <tr><td><a href="{% url \'exchange:version\' p.version.pk %}">{{ p.party_list.title }} '
    'v{{ p.version.number }}</a></td>\n'
    '        <td>{{ p.party_list.party.code }} → {{ p.party_list.concerning.code }}</td><td>{{ p.total }}</td>'
    '<td>{{ p.forwarded }}</td>\n'
    '        <td><progress max="{{ p.forwarded|default:1 }}" value="{{ p.answered }}" '
    'aria-label="{% translate \'Answered\' %}"></progress> {{ p.answered }} ({{ p.percent }}%)</td></tr>\n')
LISTS_PROGRESS_ROW = (
    '{% load i18n %}'
    '    <tr><td><a href="{% url \'exchange:list\' p.party_list.pk %}">{{ p.party_list.title }}</a></td>\n'
    '      <td>{{ p.party_list.party.code }}</td><td>{{ p.party_list.concerning.code }}</td>\n'
    '      <td><a href="{% url \'exchange:version\' p.version.pk %}">v{{ p.version.number }}</a> '
    '<span class="muted">{{ p.version.uploaded_at|date:"Y-m-d" }}</span></td>\n'
    '      <td>{{ p.total }}</td><td>{{ p.forwarded }}</td>\n'
    '      <td>{{ p.answered }} <progress max="{{ p.forwarded|default:1 }}" value="{{ p.answered }}" '
    'aria-label="{% translate \'Answered\' %}"></progress></td></tr>\n')


def _exchanged(users: dict[str, Any], parties: dict[str, Any]) -> None:
    """A list with names forwarded and answered, one untouched, one with markup in its title, a second version."""
    from homeward.exchange import services
    from homeward.exchange.models import ListEntry
    from tests.factories import import_list

    v = import_list(users["ua"], parties["UA"], title="Sought in RU").version
    entries = list(v.entries.order_by("row"))
    services.forward(users["mediator"], v, [entries[0].pk, entries[1].pk])
    first = ListEntry.objects.select_related("forwarding").get(pk=entries[0].pk)
    services.respond(users["ru"], [services.Answer(first, "located", "Табір", "seen")])
    import_list(users["ru"], parties["RU"], title='Розыск "А" & <b>Б</b>', concerning=parties["UA"],
                rows=["Коваленко;Дарина;;12.04.2013;ж;Херсон"], filename="r.csv")
    import_list(users["ua"], parties["UA"], title="Sought in RU", filename="l2.csv",
                rows=["Шевченко;Софія;Андріївна;27.01.2015;Ж;Мелітополь"])


@pytest.mark.parametrize("lang", ["en", "uk", "ar"])
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Adak"])
def test_a_lists_progress_row_is_the_markup_the_row_template_gave(
        users: dict[str, Any], parties: dict[str, Any], lang: str, zone: str) -> None:
    import zoneinfo

    from django.utils import timezone

    from homeward.exchange import progress
    from homeward.ui.rows import progress_row

    _exchanged(users, parties)
    dashboard, lists = Template(DASHBOARD_PROGRESS_ROW), Template(LISTS_PROGRESS_ROW)
    rows = [p for role in ("mediator", "ua", "ru") for p in progress.for_user(users[role])]
    assert {(p.forwarded, p.answered) for p in rows} >= {(0, 0), (2, 1)}
    with translation.override(lang), timezone.override(zoneinfo.ZoneInfo(zone)):
        for p in rows:
            assert "      " + progress_row(p, "dashboard") + "\n" == dashboard.render(Context({"p": p}))
            assert "    " + progress_row(p, "lists") + "\n" == lists.render(Context({"p": p}))


def test_a_url_of_a_record_is_what_reverse_gives() -> None:
    from django.urls import reverse

    from homeward.ui.rows import url_of

    for name in ("exchange:version", "exchange:list", "child_detail"):
        for pk in (1, 42, 2**53 + 7):
            assert url_of(name, pk) == reverse(name, args=[pk])


def test_the_dashboards_recent_activity_and_status_tiles_link_as_reverse_would(
        client: Any, users: dict[str, Any]) -> None:
    from django.urls import reverse

    children = [make_child(users["ua"], surname=f"Коваленко{i}") for i in "абв"]
    client.force_login(users["ua"])
    body = client.get("/").content.decode()
    for child in children:
        assert f'<td><a href="{reverse("child_detail", args=[child.pk])}">' in body
    assert f'<a class="stat" href="{reverse("children")}?status=reported">' in body


def test_the_navigation_links_each_page_as_reverse_would_and_leaves_out_a_page_not_installed(
        users: dict[str, Any], monkeypatch: Any) -> None:
    from django.urls import reverse

    from homeward import nav

    entries = [*nav.ENTRIES, nav.Entry("no_such_page", "Nowhere", lambda user: True)]
    monkeypatch.setattr(nav, "ENTRIES", entries)
    for role in ("mediator", "ua", "ngo", "auditor"):
        shown = nav.items(users[role], "dashboard")
        assert [i["url"] for i in shown] == [reverse(e.url_name) for e in entries[:-1] if e.rule(users[role])]
        assert "no_such_page" not in [i["name"] for i in shown]


# The review queue's row as template markup, before ``ui.rows.review_rows`` (linkage/queue.html).
REVIEW_ROW = (
    '{% load i18n l10n %}'
    '  <tr><td><meter min="0" max="1" value="{{ c.match_probability|unlocalize }}" '
    'title="{{ c.match_probability|floatformat:3 }}"></meter> {{ c.match_probability|floatformat:3 }}'
    '{% if c.ambiguity_group %}<br><span class="badge">'
    '{% translate "ambiguous" %}</span>{% endif %}</td>\n'
    '    <td>{{ c.left_type|label:"linkage_record" }} #{{ c.left_id }}<br><span class="muted">'
    '{{ left.full_name|default:"" }}</span>{% if is_mediator %}{% with r=left|latin %}{% if r %}<br>{{ r }}'
    '{% endif %}{% endwith %}{% endif %}</td>\n'
    '    <td>{{ c.right_type|label:"linkage_record" }} #{{ c.right_id }}<br><span class="muted">'
    '{{ right.full_name|default:"" }}</span>{% if is_mediator %}{% with r=right|latin %}{% if r %}<br>{{ r }}'
    '{% endif %}{% endwith %}{% endif %}</td>\n'
    '    <td>{% for r in top %}{{ r.comparison|label:"linkage_comparison" }}: {{ r.level|label:"linkage_level" }} '
    '({% if r.weight >= 0 %}+{% endif %}{{ r.weight|floatformat:1 }})<br>{% endfor %}</td>\n'
    '    <td><a class="button" href="{% url \'linkage:candidate\' c.pk %}">{% translate "Review" %}</a></td></tr>\n'
    '  ')

# Probabilities and weights whose printing differs: repr's digits, exponents, halves, rounding to zero, negatives.
NUMBERS = [0.51, 0.8735, 0.9995, 1.0, 0.0, 1e-05, 3.5e-12, 0.30000000000000004, 0.0005, 0.00049, -0.04, -0.0,
           2.25, -2.25, 12.05, 123456.789, 1e16, 7]


@pytest.mark.parametrize("lang", ["en", "uk", "ar"])
def test_a_review_queue_row_is_the_markup_the_row_template_gave(
        users: dict[str, Any], parties: dict[str, Any], lang: str) -> None:
    from homeward.exchange.models import ListEntry
    from homeward.linkage.models import Candidate
    from homeward.linkage.views import describe_many, ordered_reasons
    from homeward.registry.models import Child, TracingRequest
    from homeward.ui.rows import review_rows
    from tests.factories import import_list, make_tracing_request

    children = _children(users, parties)
    request = make_tracing_request(users["ngo"], surname="Коваленко", given_name="Олег")
    entry = ListEntry.objects.filter(version=import_list(users["ua"], parties["UA"]).version).first()
    assert entry is not None
    sides = [("child", c.pk) for c in children] + [("tracing_request", request.pk), ("list_entry", entry.pk),
                                                     ("child", 10**12), ("other_kind", 5)]  # no such record
    reasons: list[Any] = [
        [], [{"comparison": "surname", "level": "same name", "weight": 2.25}],
        [{"comparison": "given name", "level": "<b>a level with no label</b>", "weight": -1.05},
         {"comparison": "no such comparison", "level": "same name", "weight": 0.0}, {"weight": 3}],
        [{"comparison": "surname", "weight": "7.5"}, {"comparison": "surname", "level": "same name"}],
        [{"comparison": "birth date", "level": "same name", "weight": w} for w in NUMBERS]]
    pairs = []
    for i, p in enumerate(NUMBERS):
        left, right = sides[i % len(sides)], sides[(i * 3 + 1) % len(sides)]
        pairs.append(Candidate(pk=i + 1, left_type=left[0], left_id=left[1], right_type=right[0],
                               right_id=right[1], match_probability=p, match_weight=0.0,
                               reasons=reasons[i % len(reasons)], ambiguity_group="left:1" if i % 3 else ""))
    records = describe_many([ref for c in pairs for ref in ((c.left_type, c.left_id), (c.right_type, c.right_id))])
    rows = [(c, records.get((c.left_type, c.left_id)), records.get((c.right_type, c.right_id)), top)
            for c in pairs for top in (c.reasons, ordered_reasons(c.reasons)[:2])]
    assert {type(r) for _, r, _, _ in rows} >= {Child, TracingRequest, ListEntry, type(None)}
    template = Template(REVIEW_ROW)
    with translation.override(lang):
        for mediator in (False, True):
            got = review_rows(rows, mediator)
            for (c, left, right, top), row in zip(rows, got, strict=True):
                context = {"c": c, "left": left, "right": right, "top": top, "is_mediator": mediator}
                assert "  " + row + "\n  " == template.render(Context(context))


def test_the_review_queue_shows_each_pending_pair_once_with_its_link(
        client: Any, users: dict[str, Any]) -> None:
    from tests.factories import make_pairs

    pairs = make_pairs(users, 3)
    client.force_login(users["mediator"])
    with translation.override("uk"):
        body = client.get("/linkage/review/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    for pair in pairs:
        assert body.count(f'href="/linkage/review/{pair.pk}/"') == 1
        assert f"#{pair.left_id}<br>" in body and f"#{pair.right_id}<br>" in body


@pytest.mark.parametrize("lang", ["en", "uk", "ar"])
def test_a_pairs_probability_meter_holds_a_number_the_browser_reads_in_every_language(
        client: Any, users: dict[str, Any], parties: dict[str, Any], lang: str) -> None:
    import re

    from homeward.exchange.models import ListEntry
    from homeward.linkage.models import Candidate
    from tests.factories import import_list, make_pairs

    make_pairs(users, 2)
    version = import_list(users["ua"], parties["UA"]).version
    entry = ListEntry.objects.filter(version=version).first()
    child = make_child(users["ru"])
    assert entry is not None
    Candidate.objects.create(left_type="list_entry", left_id=entry.pk, right_type="child", right_id=child.pk,
                             match_probability=0.8735, match_weight=1.0, reasons=[])
    client.force_login(users["mediator"])
    for path in ("/linkage/review/", f"/lists/versions/{version.pk}/"):
        body = client.get(path, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        values = re.findall(r'<meter min="0" max="1" value="([^"]*)"', body)
        assert values, path
        assert all(re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", v) for v in values), (path, values)
        if lang != "en":  # the numbers shown beside the meters stay the language's
            assert "0,87" in body or "0,55" in body, path


@pytest.mark.parametrize("role", ["ua", "ru", "mediator", "ngo", "auditor"])
def test_the_api_children_page_read_as_values_is_the_payload_the_model_instances_gave(
        client: Any, users: dict[str, Any], parties: dict[str, Any], role: str) -> None:
    import json

    from homeward import access
    from homeward.accounts.models import ApiToken
    from homeward.registry.models import Child
    from homeward.registry.schemas import ChildOut, child_payload, name_form_payload

    _children(users, parties)  # with and without a case, a name, a birth date; of both parties
    Child.objects.filter(surname="Kovalenko").update(medical_needs="asthma", disability="none known")
    shared = make_child(users["ru"], surname="Шевчук", medical_needs="insulin")
    shared.shared_with.add(parties["UA"], parties["NGO1"])  # another party's child shared: restricted fields withheld
    user = users[role]
    raw = ApiToken.issue(user, name="t")
    got = client.get("/api/v1/children?limit=50", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["items"]
    want = []
    for c in access.children(user).select_related("case"):  # the same order: the queryset's
        forms = sorted((name_form_payload(n) for n in c.name_forms.all()), key=lambda f: json.dumps(f))
        want.append(json.loads(ChildOut.model_validate(child_payload(
            c, restricted=access.sees_restricted(user, c), name_forms=forms)).model_dump_json()))
    for item in got:
        item["name_forms"].sort(key=lambda f: json.dumps(f))
    assert got == want
    assert (len(want) > 0) == (role != "auditor")
    if role == "ua":
        assert any(i["medical_needs"] is None for i in got) and any(i["medical_needs"] == "asthma" for i in got)
        assert any(i["case_id"] is None for i in got) and any(i["case_id"] for i in got)


@pytest.mark.parametrize("role", ["ua", "ru", "mediator", "ngo", "auditor"])
def test_the_api_cases_page_read_as_values_is_the_payload_the_model_instances_gave(
        client: Any, users: dict[str, Any], parties: dict[str, Any], role: str) -> None:
    import json

    from ninja.renderers import NinjaJSONEncoder

    from homeward import access
    from homeward.accounts.models import ApiToken
    from homeward.registry import services
    from homeward.registry.api import _case_payload
    from homeward.registry.models import Case
    from homeward.registry.schemas import CaseOut

    children = [make_child(users["ua"], surname=f"Коваленко{i}") for i in "абв"]
    children += [make_child(users["ru"], surname=f"Иванов{i}") for i in "аб"]
    moved = Case.objects.get(child=children[0])
    services.transition(users["mediator"], moved, "located", reason="seen")
    Case.objects.filter(child=children[1]).update(caseworker=users["ua"], requesting_party=parties["RU"])
    Case.objects.filter(child=children[3]).update(requesting_party=parties["UA"])
    children[4].shared_with.add(parties["UA"])
    user = users[role]
    raw = ApiToken.issue(user, name="t")
    got = client.get("/api/v1/cases?limit=50", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["items"]
    want = [json.loads(json.dumps(CaseOut.model_validate(_case_payload(c, user)).model_dump(), cls=NinjaJSONEncoder))
            for c in access.cases(user).select_related("requesting_party", "caseworker", "child__party")]
    assert got == want
    assert (len(want) > 0) == (role in ("ua", "ru", "mediator"))
    if role in ("ua", "mediator"):
        assert {bool(c["allowed_transitions"]) for c in got} == ({True} if role == "mediator" else {True, False})
        assert any(c["events"] for c in got) and any(c["caseworker"] for c in got)
        assert any(c["requesting_party"] for c in got) and any(c["requesting_party"] is None for c in got)


@pytest.mark.parametrize("role", ["ua", "ru", "mediator", "ngo", "auditor"])
def test_the_api_tracing_requests_page_read_as_values_is_the_payload_the_model_instances_gave(
        client: Any, users: dict[str, Any], parties: dict[str, Any], role: str) -> None:
    import json

    from ninja.renderers import NinjaJSONEncoder

    from homeward import access
    from homeward.accounts.models import ApiToken
    from homeward.registry.api import _tracing_payload
    from homeward.registry.models import TracingRequest
    from homeward.registry.schemas import TracingRequestOut
    from tests.factories import make_tracing_request

    child = make_child(users["ua"])
    make_tracing_request(users["ngo"], surname="Коваленко", given_name="Олег", medical_needs="asthma")
    make_tracing_request(users["ngo"], surname="Kovalenko", given_name="Oleh", birth_date=None)
    make_tracing_request(users["ua"], surname="Шевченко", disability="none known")
    shared = make_tracing_request(users["ru"], surname="Иванова", medical_needs="insulin")
    shared.shared_with.add(parties["UA"], parties["NGO1"])
    TracingRequest.objects.filter(pk=shared.pk).update(child=child, status="matched")
    user = users[role]
    raw = ApiToken.issue(user, name="t")
    for query in ("", "&status=matched"):
        got = client.get(f"/api/v1/tracing-requests?limit=50{query}",
                         HTTP_AUTHORIZATION=f"Bearer {raw}").json()["items"]
        scope = access.tracing_requests(user).select_related("party")
        want = [json.loads(json.dumps(TracingRequestOut.model_validate(_tracing_payload(t, user)).model_dump(),
                                      cls=NinjaJSONEncoder))
                for t in (scope.filter(status="matched") if query else scope)]
        assert got == want
    if role in ("ua", "ngo"):
        full = client.get("/api/v1/tracing-requests?limit=50", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["items"]
        assert any(t["medical_needs"] is None for t in full) and any(t["child_id"] for t in full)


# The tracing requests' row as template markup, before ``ui.rows.tracing_row`` (registry/tracing_list.html).
TRACING_ROW = (
    '{% load i18n %}'
    '<tr><td>{{ t.pk }}</td><td><a href="{% url \'tracing_detail\' t.pk %}">{{ t.full_name|default:_("(no name)") }}'
    '</a>{% if is_mediator %}{% with r=t|latin %}{% if r %}<br>{{ r }}{% endif %}{% endwith %}{% endif %}'
    '{% if t.search_hit.why %}<div class="muted small match-why">{{ t.search_hit.why|join:"; " }}</div>{% endif %}'
    '</td><td>{{ t.birth_date|date:"Y-m-d"|default:"—" }}</td><td>{{ t.party.code }}</td>'
    '<td>{{ t.created_at|date:"Y-m-d" }}</td><td><span class="badge {{ t.status }}">{{ t.get_status_display }}'
    '</span></td></tr>')


def _tracing_requests(users: dict[str, Any]) -> None:
    """Tracing requests of every kind a row shows: Cyrillic of either party, Latin, no name, markup in a name, no
    birth date, every status."""
    from homeward.registry.choices import TracingStatus
    from homeward.registry.models import TracingRequest
    from tests.factories import make_tracing_request

    made = [make_tracing_request(users["ngo"], surname="Коваленко", given_name="Олег"),
            make_tracing_request(users["ngo"], surname="Kovalenko", given_name="Oleh", birth_date=None),
            make_tracing_request(users["ua"], surname="Шевченко", given_name="Софія", birth_date=dt.date(2015, 1, 27)),
            make_tracing_request(users["ru"], surname="Коваленко", given_name="Пётр"),
            make_tracing_request(users["ngo"], surname="Безіменна"),
            make_tracing_request(users["ngo"], surname='<b>"Зх" & \'Пд\'</b>', given_name="Ім'я")]
    for t, status in zip(made, TracingStatus.values, strict=False):
        TracingRequest.objects.filter(pk=t.pk).update(status=status)
    TracingRequest.objects.filter(pk=made[4].pk).update(surname="", given_name="", patronymic="")  # no name
    # A request filed late in the evening UTC: its filing date differs either side of the date line.
    TracingRequest.objects.filter(pk=made[0].pk).update(created_at=dt.datetime(2025, 3, 14, 23, 30, tzinfo=dt.UTC))


@pytest.mark.parametrize("lang", ["en", "uk", "ar"])
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Adak"])
def test_a_tracing_requests_row_is_the_markup_the_row_template_gave(
        users: dict[str, Any], lang: str, zone: str) -> None:
    import zoneinfo

    from django.utils import timezone

    from homeward.registry import search
    from homeward.registry.models import TracingRequest
    from homeward.ui.rows import tracing_row

    _tracing_requests(users)
    scope = TracingRequest.objects.select_related("party")
    rows = list(scope.order_by("created_at", "id"))
    hits = list(search.filtered(scope, "Коваленко")[0:25])
    assert any(getattr(t, "search_hit", None) and t.search_hit.why for t in hits)  # "why it matched" compared too
    assert {t.status for t in rows} == {"open", "matched", "closed", "withdrawn"}
    template = Template(TRACING_ROW)
    with translation.override(lang), timezone.override(zoneinfo.ZoneInfo(zone)):
        for t in [*rows, *hits]:
            for mediator in (False, True):
                want = template.render(Context({"t": t, "is_mediator": mediator}))
                assert tracing_row(t, mediator) == want


@pytest.mark.parametrize("role", ["mediator", "ngo", "ua"])
def test_the_tracing_requests_page_shows_each_visible_request_in_its_row_and_no_other(
        client: Any, users: dict[str, Any], role: str) -> None:
    from homeward import access
    from homeward.registry.models import TracingRequest

    _tracing_requests(users)
    client.force_login(users[role])
    body = client.get("/tracing/").content.decode()
    visible = set(access.tracing_requests(users[role]).values_list("pk", flat=True))
    assert visible
    for t in TracingRequest.objects.all():
        shown = f'<tr><td>{t.pk}</td><td><a href="/tracing/{t.pk}/">' in body
        assert shown == (t.pk in visible)
    assert (role == "mediator") == ('class="latin-reading' in body)  # the Latin readings, the mediator's alone


# The dashboard's status tiles and recent activity as template markup, before ``ui.rows.status_tiles`` and
# ``ui.rows.recent_rows`` (registry/dashboard.html).
STATUS_TILES = (
    '{% for status, n in by_status %}\n'
    '    {% if status_links %}<a class="stat" href="{{ children_url }}?status={{ status.value }}">{% else %}'
    '<div class="stat">{% endif %}<div class="n">{{ n }}</div><div class="l">{{ status.label }}</div>\n'
    '      <meter class="bar" min="0" max="{{ max_count }}" value="{{ n }}" aria-hidden="true"></meter>'
    '{% if status_links %}</a>{% else %}</div>{% endif %}\n'
    '    {% endfor %}')
RECENT_ROWS = (
    '{% load i18n %}{% for e in recent %}\n'
    '      <tr><td>{{ e.at|when }}</td>\n'
    '        <td><a href="{{ e.child_url }}">{% translate "Case" %} #{{ e.case_id }}</a></td>\n'
    '        <td>{% if e.from_status %}{{ e.get_from_status_display }} <span class="flip">→</span> {% endif %}'
    '<span class="badge {{ e.to_status }}">{{ e.get_to_status_display }}</span></td>\n'
    '        <td>{{ e.actor_party }}</td></tr>\n'
    '    {% endfor %}')


@pytest.mark.parametrize("lang", ["en", "uk", "ru", "ar"])
def test_the_dashboards_status_tiles_are_the_markup_the_template_gave(lang: str) -> None:
    from homeward.registry.workflow import CaseStatus
    from homeward.ui.rows import status_tiles

    by_status = [(s, n) for s, n in zip(CaseStatus, [0, 1, 12, 1234, 5, 0, 7, 99999, 3, 2, 1], strict=False)]
    template = Template(STATUS_TILES)
    with translation.override(lang):
        for links in (True, False):
            for url in ("/children/", '/a&b"/'):
                context = {"by_status": by_status, "status_links": links, "children_url": url, "max_count": 99999}
                assert status_tiles(by_status, 99999, links, url) == template.render(Context(context))


@pytest.mark.parametrize("lang", ["en", "uk", "ar"])
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati"])
def test_the_dashboards_recent_activity_is_the_markup_the_template_gave_and_only_the_users_cases(
        client: Any, users: dict[str, Any], lang: str, zone: str) -> None:
    import zoneinfo

    from django.utils import timezone

    from homeward import access
    from homeward.registry import services
    from homeward.registry.models import CaseEvent
    from homeward.registry.views import _recent_events
    from homeward.ui.rows import recent_rows, url_of

    ours = [make_child(users["ua"], surname=f"Коваленко{i}").case for i in "аб"]
    theirs = make_child(users["ru"], surname="Чужий").case
    services.transition(users["mediator"], ours[0], "located", reason="seen")
    CaseEvent.objects.create(case=ours[1], from_status="", to_status="bogus", actor_party='<b>"UA"</b>')
    for role in ("ua", "ru", "mediator"):
        events = list(CaseEvent.objects.filter(case__in=access.cases(users[role])).select_related("case")
                      .order_by("-at", "-id")[:12])
        for e in events:
            e.child_url = url_of("child_detail", e.case.child_id)
        rows = list(_recent_events(users[role]))
        assert [r[4] for r in rows] == [e.case_id for e in events]
        with translation.override(lang), timezone.override(zoneinfo.ZoneInfo(zone)):
            assert recent_rows(rows) == Template(RECENT_ROWS).render(Context({"recent": events}))
    ua_cases = {r[4] for r in _recent_events(users["ua"])}
    assert ua_cases == {c.pk for c in ours} and theirs.pk not in ua_cases
    client.force_login(users["ua"])
    assert f"#{theirs.pk}<" not in client.get("/").content.decode()
    assert client.get(url_of("child_detail", theirs.child_id)).status_code == 404  # not 403


# The ledger page's entries as template markup, before ``ui.rows.ledger_rows`` (ledger/ledger.html).
LEDGER_ROWS = (
    '{% load i18n %}{% for e, opened in rows %}\n'
    '      <tr><td>{{ e.index }}</td>{% if opened %}<td><span title="{{ e.kind }}">{{ e.kind|label:"ledger_kind" }}'
    '</span></td><td>{{ e.party_code|default:"–" }}</td>\n'
    '        <td>{{ e.object_type|label:"object_type" }} {{ e.object_id }}</td><td>'
    '{{ e.recorded_at|when:"%Y-%m-%d %H:%M:%S" }}</td>{% else %}<td colspan="4" class="muted">'
    '{% translate "sealed" %}</td>{% endif %}\n'
    '        <td><code>{{ e.short_hash }}</code></td>\n'
    '        <td>{% if checkpoint and e.index < checkpoint.size %}<a href="{{ e.inclusion_url }}">'
    '{% translate "inclusion" %}</a>{% else %}<span class="muted">{% translate "after checkpoint" %}</span>'
    '{% endif %}</td></tr>\n'
    '    {% endfor %}')


@pytest.mark.parametrize("lang", ["en", "uk", "ru", "ar"])
@pytest.mark.parametrize("zone", ["UTC", "America/Adak"])
def test_the_ledger_pages_entries_are_the_markup_the_template_gave(lang: str, zone: str) -> None:
    import types
    import zoneinfo

    from django.utils import timezone

    from homeward.ui.labels import LABELS
    from homeward.ui.rows import ledger_rows

    kinds = [*LABELS["ledger_kind"], 'odd<"kind">']
    types_ = [*LABELS["object_type"], "", "x&y"]
    at = dt.datetime(2026, 3, 14, 23, 59, 58, tzinfo=dt.UTC)
    rows = [(types.SimpleNamespace(index=i * 37, kind=kinds[i % len(kinds)], party_code=["UA", "", "<b>"][i % 3],
                                   object_type=types_[i % len(types_)], object_id=["12", "", '"7"&'][i % 3],
                                   recorded_at=at + dt.timedelta(hours=i), short_hash=f"{i:016x}\u2026",
                                   inclusion_url=f"/ledger/inclusion/?index={i * 37}"), i % 4 != 3)
            for i in range(60)]
    template = Template(LEDGER_ROWS)
    with translation.override(lang), timezone.override(zoneinfo.ZoneInfo(zone)):
        for checkpoint in (None, types.SimpleNamespace(size=0), types.SimpleNamespace(size=1000)):
            expected = template.render(Context({"rows": rows, "checkpoint": checkpoint}))
            assert ledger_rows(rows, checkpoint.size if checkpoint else None) == expected
    assert "sealed" in ledger_rows(rows, None) or lang != "en"


# A quantity's claims on /stats/ as template markup, before ``ui.rows.claim_rows`` (figures/stats.html).
CLAIM_ROWS = (
    '{% load i18n %}{% for c in claims %}\n'
    '      <tr><td><a href="{% url \'figures:claim\' c.pk %}">{% if c.qualifier %}'
    '{{ c.qualifier|label:"figures_qualifier" }} {% endif %}{{ c.value|floatformat:"-2g" }}</a>{% if c.direction %} '
    '<span class="muted">{{ c.direction }}</span>{% endif %}</td>\n'
    '        <td>{{ c.as_of|default:"—" }}</td>\n'
    '        <td>{{ c.source_label|default:"—" }}</td>\n'
    '        <td>{{ c.get_scope_display }}</td>\n'
    '        <td>{% if c.document.url %}<a href="{{ c.document.url }}" rel="noopener noreferrer">{{ c.document.title }}'
    '</a>{% else %}{{ c.document.title }}{% endif %}{% if c.document.outlet %} · {{ c.document.outlet }}{% endif %}'
    '{% if c.document.published_on %} · {{ c.document.published_on|date:"Y-m-d" }}{% endif %}'
    '{% if c.document.is_demo %} <span class="badge restricted">{% translate "illustrative" %}</span>{% endif %}'
    '</td></tr>\n'
    '    {% endfor %}')


@pytest.mark.parametrize("lang", ["en", "uk", "ru", "ar"])
def test_the_statistics_claims_and_who_says_what_are_the_markup_the_templates_gave(
        client: Any, users: dict[str, Any], lang: str) -> None:
    from decimal import Decimal

    from django.template.loader import render_to_string

    from homeward.figures import services
    from homeward.figures.demo import load_demo
    from homeward.figures.models import Claim, Document
    from homeward.ui.rows import claim_rows, dispute

    load_demo()
    first, second = list(Claim.objects.filter(status__in=services.PUBLIC_STATUSES).order_by("id")[:2])
    Document.objects.filter(pk=first.document_id).update(title='A <b>"title"</b> & more', url="https://x.test/?a=1&b=2",
                                              outlet="O'Reilly & <i>", published_on=dt.date(2024, 2, 29),
                                              is_demo=False)  # a public claim's document: on the page
    Claim.objects.filter(pk=first.pk).update(qualifier="about", direction='<U&"R>', as_of="",
                                             value=Decimal("1234567.5"))
    Claim.objects.filter(pk=second.pk).update(value=Decimal("0.125"), claimant='"Q" & <co>', person=None,
                                              organisation=None)
    claims = services.public_claims()
    assert len(claims) >= 6 and any(c.document.url for c in claims)
    template = Template(CLAIM_ROWS)
    with translation.override(lang):
        assert claim_rows(claims) == template.render(Context({"claims": claims}))
        assert claim_rows([]) == template.render(Context({"claims": []}))
        for quantity in {c.quantity for c in claims} | {"nothing"}:
            voices = services.dispute(quantity, claims)
            assert dispute(voices) == render_to_string("figures/_dispute.html", {"voices": voices})
        page = client.get("/stats/").content.decode()
    assert 'A &lt;b&gt;&quot;title&quot;&lt;/b&gt; &amp; more' in page and "<b>" not in page.split("<main", 1)[-1]


# The children table's sortable header and the status filter's options as template markup, before
# ``ui.rows.sort_th`` (registry/_sort_th.html, an include) and ``ui.rows.status_options`` (registry/children.html).
SORT_TH = (
    '{% load i18n %}<th{% if sort == key or sort == "-"|add:key %} aria-sort="{% if sort == key %}ascending'
    '{% else %}descending{% endif %}"{% endif %}><a href="?{% if filter_query %}{{ filter_query }}&amp;{% endif %}'
    'sort={% if sort == key %}-{% endif %}{{ key }}" hx-get="?{% if filter_query %}{{ filter_query }}&amp;{% endif %}'
    'sort={% if sort == key %}-{% endif %}{{ key }}" hx-target="#results" hx-push-url="true">{{ label }}'
    '{% if sort == key %} ▲{% elif sort == "-"|add:key %} ▼{% endif %}</a></th>\n')
STATUS_OPTIONS = ('{% for value, label in statuses %}<option value="{{ value }}" {% if filters.status == value %}'
                  'selected{% endif %}>{{ label }}</option>{% endfor %}')


@pytest.mark.parametrize("lang", ["en", "uk", "ar"])
def test_the_children_tables_sort_headers_and_status_options_are_the_markup_the_templates_gave(lang: str) -> None:
    from homeward.registry.workflow import CaseStatus
    from homeward.ui.rows import sort_th, status_options

    header, options = Template(SORT_TH), Template(STATUS_OPTIONS)
    with translation.override(lang):
        for key in ("id", "name", "born"):
            for sort in ("", "name", "-name", "id", "-born", "bogus"):
                for query in ("", "q=%D0%9A&status=reported", 'a="<b>"&c'):
                    context = {"key": key, "label": translation.gettext("Name"), "sort": sort, "filter_query": query}
                    assert sort_th(key, translation.gettext("Name"), sort, query) == header.render(Context(context))
        for selected in (None, "", "reported", "reunited", "bogus"):
            expected = options.render(Context({"statuses": CaseStatus.choices, "filters": {"status": selected}}))
            assert status_options(CaseStatus.choices, selected) == expected


def test_the_children_page_sorted_and_filtered_keeps_its_headers_options_and_scope(
        client: Any, users: dict[str, Any]) -> None:
    ours = make_child(users["ua"], surname="Коваленко")
    theirs = make_child(users["ru"], surname="Шевчук")
    client.force_login(users["ua"])
    body = client.get("/children/?sort=-name&status=reported&q=").content.decode()
    assert '<th aria-sort="descending"><a href="?status=reported&amp;q=&amp;sort=name"' in body
    assert '<option value="reported" selected>' in body and '<option value="reunited" >' in body
    assert f"/children/{ours.pk}/" in body and f"/children/{theirs.pk}/" not in body
    assert client.get(f"/children/{theirs.pk}/").status_code == 404
