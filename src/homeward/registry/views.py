"""Registry pages. Short views: who sees what in ``homeward.access``, writes in ``services``, markup in
templates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from homeward import access
from homeward.access import AuthedRequest, Viewer, page
from homeward.accounts import audit, reads
from homeward.accounts.models import Party
from homeward.accounts.roles import MEDIATOR_ROLES, PartyKind
from homeward.exceptions import ConflictError, InputError, TransitionError
from homeward.registry import search as name_search
from homeward.registry import services
from homeward.registry.api import ChildFilters, filter_children
from homeward.registry.choices import TracingStatus
from homeward.registry.forms import (
    ChildForm,
    NameFormForm,
    NoteForm,
    PersonForm,
    RequesterForm,
    TracingRequestForm,
    WithdrawForm,
)
from homeward.registry.models import CaseEvent, Child, Person, TracingRequest
from homeward.registry.workflow import CaseStatus
from homeward.ui import confirm
from homeward.ui import rows as ui_rows


def _recent_events(user: Viewer) -> Any:
    """What the recent activity shows of the 12 latest case events (``ui.rows.recent_rows``)."""
    return CaseEvent.objects.filter(case__in=access.cases(user)).order_by("-at", "-id").values_list(
        "at", "from_status", "to_status", "actor_party", "case_id", "case__child_id")[:12]


def _status_counts(user: Viewer) -> Any:
    return access.counted_cases(user).order_by().values_list("status").annotate(n=Count("id")).values_list(
        "status", "n")


@page()
def dashboard(request: AuthedRequest) -> HttpResponse:
    from homeward.ui import queues

    user = request.user
    counts = dict(reads.rows("dashboard.by_status", user, _status_counts))
    recent = reads.rows("dashboard.recent", user, _recent_events)
    by_status = [(s, counts.get(s.value, 0)) for s in CaseStatus]
    total = sum(counts.values())
    work = queues.for_user(user, request)  # the lists' progress once for the queue and the panel
    sign = next((w for w in work if w.key == "sign"), None)
    tiles = ui_rows.status_tiles(by_status, max([n for _s, n in by_status] + [1]), access.may_register(user),
                                 reverse("children"))
    return render(request, "registry/dashboard.html", {
        "total": total, "recent": recent, "recent_rows": ui_rows.recent_rows(recent), "status_tiles": tiles,
        "work": work, "handovers_to_sign": sign.records if sign is not None and sign.count > 1 else [],
    })


# ?sort= values and the columns they order by (a leading "-" reverses); anything else keeps newest first.
# Ids are random (homeward.ids): "id" sorts by registration time, the id only breaking ties.
SORTS: dict[str, tuple[str, ...]] = {
    "id": ("created_at", "id"), "name": ("sort_key", "id"), "born": ("birth_date", "id"),
    "region": ("region", "id"), "party": ("party__code", "id"), "case": ("case__status", "id")}
EXPORT_FIELDS = ["id", "party", "surname", "given_name", "patronymic", "birth_date", "sex", "region",
                 "case_status"]


def _filtered_children(request: AuthedRequest) -> tuple[Any, ChildFilters, str]:
    filters = ChildFilters(q=request.GET.get("q") or None, status=request.GET.get("status") or None,
                           party=request.GET.get("party") or None, region=request.GET.get("region") or None)
    qs = filter_children(access.children(request.user), filters).select_related("case", "party")
    sort = request.GET.get("sort") or ""
    columns = SORTS.get(sort.lstrip("-"))
    if columns is None:
        found = name_search.search(qs, filters.q) if filters.q else None
        if found is not None:  # a name query without a chosen order: best match first
            return found, filters, ""
        sort, columns = "", ("-created_at", "-id")
    elif sort.startswith("-"):
        columns = tuple(f"-{c}" for c in columns)
    return qs.order_by(*columns), filters, sort


def _may_list(user: Viewer) -> bool:
    return not access.is_auditor(user)  # auditors see aggregates and the ledger, never the register


def _parties_with_children(user: Viewer) -> Any:
    """The parties of the children the user sees (the party filter's choices): code and name, by code."""
    return Party.objects.filter(children__in=access.children(user)).distinct().values("code", "name")


@page(_may_list)
def children_list(request: AuthedRequest) -> HttpResponse:
    qs, filters, sort = _filtered_children(request)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    audit.read(request, "child", page.object_list)
    detail = reverse("child_detail", args=[0]).removesuffix("0/")  # one reverse() a page, not one a row
    for child in page.object_list:
        child.detail_url = f"{detail}{child.pk}/"
    mediator = access.is_mediator(request.user)
    from homeward.accounts.models import User

    ctx = {"page": page, "filters": filters, "statuses": CaseStatus.choices, "sort": sort,
           "parties": reads.rows("children.parties", request.user, _parties_with_children),
           "query": _query_without(request, "page"),
           "filter_query": _query_without(request, "page", "sort"),
           "caseworkers": User.objects.filter(role__in=MEDIATOR_ROLES, is_active=True).order_by("username")
           if mediator else [],
           "bulk": mediator}
    template = "registry/_children_table.html" if request.headers.get("HX-Request") else "registry/children.html"
    return render(request, template, ctx)


def _query_without(request: AuthedRequest, *keys: str) -> str:
    q = request.GET.copy()
    for key in keys:
        q.pop(key, None)
    return q.urlencode()


@page(_may_list)
def children_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The children of the current filter and order as CSV or XLSX: no restricted fields, formula-safe, and one
    audit row saying how many records left (never which names)."""
    from homeward import exports

    access.require(fmt in ("csv", "xlsx"))
    qs, _filters, _sort = _filtered_children(request)
    items = qs if isinstance(qs, name_search.Ranked) else qs.iterator(chunk_size=2000)
    rows = [[c.pk, c.party.code, c.surname, c.given_name, c.patronymic, c.birth_date, c.sex, c.region,
             c.case.status if getattr(c, "case", None) else ""] for c in items]
    audit.record(request.user, "export", object_type="child", object_id=f"{len(rows)} records")
    if fmt == "csv":
        response = HttpResponse(exports.csv_bytes(EXPORT_FIELDS, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.xlsx_bytes([("children", [EXPORT_FIELDS, *rows])]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="children.{fmt}"'
    return response


@page(access.is_mediator)
@require_POST
def children_bulk_assign(request: AuthedRequest) -> HttpResponse:
    """Assign one mediator case worker to every selected child's case (children the caller cannot see are
    ignored, as if they did not exist)."""
    from homeward.accounts.models import User

    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    worker = User.objects.filter(pk=request.POST.get("caseworker") or 0, role__in=MEDIATOR_ROLES,
                                 is_active=True).first()
    children = list(access.children(request.user).filter(pk__in=ids).select_related("case"))
    cases = [c.case for c in children if getattr(c, "case", None)]
    if not cases or worker is None:
        messages.error(request, _("Select at least one child with a case, and a case worker."))
    else:
        for case in cases:
            services.assign_caseworker(request.user, case, worker)
        messages.success(request, ngettext("Case worker assigned to %(n)d case.",
                                           "Case worker assigned to %(n)d cases.", len(cases)) % {"n": len(cases)})
    back = request.POST.get("back") or ""
    return redirect(f"{reverse('children')}?{back}" if back and "//" not in back else reverse("children"))


def _form_page(request: AuthedRequest, form: Any, title: str, cancel: str, **extra: Any) -> HttpResponse:
    from homeward.ui.places import known_places

    bound_forms = [form, *[f for f in extra.values() if hasattr(f, "errors")]]
    status = 422 if any(f.is_bound and f.errors for f in bound_forms) else 200
    return render(request, "registry/form.html", {"form": form, "title": title, "cancel": cancel,
                                                  "known_places": known_places(), **extra}, status=status)


def _save(request: AuthedRequest, form: Any, obj: Any) -> bool:
    """Save a bound form through the services; put conflicts and model errors on the form."""
    if not form.is_valid():
        return False
    try:
        if not obj._state.adding:  # a new record already has its (random) id: ask the state, not the pk
            services.save_changes(request.user, form.instance, int(form.cleaned_data.get("version") or 0))
        else:
            services.save_new(request.user, form.instance)
    except ConflictError as exc:
        form.add_error(None, str(exc))
        return False
    except InputError as exc:
        for field, errs in exc.errors.items():
            for err in errs:
                form.add_error(field if field in form.fields else None, err)
        return False
    return True


@page(access.may_register)
def child_create(request: AuthedRequest) -> HttpResponse:
    from django.db import transaction

    from homeward.registry import duplicates

    child = Child()
    form = ChildForm(request.POST or None, instance=child)
    check = None
    if request.method == "POST" and form.is_valid():
        check = duplicates.check_form(request.user, form.cleaned_data, request.POST)
        if not check.proceed:  # the registry likely holds this child already: ask first
            return _form_page(request, form, _("Register a child"), "children", duplicates=check.found,
                              duplicate_error=check.error)
    with transaction.atomic():
        saved = request.method == "POST" and _save(request, form, child)
        if saved and check is not None and check.found:
            duplicates.record_override(request.user, form.instance, check)
    if saved:
        if request.POST.get("open_case", "1") == "1":
            services.open_case(request.user, form.instance)
        messages.success(request, _("Child #%(id)s registered.") % {"id": form.instance.pk})
        return redirect("child_detail", form.instance.pk)
    return _form_page(request, form, _("Register a child"), "children")


@page()
def child_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    child = access.get(access.children(request.user), pk)
    access.require(access.may_edit(request.user, child))
    form = ChildForm(request.POST or None, instance=child)
    if request.method == "POST" and _save(request, form, child):
        messages.success(request, _("Changes saved."))
        return redirect("child_detail", child.pk)
    audit.read(request, "child", [child])  # the form carries the record's restricted fields
    return _form_page(request, form, _("Edit child #%(id)s") % {"id": child.pk}, "children")


@page()
def child_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    child = access.get(access.children(user).prefetch_related("name_forms"), pk)
    audit.record(user, "view", child)
    case = getattr(child, "case", None)
    ctx: dict[str, Any] = {
        "child": child, "case": case,
        "show_restricted": access.sees_restricted(user, child),
        "relatives": access.persons(user).filter(child=child),
        "requests": access.tracing_requests(user).filter(child=child),
        "events": case.events.select_related("actor") if case else [],
        "transitions": [(t, CaseStatus(t.target).label) for t in services.allowed_transitions(user, case)]
        if case else [],
        "can_edit": access.may_edit(user, child),
        "name_form": NameFormForm(),
    }
    if access.is_mediator(user):
        from homeward.accounts.models import User

        ctx["caseworkers"] = User.objects.filter(role__in=MEDIATOR_ROLES, is_active=True).order_by("username")
        ctx["ngos"] = Party.objects.filter(kind=PartyKind.NGO)
        ctx["shared_ids"] = set(child.shared_with.values_list("pk", flat=True))
    return render(request, "registry/child.html", ctx)


@page()
@require_POST
def child_add_name(request: AuthedRequest, pk: int) -> HttpResponse:
    child = access.get(access.children(request.user), pk)
    access.require(access.may_edit(request.user, child))
    form = NameFormForm(request.POST)
    if form.is_valid():
        services.add_name_form(request.user, child, form.instance)
        messages.success(request, _("Name form added."))
    else:
        messages.error(request, _("The name form was not added: check its fields."))
    return redirect("child_detail", child.pk)


@page()
@require_POST
def case_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access.get(access.cases(request.user), pk)
    target = request.POST.get("to", "")
    if not confirm.confirmed(request):
        try:
            services.check_transition(request.user, case, target, reason=request.POST.get("reason", ""))
        except TransitionError as exc:
            messages.error(request, str(exc))
            return redirect("child_detail", case.child_id)
        return confirm.page(
            request, title=_("Move case #%(id)s?") % {"id": case.pk},
            consequences=[_("The case moves from “%(src)s” to “%(dst)s”.") % {
                "src": CaseStatus(case.status).label, "dst": CaseStatus(target).label}]
            + ([_("Reason: %(r)s") % {"r": request.POST.get("reason", "")}] if request.POST.get("reason") else [])
            + [_("The submitting party sees the new status.")],
            action=_("Move the case to “%(dst)s”") % {"dst": CaseStatus(target).label},
            cancel=reverse("child_detail", args=[case.child_id]), ledger=True,
            danger=target in ("not_found", "declined", "contested", "withdrawn", "closed"))
    try:
        version = int(request.POST.get("version", case.version))
        services.transition(request.user, case, request.POST.get("to", ""), reason=request.POST.get("reason", ""),
                            expected_version=version)
        messages.success(request, _("Case moved to “%(s)s”.") % {"s": CaseStatus(case.status).label})
    except (TransitionError, ConflictError) as exc:
        messages.error(request, str(exc))
    except ValueError:
        messages.error(request, _("The form was incomplete."))
    return redirect("child_detail", case.child_id)


@page()
@require_POST
def case_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access.get(access.cases(request.user), pk)
    access.require(access.is_mediator(request.user))
    from homeward.accounts.models import User

    worker = User.objects.filter(pk=request.POST.get("caseworker") or 0, role__in=MEDIATOR_ROLES).first()
    services.assign_caseworker(request.user, case, worker)
    messages.success(request, _("Case worker assigned."))
    return redirect("child_detail", case.child_id)


@page()
@require_POST
def child_share(request: AuthedRequest, pk: int) -> HttpResponse:
    child = access.get(access.children(request.user), pk)
    access.require(access.is_mediator(request.user))
    ngos = Party.objects.filter(kind=PartyKind.NGO, pk__in=request.POST.getlist("parties"))
    services.share(request.user, child, ngos)
    messages.success(request, _("Sharing updated."))
    return redirect("child_detail", child.pk)


@page(access.may_register)
def person_create(request: AuthedRequest) -> HttpResponse:
    child = None
    if request.GET.get("child") or request.POST.get("child"):
        child = access.get(access.children(request.user), request.GET.get("child") or request.POST.get("child"))
    person = Person(child=child)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and _save(request, form, person):
        messages.success(request, _("Person #%(id)s recorded.") % {"id": person.pk})
        return redirect("person_detail", person.pk)
    return _form_page(request, form, _("Record a relative or representative"), "children")


@page()
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = access.get(access.persons(request.user), pk)
    audit.record(request.user, "view", person)
    return render(request, "registry/person.html", {
        "person": person,
        "show_restricted": access.sees_restricted(request.user, person),
        "requests": access.tracing_requests(request.user).filter(requester=person),
        "child_visible": person.child_id and access.children(request.user).filter(pk=person.child_id).exists(),
    })


@page()
def tracing_list(request: AuthedRequest) -> HttpResponse:
    if not access.may_register(request.user):
        raise access.NotFound
    qs = access.tracing_requests(request.user).select_related("party")
    status = request.GET.get("status", "")
    if status in TracingStatus.values:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()
    page = Paginator(name_search.filtered(qs, q), 25).get_page(request.GET.get("page"))
    audit.read(request, "tracingrequest", page.object_list)
    return render(request, "registry/tracing_list.html", {
        "page": page, "statuses": TracingStatus.choices, "status": status, "q": q,
        "query": _query_without(request, "page"),
    })


@page()
def tracing_create(request: AuthedRequest) -> HttpResponse:
    """File a request in one form: the child sought, and the relative asking (chosen, or new)."""
    user = request.user
    if not access.may_register(user):
        raise access.NotFound
    who: Any = user
    persons = access.persons(who) if access.is_mediator(who) else access.persons(who).filter(party_id=who.party_id)
    preset = request.GET.get("person") or request.POST.get("person")
    initial = {}
    if preset:
        initial["existing"] = access.get(persons, preset)
    tracing = TracingRequest()
    form = TracingRequestForm(request.POST or None, instance=tracing)
    requester = RequesterForm(request.POST or None, persons=persons, initial=initial, prefix="requester")
    if request.method == "POST" and requester.is_valid() and form.is_valid():
        new_person = requester.new_person()
        if new_person is None:
            tracing.requester = requester.cleaned_data["existing"]
        try:
            services.file_tracing_request(user, tracing, new_requester=new_person)
        except InputError as exc:
            for field, errs in exc.errors.items():
                for err in errs:
                    form.add_error(field if field in form.fields else None, err)
        else:
            messages.success(request, _("Tracing request #%(id)s filed.") % {"id": tracing.pk})
            return redirect("tracing_detail", tracing.pk)
    return _form_page(request, form, _("New tracing request"), "tracing_list", requester_form=requester)


@page()
def tracing_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    tracing = access.get(access.tracing_requests(user), pk)
    audit.record(user, "view", tracing)
    requester = access.persons(user).filter(pk=tracing.requester_id).first()
    can_edit = access.may_edit(user, tracing)
    return render(request, "registry/tracing.html", {
        "tracing": tracing, "requester": requester,
        "show_restricted": access.sees_restricted(user, tracing),
        "child_visible": tracing.child_id and access.children(user).filter(pk=tracing.child_id).exists(),
        "events": tracing.events.select_related("actor"),
        "can_edit": can_edit and tracing.status == TracingStatus.OPEN,
        "can_note": can_edit or access.is_mediator(user),
        "withdraw_form": WithdrawForm(), "note_form": NoteForm(),
    })


@page()
def tracing_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    tracing = access.get(access.tracing_requests(user), pk)
    if not access.may_edit(user, tracing) or tracing.status != TracingStatus.OPEN:
        raise access.NotFound
    form = TracingRequestForm(request.POST or None, instance=tracing)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_tracing_request(user, form.instance, int(form.cleaned_data.get("version") or 0))
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except InputError as exc:
            for field, errs in exc.errors.items():
                for err in errs:
                    form.add_error(field if field in form.fields else None, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("tracing_detail", tracing.pk)
    audit.read(request, "tracingrequest", [tracing])
    return _form_page(request, form, _("Edit tracing request #%(id)s") % {"id": tracing.pk}, "tracing_list")


@page()
@require_POST
def tracing_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    tracing = access.get(access.tracing_requests(request.user), pk)
    if not access.may_edit(request.user, tracing):
        raise access.NotFound
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for withdrawing the request."))
        return redirect("tracing_detail", tracing.pk)
    try:
        services.withdraw_tracing_request(request.user, tracing, form.cleaned_data["reason"])
        messages.success(request, _("Tracing request #%(id)s withdrawn.") % {"id": tracing.pk})
    except (TransitionError, ConflictError, InputError) as exc:
        messages.error(request, " ".join(m for v in getattr(exc, "errors", {}).values() for m in v) or str(exc))
    return redirect("tracing_detail", tracing.pk)


@page()
@require_POST
def tracing_note(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    tracing = access.get(access.tracing_requests(user), pk)
    if not (access.may_edit(user, tracing) or access.is_mediator(user)):
        raise access.NotFound
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_tracing_note(user, tracing, form.cleaned_data["text"])
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note is empty."))
    return redirect(reverse("tracing_detail", args=[tracing.pk]) + "#history")


@page()
def workflow_help(request: AuthedRequest) -> HttpResponse:
    from homeward.accounts.roles import Role
    from homeward.registry.workflow import TRANSITIONS

    rows = [{"from": t.source, "to": t.target, "from_label": CaseStatus(t.source).label,
             "to_label": CaseStatus(t.target).label,
             "who": [Role(r).label for r in sorted(t.roles)] + ([_("the submitting party's officer")]
                                                                  if t.submitter_may else []),
             "reason_required": t.reason_required} for t in TRANSITIONS.values()]
    return render(request, "registry/workflow.html", {"rows": rows, "statuses": CaseStatus.choices})
