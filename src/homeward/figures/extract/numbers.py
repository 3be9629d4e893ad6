"""Step 2: number reading — digits (with comma, point, space, no-break or thin-space groups and scale words:
"1.5 million", "5,6 тисячі", "2 тыс."), number words by lemma ("eleven", «одинадцять», «п'ятеро», «двоє»,
«шістьох», "a thousand"), vague amounts ("thousands", «кілька тисяч»), and the qualifier before a number
("more than", «понад», «около»)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from homeward.figures.extract import lexicon
from homeward.figures.extract.lemmas import Token

_NUM = re.compile(
    r"(?<![\w.,\u00a0\u2009\u202f/-])"
    r"(\d{1,3}(?:(?:,|\.|[ \u00a0\u2009\u202f])\d{3})+(?![\d])|\d+)"
    r"(?:[.,](\d+))?(?![\w])(?!-\w)"
)
_SCALE = re.compile(
    r"[ \u00a0\u2009\u202f]*(?:-?\s*)?(million|millions|mln|m|billion|bn|thousand|thousands|k|"
    r"мільйон\w*|млн\.?|мільярд\w*|млрд\.?|тисяч\w*|тис\.?|"
    r"миллион\w*|миллиард\w*|тысяч\w*|тыс\.?)(?![\w])\.?",
    re.IGNORECASE,
)
_SCALE_VALUE = [("мільярд", 10**9), ("млрд", 10**9), ("миллиард", 10**9), ("billion", 10**9), ("bn", 10**9),
                ("мільйон", 10**6), ("миллион", 10**6), ("млн", 10**6), ("million", 10**6), ("mln", 10**6),
                ("m", 10**6), ("тисяч", 1000), ("тис", 1000), ("тысяч", 1000), ("тыс", 1000),
                ("thousand", 1000), ("k", 1000)]
_VAGUE = re.compile(
    r"\b(?:(?:many|several|some|tens\s+of|hundreds\s+of|кілька|декілька|десятки|сотні|несколько|сотни)\s+)?"
    r"(?:dozens|hundreds|thousands|millions|десятки|десятків|сотні|сотень|тисячі|тисяч|мільйони|сотни|сотен|"
    r"тысячи|тысяч|миллионы|кількасот|несколько\s+сотен)\b",
    re.IGNORECASE,
)


@dataclass
class NumberMention:
    start: int
    end: int
    value: int | float | None
    is_word: bool = False
    vague: str = ""
    has_scale: bool = False
    how: str = ""  # how it was read, for the trace


def parse_digits(intpart: str, frac: str | None, scale: str | None) -> int | float:
    grouped = re.fullmatch(r"\d{1,3}(?:[,.\s\u00a0\u2009\u202f]\d{3})+", intpart)
    digits = re.sub(r"[^\d]", "", intpart)
    value: float = float(digits) if grouped else float(intpart)
    if frac:
        value = float(f"{digits}.{frac}")
    if scale:
        s = scale.lower().rstrip(".")
        for stem, mult in _SCALE_VALUE:
            if s.startswith(stem) and (stem != "m" or s == "m") and (stem != "k" or s == "k"):
                value *= mult
                break
    return int(value) if abs(value - round(value)) < 1e-6 else value


def _digits(sentence: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    for m in _NUM.finditer(sentence):
        intpart, frac = m.group(1), m.group(2)
        # "1,150" and "19.546" are thousands; "1,5" and "5,6" are decimals
        if frac and len(frac) == 3 and re.fullmatch(r"\d{1,3}", intpart) and not _SCALE.match(sentence, m.end()):
            intpart, frac = intpart + "," + frac, None
        end = m.end()
        scale = None
        sm = _SCALE.match(sentence, end)
        if sm and not (sm.group(1).lower() in {"m", "k"} and re.match(r"\s", sentence[end:end + 1])):
            scale = sm.group(1)
            end = sm.end()
        if sentence[end - 1:end] == "." and not scale:
            end -= 1
        value = parse_digits(intpart, frac, scale)
        out.append(NumberMention(m.start(), end, value, has_scale=bool(scale),
                                 how=f"digits «{sentence[m.start():end]}» = {value}"))
    # "9 тис. 200 осіб", "2 thousand 500": a scaled thousand followed by the hundreds
    merged: list[NumberMention] = []
    for n in out:
        prev = merged[-1] if merged else None
        if prev is not None and prev.has_scale and not n.has_scale and isinstance(n.value, int) and n.value < 1000 \
                and re.fullmatch(r"[\s\u00a0]+", sentence[prev.end:n.start]) \
                and re.search(r"(?:тис|тыс|thousand)\w*\.?$", sentence[prev.start:prev.end], re.I) \
                and isinstance(prev.value, int) and prev.value % 1000 == 0:
            total = prev.value + n.value
            merged[-1] = NumberMention(prev.start, n.end, total, has_scale=True,
                                       how=f"digits «{sentence[prev.start:n.end]}» = {total}")
        else:
            merged.append(n)
    return merged


# «одни родственники уехали», «одні батьки»: the plural of «один» is "some", not the number one
_PLURAL_ONE = frozenset({"одни", "одних", "одним", "одними", "одні", "одніх", "ones"})


# the ordinal units that end a compound ordinal after a tens word: «семьдесят первым ребенком, которого нам удалось
# воссоединить» (the 71st child reunited counts 71), «сімдесят першою», "seventy-first"; alone (no tens before) an
# ordinal is no number ("the first group")
_ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "первый": 1, "второй": 2, "третий": 3, "четвёртый": 4, "четвертый": 4, "пятый": 5, "шестой": 6, "седьмой": 7,
    "восьмой": 8, "девятый": 9, "перший": 1, "другий": 2, "третій": 3, "четвертий": 4, "п'ятий": 5, "п’ятий": 5,
    "шостий": 6, "сьомий": 7, "восьмий": 8, "дев'ятий": 9, "дев’ятий": 9,
}


def _ordinal_unit(tok: Token) -> int | None:
    return next((_ORDINAL_UNITS[lem] for lem in sorted(tok.lemmas) if lem in _ORDINAL_UNITS), None)


def _numeral(tok: Token) -> tuple[int, str] | None:
    if tok.lower in _PLURAL_ONE:
        return None
    table = lexicon.numerals(tok.lang)
    for lemma in tok.lemmas:
        if lemma in table:
            return table[lemma]
    parts = tok.lower.replace("‑", "-").split("-")
    if len(parts) == 2:  # "thirty-one", "Twenty-five": tens and a unit in one token
        tens, unit = table.get(parts[0]), table.get(parts[1])
        if unit is None and parts[1] in _ORDINAL_UNITS:
            unit = (_ORDINAL_UNITS[parts[1]], "unit")  # "the seventy-first child": tens and an ordinal unit
        if tens and unit and tens[1] == unit[1] == "unit" and tens[0] in range(20, 100, 10) and 0 < unit[0] < 10:
            return tens[0] + unit[0], "unit"
    return None


def _words(sentence: str, tokens: list[Token], taken: list[NumberMention]) -> list[NumberMention]:
    """Runs of number words: "twenty-five" (two tokens), "a thousand", «двісті п'ятдесят», «шістьох»."""
    out: list[NumberMention] = []
    words = [t for t in tokens if t.is_word]
    i = 0
    while i < len(words):
        j, total, current, used = i, 0, 0, False
        while j < len(words):
            tok = words[j]
            num = _numeral(tok)
            if num is not None and num[1] == "unit":
                current += num[0]
                used = True
            elif num is None and used and current in range(20, 100, 10) and (ord_unit := _ordinal_unit(tok)):
                current += ord_unit  # «семьдесят первым»: a compound ordinal ends the number
                j += 1
                break
            elif num is not None and (used or (j > i and words[j - 1].lower == "a")):
                if num[0] == 100:
                    current = (current or 1) * 100
                else:
                    total += (current or 1) * num[0]
                    current = 0
                used = True
            elif tok.lower == "a" and j + 1 < len(words) and (_numeral(words[j + 1]) or (0, ""))[1] == "mult":
                pass
            elif tok.lower in {"and", "і", "и"} and used and j + 1 < len(words) and _numeral(words[j + 1]) \
                    and (total or current >= 100):
                pass
            else:
                break
            j += 1
        if used:
            a, b = words[i].start, words[j - 1].end
            if not any(not (b <= n.start or a >= n.end) for n in taken):
                value = total + current
                table = lexicon.numerals(words[i].lang)
                lemmas = " ".join(next((lem for lem in sorted(t.lemmas) if lem in table), t.lower) for t in words[i:j])
                out.append(NumberMention(a, b, value, is_word=True,
                                         how=f"number word «{sentence[a:b]}» (lemma {lemmas}) = {value}"))
            i = j
        else:
            i += 1
    return out


# «около тысячи», «более тысячи», «понад тисячу»: after a qualifier governing it, «тысячи» / «тисячі» is the genitive of
# one thousand, not the plural "thousands" (which stays vague: «тысячи людей», «несколько тысяч»)
_ONE_THOUSAND = re.compile(r"\b(?:около|более|свыше|менее|почти|порядка|близько|понад|більше|майже|менше)\s+"
                           r"(тысяч[иау]|тисяч[іау]|сотн[иію])\b", re.IGNORECASE)
# «вывезут сотню детей», «сотня дітей»: the singular of «сотня» is a hundred (the plural «сотни», «сотні» stays vague)
_ONE_HUNDRED = re.compile(r"\b(сотн(?:ю|я|ей|ею))\b", re.IGNORECASE)
# «Первую тысячу жителей … вывезли», «першу тисячу»: the singular of «тысяча», after an ordinal or in the accusative
_ONE_THOUSAND_SG = re.compile(r"\b(?:(?:перв\w*|перш\w*)\s+)?(тысячу|тисячу)\b|\b(?:первой|первая|перша|першої)\s+"
                              r"(тысячи|тысяча|тисячі|тисяча)\b", re.IGNORECASE)


_RANGE_LINK = re.compile(r"\s*(?:до|по|–|—|-|to|and|і|и|та)\s*", re.IGNORECASE)


def find_numbers(sentence: str, tokens: list[Token]) -> list[NumberMention]:
    out = _digits(sentence)
    out += _words(sentence, tokens, out)
    for m in _ONE_THOUSAND.finditer(sentence):
        if not any(not (m.end(1) <= n.start or m.start(1) >= n.end) for n in out):
            hundred = m.group(1).lower().startswith("сотн")
            out.append(NumberMention(m.start(1), m.end(1), 100 if hundred else 1000, is_word=True,
                                     how=f"«{m.group(1)}» after «{m.group(0).split()[0]}»: one "
                                         f"{'hundred' if hundred else 'thousand'}"))
    for m in _ONE_THOUSAND_SG.finditer(sentence):
        g = 1 if m.group(1) else 2
        if not any(not (m.end(g) <= n.start or m.start(g) >= n.end) for n in out):
            out.append(NumberMention(m.start(g), m.end(g), 1000, is_word=True, how=f"«{m.group(g)}»: a thousand"))
    for m in _ONE_HUNDRED.finditer(sentence):
        if not any(not (m.end(1) <= n.start or m.start(1) >= n.end) for n in out):
            out.append(NumberMention(m.start(1), m.end(1), 100, is_word=True, how=f"«{m.group(1)}»: a hundred"))
    for m in _VAGUE.finditer(sentence):
        if any(not (m.end() <= n.start or m.start() >= n.end) for n in out):
            continue
        if re.search(r"\d\s*$", sentence[max(0, m.start() - 3):m.start()]):
            continue
        out.append(NumberMention(m.start(), m.end(), None, vague=m.group(0).lower(), how=f"vague «{m.group(0)}»"))
    out.sort(key=lambda n: n.start)
    # «от 4,4 до 19,5 тысячи», "between 1.5 and 2 million": the first number of a range shares the second's scale
    for a, b in zip(out, out[1:], strict=False):
        if a.value is None or b.value is None or a.is_word or b.is_word or \
                not _RANGE_LINK.fullmatch(sentence[a.end:b.start]):
            continue
        raw_a, raw_b = sentence[a.start:a.end], sentence[b.start:b.end]
        unit = next((v for k, v in _SCALE_VALUE if re.search(rf"\d\s*{re.escape(k)}", raw_b, re.I)), None)
        if unit and not re.search(r"[^\d\s,.\u00a0]", raw_a) and a.value < 1000 and a.value * unit <= b.value * 10:
            a.value = round(a.value * unit)
            a.how = f"{a.how}; the scale of the range's end «{raw_b}»"
    return out


_QUALIFIERS: list[tuple[str, str]] = [
    (r"just\s+under|just\s+below|slightly\s+(?:fewer|less)\s+than|трохи\s+менше(?:\s+ніж)?|чуть\s+меньше|"
     r"немногим\s+меньше", "just under"),
    (r"as\s+many\s+as|as\s+much\s+as|аж", "as many as"),
    (r"more\s+than|(?<!handed\s)(?<!handing\s)(?<!turned\s)(?<!taken\s)(?<!hand\s)over|in\s+excess\s+of|"
     r"upwards\s+of|just\s+over|exceed\w*|topp\w*|surpass\w*|"
     r"понад|більше\s+ніж|більш\s+ніж|більше\s+за|більше|перевищ\w*|понад\s+як|"
     r"более\s+чем|более|свыше|больше|превыша\w*|превысил\w*|с\s+лишним", "more than"),
    (r"at\s+least|no\s+(?:fewer|less)\s+than|not\s+less\s+than|a\s+minimum\s+of|"
     r"щонайменше|принаймні|не\s+менше(?:\s+ніж)?|не\s+менш\s+ніж|як\s+мінімум|мінімум|"
     r"не\s+менее|по\s+меньшей\s+мере|как\s+минимум|минимум", "at least"),
    (r"up\s+to|as\s+high\s+as|(?:may|might|could|може|может|могла|могло|можуть|могут)\s+"
     r"(?:reach|exceed|be\s+as\s+high\s+as|сягати|сягнути|досягати|досягти|достигать|достичь|составлять)", "up to"),
    (r"approaching|close\s+to|nearing|наближа\w*|приближа\w*", "approaching"),
    (r"nearly|almost|майже|мало\s+не|почти|практически", "nearly"),
    (r"fewer\s+than|less\s+than|under|below|менше\s+ніж|менше|менее|меньше", "less than"),
    (r"about|around|approximately|roughly|some|an\s+estimated|estimated|circa|c\.|~|близько|приблизно|"
     r"орієнтовно|порядку|около|примерно|приблизительно|порядка|ориентировочно", "about"),
]
_QUAL_RES = [(re.compile(rf"(?:^|\b|\s)(?:{p})\s*$", re.IGNORECASE), q) for p, q in _QUALIFIERS]


def qualifier(sentence: str, clause_start: int, num: NumberMention, prev_end: int) -> str:
    if num.vague:
        return num.vague
    before = sentence[max(clause_start, prev_end, num.start - 40):num.start]
    if re.search(r"\bbetween\s+[\d.,\s\u00a0]+(?:\w+\s+)?and\s+$|\b(?:від|от|між|между)\s+[\d.,\s\u00a0]+"
                 r"(?:\w+\s+)?(?:до|і|и)\s+$", sentence[max(0, num.start - 50):num.start], re.I):
        return "between"
    if re.search(r"(?:^|\s)(?:between|від|от|між|между)\s*$", before, re.I) and re.match(
            r"[\s\u00a0]*(?:and|to|до|і|и|-|–)\s*\d", sentence[num.end:num.end + 8], re.I):
        return "between"
    if re.search(r"(?:^|[\s,])до\s*$", before, re.I) and re.search(
            r"(?:сягати|може|могут|можуть|может)\s+до\s*$", before, re.I):
        return "up to"
    for rx, q in _QUAL_RES:
        if rx.search(before):
            return q
    after = sentence[num.end:num.end + 25]
    if re.match(r"\s*(?:\w+\s+)?(?:or\s+more|and\s+more|plus|і\s+більше|или\s+более|и\s+более|с\s+лишним|"
                r"з\s+гаком)\b", after, re.I):
        return "more than"
    return ""
