"""Step 6: the claimant, through reported-speech structure.

"according to X", «за даними X», «по данным X», "citing X"; "X said", "X told TASS", ", заявила X",
«сообщила X» (a speech verb of ``speech.tsv``, by lemma, with the noun phrase before it, or after it where
the verb opens a comma clause); "X: «…»"; the next sentence's «Про це повідомив X» / «Об этом сообщил X»;
"X lists / documented" (documenting verbs). Pronouns ("she added", «за її словами») and definite
descriptions ("the ministry", «омбудсмен») resolve to the latest claimant that fits; a sentence with no
attribution keeps the claimant of the sentence before; failing all, the outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from homeward.figures.extract import lexicon
from homeward.figures.extract.dates import _WEEKDAYS, MONTH
from homeward.figures.extract.lemmas import Token

_VOICED = re.compile(
    r"(?:за\s+даними|по\s+данным|according\s+to\s+(?:figures|data)),\s*(?:озвученими|оприлюдненими|опублікованими|"
    r"наведеними|озвученным|опубликованным|приведенным|published|released|cited)\s+(?:у|в|на|by|in)\s+", re.IGNORECASE)
_ACCORDING = re.compile(
    r"(?:according\s+to|citing|cited\s+by|as\s+cited\s+by|за\s+(?:[а-яіїєґ'’]+ими\s+){0,2}даними|за\s+словами|"
    r"за\s+оцінками|"
    r"за\s+підрахунками|за\s+інформацією|згідно\s+з\s+даними|як\s+повідомляє|"
    r"по\s+версии|за\s+версією|in\s+the\s+words\s+of|"
    r"по\s+(?:[а-яё]+[ыи]м\s+){0,2}данным|по\s+словам|со\s+слов|зі\s+слів|по\s+оценкам|по\s+подсч[её]там|по\s+информации|"
    r"согласно\s+(?:[а-яё]+[ыи]м\s+){0,2}данным|как\s+сообщает|"
    r"(?:йдеться|говориться|говорится|ідеться)\s+(?:у|в|на)\s+(?:сторінці|сайті|повідомленні|заяві|дописі|странице|"
    r"сайте|сообщении|заявлении|звіті|доповіді|документі|дослідженні|отчете|отчёте|докладе|документе|исследовании)|з\s+посиланням\s+на|со\s+ссылкой\s+на|with\s+reference\s+to|"
    r"(?<=,\s)(?:передає|передает|пише|пишет))\s+(?=[«\"A-ZА-ЯІЇЄҐ])",
    re.IGNORECASE,
)
# «Это следует из отчета правительства области: …», «Це випливає зі звіту …»: the document the figure comes from
_FOLLOWS_FROM = re.compile(r"\b(?:следует|вытекает)\s+из\s+|\b(?:випливає|випливають)\s+(?:з|із|зі)\s+", re.IGNORECASE)
# "Data from the Ukrainian government shows …", "The ministry's figures show that …": the data's owner is the source
_DATA_SHOW = re.compile(r"\b(?:data|figures|statistics|records)\s+(?:from|of|by|provided\s+by|compiled\s+by|"
                        r"published\s+by)\s+([^,;.\d]{3,60}?)\s+(?:show|shows|showed|indicate|indicates|indicated|suggest|suggests)\b|"
                        r"(?:^|[,;]\s*)((?:the\s+)?[^,;.\d]{2,50}?)['’]s?\s+(?:data|figures|statistics|records)\s+(?:show|shows|"
                        r"showed|indicate|indicates|indicated|suggest|suggests)\b", re.IGNORECASE)
_CITED_AS = re.compile(r"\bcited\s+(.{3,80}?)\s+as\s+saying\b", re.IGNORECASE)
_BACKWARD = re.compile(r"^\s*(?:(?:як|как)\s+(?:повідомляє|пише|передає|сообщает|пишет|передает)\s+[^,]{1,40},\s*)?"
                       r"(?:про\s+це|об\s+этом|about\s+this|this\s+was(?=\s+\w+(?:\s+\w+){0,3}\s+by\b))\s+",
                       re.IGNORECASE)
_PRONOUNS = {"he", "she", "they", "it", "him", "her", "his", "its", "their", "він", "вона", "вони", "його",
             "її", "їх", "їхніми", "їхні", "он", "она", "они", "его", "ее", "её", "их", "ним", "ней",
             "them", "we"}
_POSS_PRONOUN_ACCORDING = re.compile(
    r"(?:за\s+(?:її|його|їхніми|їхнім|їх)\s+(?:словами|даними|оцінками|підрахунками|інформацією)|"
    r"по\s+(?:ее|её|его|их)\s+(?:словам|данным|оценкам|подсч[её]там|информации))", re.IGNORECASE)
_CLAIMANT_JUNK_LEAD = re.compile(
    r"^(?:(?:and|but|also|as|then|though|although|while|thus|so|як|как|про\s+це|об\s+этом|також|также|тоже|earlier|then|in\s+addition|"
    r"вчера|вчора|сегодня|сьогодні|накануне|напередодні|yesterday|today|"
    r"(?:в|у|in|on)\s+(?:telegram|телеграм\w*|facebook|фейсбуці|x|twitter)|журналистам|журналістам|"
    r"separately|meanwhile|в|у|во|із|з|in|at|with|from|that|що|что)\s+|[,\s])+", re.IGNORECASE)
_CLAIMANT_JUNK_TRAIL = re.compile(
    r"(?:\s+(?:has|have|had|also|earlier|previously|recently|again|later|now|тоже|також|также|ранее|раніше|"
    r"figures|data|estimates|statistics|records|calculations|cited\s+in\s+the\s+report|"
    r"on\s+telegram|in\s+a\s+(?:[\w-]+\s+)?statement|in\s+a\s+report|to\s+reporters|журналистам|журналістам|"
    r"под\s+опеку))+\s*$",
    re.IGNORECASE,
)
# a time phrase before the speaker: «в середине месяца», «на початку жовтня», "at the end of the week"
_TIME_LEAD = re.compile(
    rf"^(?:(?:в|у|во|на|in|at|by)\s+)?(?:the\s+)?(?:начале|середине|конце|початку|середині|кінці|early|late|mid-?|"
    rf"beginning|middle|end)\s+(?:of\s+)?(?:(?:the|this|last)\s+)?(?:(?:(?:{MONTH}\w*\s+)?\d{{4}}\s+)?(?:месяца|года|"
    rf"недели|місяця|року|тижня|month|year|week)|{MONTH}\w*(?:\s+\d{{4}}\s+(?:года|року))?|\d{{4}})\s+(?=\S)"
    # «В 2023 году …», «У 2024 році …», "In 2023, …": a year before the speaker
    rf"|^(?:(?:в|у|во|in)\s+)?\d{{4}}(?:\s+(?:году|році|року|года))?,?\s+(?=\S)", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:госпожа|господин|г-жа|г-н|пані|пан|mr|mrs|ms|miss)\.?\s+(?=[A-ZА-ЯІЇЄҐЁ])",
                        re.IGNORECASE)
_RELATIVE_LEAD = re.compile(r"^(?:which|whom|who|чого|чему|чем|чого|якого|якої|которого|которой)\s+(?=\S)",
                            re.IGNORECASE)
# where something was posted, not who said it: "on Telegram", «у своєму Telegram-каналі», «в эфире «Первого канала»»
_CHANNEL = re.compile(
    r"\s*\b(?:on|in|via|у|в|во|на)\s+(?:(?:her|his|its|their|the|своєму|своему|своем|своїй|своей|офіційному|"
    r"официальном)\s+)?(?:official\s+)?(?:(?:telegram|телеграм|фейсбу|facebook|x|youtube)[\w-]*"
    r"(?:\s*-?\s*(?:канал\w*|channel|page|account|сторінц\w*|странице))?|(?:ефірі|эфире)(?:\s+(?:телемарафону|"
    r"телемарафона|марафону|марафона|телеканалу|телеканала|радіо|радио))?|(?:теле)?марафоні|(?:теле)?марафоне)\b(?:\s+«[^»]{1,40}»|\s+\"[^\"]{1,40}\")?",
    re.IGNORECASE)
# «у коментарі порталу "Суспільне"», «в интервью ТАСС», "in a comment to Ukrinform": the medium spoken to
_SPOKEN_TO = re.compile(r"\s*\b(?:у|в|in)\s+(?:коментарі|комментарии|інтерв['’]ю|интервью|a\s+comment\s+to|"
                        r"an\s+interview\s+with)(?:\s+(?:порталу|виданню|агентству|изданию|телеканалу|радіо|радио))?"
                        r"(?:\s*[«\"“][^»\"”]{1,40}[»\"”]?|\s+[A-ZА-ЯІЇЄҐ][\w.-]*(?:\s+[A-ZА-ЯІЇЄҐ][\w.-]*)?)",
                        re.IGNORECASE)
_FIRST_PERSON = {"i", "we", "я", "ми", "мы", "our", "наш", "наша", "наші", "наши"}
_IMPERSONAL = re.compile(
    r"\b(?:it\s+(?:was|has\s+been|is)\s+(?:reported|announced|said|stated)|^\s*as\s+(?:was\s+|has\s+been\s+)?"
    r"(?:previously\s+|earlier\s+)?reported(?:\s+earlier|\s+previously)?(?=\s*,)|"
    r"(?:як\s+)?повідомлял(?:ося|ось)|(?:как\s+)?сообщал(?:ось|ося)|стало\s+відомо|стало\s+известно)\b", re.IGNORECASE)
_DATELINE = re.compile(
    r"^\s*[A-ZА-ЯЁІЇЄҐ][A-ZА-ЯЁІЇЄҐ .'-]+(?:,\s*[^()/\n]{0,30}?)?\s*"
    r"(?:\((?P<p>[^)]{1,40})\)|/(?P<s>[^/]{1,20})/\.?)\s*[-—–.]?\s*"
)


# a dateline opening a paragraph, its city in any case: "Geneva (ICRC) - ", "KYIV (Reuters) — ", «МОСКВА, 5 мая /ТАСС/.»
_RELEASE_DATELINE = re.compile(
    r"^\s*[A-ZА-ЯЁІЇЄҐ][\w'.-]+(?:\s[A-ZА-ЯЁІЇЄҐ][\w'.-]+)?(?:,\s*[^()/\n]{0,30}?)?\s*"
    r"(?:\((?P<p>[^)]{2,30})\)|/(?P<s>[^/]{2,20})/\.?)\s*[-—–.]\s*")


def release_dateline(sentence: str) -> str | None:
    """Who issues the text, from a dateline opening the sentence ("Geneva (ICRC) - The ICRC is seeking …"): the
    source of its figures where the sentence names no other."""
    m = _RELEASE_DATELINE.match(sentence)
    name = ((m.group("p") or m.group("s") or "") if m else "").strip()
    return name if name and not re.search(r"\d", name) else None


def dateline_outlet(text: str) -> str | None:
    m = _DATELINE.match(text)
    if not m:
        return None
    name = (m.group("p") or m.group("s") or "").strip()
    if not name or re.search(r"\d", name) or len(name) > 30:
        return None
    return name


# --------------------------------------------------------------------------------------------------
# The extractor


@dataclass
class Attribution:
    claimant: str
    start: int
    end: int
    kind: str  # according | speech | weak | impersonal ("it was reported": nobody named)
    is_person_pronoun: bool = False


def _clean_claimant(s: str) -> str:
    # "It comes after Russia said …": the speaker is the subject of the last subordinate clause
    s = re.split(r"\b(?:after|before|when|since|because|until|після|коли|после|когда)\s+", s, flags=re.I)[-1]
    s = s.strip(" ,;:—–-\"«»“”'")
    s = re.sub(r"\s+", " ", s)
    # «Ранее уполномоченный … заявила»: an adverb of time opening the sentence is not part of the speaker
    s = re.sub(r"^(?:ранее|раніше|earlier|previously|также|також|also|тогда|тоді|then)\s+(?=\S)", "", s, flags=re.I)
    # "the Telegram channel of the Commissioner …", «Telegram-канал омбудсмена»: the channel's owner speaks
    s = re.sub(r"^(?:the\s+)?(?:official\s+)?(?:telegram|facebook|x|youtube)(?:\s*-\s*|\s+)(?:channel|page|account)\s+"
               r"of\s+|^(?:telegram|телеграм|фейсбук)[\w-]*\s*-?\s*(?:канал\w*|сторінк\w*|страниц\w*)\s+", "", s,
               flags=re.I)
    s = _CHANNEL.sub("", s)
    s = _SPOKEN_TO.sub("", s)

    # "A report from Russian news agency TASS said": the report's author speaks
    s = re.sub(r"^(?:an?|the|one)\s+(?:new\s+|recent\s+|latest\s+)?(?:report|statement|study|survey|analysis|"
               r"investigation)\s+(?:from|by|of)\s+", "", s, flags=re.I)
    for _ in range(3):
        s = _CLAIMANT_JUNK_LEAD.sub("", s)
        s = _CLAIMANT_JUNK_TRAIL.sub("", s)
        s = re.sub(r"\s+(?:then|also|again|later|earlier|too)$", "", s, flags=re.I)
        # time phrases: "on Tuesday", "у понеділок", "в четверг", "on Jan. 8", "earlier this week"
        s = re.sub(r"\s*\b(?:on|у|в|во|протягом)\s+(?:{})\b".format("|".join(_WEEKDAYS)), "", s, flags=re.I)
        s = re.sub(r"\s*\b(?:{})\b".format("|".join(_WEEKDAYS)), "", s, flags=re.I)
        s = re.sub(rf"\s*\bon\s+{MONTH}\.?\s+\d{{1,2}}\b", "", s, flags=re.I)
        s = re.sub(r"\s*\b(?:this|last)\s+(?:week|month|year)\b", "", s, flags=re.I)
        s = re.sub(rf"^(?:(?:on|у|в)\s+)?\d{{1,2}}\s+{MONTH}\w*\.?(?:\s+\d{{4}})?(?:\s+(?:року|года|р\.|г\.))?\s*",
                   "", s, flags=re.I)
        s = re.sub(r"^(?:late|early|earlier|later)\s+", "", s, flags=re.I)
        s = _TIME_LEAD.sub("", s)  # «В середине месяца госпожа Москалькова сообщила»
        s = _RELATIVE_LEAD.sub("", s)  # "after which Yermak reported": the relative word is not the speaker
        s = _HONORIFIC.sub("", s)  # «госпожа Москалькова», "Ms. Lvova-Belova": the name is the claimant
        s = re.sub(rf"\s+\d{{1,2}}\s+{MONTH}\w*\.?(?:\s+\d{{4}})?(?:\s+(?:року|года))?$", "", s, flags=re.I)
        s = s.strip(" ,;:—–-\"«»“”'")
    if s.endswith(")") and s.count("(") < s.count(")"):
        s = s[:-1].rstrip()  # "the United Nations Children’s Fund (UNICEF)" cut at its bracket: "UNICEF)"
    for opening, closing in (("«", "»"), ("“", "”")):
        if s.count(opening) > s.count(closing):
            s += closing  # keep the quoted name whole: організація «Центр»
    if s.count('"') % 2:
        s += '"'  # платформа "Діти війни"
    return s


_PLURAL_PRONOUNS = {"they", "them", "their", "вони", "їх", "їхніми", "їхні", "они", "их"}
_PERSON_PRONOUNS = {"he", "she", "his", "her", "him", "він", "вона", "його", "її", "он", "она", "его", "ее", "её",
                    "ним", "ней"}
_PERSON_NAME = re.compile(r"[A-ZА-ЯІЇЄҐ][\w'’-]+\s+[A-ZА-ЯІЇЄҐ][\w'’-]+$|^[A-ZА-ЯІЇЄҐ][\w'’-]+$")
_PLURAL_NAME = re.compile(r"(?:\w+s|власти|влада|правоохоронці|органы|органи|сторон\w|officials|authorities|"
                          r"\w+(?:ці|ты|ти|и))$", re.IGNORECASE)


def _resolve_pronoun(pronoun: str, history: list[str]) -> str | None:
    """The latest claimant a pronoun can refer to: a person for "she", a group for "they"."""
    p = pronoun.lower().strip()
    for name in reversed(history):
        last = name.split()[-1] if name.split() else ""
        if p in _PLURAL_PRONOUNS and _PLURAL_NAME.search(last) and not last.endswith("'s"):
            return name
        if p in _PERSON_PRONOUNS and _PERSON_NAME.search(name) and not lexicon.is_media(name):
            return name  # "…, Ukrinform reported. … ," he said": an agency is not "he"
    return history[-1] if history else None


def _is_pronoun(s: str) -> bool:
    return s.lower().strip() in _PRONOUNS


def _left_np(sentence: str, verb_start: int) -> str:
    """The noun phrase before a speech verb: back to the previous boundary, over one appositive."""
    left = sentence[:verb_start]
    quoted = re.search(r"(?:^|[,;:—–(]|\s-\s)\s*((?:[^\W\d][\w'’-]*\s+){1,4}[«\"“][^«»\"“”\d,.!?]{2,60}[»\"”])\s*$",
                       left)
    if quoted:  # ', the platform "Children of War" reported', «, платформа "Діти війни" повідомила»
        return _clean_claimant(quoted.group(1))
    stops = list(re.finditer(r"[,;:—–\"«»“”(]|\s-\s|\bthat\b|\bщо\b|\bчто\b|\bthe\s+figures?\b|\bwhile\b|\bwhereas\b",
                             left, re.I))
    if not stops:
        return _clean_claimant(_strip_dateline(left))
    last = stops[-1]
    seg = left[last.end():]
    if re.fullmatch(r"\s*(?:(?:has|have|had|also|now|then|later|earlier)\s*)+", seg, re.I):
        seg = ""  # "…, the acting deputy governor, Viktor Karamyshev, has said": the appositive before speaks
    if seg.strip() or last.group(0) != ",":
        return _clean_claimant(seg)
    # ", told the BBC" after an appositive: "Save Ukraine, a Kyiv-based charity, told ..."
    if len(stops) >= 2 and stops[-2].group(0) == ",":
        appositive = left[stops[-2].end():last.start()]
        a = stops[-3].end() if len(stops) >= 3 else 0
        head = left[a:stops[-2].start()]
        if re.search(r"\d", head):
            return _clean_claimant(appositive)
        both = _clean_claimant(_strip_dateline(head)) + ", " + _clean_claimant(appositive)
        if len(both.split()) > 14:  # "Daria Herasymchuk, the representative of the President … rehabilitation, said"
            return _clean_claimant(_strip_dateline(head))
        return both
    return _clean_claimant(_strip_dateline(left[: last.start()]))


def _right_np(sentence: str, verb_end: int) -> str:
    right = sentence[verb_end:]
    m = re.search(r"[,;:—–\"“”«]|\.(?:\s|$)|\s-\s|\bthat\b|\bщо\b|\bчто\b|$", right)
    end = m.start() if m else len(right)
    if m and m.group(0) in {"—", "–", " - "} and re.fullmatch(r"\s*[a-zа-яіїєґё'’]+(?:\s+[a-zа-яіїєґё'’]+)?\s*",
                                                             right[:end]):
        # «повідомила радник – уповноважена Президента … Дар’я Герасимчук 1 серпня»: the title and name follow
        more = re.search(r"[,;:\"“”«]|\.(?:\s|$)|\bthat\b|\bщо\b|\bчто\b|$", right[m.end():])
        end = m.end() + (more.start() if more else 0)
    # «рассказала РИА Новости уполномоченный … Москалькова»: the agency is the addressee, the speaker follows
    media_first = re.match(r"\s*(?:«[^»]{2,30}»|[A-ZА-ЯІЇЄҐ][\w.-]*(?:\s+[A-ZА-ЯІЇЄҐ][\w.-]*)?)\s+(?=\w)", right[:end])
    if media_first and lexicon.is_media(media_first.group(0)) and \
            len(right[:end].split()) > len(media_first.group(0).split()) + 1:
        right = right[media_first.end():]
        end -= media_first.end()
    quoted = re.match(r"\s*([«\"“][^»\"”]{1,60}[»\"”])", right[end:])
    if quoted and right[:end].strip():  # «платформа "Діти війни"»: the quoted name belongs to the noun
        return _clean_claimant(right[:end] + " " + quoted.group(1))
    return _clean_claimant(right[:end])


def _strip_dateline(s: str) -> str:
    return _DATELINE.sub("", s)


# data or information as the object before its verb: «Відповідну інформацію оприлюднив …», «Эти данные привел …»
_INFO_OBJECT = re.compile(r"^(?:(?:відповідн|таку|такі|ці|цю|соответствующ|такую|такие|эти|эту)\w*\s+)?"
                          r"(?:інформацію|дані|цифри|информацию|данные|цифры|сведения)$", re.IGNORECASE)
# a subject pronoun just before a speech verb (over auxiliaries and adverbs): the pronoun is the verb's subject
_SUBJECT_PRONOUN = re.compile(r"(?:^|[\s,(])(he|she|it|they|він|вона|воно|вони|он|она|оно|они)\s+(?:(?:has|have|had|"
                              r"also|then|later|earlier|now|again|previously|також|тоже|также|ранее|раніше)\s+)*$",
                              re.IGNORECASE)
# English speech verbs that put their speaker after them after a comma (", said X"); not "told" (", told the BBC")
_INVERTED = frozenset({"said", "says", "added", "noted", "stated", "stressed", "explained", "wrote", "continued",
                       "emphasised", "emphasized", "announced", "reported"})
# the addressee of a speech verb before it («Про це журналістам повідомив …»): a dative, not the speaker
_ADDRESSEE = re.compile(r"(?:ам|ям|ому|ему|ові|еві|журналистам|журналістам)$", re.IGNORECASE)
# an occasion after a speech verb with no subject: «— сказал в ходе брифинга», «заявив під час брифінгу»
_PLACE_AFTER_VERB = re.compile(r"\s+(?:в\s+ходе|во\s+время|в\s+ході|під\s+час|на\s+(?:брифинг|брифінг|пресс-конференц|"
                               r"прес-конференц|пресконференц)|в\s+(?:интервью|інтерв))", re.IGNORECASE)


def attributions(sentence: str, tokens: list[Token]) -> list[Attribution]:
    out: list[Attribution] = []
    m: Any  # a regex match, or a speech verb found by lemma with the same interface
    for m in _VOICED.finditer(sentence):  # «за даними, озвученими у відкритих джерелах РФ»
        rest = sentence[m.end():]
        stop = re.search(r",|;|\.(?:\s|$)|$", rest)
        name = _clean_claimant(rest[: stop.start() if stop else len(rest)])
        if name:
            out.append(Attribution(name, m.start(), m.end() + (stop.start() if stop else 0), "according"))
    for m in [*_ACCORDING.finditer(sentence), *_FOLLOWS_FROM.finditer(sentence)]:
        rest = sentence[m.end():]
        stop = re.search(r",|;|:\s|\.(?:\s|$)|\s[—–-]\s|\bthat\b|\bщо\b|\bчто\b|$", rest)
        name = _clean_claimant(rest[: stop.start() if stop else len(rest)])
        name = re.sub(r"\s+(?:published|released|issued|presented)\b.*$", "", name, flags=re.I)
        released_by = re.match(r"(?:an?|one|the)\s+(?:new\s+|recent\s+|latest\s+)?(?:report|study|survey|analysis|"
                               r"statement|investigation)\s+(?:published|released|issued|presented)\b[^,;]{0,40}?\s+by\s+"
                               r"([^,;.]+)", rest[: stop.start() if stop else len(rest)], re.I)
        if released_by:  # "according to a report released this Wednesday (23) by the UN High Commissioner (OHCHR)"
            name = _clean_claimant(released_by.group(1))
        by = re.match(r"(?:an?|one|the)\s+(?:new\s+|recent\s+|latest\s+)?(?:report|study|survey|analysis|"
                      r"statement|investigation)\s+(?:by|from|of)\s+(.+)", name, re.I)
        if by:
            name = _clean_claimant(by.group(1))
        elif re.match(r"(?:an?|one|some|several|various|multiple|other|different|unnamed|anonymous|many)\s+"
                      r"(?:new\s+|recent\s+)?(?:reports?|statements?|study|studies|survey|documents?|sources?|"
                      r"estimates?|analysis|media)\b|(?:різними|разными|різних|разных)\s+", name, re.I):
            continue  # "according to various sources": nobody named
        if name:
            out.append(Attribution(name, m.start(), m.end() + (stop.start() if stop else 0), "according"))
    for m in _POSS_PRONOUN_ACCORDING.finditer(sentence):
        out.append(Attribution("", m.start(), m.end(), "according", is_person_pronoun=True))
    source = re.match(r"\s*(?:source|джерело|источник)\s*:\s*([^.;\n]{2,120})", sentence, re.IGNORECASE)
    if source:  # "Source: the Ministry of Reintegration" (a line of its own)
        name = _clean_claimant(re.split(r",\s+(?:as|як|как)\b", source.group(1))[0])
        if name:
            out.append(Attribution(name, source.start(1), source.end(1), "according"))
    colon = re.match(r"\s*([^:«\"“\d]{3,80}?):\s*[«\"“]", sentence) or re.match(
        r"\s*((?:[A-ZА-ЯІЇЄҐ][\w'’.-]*\s?){1,3}):\s+\w", sentence) or re.match(
        r"\s*([A-ZА-ЯІЇЄҐ][^\W\d]+(?:\s[^\W\d]+){1,3}):\s+[A-ZА-ЯІЇЄҐ]", sentence)  # «Ювенальні прокурори: За …»
    if colon and re.search(r"[A-ZА-ЯІЇЄҐ]", colon.group(1)) and not _LABELS.match(colon.group(1).strip()) and not any(
            colon.start(1) <= t.start < colon.end(1) and t.is_word and t.lemmas & set(lexicon.events(t.lang))
            for t in tokens):  # "Historic Prisoner Exchange Begins: …", a headline, not a speaker's label
        out.append(Attribution(_clean_claimant(colon.group(1)), colon.start(1), colon.end(1), "speech"))
    tail = re.search(r"\s[—–-]\s+((?:[A-ZА-ЯІЇЄҐ][\w'’.-]*\s?){1,5}|(?:омбудсм[еа]н\w*|ombuds\w+|"
                     r"уповноважен\w+|уполномоченн\w+))$", sentence.strip())
    if tail and not re.search(r"\d", tail.group(1)):  # a headline: "… 1,458 deported children – President's Office"
        out.append(Attribution(_clean_claimant(tail.group(1)), tail.start(1), tail.end(1), "speech"))
    for m in _DATA_SHOW.finditer(sentence):  # "Data from the Ukrainian government shows …"
        name = _clean_claimant(m.group(1) or m.group(2) or "")
        if name and not re.search(r"\d", name):
            out.append(Attribution(name, m.start(), m.end(), "according"))
    for m in _CITED_AS.finditer(sentence):
        out.append(Attribution(_clean_claimant(m.group(1)), m.start(), m.end(), "according"))
    for m in _PASSIVE_SPOKEN.finditer(sentence):
        # «Заява була підтверджена уповноваженим … Дмитром Лубінцем», «Информация была подтверждена губернатором»:
        # a passive speech verb with its agent in the instrumental after it
        name = _clean_claimant(m.group(1))
        if name and re.search(r"[A-ZА-ЯІЇЄҐЁ]", name) and not re.search(r"\d", name) and len(name.split()) <= 14:
            out.append(Attribution(name, m.start(), m.end(), "speech"))
    for vm in _verbs(tokens, "speech"):
        m = vm
        if any(a.start <= m.start() < a.end for a in out):
            continue
        word = m.group(0).lower()
        # "This was reported on Facebook by the press service …": a channel may stand between the verb and its agent
        by = re.match(r"\s+(?:(?:on|in|via|at)\s+(?:the\s+|a\s+|its\s+|his\s+|her\s+)?[\w'’-]+\s+)?by\s+",
                      sentence[m.end():])
        if by and re.search(r"\b(?:are|is|were|was|been|be|being)\s+$", sentence[:m.start()], re.I):
            # "This was stated by the head of the delegation, Vladimir Medinsky, …": the agent speaks
            # (an abbreviation's dot is not the end of the agent: "the head of the police department No. 1 of …")
            agent = re.match(r"((?:\b(?:No|no|Nr|St|Dr|Mr|Mrs|Ms|Lt|Gen|Col|Maj|Capt|Sgt|Jr)\.(?=\s)|[^,;.])"
                             r"{2,120})(?:,\s+((?:[A-ZА-ЯІЇЄҐ][\w'’.-]+\s?){1,4}),)?",
                             sentence[m.end() + by.end():])
            if agent:
                name = _clean_claimant(agent.group(1) + (", " + agent.group(2).strip() if agent.group(2) else ""))
                if name:
                    out.append(Attribution(name, m.start(), m.end(), "speech"))
            continue
        if re.search(r"\b(?:are|is|were|was|been|be|being)\s+$", sentence[:m.start()], re.I) or \
                re.search(r"(?:ються|ється|ются|ется|ися|ася|ись|ася|ося)$", word):
            continue  # passive: "are confirmed as", "вважаються"
        if word in {"found", "state", "states", "claim", "claims", "estimated"}:
            # "found" is also the quantity cue "found 1,150 children"; "states" a noun
            after = sentence[m.end():m.end() + 12]
            if not re.match(r"\s+(?:that|it|on|in)\b|\s*(?:[.;]|,\s)|\s*$", after, re.I):
                continue
        if re.search(r"\b(?:and|та|і|й|и)\s+$", sentence[:m.start()], re.I) and any(
                a.kind == "speech" and a.start < m.start() for a in out):
            continue  # "Ukraine said … and accused Moscow": the first verb's subject speaks
        left = _left_np(sentence, m.start())
        if _INFO_OBJECT.match(left):
            left = ""  # «Відповідну інформацію оприлюднив Офіс генпрокурора»: the object first, the speaker after
        subject = _SUBJECT_PRONOUN.search(sentence[:m.start()])
        if subject:  # "… 32 children from Russia it said were removed …": the pronoun just before the verb speaks
            left = subject.group(1)
        bw = _BACKWARD.match(sentence[:m.start()])
        if bw:  # «Про це Офіс генерального прокурора повідомляє у Телеграмі»: the subject between
            left = _clean_claimant(_CHANNEL.sub("", sentence[bw.end():m.start()]))
            after = _right_np(sentence, m.end())
            if left and (re.search(r"[A-ZА-ЯІЇЄҐ]", after) or (left[0].islower() and (
                    _ADDRESSEE.search(left) or re.search(r",|\bby\b", left)))):
                left = ""  # «Про це Вільному Радіо розповіла … Дар’я Герасимчук»: the addressee, then the speaker
            # «Об этом правительство региона сообщило в своем телеграм-канале»: the subject, no name after the verb
        elif re.search(r"(?:^|[\s,])(?:як|как|as)\s+$", sentence[:m.start()], re.I):
            left = ""
        if re.match(r"[а-яіїєґё]", word) and re.search(r"[,—–]\s*$", sentence[:m.start()]):
            left = ""  # ", сообщила Мария Львова-Белова": the speaker follows the verb
        elif word in _INVERTED and re.search(r"[,—–][\"”’]?\s*$", sentence[:m.start()]) and re.match(
                r"\s+(?:the\s+)?[A-Z]|\s+(?:the\s+)?(?:head|chief|governor|mayor|commissioner|ombudsman|minister|"
                r"spokes\w+|deputy)\b[^.;]{0,80}?,\s+[A-Z]", sentence[m.end():]):
            left = ""  # "…, making evacuation almost impossible, said Vadym Filashkin": the speaker after the verb
        if left and not re.fullmatch(r"(?:as|як|как|про\s+це|об\s+этом)", left, re.I) and \
                not re.search(r"\d", left) and len(left.split()) <= 14:
            name = left
        else:
            name = _right_np(sentence, m.end())
            if name and name[0].islower() and _PLACE_AFTER_VERB.match(sentence, m.end()):
                # «…», — сказал в ходе брифинга: no subject; a prepositional phrase follows the verb. The speaker
                # is the one of the text so far
                out.append(Attribution("", m.start(), m.end(), "speech", is_person_pronoun=True))
                continue
        if name.lower() in {"which", "who", "що", "який", "яка", "которая", "который", "которые", "які"}:
            antecedent = re.search(r"((?:[A-ZА-ЯІЇЄҐ][\w'’-]+\s+){0,4}[A-ZА-ЯІЇЄҐ][\w'’-]+(?:\s+[a-zа-яіїєґ]+)?)\s*,\s*"
                                   r"(?:which|who|що|який|яка|которая|который|которые|які)\s*$",
                                   sentence[:m.start()].rstrip())
            name = _clean_claimant(antecedent.group(1)) if antecedent else ""
        relayed = _RELAY.split(f" {name} ")
        if len(relayed) > 1 and relayed[-1].strip():
            # «Про це пише RegioNews з посиланням на Мінреінтеграції», "… reported Ukrinform, citing the ministry":
            # the agency relays; the source it cites is the speaker
            name = _clean_claimant(relayed[-1])
        if not name or re.search(r"\d", name) or len(name.split()) > 18:
            continue
        if name.split()[0].lower() in _FIRST_PERSON:
            continue  # "… and I officially announced this," the ombudsman said: the quote's speaker speaks
        out.append(Attribution(name, m.start(), m.end(), "speech", is_person_pronoun=_is_pronoun(name)))
    imp = _IMPERSONAL.search(sentence)
    if imp and (not out or imp.start() < min(a.start for a in out)):
        # "it was reported that …", «як повідомлялося»: nobody named, the outlet reports it (also where a later clause
        # has a speaker of its own: "As reported, … 1,645 children, after which Yermak reported another 25")
        out.append(Attribution("", imp.start(), imp.end(), "impersonal"))
    for vd in _verbs(tokens, "doc"):
        m = vd
        left = _left_np(sentence, m.start())
        if re.search(r"\b(?:were|was|are|is|been|be|being)\s*$", sentence[:m.start()], re.I):
            # "19,500 children have been identified by the Ukrainian government as having been deported": the agent
            # of a passive documenting verb is the source
            agent = _PASSIVE_AGENT.match(sentence, m.end())
            name = _clean_claimant(agent.group(1)) if agent else ""
            if name and not re.search(r"\d", name) and len(name.split()) <= 10 and not _ends_with_person(name, tokens):
                out.append(Attribution(name, m.start(), agent.end(1) if agent else m.end(), "according"))
            continue
        if left and not re.search(r"\d", left) and len(left.split()) <= 10 and not _is_pronoun(left) and \
                not _ends_with_person(left, tokens) and not _FINITE_IN_NP.search(left):
            # (not "Mykola Kuleba has been working tirelessly for the past year tracking down …": a clause, no name)
            out.append(Attribution(left, m.start(), m.end(), "weak"))
    return out



class _VerbMatch:
    """A speech verb found by lemma, with the interface of a regex match that the rules below use."""

    def __init__(self, tok: Token, end: int | None = None) -> None:
        self.tok = tok
        self._end = tok.end if end is None else end

    def start(self) -> int:
        return self.tok.start

    def end(self) -> int:
        return self._end

    def group(self, _n: int = 0) -> str:
        return self.tok.text


# speech verbs whose plain form is also a noun ("a Telegram post", "the UN report")
_NOUN_TOO = frozenset({"post", "posts", "report", "reports", "claim", "claims", "comment", "comments", "note", "notes",
                       "update", "updates", "statement", "count", "record", "list", "estimate", "estimates"})
_DETERMINERS = {"a", "an", "the", "this", "that", "its", "their", "his", "her", "our", "full", "complete", "new",
                "first", "final", "latest", "of", "whose", "such"}
_LABELS = re.compile(r"^(?:quote|source|details|background|update|дословно|источник|детали|цитата|джерело|"
                     r"деталі|подробности|подробиці|довідка|справка)$", re.IGNORECASE)


def _verbs(tokens: list[Token], kind: str) -> list[_VerbMatch]:
    out = []
    en_words = [t for t in tokens if t.is_word and t.lang == "en"]
    title_case = len(en_words) >= 3 and sum(t.text[0].isupper() for t in en_words) >= 0.6 * len(en_words)
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        table = lexicon.speech(tok.lang)
        if any(table.get(lemma) == kind for lemma in tok.lemmas):
            # a passive or reflexive form is not somebody speaking: "are confirmed as", «вважаються»
            if tok.lang != "en" and re.search(r"(?:ться|ється|ются|ется|ися|ася|ись|ося|ено|ано)$", tok.lower):
                continue
            prev = [t.lower for t in tokens[max(0, i - 2):i] if t.is_word]
            nxt = next((t.lower for t in tokens[i + 1:i + 2] if t.is_word), "")
            if tok.lang == "en" and prev and prev[-1] in {"are", "is", "were", "was", "been", "be", "being"} \
                    and nxt != "by" and not re.match(r"\s+(?:on|in|via|at)\s+(?:the\s+|a\s+|its\s+|his\s+|her\s+)?"
                                                     r"[\w'’-]+\s+by\s", _sentence_of(tokens)[tok.end:]):
                continue  # "was stated by X", "was reported on Facebook by X" stay: X is the speaker
            if tok.lang == "en" and tok.text[0].isupper() and (i == 0 or tokens[i - 1].text in {"“", "\"", "«", "("}):
                continue  # "“Estimates … indicate …”": a sentence or a quote does not open with its speech verb
            if tok.lang == "en" and tok.text[0].isupper() and i > 0 and tokens[i - 1].is_word and \
                    tokens[i - 1].text[0].isupper() and not title_case:
                continue  # "The Unified Register of …": a word of a name (not in a title-case headline)
            if tok.lang == "en" and prev and prev[-1] in _DETERMINERS | {"news", "media", "press", "per"}:
                continue  # "a list of 339 names", "the full list": a noun
            if tok.lang == "en" and tok.lower in _NOUN_TOO and len(prev) == 2 and prev[0] in {
                    "a", "an", "the", "his", "her", "its", "their"} and tokens[i - 1].text[:1].isupper():
                continue  # "said in a Telegram post that …": a noun after a determiner and a name
            if tok.lang == "en" and prev and prev[-1] in {"to", "can", "could", "may", "might", "will", "would",
                                                          "should", "must"}:
                continue  # "uses satellite imagery to document these activities": a purpose, nobody states anything
            if tok.lang == "en" and i > 0 and re.fullmatch(r"\w+ed|said", tok.lower) and (
                    tokens[i - 1].text[:1].isdigit() or tokens[i - 1].lemmas & lexicon.words("persons", "en")) and \
                    _REDUCED_RELATIVE.match(_sentence_of(tokens)[tok.end:]):
                continue  # "23,000 people reported missing", "children said to be in Crimea": a participle, not speech
            if "put" in tok.lemmas and not re.match(r"\s+(?:the\s+)?(?:number|figure|total|toll)\b",
                                                     _sentence_of(tokens)[tok.end:]):
                continue  # only "put the number at …"
            out.append(_VerbMatch(tok))
    # "put the number at": an English phrase of its own
    return out


# an auxiliary and a verb inside a would-be source's noun phrase: a clause before the verb, not a name
_FINITE_IN_NP = re.compile(r"\b(?:has|have|had|is|are|was|were)\s+(?:been\s+)?\w+(?:ing|ed)\b", re.IGNORECASE)
_REDUCED_RELATIVE = re.compile(r"\s+(?:missing|killed|dead|injured|wounded|displaced|deported|abducted|detained|held|"
                               r"to\s+(?:be|have)|as\b)", re.IGNORECASE)


def _sentence_of(tokens: list[Token]) -> str:
    out = ""
    for t in tokens:
        out += " " * (t.start - len(out)) + t.text
    return out


def _ends_with_person(left: str, tokens: list[Token]) -> bool:
    """Whether ``left`` ends with a noun of the people counted (``persons.tsv``: "children", «діти»), who
    are not a source; animacy alone does not count here («Ювенальные прокуроры задокументировали»)."""
    words = left.split()
    if not words:
        return False
    last = next((t for t in reversed(tokens) if t.text == words[-1]), None)
    return last is not None and bool(last.lemmas & lexicon.words("persons", last.lang))


_ROLES: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"^(?:the\s+)?(?:ministry|department)$|^(?:міністерство|відомство|министерство|ведомство)$", re.I),
     ("ministry", "міністерств", "министерств", "мінреінтеграц", "минреинтеграц", "відомств", "ведомств")),
    (re.compile(r"^(?:the\s+)?(?:ombudsman|ombudswoman|ombudsperson|commissioner)$|"
                r"^(?:омбудсман|омбудсмен|омбудсменка|уповноважений|уповноважена|уполномоченный|уполномоченная|"
                r"омбудсм[еа]на|омбудсм[еа]ну|омбудсм[еа]ном|омбудсменки|уповноваженого|уповноваженої|"
                r"уполномоченного|уполномоченной)$",  # also «по словам омбудсмена», «за словами уповноваженого»
                re.I),
     ("ombuds", "commissioner", "омбудсм", "уповноважен", "уполномочен", "lubinets", "lvova", "moskalkova",
      "лубінец", "лубинец", "львова", "москальков")),
    (re.compile(r"^(?:the\s+)?(?:organi[sz]ation|charity|group|foundation|ngo)$|^(?:організація|фонд|организация)$",
                re.I), ("save ukraine", "organi", "charity", "foundation", "фонд", "організац", "организац")),
    (re.compile(r"^(?:the\s+)?(?:lab|laboratory|researchers|study)$", re.I), ("lab", "yale", "research")),
    (re.compile(r"^(?:the\s+)?(?:outlet|agency|news\s+agency|newspaper|paper|channel)$|^(?:видання|агентство|издание)$",
                re.I), ()),
]


_OFFICIAL = re.compile(r"^(?:the\s+|this\s+|that\s+)?(?:official|officer)$|^(?:этот\s+|цей\s+)?(?:чиновник|чиновника|"
                       r"чиновнику|чиновником|чиновница|чиновницы|посадовець|посадовця|посадовцю|посадовцем|"
                       r"посадовиця|посадовиці)$", re.I)
_NAMED_PERSON = re.compile(r"(?:^|\s)[A-ZА-ЯІЇЄҐЁ][a-zа-яіїєґё'’]{2,}(?:-[A-ZА-ЯІЇЄҐЁ]?[a-zа-яіїєґё'’]+)?(?:\s|$)")
_BODY = re.compile(r"ministr|міністерств|министерств|office|офіс|офис|служб|service|administration|адміністрац|"
                   r"администрац|council|рад[аиы]\b|уряд|правительств|government|організац|организац|фонд|"
                   r"foundation|центр|center|centre|police|поліці|полици", re.I)


_PASSIVE_SPOKEN = re.compile(r"\b(?:була|було|був|були|была|было|был|были)\s+(?:підтвердж|оприлюдн|озвуч|повідомл|"
                             r"подтвержд|обнародова|сообщ)[а-яіїєґё]*\s+([^.;!?«»\"“”]{3,160}?)\s*(?=[.;!?]|$)",
                             re.IGNORECASE)


# the agent after a passive verb: "identified by the Ukrainian government as …", "recorded by the UN since …"
_PASSIVE_AGENT = re.compile(r"\s+by\s+((?:the\s+)?[^,;.()\d]{2,80}?)(?=\s+(?:as|to|that|in|on|since|for|from|at|"
                            r"among|between|during|after|before|while|and\s+(?:are|were|is|was|have|has))\b|[,;.()]|$)",
                            re.IGNORECASE)


_DASH_TAG = re.compile(r"[»\"”.!?]?\s+[—–-]\s+(?:\w+\s+){0,1}$")


def closing_tag(sentence: str, tokens: list[Token]) -> Attribution | None:
    """A speaker named after a quote, at the end of a paragraph: "… 22 children returned - added Medinsky"."""
    for m in _verbs(tokens, "speech"):
        if _DASH_TAG.search(sentence[:m.start()]) or re.search(r"[»\"”]\s*[,—–-]*\s*$", sentence[:m.start()]):
            name = _right_np(sentence, m.end())
            if name and name[0].islower() and _PLACE_AFTER_VERB.match(sentence, m.end()):
                return None  # «…», — сказал в ходе брифинга: no speaker named
            if name and not re.search(r"\d", name) and len(name.split()) <= 10:
                return Attribution(name, m.start(), m.end(), "speech", is_person_pronoun=_is_pronoun(name))
        before = re.search(r"[»\"”]\s*[,—–-]*\s*((?:the\s+)?[A-ZА-ЯІЇЄҐ][^»\"”.!?]{0,60}?)\s*$", sentence[:m.start()])
        if before and not re.search(r"\d", before.group(1)) and len(before.group(1).split()) <= 8:
            # "… I want to thank them," Marko Lysenko said.: the speaker between the quote and the verb
            name = _clean_claimant(before.group(1))
            if name:
                return Attribution(name, before.start(1), m.end(), "speech", is_person_pronoun=_is_pronoun(name))
    return None


_RELAY = re.compile(r"\s(?:со\s+ссылкой\s+на|з\s+посиланням\s+на|citing|with\s+reference\s+to|quoting)\s",
                    re.IGNORECASE)


def closing_speech(sentence: str, found: list[Attribution]) -> bool:
    """Whether ``sentence`` ends with its speaker: "…, повідомили ювенальні прокурори.", "…, the ministry said."."""
    tail = sentence.rstrip(" .!?\n")
    # «…, сообщает ТАСС со ссылкой на аппарат уполномоченного …»: the relayed source, however long, is not counted
    return any(a.kind == "speech" and re.search(r"[,—–]\s*$", sentence[:a.start]) is not None and
               len(_RELAY.split(tail[a.start:])[0].split()) <= 8 and a.end <= len(tail) for a in found) or any(
        a.kind == "speech" and a.end >= len(tail) - 2 and re.search(r",\s*$", sentence[:a.start - len(a.claimant) - 1]
                                                                    if a.start > len(a.claimant) else "") is not None
        for a in found)


def resolve_reference(name: str, history: list[str]) -> str | None:
    """What a pronoun or a definite description ("the ministry", «омбудсмен») refers to, from earlier claimants.

    ``None`` where ``name`` is neither, or nothing earlier fits a description.
    """
    if _is_pronoun(name):
        return _resolve_pronoun(name, history)
    key = name.strip().lower()
    for rx, stems in _ROLES:
        if rx.match(key):
            for earlier in reversed(history):
                low = earlier.lower()
                fits = any(s in low for s in stems) if stems else lexicon.is_media(earlier)
                if low != key and not rx.match(low) and fits:
                    return earlier
            return None
    if _OFFICIAL.match(key):
        # «По данным чиновника» after «… министр … Алексей Кулеба», "the official said": an unnamed official is
        # the person named as a speaker before (not an outlet, not a body)
        for earlier in reversed(history):
            if earlier.lower() != key and not _OFFICIAL.match(earlier.lower()) and not lexicon.is_media(earlier) \
                    and _NAMED_PERSON.search(earlier) and not _BODY.search(earlier):
                return earlier
        return None
    words = re.sub(r"^(?:the|this|that)\s+", "", key).split()
    if len(words) == 1 and len(words[0]) >= 5 and re.fullmatch(r"[а-яіїєґё]+", name.strip()):
        # «– уточнили в штабі» after «повідомили в пресслужбі Гуманітарного штабу Київщини»: one common noun, in any
        # case, is the earlier source that has it (compared on its stem: the word less its last letter)
        stem = words[0][:min(5, len(words[0]) - 1)]
        for earlier in reversed(history):
            if earlier.lower() != key and len(earlier.split()) > 1 and any(
                    w.startswith(stem) for w in re.findall(r"\w+", earlier.lower())):
                return earlier
    bare = re.sub(r"^(?:the|this|that)\s+", "", name.strip(), flags=re.I)  # "The head of the RMA": no name in it
    if 1 <= len(words) <= 5 and not re.search(r"[A-ZА-ЯІЇЄҐЁ][a-zа-яіїєґё'’]", bare) and len(words[0]) >= 4:
        # «начальник обладминистрации» after «начальник областной военной администрации Александр Прокудин»: a
        # title without a name is the named person of the same title mentioned before (also with an abbreviation:
        # «керівник ОП» after «керівник Офісу Президента Андрій Єрмак»)
        head = words[0][:5]
        for earlier in reversed(history):
            named = re.search(r"[A-ZА-ЯІЇЄҐЁ][\w'’-]+\s+[A-ZА-ЯІЇЄҐЁ][\w'’-]+", earlier)
            if named and earlier.lower() != key and any(w[:5] == head for w in earlier.lower().split()[:3]):
                return earlier
    return None
