"""The extraction pipeline: each sentence goes through the named steps, and every claim keeps the trace
of the decisions that produced it (and the numbers of its sentence that were dropped, and why)."""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from homeward.figures.extract import claimant as cl
from homeward.figures.extract import events as ev
from homeward.figures.extract import lexicon, nouns
from homeward.figures.extract.dates import DateMention, find_dates
from homeward.figures.extract.lemmas import Token, tokenize
from homeward.figures.extract.lemmas import future as future_tense
from homeward.figures.extract.numbers import NumberMention, find_numbers, qualifier
from homeward.figures.extract.scope import scope as scope_of
from homeward.figures.extract.segment import clause_bounds, clause_breaks, detect_language, split_sentences

QUANTITIES = ("deported", "returned", "reunited", "evacuated", "adopted", "identified", "other")

_FIGURE_WORDS = re.compile(r"\b(?:figure|number|total|tally|count|кількість|число|цифр\w*|показник\w*|"
                           r"показател\w*|количеств\w*)\b", re.IGNORECASE)
_SEGMENT_BREAK = re.compile(r";|\bwhile\b|\bwhereas\b|,\s+(?:тоді\s+як|тогда\s+как|при\s+этом|водночас)\b",
                            re.IGNORECASE)
_DENIED = re.compile(r"(?:\bnot|\bне|\bні|\bни)\s+(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
_NOT_LESS = re.compile(r"(?:\bnot|\bno|\bне|\bні|\bни)\s+(?:less|fewer|more|менее|меньше|менше|менш|более|больше|"
                       r"більше|понад)\b(?:\s+(?:than|ніж|чем))?\s*$", re.IGNORECASE)  # "не менее 5100": a qualifier
_INTENT = re.compile(r"\b(?:efforts?|work\w*|plan\w*|try\w*|tries|tried|seek\w*|aim\w*|want\w*|intend\w*|willing|"
                     r"demand\w*|prepar\w*|ready|under\s+way|намага\w*|план\w*|прагн\w*|вимага\w*|готу\w*|"
                     r"стрем\w*|пыта\w*|треб\w*|працю\w*|работа\w*)\b[^.;]{0,25}$", re.IGNORECASE)
# "X writes about this.", "X announced this on Facebook, Ukrinform reported.": "this" is the sentence before
_ABOUT_THIS = re.compile(r"\b(?:writes?|wrote|said|says|reported|reports|announced|stated|told\s+\w+|shared|"
                         r"posted|gave)\s+(?:about\s+)?(?:this|(?:the|this)\s+(?:update|news|information|figures?|data))"
                         r"(?=\s*(?:[.,;]|$)|\s+(?:on|in|at|via|during|through)\b)", re.IGNORECASE)
# "Such a decision was made …, the Ministry … reported.", «Таке рішення ухвалила …, повідомили в …»: a paragraph
# opening with a demonstrative that takes up the event before it, so its closing speaker speaks for that event
_TAKES_UP = re.compile(r"\s*(?:such\s+a|this|that|the\s+same|таке|такий|така|це|цей|ця|такое|такой|такая|это|этот|"
                       r"эта)\s+(?:decision|order|evacuation|return|operation|рішення|наказ|евакуація|повернення|"
                       r"решение|приказ|распоряжение|эвакуация|возвращение)\b", re.IGNORECASE)
# «Заява була підтверджена …», «Информация была подтверждена …», "The statement was confirmed by …": the next sentence
# speaks of the statement just made, so its source is this sentence's
_STATEMENT_SUBJECT = re.compile(r"\s*(?:(?:ця|ці|эта|эти|the)\s+)?(?:заява|інформація|дані|заявление|информация|данные|"
                                r"statement|information|figures?|data)\s+(?:була|було|були|была|было|были|was|were)\s",
                                re.IGNORECASE)
# "That's according to Ukraine's National Information Bureau.": the next sentence gives the source of this one
_THAT_ACCORDING = re.compile(r"\s*(?:that|this|these\s+figures?|the\s+figures?)(?:\s*['’]s|\s+is|\s+are|\s+comes?\s+"
                             r"from)\s*according\s+to\b", re.IGNORECASE)
_ANAPHORIC = re.compile(r"\s*(?:they|these|those|it|вони|вона|воно|они|она|оно)\b", re.IGNORECASE)
_NO_DATE = "no date in the sentence: the publication date"
_BACKGROUND = re.compile(r"\s*(?:earlier|previously|prior|ранее|раніше|напомним|нагадаємо|нагадаю|нагадуємо|recall)\b",
                         re.IGNORECASE)
# the edge of a counting period or an as-of date ("as of 11 January", «по 11 січня»): the count's date, no recap
_PERIOD_EDGE = re.compile(r"(?:\b(?:as\s+of|until|through|since|from|to|by)|(?:^|\s)(?:по|до|з|із|с|со|от|від|"
                          r"станом\s+на|по\s+состоянию\s+на|на))\s+$", re.IGNORECASE)
# "Recall", "Addendum", «Довідка» on a line of their own: the outlet's heading over its background paragraph
_BACKGROUND_HEADING = re.compile(r"\s*(?:recall|reminder|addendum|background|for\s+reference|нагадаємо|нагадуємо|"
                                 r"довідка|додамо|напомним|справка|для\s+справки)\s*[:.]?\s*$", re.IGNORECASE)
# "In early October …", «В начале октября …», «На початку жовтня …»: a paragraph dated a month of its own
_DATE_OPENER = re.compile(r"\s*(?:(?:в|у|во|на|in|at|by)\s+)?(?:the\s+)?((?:начале|середине|конце|початку|середині|"
                          r"кінці|early|late|mid-?|beginning|middle|end)\s+(?:of\s+)?)?", re.IGNORECASE)
_SAME_DAY = re.compile(r"\b(?:the\s+same\s+day|on\s+that\s+day|that\s+day|в\s+тот\s+же\s+день|в\s+этот\s+же\s+день|"
                       r"того\s+ж\s+дня|у\s+той\s+же\s+день|цього\s+ж\s+дня)\b", re.IGNORECASE)
# "These are six girls … and five boys", «Серед них …»: the people of the sentence before, counted again
_RESTATED = re.compile(r"\s*[«\"“]?\s*(?:these\s+are|they\s+are|among\s+them|це|серед\s+них|это|среди\s+них|"
                       # "There are seven boys and three girls.": only counts of people, nothing else said
                       r"there\s+(?:are|were)\s+(?=(?:[\w-]+\s+(?:boys|girls|children|teenagers|orphans|sisters|brothers|"
                       r"minors|adults)(?:\s*,\s*|\s+and\s+)?)+[.!]?\s*$))\b",
                       re.IGNORECASE)
_INTENT_NOUN = re.compile(r"\b(?:demand\w*|offer\w*|facilitat\w*|mediat\w*|seek\w*|sought|call\w*\s+for|fight\w*\s+for|"
                          r"push\w*\s+for|negotiat\w*|вимага\w*|домага\w*|боре\w*\s+за|борют\w*\s+за|добива\w*|"
                          r"требу\w*|добиваться|посередни\w*|посредни\w*)\b[^.;]{0,30}$", re.IGNORECASE)
# after a count of something other than people, its parts: "prisons—18 in Russia and 11 in …", «закладів: 12 у …»
_PARTS_AFTER = re.compile(r"\s*(?:[—–:(]|\s-|,\s*(?:including|of\s+which|з\s+них|із\s+них|из\s+них|"
                          r"в\s+том\s+числе|у\s+тому\s+числі))\s*", re.IGNORECASE)
_NEXT_PART = re.compile(r"\s+[^\d.;:]{1,40}?\s(?:and|і|й|та|и)\s+|\s*,\s*", re.IGNORECASE)  # "… and 11 in …
_ON_LIST = re.compile(r"(?:^|\s)(?:в|у|на|on|in)\s+(?:the\s+|a\s+|its\s+|their\s+)?$", re.IGNORECASE)
_LATER_CLAUSE = re.compile(r",\s*(?:after\s+which|after\s+that|whereupon|and\s+then|після\s+чого|після\s+цього|"
                           r"опісля|после\s+чего|после\s+этого|вслед\s+за\s+чем)\b", re.IGNORECASE)
_SUBCOUNT = re.compile(r"\b(?P<w>including|among\s+them|of\s+whom|of\s+them|серед\s+них|з\s+них|із\s+них|"
                       r"среди\s+них|из\s+них|в\s+том\s+числе|у\s+тому\s+числі|в\s+тому\s+числі|зокрема)"
                       r"[\s,:—–-]*(?:[^\W\d]+\s+){0,2}$", re.IGNORECASE)
# «… и пять – на Украине»: a conjunct whose dash stands for the verb of the one before, its place following
# «… и пять – на Украине», «Шестерых эвакуировали из А, троих – из Б, по одному – из В»: a conjunct eliding the
# noun and the verb of the first, a dash standing for them
_ELLIPTIC_AND = re.compile(r"(?:,|\s(?:и|і|й|та|а|and))\s+(?:по\s+)?$", re.IGNORECASE)
_ELLIPTIC_DASH = re.compile(r"\s*[—–-]\s+(?:на|в|во|у|до|із|з|из|с|к|in|to|at|from)\s", re.IGNORECASE)
# "a total of 9,653 people", "the number of": not the base of "X of Y"
_TOTAL_OF = re.compile(r"\b(?:total|number|group|maximum|minimum|average)\s+of\s+(?:some\s+|about\s+|over\s+)?$",
                       re.IGNORECASE)
_PARTITIVE = re.compile(r"\b(?:із|з|из|of|out\s+of)\s+(?:the\s+)?(?:[^\W\d_]+['’]s\s+)?(?:понад|більше|близько|"
                        r"более|около|почти|майже|more\s+than|over|nearly|about|some)?\s*$", re.IGNORECASE)


@dataclass
class Dropped:
    text: str
    start: int
    end: int
    reason: str


@dataclass
class Trace:
    steps: list[tuple[str, str]] = field(default_factory=list)  # (step, what was decided)
    dropped: list[Dropped] = field(default_factory=list)  # the other numbers of the sentence not taken

    def add(self, step: str, note: str) -> None:
        self.steps.append((step, note))

    def to_dict(self) -> dict[str, Any]:
        return {"steps": [{"step": s, "note": n} for s, n in self.steps],
                "dropped": [asdict(d) for d in self.dropped]}


@dataclass
class Claim:
    value: int | float | None
    qualifier: str
    quantity: str
    direction: str
    claimant: str | None
    as_of: str | None
    scope: str
    start: int
    end: int
    text: str
    sentence_start: int = 0
    subject: str = ""
    lang: str = "en"
    trace: Trace = field(default_factory=Trace)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "trace"}
        d["trace"] = self.trace.to_dict()
        return d


@dataclass
class Result:
    claims: list[Claim]
    dropped: list[Dropped]


@dataclass
class _Doc:
    text: str
    published: date | None
    outlet: str | None
    lang: str
    history: list[str] = field(default_factory=list)  # claimants in order of mention
    prev_quantity: str | None = None  # the quantity of the first movement verb of the sentence before
    prev_claimant: str | None = None
    last_according: str | None = None  # the "according to" source of the sentence before, if it gave one
    last_date: str | None = None  # the first full date of the sentence before (for "the same day")
    last_according_only: bool = False  # the sentence before named only an "according to" source
    body_seen: bool = False  # a sentence of the story (not its headline, not a list) has given a claim
    claims: list[Claim] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    last_statement: tuple[str, str] | None = None  # (speaker, date) of the latest dated statement
    neutral_takes: list[Claim] = field(default_factory=list)  # deported only by a take verb with no framing word
    evacuation_framers: list[str] = field(default_factory=list)  # who calls a movement evacuation in this text
    ru_source_par: int = -1  # the start of the paragraph whose movement was out of a place in Russia, if any
    placeless_takes: list[Claim] = field(default_factory=list)  # deported only by a take with no destination
    _tokens: dict[str, list[Token]] = field(default_factory=dict)  # each sentence is read once, also when
    _attributions: dict[str, list[cl.Attribution]] = field(default_factory=dict)  # a later one looks back

    def tokens_of(self, sentence: str) -> list[Token]:
        if sentence not in self._tokens:
            self._tokens[sentence] = tokenize(sentence, self.lang)
        return self._tokens[sentence]

    def attributions_of(self, sentence: str) -> list[cl.Attribution]:
        if sentence not in self._attributions:
            self._attributions[sentence] = cl.attributions(sentence, self.tokens_of(sentence))
        return self._attributions[sentence]


_EXCLUDED = [re.compile(rx, re.IGNORECASE) for rx in (
    r"\b(?:aged|ages|age|between\s+the\s+ages\s+of|aged\s+between)\s+(?:of\s+)?(?:between\s+)?"
    r"[\w.]{1,25}(?:\s*(?:to|and|-|–)\s*[\w.]{1,25})?(?:\s+(?:years?|months?)(?:\s+old)?)?",
    r"\b(?:віком|вік|у\s+віці|в\s+возрасте|возрастом|возраст)\s+(?:від\s+|от\s+)?[\w.]{1,25}(?:\s+\w+)?"
    r"(?:\s*(?:до|і|и|-|–|та)\s*[\w.]{1,25})?(?:\s+(?:років|року|роки|рік|лет|года|год|місяців|месяцев))?",
    r"\b\d+[-‑](?:year|month|day|week|річн|літн|летн)\w*",
    # an age after a person noun: "captives under 25", "children under 18", «дети младше 14», «діти до 18 років»
    r"\b(?:captives|children|minors|boys|girls|people|men|women|soldiers|prisoners|teenagers)\s+"
    r"(?:under|over|below|above|younger\s+than|older\s+than)\s+\d{1,2}\b(?![,.]\d)",
    r"\b[^\W\d]+\s+[^\W\d]+\s*[—–-]\s*\d{1,3}\s+(?:років|року|роки|лет|года|год|years?)\b",  # «одной женщине — 92 года»
    r"\b[\w.]{1,25}\s+(?:years?|months?)\s+old\b",
    r"\bfrom\s+(?:the\s+)?[\w.]{1,25}\s+to\s+[\w.]{1,25}(?=\s+years|\s*[.,;]|$)",
    r"[$€£₴]\s*(?<![\d.,])[\d.,]{1,25}(?:\s*(?:million|billion|m|bn))?|(?<![\d.,])[\d.,]{1,25}\s*(?:%|per\s*cent|"
    r"percent|відсот\w*|процент\w*|dollars|euros|гривен\w*|гривень|рубл\w*|доллар\w*|долар\w*|євро|евро|USD|UAH|"
    r"EUR|RUB)",
    r"\b(?:No\.|№|#)\s*\d+",
    # a day of the month in brackets after a day word: "reported today (24)", "this Wednesday (23)"
    r"\b(?:today|yesterday|tuesday|wednesday|thursday|friday|saturday|sunday|monday)\s\(\d{1,2}\)",
    r"\d{1,2}:\d{2}",
    r"(?<=[\w.,;:!?)”»\"'])\[\d{1,3}\]",  # a footnote mark: "… occupied Ukraine.[1]"
)]


def _excluded(sentence: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "an age, a sum, a time or a percentage") for rx in _EXCLUDED
            for m in rx.finditer(sentence)]


def _token_span(tokens: list[Token], a: int, b: int) -> tuple[int, int]:
    i = bisect.bisect_right(tokens, a, key=lambda t: t.end)
    j = bisect.bisect_left(tokens, b, key=lambda t: t.start)
    return (i, max(i, j - 1)) if i < len(tokens) else (0, 0)


def _as_of(n: NumberMention, dates: list[DateMention], c0: int, c1: int, chosen: cl.Attribution | None,
           backward: cl.Attribution | None, backward_date: str | None,
           published: date | None, sent: str, same_day: str | None = None) -> tuple[str | None, str]:
    usable = [d for d in dates if not d.period and d.iso]
    in_clause = [d for d in usable if c0 <= d.start and d.end <= c1]
    marked = [d for d in usable if d.as_of]
    if in_clause:
        d = min(in_clause, key=lambda d: abs(d.start - n.start))
        return d.iso, f"«{sent[d.start:d.end]}» in the number's clause"
    if marked:
        return marked[0].iso, f"the as-of date «{sent[marked[0].start:marked[0].end]}»"
    if usable:
        d = min(usable, key=lambda d: abs(d.start - n.start))
        return d.iso, f"«{sent[d.start:d.end]}», the nearest date in the sentence"
    if chosen is not None and chosen is backward and backward_date:
        return backward_date, "the date of the statement in the next sentence"
    if same_day is not None:
        return same_day, "«the same day»: the date of the sentence before"
    if published is not None:
        return published.isoformat(), _NO_DATE
    return None, "no date in the sentence and no publication date"


_RELATIVE = frozenset({"який", "яка", "яке", "які", "якого", "якої", "яких", "якому", "якій", "яким", "якими", "котрі",
                       "котрих", "который", "которая", "которое", "которые", "которого", "которой", "которых",
                       "которым", "которыми", "who", "whom", "which", "whose"})


def _in_quote(before: str) -> bool:
    """Whether a quotation opened in ``before`` (the paragraph up to a sentence) is still open."""
    return before.count("«") > before.count("»") or before.count("“") > before.count("”") or \
        before.count('"') % 2 == 1


def _own_dates(sent: str, dates: list[DateMention], breaks: list[tuple[int, int]], tokens: list[Token],
               events: list[ev.Event], event: ev.Event | None, c0: int, c1: int) -> list[DateMention]:
    """The dates that may date the number's event: not one in a relative clause or a participial phrase of another
    clause that has a movement of its own.

    «повернули ще 37 дітей, яких наприкінці серпня окупанти … вивезли», «повернула … юнака, вивезеного до Росії у
    квітні 2022 року»: the month dates the taking the subordinate clause tells of, not the return. A main clause's
    date ("X said on Tuesday that 214 …, while 9,000 …") still dates the numbers of the clauses after it.
    """
    def other_event(d: DateMention) -> bool:
        if d.as_of:
            return False
        d0, d1 = clause_bounds(sent, d.start, breaks)
        if (d0, d1) == (c0, c1):
            return False
        first = next((i for i, t in enumerate(tokens) if t.start >= d0 and t.is_word), None)
        if first is None or tokens[first].start >= d1 or not (tokens[first].lower in _RELATIVE or any(
                e.index == first and e.role == "attr" for e in events)):
            return False
        return any(d0 <= e.start < d1 and e.quantity != "none" and (event is None or e.index != event.index)
                   for e in events)
    return [d for d in dates if not other_event(d)]


_AT_HOME = re.compile(r"[^.!?;:]{0,50}?(?:\s[—–]\s*(?:вже\s+|уже\s+|знову\s+|снова\s+)?(вдома|удома|дома)|"
                      r"\s(?:are|is)\s+(?:now\s+)?(back\s+home|home\s+again))\b", re.IGNORECASE)
_BACK_IN = re.compile(r"[^.!?;:,]{0,50}?\s(?:are|is|were|was|have\s+been|has\s+been)\s+(?:now\s+|finally\s+)?"
                      r"(back\s+(?:in\s+ukraine|home|in\s+(?:their|the)\s+homeland|on\s+ukrainian\s+soil))\b",
                      re.IGNORECASE)
_MOVEMENTS = {"deported", "returned", "reunited", "evacuated", "adopted"}
_RAISING = re.compile(r"\b(?:(?:are|is)\s+raising|raise|виховують|виховує|воспитывают|воспитывает)\s+"
                      r"(?:[^\W\d]+\s+){0,2}$", re.IGNORECASE)
_OF_THEM = re.compile(r"\s+(?:of\s+(?:them|whom|these)|із\s+них|з\s+них|из\s+них)\b", re.IGNORECASE)


# state verbs that, in a place of temporary accommodation (``shelters.tsv``), count displaced people
_STAYING = frozenset({"stay", "remain", "live", "находиться", "оставаться", "проживать", "жить", "перебувати",
                      "залишатися", "проживати", "жити"})


def _shelter(tokens: list[Token], c0: int, c1: int, lang: str) -> str | None:
    """The place of temporary accommodation named in the clause ``c0``–``c1`` («пунктах временного размещения»,
    "temporary accommodation centers"), as its lexicon phrase, or ``None``."""
    lemmas: set[str] = set()
    for t in tokens:
        if t.is_word and c0 <= t.start < c1:
            lemmas |= t.lemmas
    return next((ph for ph in lexicon.phrases("shelters", lang) if all(w in lemmas for w in ph.split())), None)


def _shelter_before(doc: _Doc, si: int, spans: list[tuple[int, int]], sent: str, event: ev.Event) -> str | None:
    """«Открыты 960 пунктов временного размещения. В них находятся почти 30,5 тысяч человек»: a stay (not
    "remain") whose place is elided or a pronoun, right after a sentence naming places of temporary accommodation."""
    if si == 0 or event.lemma not in {"stay", "находиться", "перебувати", "проживать", "проживати"}:
        return None
    if re.search(r"(?:^|\s)(?:в|у|на|in|at)\s+(?!них\b|ньому\b|них,)[A-ZА-ЯІЇЄҐa-zа-яіїєґё]", sent[:event.start]
                 + sent[event.end:], re.IGNORECASE) and not re.search(r"\b(?:в|у)\s+них\b|\bthere\b", sent, re.I):
        return None  # a place of its own: «находятся в Курске»
    prev = doc.text[spans[si - 1][0]:spans[si - 1][1]]
    return _shelter(doc.tokens_of(prev), 0, len(prev), doc.lang)


_STILL_TO_GO = re.compile(r"\s+(?:more\s+)?(?:still\s+)?(?:to\s+go|left\s+to\s+(?:go|evacuate|be\s+\w+ed))\b",
                          re.IGNORECASE)
_COUNT_SPEAKS = re.compile(r"\s+(?:of|з|із|из)\s+(?:the\s+|these\s+|them\b\s*)?(?:[^\W\d]+\s+){0,2}?"
                           r"(?:said|says|told|recalled|added|explained|розповіла|розповів|сказала|сказав|рассказала|рассказал|сказал)\b",
                           re.IGNORECASE)
_OPENING_SOURCE = re.compile(r"^(?:по\s+(?:ее|его|их)\s+словам|по\s+словам\s+[^,]{1,40}|according\s+to\s+[^,]{1,40}|"
                             r"за\s+(?:її|його|їхніми)\s+словами|за\s+словами\s+[^,]{1,40})\s*,\s*")
# «эта цифра превысила 2 000 человек», "this figure rose to": the figure of the people named in the sentence before
_THIS_FIGURE = re.compile(r"\b(?:this|that)\s+(?:figure|number)\b|\b(?:эта|это|ця|це)\s+(?:цифр\w*|числ\w*|кількість)",
                          re.IGNORECASE)
# «Из них около тысячи — дети»: a sentence opening with a part of the people counted just before
# «серед них, — двоє сестер», "among them, two sisters": a part of people counted before, the opener just before it
_PART_NEAR = re.compile(r"(?:серед\s+них|among\s+them|із\s+них|з\s+них|из\s+них|среди\s+них)[\s,:—–-]*$",
                        re.IGNORECASE)
# «Ще один з підлітків»: a number word taking a part of a group named before (not English "Two of the children had
# been living in Russia", where the dev gold counts no state of a part)
_ONE_OF = re.compile(r"\s+(?:з|із|зі|из)\s+", re.IGNORECASE)
_SUBCOUNT_OPEN = re.compile(r"\s*[«\"“]?\s*(?:of\s+(?:them|these|whom)|among\s+them|із\s+них|з\s+них|серед\s+них|"
                            r"из\s+них|среди\s+них)\b", re.IGNORECASE)


def _last(claims: list[Claim]) -> Claim | None:
    return claims[-1] if claims else None


def _restates(sent: str, lang: str) -> bool:
    """Whether the sentence opens with a phrase restating the people of the sentence before (``restate.tsv``)."""
    low = re.sub(r"\s+", " ", sent[:120].lower().replace("ё", "е").replace("’", "'")).lstrip(" «\"“")
    low = _OPENING_SOURCE.sub("", low, count=1)  # «По ее словам, речь идет о …»: the restating phrase after the source
    return any(re.match(re.escape(p) + r"\b", low) for p in lexicon.phrases("restate", lang))


def _dest(sent: str, n: NumberMention, nums: list[NumberMention], c0: int, c1: int,
          event: ev.Event | None = None) -> str:
    r0 = max([m.end for m in nums if m.end <= n.start] or [0])
    if event is not None and event.start < r0:  # «На Украину отправили четырех мальчиков и одну девочку»:
        r0 = max([m.end for m in nums if m.end <= event.start] or [0])  # the shared verb's destination
    breaks_before = [m.end() for m in _SEGMENT_BREAK.finditer(sent, r0, n.start)]
    if breaks_before and (event is None or event.start >= breaks_before[-1]):
        # "repatriate 1,002 children from Russia …, while Russia has forcibly relocated almost 20,000 more": a place
        # before «while» / «;» belongs to the other segment
        r0 = breaks_before[-1]
    r1 = min([m.start for m in nums if m.start >= n.end] or [len(sent)])
    return ev.destination(sent, n.start, n.end, max(c0, r0), min(c1, r1)) or \
        ev.destination(sent, n.start, n.end, r0, r1)


def _sentence(doc: _Doc, si: int, spans: list[tuple[int, int]]) -> None:
    text, published = doc.text, doc.published
    s0, s1 = spans[si]
    sent = text[s0:s1]
    tokens = doc.tokens_of(sent)
    dates = find_dates(sent, published, any(t.pos == "VERB" and future_tense(t.text, doc.lang) for t in tokens))
    attributions = doc.attributions_of(sent)
    backward: cl.Attribution | None = None
    backward_date: str | None = None
    if not [a for a in attributions if a.claimant or a.kind == "impersonal"]:
        # «Про це повідомив X» later in the paragraph, or a closing ", повідомили X." of a later sentence, with no
        # other attribution in between: X speaks for the sentences before it
        crossed = False
        for sj in range(si + 1, min(len(spans), si + 5)):
            nxt = text[spans[sj][0]:spans[sj][1]]
            new_par = re.search(r"\n\s*\n", text[spans[sj - 1][1]:spans[sj][0]]) is not None  # a blank line
            about_this = sj == si + 1 and (_ABOUT_THIS.search(nxt) is not None or _STATEMENT_SUBJECT.match(nxt) is not
                                           None or _THAT_ACCORDING.match(nxt) is not None)
            if new_par and (crossed or not (cl._BACKWARD.match(nxt) or about_this or re.match(
                    r"\s*(?:source|джерело|источник)\s*:", nxt, re.I) or (sj == si + 1 and _TAKES_UP.match(nxt)))):
                break  # «Про це …», "X writes about this" may open the next paragraph; nothing else crosses one
            crossed = crossed or new_par
            found = [a for a in doc.attributions_of(nxt) if a.claimant]
            source_line = sj == si + 1 and re.match(r"\s*(?:source|джерело|источник)\s*:", nxt, re.I) is not None
            if sj == si + 1 and found and (about_this or source_line or (_ANAPHORIC.match(nxt) and not new_par and any(
                    a.kind == "according" for a in found))):
                # "… two brothers. Ombudsman X writes about this." / "… eight children. They were taken …,
                # according to X.": the next sentence names the source of this one
                sources = [a for a in found if not lexicon.is_media(a.claimant)] or found  # the agency relays X
                backward = next((a for a in sources if a.kind == "according"), None) or sources[0]
                break
            if cl._BACKWARD.match(nxt) or (found and cl.closing_speech(nxt, found)):
                # "This was reported on Facebook by the press service …, Ukrinform reported.": the agency relays X
                sources = [a for a in found if not lexicon.is_media(a.claimant)] or found
                backward = next((a for a in sources if a.kind == "speech"), None) or next(
                    (a for a in sources if a.kind == "according"), None)
                nd = [d for d in find_dates(nxt, published) if not d.period and d.iso]
                day = [d for d in nd if d.iso and len(d.iso) == 10]  # a year in a title («у 2014-2021 роках») is not it
                backward_date = day[0].iso if day and cl._BACKWARD.match(nxt) else None
                break
            if found or re.search(r"[«\"“”»]", nxt):
                break
    if backward is None:  # a quote whose speaker is named at the end of the paragraph
        for sj in range(si + 1, min(len(spans), si + 6)):
            if "\n" in text[spans[sj - 1][1]:spans[sj][0]]:
                break
            later = text[spans[sj][0]:spans[sj][1]]
            backward = cl.closing_tag(later, doc.tokens_of(later))
            if backward is not None:
                break
    nums = find_numbers(sent, tokens)
    par_start = text.rfind("\n", 0, s0) + 1
    in_list = re.match(r"\s*[-–•*]\s", text[par_start:s0 + 2]) is not None
    same_paragraph = si > 0 and "\n" not in text[spans[si - 1][1]:s0]  # the sentence before is in this paragraph
    # "- On September 13, …" after the story: background of the outlet (a list of key points above it is not)
    bullet = in_list and doc.body_seen
    # a paragraph of the story's background: "Earlier, …", «Ранее …», «Напомним, …», or one opening with a date of
    # its own ("5 марта в рамках …"); without an attribution it is the outlet's, not the earlier speaker's
    opener = _DATE_OPENER.match(sent)
    dated = any(d.start <= 3 and not d.period and len(d.iso or "") == 10 and re.search(r"\d", sent[d.start:d.end])
                is not None for d in dates)
    # «В начале октября …» after a speaker has spoken: a month of its own opens the outlet's recap
    month_recap = opener is not None and opener.group(1) is not None and any(
        d.start <= opener.end() and not d.period and len(d.iso or "") == 7 for d in dates)
    # «2 октября Россия и Украина провели обмен …» after a speaker has spoken (published 18 October): a day before the
    # story's own opens the outlet's recap too; the story's own day («12 августа девочка встретилась …») does not
    dated_before = published is not None and any(
        d.start <= 3 and not d.period and len(d.iso or "") == 10 and re.search(r"\d", sent[d.start:d.end]) is not None
        and (d.iso or "") < published.isoformat() for d in dates)
    # "Recall\n\nFrom the northern districts … 2526 people were evacuated.": the paragraph under the outlet's heading
    under_heading = si > 0 and not same_paragraph and _BACKGROUND_HEADING.match(
        text[spans[si - 1][0]:spans[si - 1][1]]) is not None
    # "Russia's Kursk Region came under a massive attack on August 6." (published 16 August), opening a paragraph
    # after the speaker's: an earlier day anywhere in the paragraph's first sentence, no quote, opens the recap too
    recap_day = published is not None and not re.search(r"[«\"“”»]", sent) and any(
        not d.period and len(d.iso or "") == 10 and re.search(r"\d", sent[d.start:d.end]) is not None
        and (published - date.fromisoformat(d.iso or "")).days > 1 and not _PERIOD_EDGE.search(
            sent[max(0, d.start - 16):d.start]) for d in dates)
    # a sentence with a source of its own, also a pronoun's («По его словам, 27 октября …»), is not the outlet's recap
    background = not same_paragraph and not [a for a in attributions if a.claimant or a.is_person_pronoun] and (
        under_heading or doc.body_seen and (_BACKGROUND.match(sent) is not None or dated)
        or (doc.body_seen or (si > 0 and bool(doc.history))) and (month_recap or dated_before or recap_day))
    if not background and same_paragraph and doc.body_seen and _BACKGROUND.match(sent) is not None and not [
            a for a in attributions if a.claimant or a.kind == "impersonal"] and not _in_quote(text[par_start:s0]):
        # «Про це повідомив X. … Раніше вдалося врятувати ще чотирьох дітей.»: "earlier" with no speaker of its own
        # turns from the speaker's statement to the outlet's background, also inside the speaker's paragraph
        background = True
    bullet = bullet or background
    excluded = _excluded(sent) + [(d.start, d.end, "a date") for d in dates]
    persons = {i for i, t in enumerate(tokens) if t.is_word and nouns.is_person(t)}
    events = ev.find_events(tokens, persons)
    has_people = bool(persons) or bool(_FIGURE_WORDS.search(sent))
    breaks = clause_breaks(sent)
    prev_end = 0
    local_claims: list[Claim] = []
    local_dropped: list[Dropped] = []

    def drop(n: NumberMention, reason: str) -> None:
        local_dropped.append(Dropped(sent[n.start:n.end], s0 + n.start, s0 + n.end, reason))

    shelter_memo: dict[tuple[int, int], str | None] = {}

    def shelter(a: int, b: int) -> str | None:
        """``_shelter`` of this sentence's span ``a``–``b``, read once per span (none anywhere: none in a part)."""
        whole = (0, len(sent))
        if whole not in shelter_memo:
            shelter_memo[whole] = _shelter(tokens, 0, len(sent), doc.lang)
        if shelter_memo[whole] is None:
            return None
        if (a, b) not in shelter_memo:
            shelter_memo[(a, b)] = _shelter(tokens, a, b, doc.lang)
        return shelter_memo[(a, b)]

    # where the last count of something other than people (or its last part) ended, its noun, and whether a part did
    blocked: tuple[int, str, bool] | None = None
    for n in nums:
        hit = next((why for a, b, why in excluded if not (n.end <= a or n.start >= b)), None)
        if hit:
            drop(n, hit)
            continue
        raw = sent[n.start:n.end]
        c0, c1 = clause_bounds(sent, n.start, breaks)
        np = nouns.counted_noun(tokens, n.end, ev.is_event_word)
        if isinstance(n.value, int) and 1900 <= n.value <= 2100 and not re.search(r"[,.\s\u00a0]", raw) \
                and np.kind != "person":
            drop(n, "a year")
            continue
        if _DENIED.search(sent[max(0, n.start - 30):n.start]) and not _NOT_LESS.search(
                sent[max(0, n.start - 30):n.start]) and re.search(r"\bbut\b|\bа\b|\bно\b", sent[n.end:]):
            drop(n, "a figure the speaker denies (“not … but …”)")
            continue
        if np.kind == "block":
            drop(n, np.why)
            if np.head is not None:
                blocked = (np.head.end, np.head.text, False)
            continue
        if np.kind == "bare" and blocked is not None and (
                blocked[2] and _NEXT_PART.fullmatch(sent[blocked[0]:n.start]) or
                not blocked[2] and _PARTS_AFTER.fullmatch(sent[blocked[0]:n.start])):
            # "29 identified prisons—18 in Russia and 11 in occupied Ukraine": parts of a count of something else
            drop(n, f"a part of the count of «{blocked[1]}» before it, not of people")
            blocked = (n.end, blocked[1], True)
            continue
        if n.value is None and np.kind != "person":
            drop(n, f"a vague amount ({n.vague}) of something other than people")
            continue
        if np.kind == "bare":
            n_first_, n_last_ = _token_span(tokens, n.start, n.end)
            verb_after = any(e.role == "verb" and 0 < e.index - n_last_ <= 4 for e in events)
            anaphora_before = bool(re.search(r"(?:of\s+(?:them|whom|those|these)|among\s+(?:them|these)|із\s+них|"
                                             r"з\s+них|из\s+них|серед\s+них|среди\s+них)[\s,—–-]+(?:\w+\s+){0,3}$",
                                             sent[max(0, n.start - 40):n.start], re.I)) or (
                # "449 children …, including five who escaped": a part of the count just before, its noun elided
                bool(local_claims) and _SUBCOUNT.search(sent[max(0, n.start - 40):n.start]) is not None
                and re.match(r"\s+(?:who|які|котрі|которые|кто)\b", sent[n.end:], re.I) is not None) or (
                # «Один ребенок воссоединяется с близкими в РФ и пять – на Украине»: the second conjunct elides the
                # noun and the verb of the first, a dash standing for them
                bool(local_claims) and _ELLIPTIC_AND.search(sent[max(0, n.start - 6):n.start]) is not None
                and _ELLIPTIC_DASH.match(sent[n.end:]) is not None)
            people_here = has_people or nouns.anaphora_after(sent, n.end) or anaphora_before or (
                verb_after and bool(doc.claims or local_claims))
            if n.is_word and not (verb_after or anaphora_before or nouns.anaphora_after(sent, n.end)):
                # "three of them", «троє з них»: a part of people counted before, whatever follows
                drop(n, f"a number word with no person noun ({np.why})")
                continue
            if not people_here:
                drop(n, f"no person noun in the sentence ({np.why})")
                continue
        if _STILL_TO_GO.match(sent, n.end):
            # "478 children have already been evacuated, with 11 more to go": the people still to be moved
            drop(n, "«more to go»: still to be moved, not done")
            continue
        if _COUNT_SPEAKS.match(sent, n.end):
            # "One of the rescued women said that …": the person counted is the speaker, not a count of people moved
            drop(n, "the subject of a speech verb («one of … said»), not a count")
            continue
        trace = Trace()
        trace.add("sentence", f"sentence {si + 1} of {len(spans)}")
        trace.add("number", n.how if n.value is not None else f"{n.how}: kept as a qualitative amount")
        head_idx: int | None = None
        n_first_guess = _token_span(tokens, n.start, n.end)[0]
        if np.head is not None:
            head_idx = next(i for i in range(n_first_guess, len(tokens)) if tokens[i] is np.head)
            trace.add("noun", np.why)
        else:
            trace.add("noun", f"no noun of its own ({np.why}); the sentence speaks about people")
        n_first, n_last = _token_span(tokens, n.start, n.end)
        partitive = not _TOTAL_OF.search(sent[max(0, n.start - 30):n.start]) and bool(
            _PARTITIVE.search(sent[max(0, n.start - 45):n.start])) and bool(
            re.search(r"\d[\d\s,.\u00a0]*(?:[^\W\d]+\s+){0,2}?(?:of|із|з|из|out\s+of)\s+(?:the\s+)?(?:[^\W\d][\w'’]*\s+)?$",
                      sent[max(0, n.start - 45):n.start], re.IGNORECASE))  # "12 of the 339", not "March 22 … of nine"
        event, why = ev.pick(events, tokens, n_first, n_last, head_idx, (c0, c1))
        back = _BACK_IN.match(sent, n.end) if np.kind == "person" else None
        if back is not None and (event is None or event.quantity != "returned"):
            # "Thirty-one children are back in Ukraine after they were taken illegally to Russia": the predicate of
            # being back in Ukraine is the count's, not the taking of the clause after it
            k = next((i for i, t in enumerate(tokens) if t.start == back.start(1)), n_last)
            event = ev.Event(k, k, tokens[k].start, tokens[k].end, "back", "returned", "move", "verb")
            why = f"«{back.group(1)}» after the people counted: back in Ukraine, returned"
        if event is not None and event.quantity == "other" and (alt := ev.or_evacuated(event, events, tokens)):
            # «выехали или эвакуированы», "have left or been evacuated": the sentence calls them evacuated
            event, why = alt, f"«{tokens[event.index].text}» or «{tokens[alt.index].text}»: evacuated, as said"
        if np.kind == "participle" and head_idx is not None and why != "an event noun that governs the number" \
                and not any(t.is_word and nouns.is_person(t) for t in tokens[head_idx + 1:head_idx + 4]):
            head_event = next((e for e in events if e.index <= head_idx <= e.last and e.quantity != "none"), None)
            if head_event is not None:  # «5754 примусово переміщені та депортовані»: the participle is the event
                event, why = head_event, "the participle that stands for the people counted"
        if event is not None and head_idx is not None and event.index < n_first and ev.is_infinitive(event, tokens) \
                and _INTENT.search(sent[max(0, event.start - 40):event.start]):
            # "efforts to return 32 illegally adopted kids": the movement is intended; the participle says who
            described = [e for e in events if n_last < e.index < head_idx and e.quantity != "none"]
            if described:
                event, why = described[0], "an intended movement (an infinitive); the participle describes the people"
        remaining = [e for e in events if e.quantity == "none" and e.role in {"attr", "noun", "verb"} and (
            n_first - 2 <= e.index < n_first or (head_idx is not None and n_last < e.index < head_idx))
            and tokens[e.index].pos in {"PRTF", "ADJF", ""}]
        if remaining and (tokens[remaining[0].index].lang != "en" or tokens[remaining[0].index].lower == "remaining"):
            drop(n, f"people still where they are: «{tokens[remaining[0].index].text}»")
            continue
        if event is not None and event.kind == "arrive" and head_idx is not None:
            # «вернувшиеся из плена восемь курян прибыли в Подмосковье»: the group is defined by its return
            described = [e for e in events if e.quantity in {"returned", "reunited", "deported"} and e.role in {
                "attr", "rel"}
                         and (n_first - 5 <= e.index < n_first or head_idx < e.index <= head_idx + 6)]
            if described:
                event, why = described[0], "a participle of the people counted, before the arrival verb"
        if event is not None and event.quantity == "returned" and event.index < n_first and event.role == "noun" and \
                _INTENT_NOUN.search(sent[max(0, event.start - 45):event.start]):
            # "demanded the return of nearly 20,000 minors from Russia": not returned; held in Russia, or still held
            if not re.search(r"\bfrom\s+russia|з\s+росії|из\s+росси\w*|из\s+рф|з\s+рф", sent, re.I):
                drop(n, f"a return asked for or offered, not done: «{tokens[event.index].text}»")
                continue
            deported = next((e for e in events if e.quantity == "deported"), None)
            event, why = (deported or ev.Event(event.index, event.last, event.start, event.end, "deport", "deported",
                                               "move", "noun")), "a return asked for or offered: the people are held"
        planned = ev.intended(event, tokens) if event is not None and event.kind not in {"doc", "list"} and \
            event.quantity in _MOVEMENTS and not why.startswith("a return asked for") else None
        if planned is not None and event is not None:
            # "plans to deport at least 300 children", «планують вивезти 601 дитину»: not arranged, not a claim
            drop(n, f"a planned or intended movement, not done: «{planned.text}» before «{tokens[event.index].text}»")
            continue
        order = ev.ordered_future(event, tokens, (text[spans[si - 1][0]:s0] if same_paragraph else "") + sent) \
            if event is not None and event.quantity in _MOVEMENTS else None
        if order is not None and event is not None:
            drop(n, f"the people a compulsory evacuation order covers, in the future: «{order.text}» "
                 f"«{tokens[event.index].text}»")
            continue
        if partitive:
            own = [e for e in events if n_last < e.index <= (head_idx or n_last) + 3]
            if not own:
                drop(n, "the base of “X of Y” with no event of its own")
                continue
            event, why = own[0], "the base of “X of Y”: its own participle"
        if event is not None and why in {"the nearest verb of a movement in the sentence",
                                         "the nearest event word in the sentence"}:
            lo, hi = sorted((event.start, n.start))
            seg = _SEGMENT_BREAK.search(sent, lo, hi)
            if seg is not None and seg.group(0) == ";" and ":" in sent[lo:seg.start()]:
                seg = None  # «евакуйовані 134 дитини: із Вільхуватської 33 …; із Великобурлуцької — 101»: a list
            if seg is not None:
                drop(n, "the only event word is across «while» / «;»: not this number's")
                continue
            if any(n.end <= m.start and m.end <= event.start and _OF_THEM.match(sent, m.end) for m in nums):
                # "There were 14,359 children in …, 13,000 of them have left": the part's event, not the whole's
                drop(n, "the only event word is of a part counted after it («… of them»), not of this number")
                continue
        neutral_take = False
        if event is None:
            earlier = [c for c in doc.claims if c.sentence_start < s0]
            restated = np.kind == "person" and _restates(sent, doc.lang)
            if (_FIGURE_WORDS.search(sent[c0:c1]) or _RESTATED.match(sent) or restated) and earlier:
                # "… returned 746 children, but the fate of more than 2,000 is unknown. In October the figure was
                # 387": the figure talked about is the previous sentence's first (its main) count
                topic = next(c for c in earlier if c.sentence_start == earlier[-1].sentence_start)
                quantity, qwhy = topic.quantity, "the figure of the previous sentence, talked about again"
            elif (restated or _THIS_FIGURE.search(sent[c0:c1])) and doc.prev_quantity:
                # «Из Сум вернулись жители области. Речь идёт о 120 человек»: the people of the sentence before
                quantity, qwhy = doc.prev_quantity, "«речь идёт о» / “we are talking about”: the people moved in the " \
                    "sentence before"
            elif not events and same_paragraph and re.search(r"\s[—–]\s", sent[:n.start]) and (gapped := next(
                    (c for c in reversed(doc.claims) if c.sentence_start == spans[si - 1][0]), None)) is not None:
                # «Только за пятницу удалось эвакуировать 32 ребенка. Вчера – 9 взрослых и 4 детей.»: the verb of
                # the sentence before is elided, a dash standing for it
                quantity, qwhy = gapped.quantity, f"an elided verb (a dash, no event word): {gapped.quantity} like " \
                    "the sentence before"
            elif not events and same_paragraph and (opening := _SUBCOUNT_OPEN.match(sent)) is not None and (
                    part_of := next((c for c in reversed(doc.claims) if c.sentence_start == spans[si - 1][0]),
                                    None)) is not None:
                # «В них находятся 5,5 тысячи человек. Из них около тысячи — дети»: a part of the count before
                quantity, qwhy = part_of.quantity, f"a part («{opening.group(0).strip()}») of the count of the " \
                    f"sentence before: {part_of.quantity} like it"
            elif np.kind == "person" and doc.prev_quantity in _MOVEMENTS and _RAISING.search(sent[c0:n.start]):
                # "5 families were returned … «They are raising eight children»", «Вони виховують вісьмох дітей»: the
                # children of the families moved in the sentence before
                quantity, qwhy = doc.prev_quantity, f"the children the families moved before are raising: " \
                    f"{doc.prev_quantity}"
            elif np.kind == "person" and (home := _AT_HOME.match(sent, n.end)) is not None:
                # «Ще троє українських дітей — вдома», "five more children are back home": a predicate of being home
                # again after the count, no verb: returned
                quantity, qwhy = "returned", f"«{home.group(1)}» after the people counted: back home, returned"
            elif np.kind == "person" and (place := shelter(c0, c1)) is not None:
                # «более 4,4 тысяч человек только в 26 ПВР»: people counted in temporary accommodation, no verb
                quantity, qwhy = "other", f"people counted in temporary accommodation («{place}»): displaced"
            elif (np.kind in {"person", "bare"} and (
                    _PART_NEAR.search(sent[max(0, n.start - 30):n.start]) is not None
                    or n.is_word and np.kind == "person" and _ONE_OF.match(sent, n.end) is not None)) and (
                    part_of := _last(local_claims or [
                        c for c in doc.claims if c.sentence_start >= spans[max(0, si - 3)][0]])) is not None:
                # «повернули 23 дітей. … За його словами, серед них, — двоє сестер …», «Ще один з підлітків …»: a
                # part of the people counted a few sentences before, with no event of its own
                quantity, qwhy = part_of.quantity, f"a part of the people counted before ({part_of.value}): " \
                    f"{part_of.quantity} like them"
            else:
                drop(n, "no event word (no movement, return, finding …) in the sentence")
                continue
        else:
            on_list = next((e for e in events if e.kind == "list" and c0 <= e.start < c1 and _ON_LIST.search(
                sent[max(c0, e.start - 8):e.start])), None) if event.quantity == "none" else None
            if on_list is not None:
                # «В списках на воссоединение … находятся 18 детей», "12 children are on the list": being on a list
                # is not staying somewhere, it is the list's count
                event, why = on_list, f"«{tokens[event.index].text}» on a list: the list counts the people"
            pending = ev.still_to_do(event, events, tokens)
            if pending is not None:
                drop(n, f"not done yet: «{pending.lemma}» before the infinitive «{event.lemma}»")
                continue
            comp = ev.complement(event, events)
            if comp is not event and event.quantity == "none" and ev.is_infinitive(comp, tokens):
                # "652 children remain to be evacuated": the state verb before an infinitive, not done yet
                drop(n, f"not done yet: «{event.lemma}» before the infinitive «{comp.lemma}»")
                continue
            if comp is not event and comp.quantity in _MOVEMENTS and (risk := ev.intended(comp, tokens)) is not None:
                # "are at high risk of being deported": the state verb's movement is feared, not done
                drop(n, f"a planned, feared or intended movement, not done: «{risk.text}» before «{comp.lemma}»")
                continue
            event = comp
            quantity, qwhy = ev.quantity_of(event, tokens, _dest(sent, n, nums, c0, c1, event))
            neutral_take = event.kind == "take" and quantity == "deported" and qwhy.endswith("→ deported")
            if neutral_take and doc.ru_source_par == par_start and not ev.ua_agent(sent) and (
                    _dest(sent, n, nums, c0, c1, event) in {"", "RU"}):
                # «Начинаем вывозить детей из Шебекинского округа. … первые триста детей будут отправлены в
                # Воронеж»: the paragraph's movement out of a place in Russia goes on
                quantity, qwhy = "evacuated", f"{qwhy}; but the paragraph moves people out of a place in Russia: " \
                    "evacuated"
                neutral_take = False
            if event.negated and re.search(r"(?:\bbut|\bа|\bно|\bлише|\bлишь|\bonly)\s+(?:[^\W\d]+\s+){0,2}$",
                                           sent[max(0, n.start - 25):n.start], re.I):
                # "not 33 children return, as planned, but 31": the figure after "but" is affirmed
                quantity, qwhy = ev.quantity_of(
                    ev.Event(event.index, event.last, event.start, event.end, event.lemma, event.quantity,
                             event.kind, event.role), tokens, _dest(sent, n, nums, c0, c1, event))
                qwhy = f"after «not … but»: {qwhy}"
            trace.add("event", f"{event.describe()}: {why}")
            part = _SUBCOUNT.search(sent[max(0, n.start - 40):n.start])
            if part and local_claims and (not c0 <= event.start < c1 or (
                    quantity == "other" and event.kind == "take" and local_claims[-1].quantity == "evacuated")):
                # (also «евакуйовано 23 особи, з них вісім людей виїхали потягами»: evacuees leaving, evacuated)
                # «всиновили 1 700 дітей, серед них 90 дітей, які постраждали»: a part of the count before it
                quantity = local_claims[-1].quantity
                qwhy = f"«{part.group('w')}»: a part of the count before, {quantity} like it"
            if quantity == "none" and event.lemma in _STAYING and not event.negated and (
                    place := shelter(0, len(sent)) or _shelter_before(doc, si, spans, sent, event)
            ) is not None:
                rel = next((e for e in events if e.role == "rel" and n.end <= e.start < event.start
                            and e.quantity in _MOVEMENTS and not e.negated), None)
                if rel is not None:
                    # "2,000 people who were evacuated … are now staying at temporary accommodation centers": the
                    # relative clause states the people's movement
                    event = rel
                    quantity, qwhy = ev.quantity_of(rel, tokens, _dest(sent, n, nums, c0, c1, rel))
                    qwhy = f"{qwhy} (a relative clause before the stay in «{place}»)"
                else:
                    # "people staying at temporary accommodation centers", «находятся в пунктах временного
                    # размещения»: evacuees there are displaced people, not people who remained where they lived
                    quantity, qwhy = "other", f"«{event.lemma}» in temporary accommodation («{place}»): displaced"
            if quantity == "none":
                drop(n, f"not a movement: {qwhy}")
                continue
        if np.captive and quantity != "returned":
            # "the ICRC visited 3,000 prisoners of war", "killed 40 soldiers": captives count only as returned
            drop(n, f"captives or servicemen («{np.head.text if np.head else ''}») not exchanged, released or "
                    f"returned ({quantity})")
            continue
        trace.add("quantity", qwhy)
        claimant, cwhy, chosen = _claimant(doc, sent, n, attributions, backward, bare=np.kind == "bare",
                                           bullet=bullet, same_paragraph=same_paragraph)
        trace.add("claimant", cwhy)
        own_dates = _own_dates(sent, dates, breaks, tokens, events, event, c0, c1)
        as_of, awhy = _as_of(n, own_dates, c0, c1, chosen, backward, backward_date, published, sent,
                             doc.last_date if _SAME_DAY.search(sent) else None)
        if awhy == _NO_DATE and chosen is not None and doc.last_statement and doc.last_statement[0] == claimant and (
                chosen.is_person_pronoun or cl._is_pronoun(chosen.claimant)):
            # "On 3 March, Moskalkova said … She noted that …": the same statement, of the date given before
            as_of, awhy = doc.last_statement[1], f"«{chosen.claimant or 'her/his words'}» goes on with the statement " \
                f"of {doc.last_statement[1]} by {claimant}"
        trace.add("as_of", awhy)
        weekday = any(d.weekday and c0 <= d.start < c1 and not re.search(
            r"\b(?:said|told|announced|заяв\w*|повідом\w*|сообщ\w*)\W+(?:\w+\W+){0,2}$",
            sent[max(0, d.start - 30):d.start], re.I) for d in dates)
        scope, swhy = scope_of(sent[c0:c1], sent[:n.start], sent, weekday, quantity)
        trace.add("scope", swhy)
        dest = _dest(sent, n, nums, c0, c1)
        direction = ev.direction(quantity, dest)
        if direction:
            trace.add("direction", f"{direction} from the quantity{' and the destination ' + dest if dest else ''}")
        qual = qualifier(sent, c0, n, prev_end)
        local_claims.append(Claim(
            value=n.value, qualifier=qual, quantity=quantity, direction=direction, claimant=claimant, as_of=as_of,
            scope=scope, start=s0 + n.start, end=s0 + n.end, text=sent, sentence_start=s0,
            subject=np.head.text if np.head else "", lang=doc.lang, trace=trace))
        prev_end = n.end
        if neutral_take and (dest == "RU" or ev.names_russia_as_destination(sent)):  # "… into Russia"
            doc.neutral_takes.append(local_claims[-1])
        elif neutral_take and not dest and not ev.ua_agent(sent):
            doc.placeless_takes.append(local_claims[-1])  # «вивезли 268 дітей», with no destination and no agent
    for c in local_claims:
        c.trace.dropped = list(local_dropped)
    doc.claims += local_claims
    doc.dropped += local_dropped
    if any(e.quantity == "evacuated" and e.kind not in {"take", "arrive"} and not e.negated for e in events):
        # "Russia says the people have been evacuated": who frames the movements of this text as evacuation
        doc.evacuation_framers += [a.claimant for a in attributions if a.claimant and a.kind in {"speech", "according"}]
        doc.evacuation_framers += [c.claimant for c in local_claims if c.claimant and c.quantity == "evacuated"]
    if any(e.quantity in _MOVEMENTS | {"other"} and not e.negated for e in events) and not ev.ua_agent(sent) and \
            ev.from_russian_place(sent) is not None:
        doc.ru_source_par = par_start  # «вывозить детей из Шебекинского и Грайворонского округов»
    moves = [e for e in events if e.role == "verb" and e.quantity in _MOVEMENTS and not e.negated] or [
        # «обнародовала данные о числе местных жителей, вывезенных из …»: the people's movement in a participle
        e for e in events if e.role in {"attr", "rel"} and e.quantity in _MOVEMENTS and not e.negated
        and any(0 < e.index - p <= 3 for p in persons)]
    if moves:
        doc.prev_quantity = ev.quantity_of(moves[0], tokens, "")[0]
    elif nums or not attributions:
        doc.prev_quantity = None  # «Об этом сообщила X.» (the source only) keeps the people of the sentence before
    headline = si == 0 and not re.search(r"[.!?]\W*$", sent)
    doc.body_seen = doc.body_seen or bool(local_claims and not headline and not in_list)
    full_dates = [d for d in dates if not d.period and d.iso]
    doc.last_date = full_dates[0].iso if full_dates else (doc.last_date if _SAME_DAY.search(sent) else None)
    _remember(doc, attributions, backward)
    if backward is None:
        _remember_issuer(doc, sent, attributions)
    if background and doc.outlet:
        doc.prev_claimant = doc.outlet  # the background goes on in its paragraph
    _remember_statement(doc, sent, attributions, dates)


def _claimant(doc: _Doc, sent: str, n: NumberMention, attributions: list[cl.Attribution],
              backward: cl.Attribution | None, bare: bool = False,
              bullet: bool = False, same_paragraph: bool = False) -> tuple[str | None, str, cl.Attribution | None]:
    seg0 = max([m.end() for m in _SEGMENT_BREAK.finditer(sent, 0, n.start)] or [0])
    seg_next = _SEGMENT_BREAK.search(sent, n.end)
    seg1 = seg_next.start() if seg_next else len(sent)
    # ", after which X reported another 25": a speaker of a later clause linked in time does not speak for the number
    # before the link
    later = [a for a in attributions if a.start > n.end and _LATER_CLAUSE.search(sent[n.end:a.start])]
    attributions = [a for a in attributions if a not in later] or attributions
    pool = [a for a in attributions if seg0 <= a.start < seg1] or attributions
    chosen: cl.Attribution | None = None
    how = ""
    speech = [a for a in pool if a.kind == "speech"]
    if any(not lexicon.is_media(a.claimant) for a in speech):
        speech = [a for a in speech if not lexicon.is_media(a.claimant)]  # "X said, пишет РИА Новости": X speaks
    according = [a for a in pool if a.kind == "according"]
    if not speech and not according and any(a.kind == "impersonal" for a in pool):
        return doc.outlet, "an impersonal report («it was reported», «повідомлялося»): the outlet", None
    if speech and according and all(lexicon.is_media(a.claimant) for a in according):
        according = []  # "X said …, according to TASS": the agency relays X
    closing = [a for a in speech if a.start > n.end and re.search(r"[»\"”]", sent[n.end:a.start])]
    if closing and according:
        # "“According to the state portal …, 1,214 children are considered missing,” the press service said.": the
        # source named inside the quote is the speaker's, and the speaker who closes the quote makes the claim
        according = [a for a in according if not _in_quote(sent[:a.start])]
    for cand, label in ((according, "“according to” / «за даними»"), (speech, "a speech verb")):
        if cand:
            chosen, how = min(cand, key=lambda a: abs(a.start - n.start)), label
            break
    if chosen is None and backward is not None:
        chosen, how = backward, "«Про це повідомив …» in the next sentence"
    if chosen is None:
        weak = [a for a in pool if a.kind == "weak"]
        if weak:
            chosen, how = min(weak, key=lambda a: abs(a.start - n.start)), "a documenting verb"
    if chosen is not None and chosen.kind == "speech" and chosen.claimant and n.end <= chosen.start:
        at = sent.rfind(chosen.claimant, 0, chosen.start)
        if 0 <= at <= n.start and n.end <= at + len(chosen.claimant):
            # «одна из возвращенных в Россию жительниц рассказала ТАСС»: the speaker is the one counted, not the
            # source of the count; the outlet reports her
            return doc.outlet, f"the speaker («{chosen.claimant}») is the one counted: the outlet", None
    if chosen is not None:
        if chosen.is_person_pronoun or cl._is_pronoun(chosen.claimant) or not chosen.claimant:
            pron = chosen.claimant or (re.findall(r"\w+", sent[chosen.start:chosen.end]) + [""])[1]
            # «Про це повідомив X, передає "Думка". За його даними, …»: the outlet relaying is not «його»
            history = [h for h in doc.history if _bare_name(h) != _bare_name(doc.outlet or "")] or doc.history
            resolved = cl.resolve_reference(pron, history) if pron else (history[-1] if history else None)
            if resolved:
                return resolved, f"{how}: «{pron or 'a verb with no subject'}» refers to {resolved}", chosen
            return doc.outlet, f"{how}: «{pron}» with no earlier claimant; the outlet", chosen
        resolved = cl.resolve_reference(chosen.claimant, doc.history)
        if resolved and resolved != chosen.claimant:
            return resolved, f"{how}: «{chosen.claimant}» refers to {resolved}", chosen
        return chosen.claimant, f"{how}: {chosen.claimant}", chosen
    issuer = cl.release_dateline(sent)
    if issuer and issuer != doc.outlet:
        # "Geneva (ICRC) - The ICRC is seeking to clarify the fate of 23,000 persons": the dateline's issuer
        return issuer, f"no attribution in the sentence; its dateline names the issuer, {issuer}", None
    if doc.last_according and (bare or (same_paragraph and doc.last_according_only)):
        return (doc.last_according, "the figures go on from the sentence before, which gave their source "
                "(“according to …”)", None)
    if bullet and doc.outlet:
        return doc.outlet, "a background item of a list, with no attribution: the outlet", None
    if doc.prev_claimant:
        return doc.prev_claimant, "no attribution in the sentence: the claimant of the sentence before", None
    if doc.outlet:
        return doc.outlet, _OUTLET_FALLBACK, None
    return None, "no attribution and no outlet", None


def _bare_name(s: str) -> str:
    return re.sub(r"[\W_]+", " ", s.lower()).strip()


def _remember_statement(doc: _Doc, sent: str, attributions: list[cl.Attribution], dates: list[DateMention]) -> None:
    """The date of the latest statement, where the sentence dates its speech verb ("On 3 March, X said",
    "X said on Friday"), for the pronouns that go on with it."""
    speech = [a for a in attributions if a.kind == "speech" and (a.claimant or a.is_person_pronoun)]
    if not speech:
        return
    a = speech[0]
    usable = [d for d in dates if not d.period and d.iso and len(d.iso) == 10]
    # (a date opening the sentence dates its speaker's verb over a long title: «24 июля помощник президента РФ
    # Владимир Мединский сказал»)
    near = [d for d in usable if (d.end <= a.start and (a.start - d.end <= 40 or d.start <= 3 and a.start - d.end <= 90)
                                  and not re.search(r"[.;,]" if a.start - d.end > 40 else r"[.;]",
                                                    sent[d.end:a.start]))
            or (d.start >= a.end and d.start - a.end <= 15)]
    named = a.claimant and not a.is_person_pronoun and not cl._is_pronoun(a.claimant)
    if named:
        who = cl.resolve_reference(a.claimant, doc.history[:-1]) or a.claimant
        doc.last_statement = (who, near[0].iso) if near and near[0].iso else None
    elif near and near[0].iso and doc.last_statement:
        doc.last_statement = (doc.last_statement[0], near[0].iso)


def _remember(doc: _Doc, attributions: list[cl.Attribution], backward: cl.Attribution | None) -> None:
    named = [a for a in attributions if a.claimant and not a.is_person_pronoun and not cl._is_pronoun(a.claimant)]
    according = [a for a in named if a.kind == "according"]
    doc.last_according = according[-1].claimant if according else None
    # "According to the MFA, 42,000 are missing. In Russia, 20,000 children were deported …": the source goes on,
    # unless the sentence also had its own speaker ("The Assembly noted that, according to Kyiv, …")
    doc.last_according_only = bool(according) and not any(a.kind == "speech" for a in named)
    this: str | None = None
    for a in sorted(named, key=lambda a: a.start):
        doc.history.append(cl.resolve_reference(a.claimant, doc.history) or a.claimant)
    if backward is not None and backward.claimant and not cl._is_pronoun(backward.claimant):
        doc.history.append(backward.claimant)
        this = backward.claimant
    speakers = [a for a in named if a.kind != "according"] or (named if not doc.prev_claimant else [])
    if any(not lexicon.is_media(a.claimant) for a in speakers):
        speakers = [a for a in speakers if not lexicon.is_media(a.claimant)]  # the agency relays the speaker
    if not named and any(a.kind == "impersonal" for a in attributions) and doc.outlet:
        doc.prev_claimant = doc.outlet
        return
    if speakers:  # "according to X" holds for its own sentence; a speaker goes on speaking
        last = sorted(speakers, key=lambda a: a.start)[-1].claimant
        this = cl.resolve_reference(last, doc.history[:-1]) or last
    elif attributions and doc.history and not doc.prev_claimant:
        this = doc.history[-1]
    doc.prev_claimant = this or doc.prev_claimant


def _remember_issuer(doc: _Doc, sent: str, attributions: list[cl.Attribution]) -> None:
    """A sentence opening with an issuer's dateline and naming no source: the issuer speaks on."""
    issuer = cl.release_dateline(sent)
    if issuer and issuer != doc.outlet and not [a for a in attributions if a.claimant or a.is_person_pronoun]:
        doc.history.append(issuer)
        doc.prev_claimant = issuer


def analyse(text: str, published: date | None = None, outlet: str | None = None,
            lang: str | None = None) -> Result:
    """Every numeric claim in ``text`` and every number that was dropped, with the reasons."""
    lang = lang or detect_language(text)
    doc = _Doc(text, published, outlet or cl.dateline_outlet(text), lang)
    spans = split_sentences(text)
    for si in range(len(spans)):
        _sentence(doc, si, spans)
    _headline_source(doc, spans)
    _speaker_framing(doc)
    _evacuation_text(doc)
    return Result(doc.claims, doc.dropped)


# (not "forcibly" nor «примусов…»: "forced evacuation", «примусова евакуація» are evacuations)
_DEPORTATION_WORDS = re.compile(r"deport|abduct|kidnap|illegal|unlawful|stolen|депорт|викра|викрад|незаконн|насильн|"
                                r"похищ|похит|угна|вывезли\s+в\s+росси|вивезли\s+до\s+рос", re.IGNORECASE)


def _evacuation_text(doc: _Doc) -> None:
    """A take with no destination («із прифронтових територій вивезли 268 дітей») in a text that speaks of evacuation
    and of no deportation is the text's evacuation, not a deportation (the speaker's framing, as in the guideline)."""
    if not doc.placeless_takes or _DEPORTATION_WORDS.search(doc.text) or not re.search(
            r"evacuat|евакуа|евакуй|эвакуа|эвакуир", doc.text, re.IGNORECASE):
        return
    for c in doc.placeless_takes:
        c.quantity, c.direction = "evacuated", ""
        c.trace.steps = [(st, f"{note}; but the text speaks of evacuation and of no deportation: evacuated")
                         if st == "quantity" else (st, note) for st, note in c.trace.steps]


def _speaker_framing(doc: _Doc) -> None:
    """A neutral "transported to Russia" (a take verb, no framing word in its sentence, towards Russia) said by the
    Russian side is
    that side's evacuation where the same text has it call the movement so ("Russia says the people have been
    evacuated"): the quantity follows the speaker's framing, as the annotation guideline has it."""
    framers = [f for f in doc.evacuation_framers if lexicon.is_russian_side(f)]
    if not framers:
        return
    for c in doc.neutral_takes:
        if lexicon.is_russian_side(c.claimant):
            c.quantity = "evacuated"
            c.trace.steps = [(st, f"{note}; but the speaker's side calls it evacuation in this text (“{framers[0]}”)")
                             if st == "quantity" else (st, note) for st, note in c.trace.steps]


_OUTLET_FALLBACK = "no attribution in the text so far: the outlet"


def _headline_source(doc: _Doc, spans: list[tuple[int, int]]) -> None:
    """A headline with no attribution of its own sums up the story: its figures are the source's of the lead
    (the first claim of the next three sentences whose claimant the text names), not the outlet's."""
    if not spans or re.search(r"[.!?]\W*$", doc.text[spans[0][0]:spans[0][1]]):
        return
    head = [c for c in doc.claims if c.sentence_start == spans[0][0]]
    if not head or not all(dict(c.trace.steps).get("claimant") == _OUTLET_FALLBACK for c in head):
        return
    limit = spans[min(3, len(spans) - 1)][1]
    lead = next((c for c in doc.claims if spans[0][1] <= c.sentence_start < limit and c.claimant and
                 dict(c.trace.steps).get("claimant") != _OUTLET_FALLBACK), None)
    if lead is None:
        return
    for c in head:
        c.claimant = lead.claimant
        undated = dict(c.trace.steps).get("as_of") == _NO_DATE
        if undated:
            c.as_of = lead.as_of
        c.trace.steps = [(st, f"a headline with no attribution: the source of the lead, {lead.claimant}")
                         if st == "claimant" else
                         (st, f"a headline with no date: the as-of date of the lead, {lead.as_of}")
                         if st == "as_of" and undated else (st, note) for st, note in c.trace.steps]


def extract(text: str, published: date | None = None, outlet: str | None = None,
            lang: str | None = None) -> list[Claim]:
    """Every numeric claim about people moved by the war in ``text``."""
    return analyse(text, published, outlet, lang).claims
