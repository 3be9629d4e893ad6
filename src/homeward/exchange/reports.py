"""The reconciliation report of a list version: counts per status, the per-name table, pending items
with their age, and the ledger evidence of the submission. Built for one user (their scope) and
rendered as a page, CSV, XLSX (openpyxl) and PDF (reportlab). Spreadsheet formulas are neutralised
(``homeward.exports``); an export never shows more than the report page shows the same user.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward import access, exports
from homeward.access import Viewer
from homeward.exchange.models import EntryResponse, ListEntry, ListVersion, ResponseStatus

PENDING = "pending"
NOT_FORWARDED = "not_forwarded"


def status_label(code: str) -> str:
    if code == PENDING:
        return _("Awaiting answer")
    if code == NOT_FORWARDED:
        return _("Not forwarded")
    return str(ResponseStatus(code).label) if code in ResponseStatus.values else code


@dataclass
class Row:
    entry: ListEntry
    status: str
    forwarded_at: datetime | None
    answered_at: datetime | None
    age_days: int | None
    whereabouts: str
    whereabouts_restricted: bool
    note: str

    @property
    def status_label(self) -> str:
        return status_label(self.status)


@dataclass
class Evidence:
    index: int | None
    entry_text: str = ""
    leaf_hash: str = ""
    tree_size: int | None = None
    root: str = ""
    proof: list[str] = field(default_factory=list)
    verified: bool = False
    problem: str = ""


@dataclass
class Report:
    version: ListVersion
    rows: list[Row]
    counts: list[tuple[str, str, int]]  # (code, label, n)
    pending: list[Row]
    evidence: Evidence
    generated_at: datetime
    # The mediator or the submitting party: it also sees what the page shows only to them (the file size).
    full: bool = False

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def answered(self) -> int:
        return sum(1 for r in self.rows if r.status not in (PENDING, NOT_FORWARDED))


def evidence_for(version: ListVersion) -> Evidence:
    """Entry bytes, leaf hash and an inclusion proof against a signed checkpoint, checked here."""
    from homeward.ledger import merkle, service, storage
    from homeward.ledger.errors import LedgerError
    from homeward.ledger.models import Checkpoint, LedgerEntry

    if version.ledger_index is None:
        return Evidence(None, problem=_("No ledger entry."))
    entry = LedgerEntry.objects.filter(index=version.ledger_index).first()
    if entry is None:
        return Evidence(version.ledger_index, problem=_("The ledger entry is missing."))
    ev = Evidence(entry.index, entry.text, bytes(entry.leaf_hash).hex())
    try:
        cp = Checkpoint.objects.filter(size__gt=entry.index).order_by("-id").first() or service.make_checkpoint()
        if cp is None or cp.size <= entry.index:
            ev.problem = _("No signed checkpoint covers this entry yet.")
            return ev
        proof = storage.inclusion_proof(entry.index, cp.size)
        merkle.verify_inclusion(bytes(entry.leaf_hash), entry.index, cp.size, proof, bytes(cp.root))
        ev.tree_size, ev.root, ev.proof, ev.verified = cp.size, bytes(cp.root).hex(), [p.hex() for p in proof], True
    except LedgerError as exc:
        ev.problem = str(exc)
    return ev


def with_answers(entries: QuerySet[ListEntry]) -> QuerySet[ListEntry]:
    """``entries`` with their answers, latest first, fetched in one query for whatever slice is taken."""
    return entries.prefetch_related(
        Prefetch("responses", queryset=EntryResponse.objects.order_by("-at", "-id"), to_attr="ordered_responses"))


def row_of(user: Viewer, e: ListEntry, now: datetime) -> Row:
    """One name's line as ``user`` may see it (an entry of :func:`with_answers`)."""
    ordered: list[EntryResponse] = getattr(e, "ordered_responses", [])
    latest = ordered[0] if ordered else None
    fwd_at = e.forwarding.at if e.forwarding is not None else None
    if latest is not None:
        status = latest.status
    else:
        status = PENDING if fwd_at else NOT_FORWARDED
    age = (now - fwd_at).days if status == PENDING and fwd_at else None
    visible = latest is not None and access.sees_whereabouts(user, latest)
    return Row(e, status, fwd_at, latest.at if latest else None, age,
               latest.whereabouts if visible and latest else "",
               bool(latest and latest.whereabouts and not visible), latest.note if latest else "")


def build(user: Viewer, version: ListVersion, *, now: datetime | None = None) -> Report:
    now = now or timezone.now()
    qs = with_answers(access.entries(user).filter(version=version))
    rows = [row_of(user, e, now) for e in qs.order_by("row")]
    order = [NOT_FORWARDED, PENDING, *ResponseStatus.values]
    counts = [(code, status_label(code), sum(1 for r in rows if r.status == code)) for code in order]
    pending = sorted((r for r in rows if r.status == PENDING), key=lambda r: -(r.age_days or 0))
    full = access.is_submitter(user, version) or access.is_mediator(user)
    return Report(version, rows, counts, pending, evidence_for(version), now, full=full)


# --- exports ------------------------------------------------------------------------------------


def _headers() -> list[str]:
    return [_("Row"), _("Record number"), _("Surname"), _("Given name"), _("Patronymic"), _("Birth date"), _("Sex"),
            _("Birth place"), _("Status"), _("Forwarded"), _("Answered"), _("Days pending"), _("Whereabouts"),
            _("Note"), _("Homeward id")]


def _cells(r: Row) -> list[Any]:
    e = r.entry
    where = r.whereabouts or (_("restricted") if r.whereabouts_restricted else "")
    return [e.row, e.record_id, e.surname, e.given_name, e.patronymic,
            e.birth_date.isoformat() if e.birth_date else "", e.sex, e.birth_place, r.status_label,
            r.forwarded_at.strftime("%Y-%m-%d") if r.forwarded_at else "",
            r.answered_at.strftime("%Y-%m-%d") if r.answered_at else "",
            "" if r.age_days is None else r.age_days, where, r.note, e.pk]


def _summary(rep: Report) -> list[tuple[str, Any]]:
    v = rep.version
    ev = rep.evidence
    return [
        (_("List"), f"#{v.party_list_id} {v.party_list.title}"),
        (_("Version"), v.number),
        (_("Submitted by"), v.party_list.party.code),
        (_("Concerning"), v.party_list.concerning.code),
        (_("Submitted at"), v.uploaded_at.strftime("%Y-%m-%d %H:%M UTC")),
        (_("File SHA-256"), v.sha256),
        *([(_("File size (bytes)"), v.size)] if rep.full else []),
        (_("Signed by"), v.signature_key or "-"),
        (_("Ledger entry"), "-" if ev.index is None else ev.index),
        (_("Leaf hash"), ev.leaf_hash),
        (_("Checkpoint tree size"), ev.tree_size or "-"),
        (_("Checkpoint root"), ev.root),
        (_("Inclusion proof"), " ".join(ev.proof)),
        (_("Inclusion verified"), _("yes") if ev.verified else (ev.problem or _("no"))),
        (_("Generated at"), rep.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
    ]


def to_csv(rep: Report) -> bytes:
    return exports.csv_bytes(_headers(), (_cells(r) for r in rep.rows))


def to_xlsx(rep: Report) -> bytes:
    return exports.xlsx_bytes([
        (_("Names"), [_headers(), *(_cells(r) for r in rep.rows)]),
        (_("Counts"), [[_("Status"), _("Names")], *([label, n] for _code, label, n in rep.counts)]),
        (_("Evidence"), [[str(k), v if isinstance(v, int) else str(v)] for k, v in _summary(rep)]),
    ])


_FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf")


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "HomewardSans" in pdfmetrics.getRegisteredFontNames():
        return "HomewardSans"
    for p in _FONT_PATHS:
        if Path(p).exists():
            pdfmetrics.registerFont(TTFont("HomewardSans", p))
            return "HomewardSans"
    return "Helvetica"  # no Cyrillic glyphs; install fonts-dejavu-core


def to_pdf(rep: Report) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    styles = getSampleStyleSheet()
    for s in styles.byName.values():
        s.fontName = font
    small = styles["BodyText"].clone("small", fontSize=7, leading=9)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=_("Reconciliation report"))
    v = rep.version
    story: list[Any] = [Paragraph(escape(_("Reconciliation report: list #%(l)s, version %(v)s")
                                         % {"l": v.party_list_id, "v": v.number}), styles["Heading1"])]
    summary = Table([[Paragraph(escape(str(k)), small), Paragraph(escape(str(val)), small)]
                     for k, val in _summary(rep)], colWidths=[45 * mm, 220 * mm])
    summary.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [summary, Spacer(1, 4 * mm), Paragraph(escape(_("Counts")), styles["Heading2"])]
    counts = Table([[escape(label), str(n)] for _c, label, n in rep.counts])
    counts.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8)]))
    story += [counts, Spacer(1, 4 * mm), Paragraph(escape(_("Names")), styles["Heading2"])]
    data = [[Paragraph(escape(str(h)), small) for h in _headers()]]
    data += [[Paragraph(escape(str(c)), small) for c in _cells(r)] for r in rep.rows]
    table = Table(data, repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    doc.build(story)
    return out.getvalue()


def rejected_rows_csv(version: ListVersion) -> bytes:
    """The row report of a version accepted with valid rows only: row, field, column, problem."""
    from homeward.exchange.importer import Problem, problems_csv

    problems = [Problem.from_dict(p) for r in version.rejected_rows.all() for p in r.reasons]
    return problems_csv(problems).encode("utf-8")
