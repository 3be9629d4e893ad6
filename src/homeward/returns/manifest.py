"""The printable manifest of one leg: who travels, with the minimum personal data needed.

Access: mediator roles see every member; a party officer (of a party that hands over or receives in
the operation) sees only its own children and adults. Every page carries a watermark naming the
viewer and the time, and the audit trail records each export.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from homeward import access
from homeward.access import Viewer
from homeward.returns.models import Leg, Member, MemberKind, ReturnOperation

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


@dataclass(frozen=True)
class Row:
    number: int
    kind: str
    reference: str
    name: str
    birth_date: str
    sex: str
    party: str
    medical: str


KIND_ORDER: dict[str, int] = {MemberKind.CHILD: 0, MemberKind.ADULT: 1, MemberKind.ESCORT: 2}


def ordered_members(op: ReturnOperation) -> list[Member]:
    """Children first, then accompanying adults, then escorts; each in the order they joined."""
    members = op.members.select_related("case", "case__child", "case__child__party", "party")
    return sorted(members, key=lambda m: (KIND_ORDER.get(m.kind, 9), m.added_at, m.pk))


def visible_members(viewer: Viewer | None, op: ReturnOperation) -> list[Member]:
    """The members whose line ``viewer`` may see (``None`` = the local operator of the command line)."""
    return access.visible_members(viewer, ordered_members(op))


def rows(viewer: Any, op: ReturnOperation) -> list[Row]:
    out = []
    for i, m in enumerate(visible_members(viewer, op), start=1):
        if m.kind == MemberKind.CHILD and m.case is not None:
            c = m.case.child
            born = c.birth_date.isoformat() if c.birth_date else (
                _("about %(n)s years") % {"n": c.estimated_age} if c.estimated_age is not None else "—")
            needs = bool(c.medical_needs.strip() or c.disability.strip() or m.medical_support)
            out.append(Row(i, str(MemberKind(m.kind).label), f"#{m.case_id}", c.full_name, born, c.sex,
                           c.party.code, _("yes") if needs else "—"))
        else:
            out.append(Row(i, str(MemberKind(m.kind).label), m.role or "—", m.full_name, "—", "—", m.party.code,
                           _("yes") if m.medical_support else "—"))
    return out


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "HomewardSans" in pdfmetrics.getRegisteredFontNames():
        return "HomewardSans"
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont("HomewardSans", path))
            return "HomewardSans"
    return "Helvetica"  # no Cyrillic glyphs: install fonts-dejavu-core


def watermark_text(viewer: Any, at: dt.datetime) -> str:
    who = f"{viewer.get_username()} ({viewer.party_code})" if viewer is not None else _("command line operator")
    return _("Viewed by %(who)s at %(at)s UTC — do not copy") % {"who": who, "at": at.strftime("%Y-%m-%d %H:%M")}


def render(viewer: Any, op: ReturnOperation, leg: Leg, at: dt.datetime | None = None) -> bytes:
    """The manifest as PDF bytes."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    when = at or timezone.now()
    font = _font()
    mark = watermark_text(viewer, when)
    data = rows(viewer, op)
    buf = io.BytesIO()
    width, height = landscape(A4)
    pdf = Canvas(buf, pagesize=(width, height), invariant=True)
    pdf.setTitle(_("Manifest — operation #%(op)s, leg %(n)s") % {"op": op.pk, "n": leg.sequence})
    pdf.setSubject(mark)
    cols = [(10, "#"), (36, _("Kind")), (44, _("Ref.")), (82, _("Name")), (28, _("Born")), (12, _("Sex")),
            (16, _("Party")), (30, _("Medical support"))]

    def fit(text: str, width_mm: float) -> str:
        """Cut ``text`` with an ellipsis so that it fits its column."""
        limit = width_mm * mm - 2 * mm
        if stringWidth(text, font, 9) <= limit:
            return text
        while text and stringWidth(text + "…", font, 9) > limit:
            text = text[:-1]
        return text + "…"


    def page_frame(page: int) -> float:
        pdf.saveState()
        pdf.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.13))
        pdf.setFont(font, 22)
        for y in range(0, int(height) + 200, 170):
            pdf.saveState()
            pdf.translate(-40, y - 100)
            pdf.rotate(25)
            pdf.drawString(0, 0, mark)
            pdf.restoreState()
        pdf.restoreState()
        pdf.setFont(font, 14)
        pdf.drawString(15 * mm, height - 15 * mm, _("Manifest: %(name)s (operation #%(id)s, %(dir)s)")
                       % {"name": op.name, "id": op.pk, "dir": op.direction})
        pdf.setFont(font, 10)
        times = " → ".join(t.strftime("%Y-%m-%d %H:%M") for t in (leg.planned_departure, leg.planned_arrival) if t)
        pdf.drawString(15 * mm, height - 22 * mm, _("Leg %(n)s: %(a)s (%(ac)s) → %(b)s (%(bc)s) · %(mode)s %(carrier)s")
                       % {"n": leg.sequence, "a": leg.from_place, "ac": leg.from_country, "b": leg.to_place,
                          "bc": leg.to_country, "mode": leg.get_mode_display(), "carrier": leg.carrier})
        pdf.drawString(15 * mm, height - 27 * mm, _("Planned: %(t)s UTC") % {"t": times or "—"})
        pdf.setFont(font, 8)
        pdf.drawString(15 * mm, 8 * mm, mark + "   " + _("Page %(n)s") % {"n": page})
        y = height - 37 * mm
        x = 15 * mm
        pdf.setFont(font, 9)
        for w, title in cols:
            pdf.drawString(x, y, str(title))
            x += w * mm
        pdf.line(15 * mm, y - 2, width - 15 * mm, y - 2)
        return y - 6 * mm

    page = 1
    y = page_frame(page)
    for r in data:
        if y < 18 * mm:
            pdf.showPage()
            page += 1
            y = page_frame(page)
        x = 15 * mm
        pdf.setFont(font, 9)
        for (w, _title), value in zip(cols, (str(r.number), r.kind, r.reference, r.name, r.birth_date, r.sex,
                                             r.party, r.medical), strict=True):
            pdf.drawString(x, y, fit(value, w))
            x += w * mm
        y -= 6 * mm
    if not data:
        pdf.drawString(15 * mm, y, _("No member of this operation is visible to you."))
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
