"""List exchange pages: upload → preview with mapping → confirm; versions, diff, forwarding,
answers, match review and the reconciliation report. Who sees what in ``homeward.access``, writes in
``services``.

URLs carry ids and random tokens only, never personal data.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from homeward import access
from homeward.access import AuthedRequest, page
from homeward.accounts import audit
from homeward.accounts.models import Party, User
from homeward.exceptions import FileInputError, InputError
from homeward.exchange import diff, importer, matching, progress, reports, services
from homeward.exchange.models import (
    EntryResponse,
    ListEntry,
    ListVersion,
    PendingUpload,
    ResponseStatus,
)
from homeward.registry import search as name_search
from homeward.ui import confirm

PREVIEW_ROWS = 10
PENDING_LIFETIME = timedelta(days=1)
PAGE_SIZE = 100
LISTS_PAGE_SIZE = 25  # the list index


def _error_text(exc: InputError) -> str:
    if isinstance(exc, FileInputError):
        where = []
        if exc.row is not None:
            where.append(_("row %(n)s") % {"n": exc.row})
        if exc.field:
            where.append(_("field “%(f)s”") % {"f": exc.field})
        return (", ".join(where) + ": " if where else "") + exc.problem
    return " ".join(m for msgs in exc.errors.values() for m in msgs) or str(exc)


# --- index --------------------------------------------------------------------------------------


@page(access.uses_lists)
def lists(request: AuthedRequest) -> HttpResponse:
    user = request.user
    todo = request.GET.get("todo", "")
    pager = None
    if todo == "forward" and access.is_mediator(user):
        rows = [p for p in progress.for_user(user) if p.total > p.forwarded]
    elif todo == "answer":
        rows = [p for p in progress.for_user(user)
                if p.party_list.concerning_id == user.party_id and p.forwarded > p.answered]
    else:
        # Every list, a page at a time: the figures (three queries) for the page's lists only, so the page costs
        # the same however many lists the parties have exchanged.
        todo = ""
        pager = Paginator(progress.listed(user), LISTS_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = progress.for_user(user, plists=list(pager.object_list))
    return render(request, "exchange/lists.html", {
        "progress": rows, "todo": todo, "page": pager, "query": "",
        "rejections": access.rejections(request.user)[:10],
        "may_upload": True,
    })


@page(access.uses_lists)
def entries_search(request: AuthedRequest) -> HttpResponse:
    """Names across every list the caller may see, found by name in any script, scheme or form."""
    q = (request.GET.get("q") or "").strip()
    found = name_search.search(access.entries(request.user), q) if q else None
    page = Paginator(found if found is not None else ListEntry.objects.none(), PAGE_SIZE).get_page(
        request.GET.get("page"))
    audit.read(request, "listentry", page.object_list)
    return render(request, "exchange/search.html", {"page": page, "q": q, "query": urlencode({"q": q})})


# --- upload, preview, confirm -------------------------------------------------------------------


class UploadForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("List title"), max_length=200,
                            help_text=gettext_lazy("Uploading again under the same title makes a new version."))
    file = forms.FileField(label=gettext_lazy("List file"),
                           help_text=gettext_lazy("CSV (UTF-8 or cp1251, comma or semicolon), XLSX or JSON."))
    party = forms.ModelChoiceField(label=gettext_lazy("Submitting party"), queryset=Party.objects.none(),
                                   required=False)
    concerning = forms.ModelChoiceField(label=gettext_lazy("Concerning party"), queryset=Party.objects.none(),
                                        required=False)
    signature = forms.FileField(label=gettext_lazy("Detached signature (optional)"), required=False,
                                help_text=gettext_lazy("Made with: homeward sign FILE --key KEY"))

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authorities = Party.objects.filter(kind="authority")
        self.fields["concerning"].queryset = authorities  # type: ignore[attr-defined]
        if access.is_mediator(user):
            self.fields["party"].queryset = authorities  # type: ignore[attr-defined]
            self.fields["party"].required = True
        else:
            del self.fields["party"]
            self.fields["concerning"].queryset = authorities.exclude(users=user)  # type: ignore[attr-defined]


@page(access.uses_lists)
def upload(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = UploadForm(user, request.POST or None, request.FILES or None,
                      initial={"title": request.GET.get("title", "")[:200]})
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        party = form.cleaned_data.get("party") or user.party
        assert party is not None  # a mediator chooses one; an officer has its own
        concerning = form.cleaned_data.get("concerning") or services.other_party(party)
        if f.size > importer.max_bytes():
            form.add_error("file", _("The file is larger than %(mb)s MB.") % {"mb": importer.max_bytes() // 2**20})
        elif concerning is None or concerning.pk == party.pk:
            form.add_error("concerning", _("Choose the other party this list concerns."))
        else:
            data = f.read()
            sig = form.cleaned_data.get("signature")
            try:
                importer.read_table(data, f.name)
                sig_text = sig.read(64_000).decode("utf-8") if sig else ""
            except FileInputError as exc:
                form.add_error("file", _error_text(exc))
            except UnicodeDecodeError:
                form.add_error("signature", _("The signature file is not text."))
            else:
                PendingUpload.objects.filter(user=user).delete()  # one pending upload per user
                PendingUpload.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()
                pending = PendingUpload.objects.create(
                    user=user, party=party, concerning=concerning, title=form.cleaned_data["title"],
                    filename=f.name[-200:], content=data, signature=sig_text)
                return redirect("exchange:preview", pending.token)
    titles = access.lists(user).values_list("title", flat=True) if access.is_mediator(user) \
        else access.lists(user).filter(party__users=user).values_list("title", flat=True)
    return render(request, "exchange/upload.html", {"form": form, "titles": list(titles)},
                  status=422 if form.is_bound and form.errors else 200)


def _pending(request: AuthedRequest, token: str) -> PendingUpload:
    try:
        return PendingUpload.objects.select_related("party", "concerning").get(token=token, user=request.user)
    except (PendingUpload.DoesNotExist, ValueError):
        raise access.NotFound() from None


@page(access.uses_lists)
def preview(request: AuthedRequest, token: str) -> HttpResponse:
    pending = _pending(request, token)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "cancel":
            pending.delete()
            messages.info(request, _("Upload cancelled; nothing was stored."))
            return redirect("exchange:lists")
        if action in ("remap", "confirm"):
            pending.mapping = {f: request.POST.get("map_" + f, "") for f in importer.FIELDS}
            pending.save(update_fields=["mapping"])
        if action == "confirm":
            try:
                outcome = services.import_list(
                    request.user, party=pending.party, title=pending.title, filename=pending.filename,
                    data=bytes(pending.content), concerning=pending.concerning, mapping=pending.mapping,
                    accept_valid=request.POST.get("accept_valid") == "1", signature=pending.signature)
            except InputError as exc:
                messages.error(request, _error_text(exc))
                return redirect("exchange:preview", pending.token)
            pending.delete()
            if outcome.version is not None:
                messages.success(request, _("Version %(n)s of the list imported: %(a)s names.")
                                 % {"n": outcome.version.number, "a": outcome.version.accepted_count})
                return redirect("exchange:version", outcome.version.pk)
            assert outcome.rejection is not None
            messages.error(request, _("The file was rejected; nothing of it was stored."))
            return redirect("exchange:rejection", outcome.rejection.pk)
        return redirect("exchange:preview", pending.token)
    try:
        table, mapping, check = services.prepare(bytes(pending.content), pending.filename, pending.mapping or None)
    except FileInputError as exc:
        pending.delete()
        messages.error(request, _error_text(exc))
        return redirect("exchange:upload")
    from homeward.registry import duplicates

    repeats = duplicates.check_rows(request.user, pending.party, [(r.row, r.values) for r in check.valid])
    first_numbers = {n for n, _cells in table.rows[:PREVIEW_ROWS]}
    first = sorted((r for r in check.valid + check.invalid if r.row in first_numbers), key=lambda r: r.row)
    problem_rows = {p.row for p in check.problems}
    return render(request, "exchange/preview.html", {
        "pending": pending, "table": table, "headers": list(enumerate(table.headers)),
        "mapping_rows": [(f, importer.FIELD_LABELS[f], mapping.get(f)) for f in importer.FIELDS],
        "raw_rows": [(n, cells) for n, cells in table.rows[:PREVIEW_ROWS]],
        "parsed": first[:PREVIEW_ROWS], "problem_rows": problem_rows,
        "problems": check.problems[:500], "problem_count": len(check.problems),
        "valid_count": len(check.valid), "invalid_count": len(check.invalid), "total": check.total,
        "has_name": mapping.get("surname") is not None or mapping.get("full_name") is not None,
        "repeats": repeats, "repeat_rows": repeats.flagged()[:100],
    })


@page(access.uses_lists)
def preview_report(request: AuthedRequest, token: str) -> HttpResponse:
    """The row report of an upload not yet confirmed (row, field, column, problem)."""
    pending = _pending(request, token)
    try:
        _table, _mapping, check = services.prepare(bytes(pending.content), pending.filename, pending.mapping or None)
    except FileInputError:
        raise access.NotFound() from None
    return _download(importer.problems_csv(check.problems).encode("utf-8"), "row-report.csv", "text/csv; charset=utf-8")


@page(access.uses_lists)
def rejection(request: AuthedRequest, pk: int) -> HttpResponse:
    rej = access.get(access.rejections(request.user), pk)
    problems = [importer.Problem.from_dict(p) for p in rej.reasons]
    return render(request, "exchange/rejection.html", {"rejection": rej, "problems": problems})


@page(access.uses_lists)
def rejection_report(request: AuthedRequest, pk: int) -> HttpResponse:
    rej = access.get(access.rejections(request.user), pk)
    body = importer.problems_csv(importer.Problem.from_dict(p) for p in rej.reasons)
    audit.record(request.user, "export", rej)
    return _download(body.encode("utf-8"), f"rejection-{rej.pk}.csv", "text/csv; charset=utf-8")


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


# --- lists and versions -------------------------------------------------------------------------


@page(access.uses_lists)
def list_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plist = access.get(access.lists(request.user), pk)
    versions = access.versions(request.user).filter(party_list=plist).order_by("-number")
    submitter = access.is_mediator(request.user) or plist.party_id == request.user.party_id
    return render(request, "exchange/list.html", {
        "plist": plist, "versions": versions, "submitter": submitter,
        "rejections": plist.rejections.all()[:20] if submitter else [],
    })


def _version_context(request: AuthedRequest, version: ListVersion) -> dict[str, Any]:
    user = request.user
    qs = access.entries(user).filter(version=version).prefetch_related(
        Prefetch("responses", queryset=EntryResponse.objects.order_by("-at", "-id"), to_attr="ordered_responses"))
    show = request.GET.get("show", "")
    if show == "unforwarded" and access.is_mediator(user):
        qs = qs.filter(forwarding__isnull=True)
    elif show == "pending":
        qs = qs.filter(forwarding__isnull=False, responses__isnull=True)
    q = (request.GET.get("q") or "").strip()
    page = Paginator(name_search.filtered(qs.order_by("row"), q), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for e in page:
        latest = e.ordered_responses[0] if e.ordered_responses else None  # type: ignore[attr-defined]
        rows.append({"entry": e, "response": latest,
                     "whereabouts": latest.whereabouts if latest and access.sees_whereabouts(user, latest) else "",
                     "restricted": bool(latest and latest.whereabouts and not access.sees_whereabouts(user, latest)),
                     "status_label": reports.status_label(latest.status if latest else (
                         reports.PENDING if e.forwarding_id else reports.NOT_FORWARDED))})
    receiver = access.is_receiver(user, version)
    candidates = []
    if access.is_mediator(user):
        from homeward.linkage.views import describe_many

        pairs = list(matching.candidates_for(version)[:100])
        # both sides of every pair with one query per record type, not two queries per pair
        records = describe_many([ref for c in pairs for ref in ((c.left_type, c.left_id), (c.right_type, c.right_id))])
        candidates = [{"c": c, "entry": records.get((c.left_type, c.left_id)),
                       "target": records.get((c.right_type, c.right_id))} for c in pairs]
    return {
        "version": version, "plist": version.party_list, "page": page, "rows": rows, "show": show, "q": q,
        "query": urlencode({k: v for k, v in (("show", show if show in ("pending", "unforwarded") else ""),
                                              ("q", q)) if v}),
        "is_mediator": access.is_mediator(user), "receiver": receiver,
        "submitter": access.is_submitter(user, version) or access.is_mediator(user),
        "statuses": ResponseStatus.choices, "candidates": candidates,
        "previous": access.versions(user).filter(party_list=version.party_list, number__lt=version.number)
        .order_by("-number").first(),
        "unforwarded": ListEntry.objects.filter(version=version, forwarding__isnull=True).count()
        if access.is_mediator(user) else 0,
        "forwardings": version.forwardings.all() if access.is_mediator(user) or access.is_submitter(user, version)
        else version.forwardings.filter(to_party_id=user.party_id),
    }


@page(access.uses_lists)
def version_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    version = access.get(access.versions(request.user), pk)
    audit.record(request.user, "view", version)
    return render(request, "exchange/version.html", _version_context(request, version))


@page(access.uses_lists)
def version_file(request: AuthedRequest, pk: int) -> HttpResponse:
    version = access.get(access.versions(request.user), pk)
    access.require(access.is_mediator(request.user) or access.is_submitter(request.user, version))
    audit.record(request.user, "download", version)
    ext = {"xlsx": "xlsx", "json": "json"}.get(version.file_format, "csv")
    return _download(bytes(version.content), f"list-{version.party_list_id}-v{version.number}.{ext}",
                     "application/octet-stream")


@page(access.uses_lists)
def version_rejected(request: AuthedRequest, pk: int) -> HttpResponse:
    version = access.get(access.versions(request.user), pk)
    access.require(access.is_mediator(request.user) or access.is_submitter(request.user, version))
    audit.record(request.user, "export", version)
    return _download(reports.rejected_rows_csv(version), f"list-{version.party_list_id}-v{version.number}-rows.csv",
                     "text/csv; charset=utf-8")


@page(access.uses_lists)
@require_POST
def version_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    version = access.get(access.versions(request.user), pk)
    f = request.FILES.get("signature")
    try:
        text = f.read(64_000).decode("utf-8") if f else request.POST.get("signature_text", "")
        services.attach_signature(request.user, version, text)
        messages.success(request, _("Signature verified and attached."))
    except UnicodeDecodeError:
        messages.error(request, _("The signature file is not text."))
    except InputError as exc:
        messages.error(request, _error_text(exc))
    return redirect("exchange:version", version.pk)


@page(access.uses_lists)
@require_POST
def version_forward(request: AuthedRequest, pk: int) -> HttpResponse:
    version = access.get(access.versions(request.user), pk)
    access.require(access.is_mediator(request.user))
    ids = None if request.POST.get("scope") == "all" else [int(i) for i in request.POST.getlist("entry")
                                                             if i.isdigit()]
    pending = ListEntry.objects.filter(version=version, forwarding__isnull=True)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    n = pending.count()
    back = reverse("exchange:version", args=[version.pk])
    if n == 0:
        messages.error(request, _("Nothing to forward: choose names not yet forwarded."))
        return redirect(back)
    party = version.party_list.concerning.code
    if not confirm.confirmed(request):
        return confirm.page(
            request, title=_("Forward names to %(party)s?") % {"party": party},
            consequences=[
                ngettext("%(n)s name of “%(list)s” v%(v)s will be sent to %(party)s.",
                         "%(n)s names of “%(list)s” v%(v)s will be sent to %(party)s.", n)
                % {"n": n, "list": version.party_list.title, "v": version.number, "party": party},
                _("%(party)s's officers will see these names and can answer them; a forwarded name cannot be "
                  "recalled.") % {"party": party},
            ],
            items=[f"{e.row}: {e.full_name}" for e in pending.order_by("row")[:500]],
            action=ngettext("Forward %(n)s name to %(party)s", "Forward %(n)s names to %(party)s", n)
            % {"n": n, "party": party}, cancel=back, ledger=True)
    fwd = services.forward(request.user, version, ids, note=request.POST.get("note", ""))
    if fwd is None:
        messages.error(request, _("Nothing to forward: choose names not yet forwarded."))
    else:
        text = ngettext("%(n)s name forwarded to %(p)s.", "%(n)s names forwarded to %(p)s.", fwd.count)
        messages.success(request, text % {"n": fwd.count, "p": fwd.to_party.code})
    return redirect(back)


@page(access.uses_lists)
@require_POST
def version_respond(request: AuthedRequest, pk: int) -> HttpResponse:
    """One answer (``entry`` + ``status``) or the same answer for every checked name (``bulk``)."""
    version = access.get(access.versions(request.user), pk)
    if not access.is_receiver(request.user, version):
        raise access.NotFound
    back = reverse("exchange:version", args=[version.pk]) + "#names"
    visible = access.entries(request.user).filter(version=version, forwarding__to_party_id=request.user.party_id)
    ids = [int(i) for i in request.POST.getlist("entry") if i.isdigit()]
    if not ids:
        messages.error(request, _("Tick at least one name to answer."))
        return redirect(back)
    chosen = list(visible.filter(pk__in=ids).order_by("row"))
    if len(chosen) != len(set(ids)):
        raise access.NotFound
    status = request.POST.get("status", "")
    if status not in ResponseStatus.values:
        messages.error(request, _("Choose an answer first: nothing was recorded."))
        return redirect(back)
    answers = [services.Answer(e, status, request.POST.get("whereabouts", ""),
                               request.POST.get("note", "")) for e in chosen]
    if not confirm.confirmed(request):
        n = len(answers)
        label = ResponseStatus(status).label
        return confirm.page(
            request, title=_("Record these answers?"),
            consequences=[
                ngettext("%(n)s name will be answered “%(answer)s”.", "%(n)s names will be answered “%(answer)s”.",
                         n) % {"n": n, "answer": label},
                _("The answers go to the mediator, who reports them to %(party)s, the party that submitted the "
                  "list.") % {"party": version.party_list.party.code},
            ],
            items=[f"{e.row}: {e.full_name}" for e in chosen[:500]],
            action=ngettext("Record %(n)s answer", "Record %(n)s answers", n) % {"n": n}, cancel=back, ledger=True)
    try:
        services.respond(request.user, answers)
        messages.success(request, ngettext("%(n)s answer recorded.", "%(n)s answers recorded.", len(answers))
                         % {"n": len(answers)})
    except InputError as exc:
        messages.error(request, _error_text(exc))
    return redirect(back)


@page(access.uses_lists)
@require_POST
def version_responses_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    version = access.get(access.versions(request.user), pk)
    access.require(access.is_receiver(request.user, version))
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, _("Choose a response file."))
    elif (f.size or 0) > importer.max_bytes():
        messages.error(request, _("The file is larger than %(mb)s MB.") % {"mb": importer.max_bytes() // 2**20})
    else:
        try:
            answers = services.read_responses(request.user, version, f.read(), f.name or "responses")
            services.respond(request.user, answers)
            messages.success(request, ngettext("%(n)s answer recorded.", "%(n)s answers recorded.", len(answers))
                         % {"n": len(answers)})
        except InputError as exc:
            messages.error(request, _("The response file was not used: %(e)s") % {"e": _error_text(exc)})
    return redirect("exchange:version", version.pk)


DECISIONS = {"same": gettext_lazy("Same child"), "different": gettext_lazy("Different children"),
             "unsure": gettext_lazy("Unsure")}


@page(access.uses_lists)
@require_POST
def candidate_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    candidate = access.get(access.list_candidates(request.user), pk)
    entry = ListEntry.objects.filter(pk=candidate.left_id if candidate.left_type == matching.ENTRY
                                     else candidate.right_id).first()
    back = reverse("exchange:version", args=[entry.version_id]) if entry else reverse("exchange:lists")
    decision = request.POST.get("decision", "")
    if decision not in DECISIONS:
        messages.error(request, _("Choose a decision first: nothing was recorded."))
        return redirect(back)
    if not confirm.confirmed(request):
        consequences = [_("Decision: %(d)s.") % {"d": DECISIONS[decision]}]
        if decision == "same":
            consequences.append(_("The name on the list will be linked to the registry record of this child."))
        return confirm.page(request, title=_("Record this decision?"), consequences=consequences,
                            action=_("Record the decision"), cancel=back, ledger=True)
    try:
        child = matching.decide(request.user, candidate, decision, request.POST.get("reason", ""))
        messages.success(request, _("Decision recorded.") + (
            " " + _("Child #%(id)s linked.") % {"id": child.pk} if child is not None else ""))
    except InputError as exc:
        messages.error(request, _error_text(exc))
    return redirect(back)


# --- diff and report ----------------------------------------------------------------------------


@page(access.uses_lists)
def version_diff(request: AuthedRequest) -> HttpResponse:
    user = request.user
    a = access.get(access.versions(user), request.GET.get("a"))
    b = access.get(access.versions(user), request.GET.get("b"))
    access.require(a.party_list_id == b.party_list_id)
    old = list(access.entries(user).filter(version=a))
    new = list(access.entries(user).filter(version=b))
    audit.record(user, "diff", b)
    return render(request, "exchange/diff.html", {"a": a, "b": b, "plist": a.party_list,
                                                  "diff": diff.diff_entries(old, new)})


@page(access.uses_lists)
def version_report(request: AuthedRequest, pk: int) -> HttpResponse:
    version = access.get(access.versions(request.user), pk)
    audit.record(request.user, "report", version)
    rep = reports.build(request.user, version)
    return render(request, "exchange/report.html", {"report": rep, "version": version, "plist": version.party_list,
                                                    "submitter": access.is_mediator(request.user)
                                                    or access.is_submitter(request.user, version)})


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", reports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reports.to_xlsx),
    "pdf": ("application/pdf", reports.to_pdf),
}


@page(access.uses_lists)
def version_export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    version = access.get(access.versions(request.user), pk)
    access.require(fmt in EXPORTS)
    content_type, render_fn = EXPORTS[fmt]
    audit.record(request.user, "export", version)
    data = render_fn(reports.build(request.user, version))
    return _download(data, f"reconciliation-{version.party_list_id}-v{version.number}.{fmt}", content_type)
