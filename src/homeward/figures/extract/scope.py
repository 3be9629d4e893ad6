"""Step 8: scope — a single event ("another group", "on Saturday", «за добу») or a cumulative total ("so far",
"in total", «з початку», «всего»)."""

from __future__ import annotations

import re

_EVENT = re.compile(
    r"\b(?:latest|another|a\s+further|further|new\s+group|group|batch|operation|"
    r"in\s+the\s+(?:past|last)\s+(?:day|24\s+hours|week)|(?:last|past|this)\s+week|overnight|"
    r"ще|ще\s+одн\w*|чергов\w*|груп\w*|остання|останні|"
    r"еще|ещё|очередн\w*|за\s+(?:последние|минувшие|прошедшие)\s+сутки|за\s+(?:минулу|останню)\s+добу|за\s+минулу\s+добу|за\s+сутки|за\s+добу|за\s+неделю|"
    r"за\s+тиждень|протягом\s+(?:доби|суботи|неділі|понеділка|вівторка|середи|четверга|п['’ʼ]?ятниці))\b",
    re.IGNORECASE,
)
_CUMULATIVE = re.compile(
    r"\b(?:so\s+far|in\s+total|total|since|overall|to\s+date|altogether|all\s+told|the\s+number\s+of|"
    r"has\s+reached|had\s+reached|as\s+of|in\s+all|загалом|усього|всього|з\s+початку|від\s+початку|"
    r"станом\s+на|вже|всего|с\s+начала|в\s+общей\s+сложности|по\s+состоянию\s+на|уже|итого|з\s+\d{4}|"
    r"с\s+\d{4}|since\s+\d{4})\b",
    re.IGNORECASE,
)




def scope(clause: str, before_number: str, sentence: str, weekday_event: bool, quantity: str) -> tuple[str, str]:
    """(scope, why) of a number in its clause."""
    ev = _EVENT.search(clause)
    additive = bool(ev and re.fullmatch(r"ще|еще|ещё|another|a\s+further|further", ev.group(0), re.I))
    cum = _CUMULATIVE.search(clause)
    if cum:
        return "cumulative", f"«{cum.group(0)}» in the clause"
    if ev and not (quantity == "other" and additive):
        return "event", f"«{ev.group(0)}» in the clause"
    if weekday_event:
        return "event", "a day named in the clause"
    cum = _CUMULATIVE.search(before_number)
    if cum:
        return "cumulative", f"«{cum.group(0)}» earlier in the sentence"
    ev = _EVENT.search(sentence)
    if ev:
        return "event", f"«{ev.group(0)}» in the sentence"
    return "cumulative", "no sign of a single event: a running total"
