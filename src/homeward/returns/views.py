"""Return operation pages. Who sees what in ``homeward.access`` (404 outside it), rules in ``services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward import access
from homeward.access import Actor, AuthedRequest, page
from homeward.accounts import audit
from homeward.accounts.models import User
from homeward.exceptions import ConflictError, HomewardError, InputError, NotFound, TransitionError
from homeward.registry import services as registry_services
from homeward.registry.models import Case
from homeward.registry.workflow import CaseStatus
from homeward.returns import checklist, diagram, files, forms, manifest, services
from homeward.returns.models import (
    FollowUpStatus,
    Item,
    Leg,
    Member,
    MemberKind,
    OperationStatus,
    Outcome,
    ReturnOperation,
    Side,
    VerificationException,
)
from homeward.ui import confirm


def _error_text(exc: HomewardError) -> str:
    if isinstance(exc, InputError):
        return "; ".join(m for msgs in exc.errors.values() for m in msgs) or str(exc)
    return str(exc)


def _report(request: AuthedRequest, exc: HomewardError) -> None:
    """Show a refusal as a message on the page; a ``NotFound`` stays a 404."""
    if isinstance(exc, NotFound):
        raise exc
    messages.error(request, _error_text(exc))


def _operation(request: AuthedRequest, pk: Any) -> ReturnOperation:
    return access.get(access.operations(request.user), pk)


# --- operations list and calendar ----------------------------------------------------------------


def _month(request: AuthedRequest, ops: list[ReturnOperation]) -> tuple[int, int]:
    raw = request.GET.get("month", "")
    try:
        first = dt.datetime.strptime(raw, "%Y-%m").date()
        if not 1900 <= first.year <= 2999:  # the calendar links the months either side: year 9999 has no next
            raise ValueError(raw)
        return first.year, first.month
    except ValueError:
        today = timezone.now().date()
        upcoming = sorted(op.planned_start for op in ops if op.planned_end >= today)
        day = upcoming[0] if upcoming else (ops[0].planned_start if ops else today)
        return day.year, day.month


@page(access.uses_returns)
def operations(request: AuthedRequest) -> HttpResponse:
    user = request.user
    qs = access.operations(user)
    status = request.GET.get("status", "")
    if status in OperationStatus.values:
        qs = qs.filter(status=status)
    ops: list[ReturnOperation] = list(qs.annotate(n_people=Count("members", distinct=True),
                           n_children=Count("members", filter=Q(members__kind=MemberKind.CHILD), distinct=True)))
    counts = {op.pk: (op.n_people, op.n_children) for op in ops}  # type: ignore[attr-defined]
    year, month = _month(request, ops)
    first = dt.date(year, month, 1)
    prev_month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (first + dt.timedelta(days=32)).replace(day=1).strftime("%Y-%m")
    return render(request, "returns/operations.html", {
        "rows": [(op, *counts[op.pk]) for op in ops], "statuses": OperationStatus.choices, "status": status,
        "weeks": diagram.month(ops, year, month), "month_start": first, "prev_month": prev_month,
        "next_month": next_month, "can_manage": access.manages_returns(user),
    })


@page(access.manages_returns)
def operation_create(request: AuthedRequest) -> HttpResponse:
    form = forms.OperationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            op = services.create_operation(request.user, **form.cleaned_data)
        except InputError as exc:
            for field, errs in exc.errors.items():
                for err in errs:
                    form.add_error(field if field in form.fields else None, err)
        else:
            messages.success(request, _("Operation #%(id)s created.") % {"id": op.pk})
            return redirect("returns:operation", op.pk)
    return render(request, "returns/operation_form.html", {"form": form},
                  status=422 if form.is_bound and form.errors else 200)


def _member_rows(user: Actor, op: ReturnOperation) -> list[dict[str, Any]]:
    visible = {m.pk for m in manifest.visible_members(user, op)}
    out = []
    for m in manifest.ordered_members(op):
        row: dict[str, Any] = {"member": m, "visible": m.pk in visible, "flagged": False, "custodian": None}
        if m.case is not None:
            row["flagged"] = checklist.is_flagged(m.case)
            row["custodian"] = services.custodian(m.case)
            row["needs"] = bool(m.case.child.medical_needs.strip() or m.case.child.disability.strip())
        else:
            row["needs"] = bool(m.medical_support)
        out.append(row)
    return out


def _operation_context(request: AuthedRequest, op: ReturnOperation, **bound: Any) -> dict[str, Any]:
    from homeward.ui.places import known_places

    user = request.user
    manage = access.manages_returns(user)
    ctx: dict[str, Any] = {
        "op": op, "members": _member_rows(user, op), "legs": list(op.legs.order_by("sequence")),
        "hosting": list(op.hosting.select_related("host")),
        "handovers": list(op.handovers.select_related("from_party", "to_party").prefetch_related("signatures")),
        "route": diagram.route(op), "medical": services.medical_summary(op, user), "can_manage": manage,
        "transit": services.transit_countries(op),
        "people": op.members.count(), "children": op.members.filter(kind=MemberKind.CHILD).count(),
        "status_moves": [(dst, OperationStatus(dst).label, need) for (src, dst), need
                         in services.OPERATION_TRANSITIONS.items() if src == op.status] if manage else [],
        "open_form": next(iter(bound), ""),
    }
    if manage:
        points = services.route_points(op)
        ctx["candidates"] = picker_cases(user, "")
        ctx["person_form"] = bound.get("person") or forms.PersonForm(prefix="person")
        ctx["leg_form"] = bound.get("leg") or forms.LegForm(prefix="leg")
        ctx["hosting_form"] = bound.get("hosting") or forms.HostingForm(prefix="hosting", points=points)
        ctx["handover_form"] = bound.get("handover") or forms.HandoverForm(prefix="handover", points=points)
        ctx["route_points"] = points
        ctx["known_places"] = known_places()
        ctx["leg_unmet"] = {leg.pk: services.leg_start_unmet(leg) for leg in ctx["legs"] if leg.status == "planned"}
    return ctx


PICKER_SIZE = 200


def picker_cases(user: Actor, q: str) -> list[Case]:
    """The child picker of an operation: cases cleared for return and in no other live operation, in the
    user's scope; with ``q``, those whose child's name matches it in any script, scheme or form, best first
    (each child carrying ``search_hit``)."""
    from homeward.registry import search

    busy = Member.objects.filter(case__isnull=False, operation__status__in=("planning", "confirmed", "under_way"))
    cases = access.return_cases(user).filter(status=CaseStatus.CLEARED_FOR_RETURN).exclude(
        pk__in=busy.values_list("case_id", flat=True))
    found = search.search(access.children(user).filter(case__in=cases).select_related("case"), q) if q else None
    if found is None:
        return list(cases.select_related("child")[:PICKER_SIZE])
    out = []
    for child in found[:PICKER_SIZE]:
        case = child.case
        case.child = child  # keeps the child's search_hit for the option's text
        out.append(case)
    return out


@page(access.manages_returns)
def child_picker(request: AuthedRequest, pk: int) -> HttpResponse:
    """The picker's options for ``?q=`` (search as you type on the operation page)."""
    op = _operation(request, pk)
    candidates = picker_cases(request.user, (request.GET.get("q") or "").strip())
    audit.read(request, "child", [c.child for c in candidates])
    return render(request, "returns/_child_picker.html", {"op": op, "candidates": candidates})


@page()
def operation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    op = _operation(request, pk)
    audit.record(request.user, "view", op)
    return render(request, "returns/operation.html", _operation_context(request, op))


def _expected(request: AuthedRequest) -> int | None:
    """The version the form was made from (its hidden ``version`` field); ``None`` when it has none. A
    value that is not a version is no version any record has: the edit is refused as stale."""
    raw = request.POST.get("version")
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        return 0
    return value if 0 < value < 2**31 else 0


def _post_action(request: AuthedRequest, op: ReturnOperation, action: Callable[[], Any], success: str) -> HttpResponse:
    try:
        action()
        messages.success(request, success)
    except HomewardError as exc:
        _report(request, exc)
    return redirect("returns:operation", op.pk)


def _form_action(request: AuthedRequest, pk: int, form_class: Any, prefix: str, action: Callable[..., Any],
                 invalid: str, success: str) -> HttpResponse:
    """Validate a form posted from the operation page and hand its data to a service. On any error the page
    is shown again with the form as typed and the errors on its fields: nothing typed is lost."""
    op = _operation(request, pk)
    extra = {"points": services.route_points(op)} if form_class in (forms.HostingForm, forms.HandoverForm) else {}
    form = form_class(request.POST, prefix=prefix, **extra)
    if form.is_valid():
        try:
            action(request.user, op, expected_version=_expected(request), **form.cleaned_data)
        except InputError as exc:
            for field, errs in exc.errors.items():
                for err in errs:
                    form.add_error(field if field in form.fields else None, err)
        except HomewardError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, success)
            return redirect("returns:operation", op.pk)
    messages.error(request, invalid)
    op.refresh_from_db()
    return render(request, "returns/operation.html", _operation_context(request, op, **{prefix: form}), status=422)


@page(access.manages_returns)
@require_POST
def operation_status(request: AuthedRequest, pk: int) -> HttpResponse:
    op = _operation(request, pk)
    target = request.POST.get("to", "")
    return _post_action(request, op, lambda: services.set_status(request.user, op, target,
                                                                 reason=request.POST.get("reason", ""),
                                                                 expected_version=_expected(request)),
                        _("Operation status changed."))


@page(access.manages_returns)
@require_POST
def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    op = _operation(request, pk)
    case = access.get(access.return_cases(request.user), request.POST.get("case_id"))
    return _post_action(request, op, lambda: services.add_child(request.user, op, case,
                                                                    expected_version=_expected(request)),
                        _("Case #%(id)s added.") % {"id": case.pk})


@page(access.manages_returns)
@require_POST
def person_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _form_action(request, pk, forms.PersonForm, "person", services.add_person,
                        _("The person was not added: check the fields."), _("Member added."))


@page(access.manages_returns)
@require_POST
def member_remove(request: AuthedRequest, pk: int, member_pk: int) -> HttpResponse:
    op = _operation(request, pk)
    member = access.get(op.members.all(), member_pk)
    return _post_action(request, op, lambda: services.remove_member(request.user, member,
                                                                        expected_version=_expected(request)),
                        _("Member removed."))


@page(access.manages_returns)
@require_POST
def leg_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _form_action(request, pk, forms.LegForm, "leg", services.add_leg,
                        _("The leg was not added: check the fields."), _("Leg added."))


def _leg(op: ReturnOperation, n: Any) -> Leg:
    try:
        return op.legs.get(sequence=int(n))
    except (ValueError, Leg.DoesNotExist):
        raise NotFound() from None


@page(access.manages_returns)
@require_POST
def leg_start(request: AuthedRequest, pk: int, n: int) -> HttpResponse:
    op = _operation(request, pk)
    leg = _leg(op, n)
    if not confirm.confirmed(request):
        return confirm.page(
            request, title=_("Start leg %(n)s?") % {"n": leg.sequence},
            consequences=[_("Leg %(n)s, %(a)s → %(b)s, is recorded as departed now.") % {
                "n": leg.sequence, "a": leg.from_place, "b": leg.to_place},
                _("Every child on board moves to “In transit”.")],
            action=_("Start leg %(n)s") % {"n": leg.sequence}, cancel=reverse("returns:operation", args=[op.pk]),
            ledger=True)
    return _post_action(request, op, lambda: services.start_leg(request.user, leg),
                        _("Leg %(n)s started.") % {"n": leg.sequence})


@page(access.manages_returns)
@require_POST
def leg_arrive(request: AuthedRequest, pk: int, n: int) -> HttpResponse:
    op = _operation(request, pk)
    leg = _leg(op, n)
    if not confirm.confirmed(request):
        return confirm.page(
            request, title=_("Record the arrival of leg %(n)s?") % {"n": leg.sequence},
            consequences=[_("Leg %(n)s is recorded as arrived at %(b)s now.") % {"n": leg.sequence,
                                                                               "b": leg.to_place}],
            action=_("Record the arrival"), cancel=reverse("returns:operation", args=[op.pk]), ledger=True)
    return _post_action(request, op, lambda: services.arrive_leg(request.user, leg),
                        _("Leg %(n)s arrived.") % {"n": leg.sequence})


@page(access.manages_returns)
@require_POST
def hosting_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _form_action(request, pk, forms.HostingForm, "hosting", services.add_hosting,
                        _("The hosting period was not added: check the fields."), _("Hosting period added."))


@page(access.manages_returns)
@require_POST
def handover_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _form_action(request, pk, forms.HandoverForm, "handover", services.add_handover,
                        _("The hand-over was not added: check the fields."), _("Hand-over planned."))


@page()
def leg_manifest(request: AuthedRequest, pk: int, n: int) -> HttpResponse:
    op = _operation(request, pk)
    leg = _leg(op, n)
    pdf = manifest.render(request.user, op, leg)
    audit.record(request.user, "export", op)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="manifest-op{op.pk}-leg{leg.sequence}.pdf"'
    return response


# --- sign-off ----------------------------------------------------------------------------------------


def handover_context(user: User, h: Any) -> dict[str, Any]:
    visible = set(access.cases(user).values_list("pk", flat=True).filter(
        pk__in=[c.pk for c in services.handover_cases(h)]))
    return {
        "h": h, "op": h.operation,
        "cases": [(c, c.pk in visible) for c in services.handover_cases(h)],
        "signatures": list(h.signatures.select_related("party", "signed_by")),
        "sides": [(s, Side(s).label) for s in services.sides_for(user, h)],
        "unmet": services.signing_unmet(h) if not h.complete else [],
    }


@page()
def handover(request: AuthedRequest, pk: int) -> HttpResponse:
    h = access.get(access.handovers(request.user), pk)
    if request.method == "POST":
        if request.POST.get("confirm") != "on":
            messages.error(request, _("Tick the confirmation first: nothing was signed."))
            return redirect("returns:handover", h.pk)
        try:
            ids = [int(x) for x in request.POST.getlist("case_ids")]
            services.sign(request.user, h, request.POST.get("side", ""), case_ids=ids)
            messages.success(request, _("Signed."))
        except HomewardError as exc:
            _report(request, exc)
        except ValueError:
            messages.error(request, _("The form was incomplete."))
        return redirect("returns:handover", h.pk)
    audit.record(request.user, "view", h)
    return render(request, "returns/handover.html", handover_context(request.user, h))


# --- verification ------------------------------------------------------------------------------------


@page()
def verification(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access.get(access.return_cases(request.user), pk)
    audit.record(request.user, "view", case)
    return render(request, "returns/verification.html", {
        "case": case, "child": case.child, "rows": checklist.rows(case),
        "exceptions": list(VerificationException.objects.filter(case=case).select_related("recorded_by")),
        "unmet": checklist.unmet(case), "form": forms.DocumentForm(),
        "can_confirm": access.manages_returns(request.user),
        "can_upload": access.may_edit(request.user, case),
        "items": Item.choices, "custody": services.custody_chain(case),
    })


@page()
@require_POST
def document_add(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access.get(access.return_cases(request.user), pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The document was not recorded: check the fields."))
    else:
        upload = form.cleaned_data.get("file")
        try:
            services.add_document(request.user, case, form.cleaned_data["item"], form.cleaned_data["kind"],
                                  description=form.cleaned_data["description"],
                                  data=upload.read() if upload else None,
                                  content_type=getattr(upload, "content_type", "") if upload else "")
            messages.success(request, _("Document recorded."))
        except HomewardError as exc:
            _report(request, exc)
    return redirect("returns:verification", case.pk)


@page(access.manages_returns)
@require_POST
def item_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access.get(access.return_cases(request.user), pk)
    try:
        services.confirm_item(request.user, case, request.POST.get("item", ""), notes=request.POST.get("notes", ""))
        messages.success(request, _("Item confirmed."))
    except HomewardError as exc:
        _report(request, exc)
    return redirect("returns:verification", case.pk)


@page(access.manages_returns)
@require_POST
def exception_add(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access.get(access.return_cases(request.user), pk)
    try:
        services.record_exception(request.user, case, request.POST.get("justification", ""),
                                  request.POST.getlist("items") or None)
        messages.success(request, _("Exception recorded; the case stays flagged."))
    except HomewardError as exc:
        _report(request, exc)
    return redirect("returns:verification", case.pk)


@page()
def document_file(request: AuthedRequest, pk: int) -> HttpResponse:
    doc = access.get(access.evidence_documents(request.user), pk)
    access.require(doc.has_file)
    audit.record(request.user, "download", doc)
    response = HttpResponse(files.load(doc.stored_name), content_type=doc.content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="evidence-{doc.pk}"'
    return response


# --- follow-up ---------------------------------------------------------------------------------------


@page(access.uses_returns)
def follow_ups(request: AuthedRequest) -> HttpResponse:
    user = request.user
    qs = access.follow_ups(user)
    show = request.GET.get("show", "open")
    if show == "open":
        qs = qs.filter(status=FollowUpStatus.SCHEDULED, case__status=CaseStatus.REUNITED)
    elif show == "overdue":
        qs = qs.filter(status=FollowUpStatus.SCHEDULED, case__status=CaseStatus.REUNITED,
                       due__lt=timezone.localdate())
    elif show == "support":
        qs = qs.filter(further_support=True)
    elif show == "mine":
        qs = qs.filter(status=FollowUpStatus.SCHEDULED, case__status=CaseStatus.REUNITED, case__caseworker=user)
    page = Paginator(qs.order_by("due", "id"), 25).get_page(request.GET.get("page"))
    audit.read(request, "followup", page.object_list)
    closable: list[tuple[Case, list[str]]] = []
    if access.manages_returns(user):
        reunited = access.return_cases(user).filter(status=CaseStatus.REUNITED).select_related("child")
        ready = [c for c in reunited if not checklist.closure_gate(c)]
        closable = [(c, []) for c in ready[:25]]
    return render(request, "returns/follow_ups.html", {
        "items": list(page), "page": page, "query": f"show={show}", "show": show, "outcomes": Outcome.choices,
        "today": timezone.now().date(), "can_close": access.manages_returns(user), "closable": closable,
    })


@page()
@require_POST
def follow_up_record(request: AuthedRequest, pk: int) -> HttpResponse:
    fu = access.get(access.follow_ups(request.user), pk)
    form = forms.FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The visit was not recorded: check the fields."))
    else:
        try:
            services.record_follow_up(request.user, fu, expected_version=_expected(request), **form.cleaned_data)
            messages.success(request, _("Visit recorded."))
        except HomewardError as exc:
            _report(request, exc)
    return redirect("returns:follow_ups")


@page(access.manages_returns)
@require_POST
def case_close(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access.get(access.return_cases(request.user), pk)
    reason = request.POST.get("reason", "")
    if not confirm.confirmed(request):
        if not reason.strip():
            try:
                registry_services.check_transition(request.user, case, CaseStatus.CLOSED)
            except TransitionError as exc:
                _report(request, exc)
                return redirect("returns:follow_ups")
        return confirm.page(
            request, title=_("Close case #%(id)s?") % {"id": case.pk},
            consequences=[_("The case moves to “%(dst)s”; no further follow-up visit is expected.")
                          % {"dst": CaseStatus.CLOSED.label}]
            + ([_("Reason: %(r)s") % {"r": request.POST.get("reason", "")}] if request.POST.get("reason") else []),
            action=_("Close the case"), cancel=reverse("returns:follow_ups"), ledger=True)
    try:
        services.close_case(request.user, case, reason=request.POST.get("reason", ""))
        messages.success(request, _("Case #%(id)s closed.") % {"id": case.pk})
    except (TransitionError, ConflictError, InputError) as exc:
        _report(request, exc)
    return redirect("returns:follow_ups")
