"""A small server-side SVG line chart: claimed figures over time beside Homeward's verified counts.

No JavaScript, no external library: the markup is built here with every text escaped, so it can be
embedded in a page or served as ``image/svg+xml``.
"""

from __future__ import annotations

import datetime as dt
import math
from html import escape

from homeward.figures.services import Series

PALETTE = ["#1f5f8b", "#a32020", "#8a5a00", "#5b3f8c", "#2f7f7f", "#7a4b2a", "#3d6b21", "#b0417a"]
VERIFIED_COLOUR = "#1e6b3a"


def _fmt(v: float) -> str:
    if v >= 1_000_000:
        return f"{v / 1_000_000:.1f}M".replace(".0M", "M")
    if v >= 10_000:
        return f"{v / 1000:.0f}k"
    return f"{v:,.0f}"


def _nice_step(raw: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) at least ``raw``."""
    if raw <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return max(1.0, m * mag)
    return 10 * mag


def line_chart(series: list[Series], title: str, *, width: int = 760, height: int = 340,
               empty_text: str = "No figures yet.", rtl: bool = False) -> str:
    """The chart as SVG markup. ``rtl`` mirrors the legend for right-to-left languages (Arabic): the
    swatches stand at the right edge and each label runs leftwards from them, so none is cut off."""
    left, right, top, bottom = 64, 16, 28, 40
    legend_h = 18 * len(series) + 8
    total_h = height + legend_h
    pts = [p for s in series for p in s.points]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_h}" width="100%" '
           f'role="img" aria-labelledby="chart-title chart-desc" class="figures-chart" direction="ltr" '
           f'font-family="system-ui, sans-serif" font-size="12">',
           f'<title id="chart-title">{escape(title)}</title>']
    desc = "; ".join(f"{s.label}: {len(s.points)} point(s). {s.definition}" for s in series)
    out.append(f'<desc id="chart-desc">{escape(desc)}</desc>')
    out.append(f'<rect x="0" y="0" width="{width}" height="{total_h}" fill="#ffffff"/>')
    if not pts:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#566173">'
                   f'{escape(empty_text)}</text></svg>')
        return "".join(out)
    d0 = min(p[0] for p in pts)
    d1 = max(p[0] for p in pts)
    if d0 == d1:
        d0, d1 = d0 - dt.timedelta(days=30), d1 + dt.timedelta(days=30)
    step = _nice_step(max(p[1] for p in pts) / 4)
    vmax = step * 4 if max(p[1] for p in pts) <= step * 4 else step * 5
    pw, ph = width - left - right, height - top - bottom

    def x(d: dt.date) -> float:
        return left + pw * (d - d0).days / max(1, (d1 - d0).days)

    def y(v: float) -> float:
        return top + ph * (1 - v / vmax)

    # axes and grid
    for i in range(int(round(vmax / step)) + 1):
        v = step * i
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e7ebf0"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#566173">{_fmt(v)}</text>')
    years = range(d0.year, d1.year + 1)
    for yr in years:
        for month in (1,) if len(years) > 2 else (1, 4, 7, 10):
            d = dt.date(yr, month, 1)
            if d0 <= d <= d1:
                out.append(f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{top}" y2="{top + ph}" stroke="#eef1f5"/>')
                label = str(yr) if month == 1 else f"{yr}-{month:02d}"
                out.append(f'<text x="{x(d):.1f}" y="{top + ph + 16}" text-anchor="middle" fill="#566173">'
                           f'{label}</text>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + ph}" stroke="#566173"/>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{top + ph}" y2="{top + ph}" stroke="#566173"/>')
    colours = iter(PALETTE * 4)
    for idx, s in enumerate(series):
        colour = VERIFIED_COLOUR if s.verified else next(colours)
        pts_sorted = sorted(s.points)
        dash = ' stroke-dasharray="5 3"' if s.verified else ""
        if len(pts_sorted) > 1 and not s.markers_only:
            path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v, _t in pts_sorted)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for d, v, tip in pts_sorted:
            shape = (f'<rect x="{x(d) - 4:.1f}" y="{y(v) - 4:.1f}" width="8" height="8" fill="{colour}">'
                     if s.verified else f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}">')
            close = "</rect>" if s.verified else "</circle>"
            out.append(f'{shape}<title>{escape(s.label)}: {escape(tip)}</title>{close}')
        ly = height + 14 + 18 * idx
        # the swatch's near edge, and the direction the label runs from it
        edge, sign = (width - right, -1) if rtl else (left, 1)
        if s.markers_only:
            out.append(f'<circle cx="{edge + sign * 11}" cy="{ly - 4}" r="4" fill="{colour}"/>')
        else:
            out.append(f'<line x1="{edge}" x2="{edge + sign * 22}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" '
                       f'stroke-width="3"{dash}/>')
        note = f" ({'; '.join(s.notes)})" if s.notes else ""
        text_dir = ' direction="rtl" text-anchor="start"' if rtl else ""
        out.append(f'<text x="{edge + sign * 28}" y="{ly}"{text_dir} fill="#1d2430">{escape(s.label + note)}</text>')
    out.append("</svg>")
    return "".join(out)
