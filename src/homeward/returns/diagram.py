"""Geometry for the server-rendered route diagram and the month calendar (no scripts, no inline styles)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from homeward.returns.models import Handover, HostingPeriod, Leg, ReturnOperation

STEP = 170
PAD = 70
MODE_COLOURS = {"charter_flight": "#1f5f8b", "scheduled_flight": "#4a7fb0", "road": "#8a5a00", "rail": "#1e6b3a"}


@dataclass
class Stop:
    x: int
    place: str
    country: str
    handovers: list[Handover] = field(default_factory=list)
    hosting: list[HostingPeriod] = field(default_factory=list)


@dataclass
class Segment:
    x1: int
    x2: int
    leg: Leg
    colour: str
    dash: str  # SVG stroke-dasharray: empty when travelled, dotted under way, dashed when planned
    label_x: int


def route(op: ReturnOperation) -> dict[str, Any]:
    legs = list(op.legs.order_by("sequence"))
    if not legs:
        return {"stops": [], "segments": [], "width": 0}
    stops = [Stop(PAD, legs[0].from_place, legs[0].from_country)]
    for i, leg in enumerate(legs, start=1):
        stops.append(Stop(PAD + i * STEP, leg.to_place, leg.to_country))
    segments = [Segment(stops[i].x, stops[i + 1].x, leg, MODE_COLOURS.get(leg.mode, "#566173"),
                        {"completed": "", "under_way": "2 5"}.get(leg.status, "8 6"),
                        (stops[i].x + stops[i + 1].x) // 2)
                for i, leg in enumerate(legs)]
    for h in op.handovers.select_related("from_party", "to_party"):
        stops[min(h.before_leg - 1, len(stops) - 1)].handovers.append(h)
    for p in op.hosting.select_related("host"):
        stops[min(p.before_leg - 1, len(stops) - 1)].hosting.append(p)
    return {"stops": stops, "segments": segments, "width": PAD * 2 + len(legs) * STEP}


@dataclass
class Day:
    date: dt.date
    in_month: bool
    operations: list[ReturnOperation]


def month(ops: list[ReturnOperation], year: int, month_: int) -> list[list[Day]]:
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month_)
    return [[Day(d, d.month == month_, [op for op in ops if op.planned_start <= d <= op.planned_end])
             for d in week] for week in weeks]
