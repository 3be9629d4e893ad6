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
