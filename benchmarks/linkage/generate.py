"""Deterministic generator of cross-border list pairs (a Ukrainian list and a Russian list).

Everything is drawn from a seeded ``random.Random``; the same (size, seed) gives byte-identical
files. Names come from the ``names_translator`` dictionaries (Ukrainian -> ranked Russian
equivalents) and ``translitua`` transliteration tables -- NOT from ``homeward.names`` -- so the
benchmark does not test the names toolkit against itself. The corruption model is documented
in ``README.md`` (same directory); the rates are the ``NOISE_*`` constants below.

Usage::

    python benchmarks/linkage/generate.py --size S --seed 1 --out benchmarks/linkage/data/S-1
    python benchmarks/linkage/generate.py --size S --seed 3 --surname-zipf 1.1 --surname-offset 1 \
        --given-zipf 1.3 --missing 2 --right 60000 --out /tmp/concentrated

``Setting`` varies name concentration, missing-field and corruption rates; ``benchmarks/linkage/grid.py``
runs the matcher over a grid of settings.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import random
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

SIZES = {"S": (3_000, 30_000), "L": (20_000, 700_000), "2L": (40_000, 1_400_000), "XS": (300, 3_000)}
COLUMNS = ["record_id", "given_name", "surname", "patronymic", "sex", "birth_date", "birth_place"]

# --- population ------------------------------------------------------------------------------
P_MATCH = 0.70  # share of children on the Ukrainian list who are also on the Russian list
P_SIBLING = 0.15  # a left child has a (non-matching) sibling on the right list
P_TWIN_DISTRACTOR = 0.03  # a left child has a twin on the right list (same dob, surname, father)
P_TWINS_BOTH = 0.01  # twins who are on both lists (two true links, each a distractor to the other)
DOB_FROM, DOB_TO = date(2005, 1, 1), date(2022, 12, 31)

# --- Ukrainian (left) list -------------------------------------------------------------------
L_LATIN = 0.12  # names in Latin, Ukrainian scheme (KMU 2010 / passport 2007 / BGN / national 1996)
L_TYPO = 0.04  # per name field
L_DIMINUTIVE = 0.02
L_MISS_PATRONYMIC, L_MISS_SEX, L_MISS_PLACE, L_MISS_DOB = 0.05, 0.05, 0.10, 0.02

# --- Russian (right) list --------------------------------------------------------------------
R_UKR_SPELLING = 0.10  # Ukrainian spelling kept (copied from Ukrainian documents)
R_LATIN = 0.12  # Latin, Russian scheme (int. passport 1997 / ICAO / GOST 2006 / ISO 9 table 2)
R_ALT_RUSSIAN = 0.15  # second-ranked Russian equivalent (Дарья vs Дария, Лисенко vs Лысенко)
R_TYPO = 0.07  # per name field
R_DIMINUTIVE = 0.07
R_ADOPTED = 0.08  # new (adoptive) surname...
R_ADOPTED_NEW_PATRONYMIC = 0.4  # ... and of those, new patronymic too
R_DOB_SWAP, R_DOB_DIGIT, R_DOB_YEAR, R_MISS_DOB = 0.05, 0.04, 0.02, 0.03
R_MISS_PATRONYMIC, R_MISS_SEX, R_MISS_PLACE = 0.08, 0.10, 0.25

# Most frequent given names of Ukrainian children born 2005-2022 (rank order, Zipf weights);
# 15 % of children get a name from the long tail of the names_translator dictionary instead.
TOP_BOYS = (
    "Олександр Максим Артем Дмитро Андрій Іван Данило Матвій Михайло Назар Владислав Богдан Денис "
    "Марк Тимофій Ярослав Кирило Євген Олексій Віктор Сергій Микола Роман Юрій Володимир Ілля "
    "Степан Давид Павло Василь Костянтин Арсеній Вадим Тарас Остап Антон Олег Ігор Валентин Петро"
).split()
TOP_GIRLS = (
    "Анастасія Софія Марія Анна Вікторія Дарина Поліна Єлизавета Олександра Катерина Аліна Юлія "
    "Вероніка Діана Соломія Злата Христина Ангеліна Валерія Ольга Яна Ксенія Мілана Наталія Олена "
    "Ірина Тетяна Уляна Іванна Дарія Кароліна Василина Емілія Карина Маргарита Богдана Оксана Яна"
).split()
TOP_SURNAMES = (
    "Мельник Шевченко Коваленко Бондаренко Бойко Ткаченко Кравченко Ковальчук Коваль Олійник "
    "Шевчук Поліщук Іваненко Ткачук Савченко Бондар Руденко Марченко Лисенко Мороз Петренко "
    "Кравчук Клименко Павленко Савчук Левченко Кузьменко Пономаренко Харченко Романенко Гончаренко "
    "Карпенко Мазур Литвиненко Кравець Швець Литвин Вовк Климчук Демченко Костенко Гуменюк"
).split()
# Fathers' names for patronymics (men born 1965-2000).
FATHERS = (
    "Олександр Сергій Андрій Володимир Віктор Юрій Іван Микола Олег Василь Дмитро Ігор Михайло "
    "Анатолій Петро Віталій Валерій Павло Роман Євген Руслан Богдан Вадим Григорій Степан Тарас "
    "Олексій Максим Артем Денис Геннадій Леонід Ярослав Костянтин Федір Антон Борис Валентин"
).split()
# Occupied / front-line places of birth: (Ukrainian form, Russian form).
PLACES = [
    ("Маріуполь", "Мариуполь"), ("Херсон", "Херсон"), ("Мелітополь", "Мелитополь"),
    ("Бердянськ", "Бердянск"), ("Донецьк", "Донецк"), ("Луганськ", "Луганск"),
    ("Сєвєродонецьк", "Северодонецк"), ("Лисичанськ", "Лисичанск"), ("Ізюм", "Изюм"),
    ("Харків", "Харьков"), ("Запоріжжя", "Запорожье"), ("Енергодар", "Энергодар"),
    ("Нова Каховка", "Новая Каховка"), ("Генічеськ", "Геническ"), ("Скадовськ", "Скадовск"),
    ("Каховка", "Каховка"), ("Токмак", "Токмак"), ("Волноваха", "Волноваха"),
    ("Краматорськ", "Краматорск"), ("Бахмут", "Бахмут"), ("Горлівка", "Горловка"),
    ("Макіївка", "Макеевка"), ("Алчевськ", "Алчевск"), ("Старобільськ", "Старобельск"),
    ("Куп'янськ", "Купянск"), ("Олешки", "Алешки"), ("Київ", "Киев"), ("Дніпро", "Днепр"),
    ("Одеса", "Одесса"), ("Миколаїв", "Николаев"), ("Сімферополь", "Симферополь"),
    ("Чернігів", "Чернигов"), ("Суми", "Сумы"), ("Краснодон", "Краснодон"), ("Антрацит", "Антрацит"),
]  # fmt: skip
# Everyday (diminutive) forms as they appear on lists: Russian and Ukrainian.
DIMINUTIVES_RU = {
    "Александр": ["Саша", "Шура"], "Александра": ["Саша"], "Дмитрий": ["Дима"], "Мария": ["Маша"],
    "Анна": ["Аня"], "Екатерина": ["Катя"], "Елена": ["Лена"], "Сергей": ["Серёжа"], "Иван": ["Ваня"],
    "Владимир": ["Вова"], "Михаил": ["Миша"], "Николай": ["Коля"], "Анастасия": ["Настя"],
    "Наталия": ["Наташа"], "Ольга": ["Оля"], "Татьяна": ["Таня"], "Алексей": ["Лёша", "Алёша"],
    "Виктория": ["Вика"], "Юлия": ["Юля"], "Евгений": ["Женя"], "София": ["Соня"], "Софья": ["Соня"],
    "Дарья": ["Даша"], "Дария": ["Даша"], "Полина": ["Поля"], "Елизавета": ["Лиза"], "Ксения": ["Ксюша"],
    "Валерия": ["Лера"], "Владислав": ["Влад", "Владик"], "Максим": ["Макс"], "Кирилл": ["Кирюша"],
    "Ярослав": ["Слава"], "Богдан": ["Даня"], "Даниил": ["Даня"], "Данила": ["Даня"], "Артем": ["Тёма"],
    "Ирина": ["Ира"], "Оксана": ["Ксана"], "Павел": ["Паша"], "Роман": ["Рома"], "Денис": ["Дэн"],
    "Тимофей": ["Тима"], "Матвей": ["Мотя"], "Степан": ["Стёпа"], "Василий": ["Вася"],
    "Маргарита": ["Рита"], "Ангелина": ["Геля"], "Кристина": ["Кристя"], "Юрий": ["Юра"],
}  # fmt: skip
DIMINUTIVES_UK = {
    "Олександр": ["Сашко"], "Іван": ["Іванко"], "Микола": ["Миколка"], "Марія": ["Марійка"],
    "Анна": ["Ганнуся"], "Софія": ["Соня"], "Дмитро": ["Дмитрик"], "Тетяна": ["Таня"],
    "Анастасія": ["Настя"], "Катерина": ["Катя"], "Юрій": ["Юрко"], "Василь": ["Василько"],
}  # fmt: skip


@dataclass(frozen=True)
class Setting:
    """How the population and the corruption vary (the defaults reproduce the original generator).

    ``given_zipf`` / ``surname_zipf``: exponent of the Zipf law over name ranks (higher = a few names
    cover more children); ``surname_offset``: rank offset of the surname law (small = the top
    surnames dominate: offset 1 with exponent 1.1 gives the ten most common about a third of all
    children); ``given_tail``: share of children with a rare dictionary given name; ``missing`` and
    ``corruption``: multipliers on every missing-field rate and on every typo / diminutive / date
    corruption / adoption rate (capped at 1)."""

    given_zipf: float = 1.0
    given_tail: float = 0.15
    surname_zipf: float = 1.0
    surname_offset: int = 8
    missing: float = 1.0
    corruption: float = 1.0

    def miss(self, rate: float) -> float:
        return min(1.0, rate * self.missing)

    def noise(self, rate: float) -> float:
        return min(1.0, rate * self.corruption)


DEFAULT = Setting()

UA_LATIN = ("UkrainianKMU", "UkrainianKMU", "UkrainianPassport2007", "UkrainianNational1996", "UkrainianBGN")
RU_LATIN = ("RussianInternationalPassport1997", "RussianICAO", "RussianGOST2006", "RussianISOR9Table2")
SEX_UA = {"m": "ч", "f": "ж"}
SEX_RU = {"m": "м", "f": "ж"}


@dataclass
class Child:
    given: str  # Ukrainian form
    sex: str
    surname: str  # masculine Ukrainian form
    father: str
    dob: date
    place: int


# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _dicts():  # type: ignore[no-untyped-def]
    from names_translator.dicts import default_dicts

    return default_dicts()


@cache
def to_russian(name: str, pool: str) -> tuple[str, ...]:
    """Ranked Russian equivalents of a Ukrainian name (names_translator), the name itself if none."""
    out = tuple(dict.fromkeys(_dicts().lookup(name, pool))) if name else ()
    return out or (name,)


@cache
def _table(name: str):  # type: ignore[no-untyped-def]
    import translitua

    return getattr(translitua, name)


@cache
def latin(text: str, table: str) -> str:
    from translitua import translit

    return translit(text, _table(table))


def _feminine_uk(surname: str) -> str:
    for masc, fem in (("ський", "ська"), ("цький", "цька"), ("зький", "зька")):
        if surname.endswith(masc):
            return surname[: -len(masc)] + fem
    if surname.endswith(("ов", "ев", "єв", "ін", "ин", "ів")):
        return surname + "а"
    return surname


def _feminine_ru(surname: str) -> str:
    for masc, fem in (("ский", "ская"), ("цкий", "цкая"), ("зкий", "зкая"), ("ой", "ая")):
        if surname.endswith(masc):
            return surname[: -len(masc)] + fem
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


def _patronymic_uk(father: str, sex: str) -> str:
    if father.endswith("ій"):
        stem = father[:-2] + "і"
        return stem + ("йович" if sex == "m" else "ївна")
    if father.endswith("й"):
        stem = father[:-1]
        return stem + ("йович" if sex == "m" else "ївна")
    if father.endswith("а"):
        stem = father[:-1] + "а"
        return stem + ("йович" if sex == "m" else "ївна")
    if father.endswith("о"):
        stem = father[:-1]
    else:
        stem = father
    return stem + ("ович" if sex == "m" else "івна")


class Population:
    """Name distributions: Zipf over the frequent names plus a long dictionary tail."""

    def __init__(self, rng: random.Random, setting: Setting = DEFAULT) -> None:
        d = _dicts()
        first = d.as_dict("first")
        last = d.as_dict("last")
        patr = d.as_dict("patronymic")
        self.boys, self.girls = self._with_tail(rng, TOP_BOYS, TOP_GIRLS, first, setting)
        tail_surnames = sorted(k for k in last if len(k) > 3 and not k.endswith(("а", "я")))
        rng.shuffle(tail_surnames)
        top = [s for s in TOP_SURNAMES if s.lower() in last]
        names = top + [s.capitalize() for s in tail_surnames[:30_000]]
        # top surnames: ~0.4-1.5 % each; tail: Zipf ranks beyond
        weights = [1.0 / (r + setting.surname_offset) ** setting.surname_zipf for r in range(len(names))]
        self.surnames = (names, list(itertools.accumulate(weights)))
        fathers = [f for f in FATHERS if _patronymic_uk(f, "m").lower() in patr]
        self.fathers = (fathers, list(itertools.accumulate(1.0 / (r + 3) for r in range(len(fathers)))))

    @staticmethod
    def _with_tail(rng, boys, girls, first, setting):  # type: ignore[no-untyped-def]
        tail = sorted(k for k in first if len(k) > 2 and first[k][0].lower() != k and "-" not in k)
        rng.shuffle(tail)
        tail_boys = [k.capitalize() for k in tail if not k.endswith(("а", "я"))][:400]
        tail_girls = [k.capitalize() for k in tail if k.endswith(("а", "я"))][:400]
        out = []
        for top, extra in ((boys, tail_boys), (girls, tail_girls)):
            top = list(dict.fromkeys(top))
            w_top = [1.0 / (r + 2) ** setting.given_zipf for r in range(len(top))]
            tail = setting.given_tail
            scale = tail / (1 - tail) * sum(w_top) / len(extra)
            names = top + extra
            out.append((names, list(itertools.accumulate(w_top + [scale] * len(extra)))))
        return out

    @staticmethod
    def _pick(rng: random.Random, dist: tuple[list[str], list[float]]) -> str:
        names, cum = dist
        return names[bisect.bisect_left(cum, rng.random() * cum[-1])]

    def given(self, rng: random.Random, sex: str) -> str:
        return self._pick(rng, self.boys if sex == "m" else self.girls)

    def surname(self, rng: random.Random) -> str:
        return self._pick(rng, self.surnames)

    def father(self, rng: random.Random) -> str:
        return self._pick(rng, self.fathers)

    def child(self, rng: random.Random) -> Child:
        sex = rng.choice("mf")
        days = (DOB_TO - DOB_FROM).days
        return Child(
            self.given(rng, sex),
            sex,
            self.surname(rng),
            self.father(rng),
            DOB_FROM + timedelta(days=rng.randrange(days)),
            min(int(rng.expovariate(1 / 6)), len(PLACES) - 1),
        )

    def sibling(self, rng: random.Random, c: Child, twin: bool) -> Child:
        sex = rng.choice("mf")
        given = c.given
        while given == c.given:
            given = self.given(rng, sex)
        if twin:
            dob = c.dob
        else:
            dob = c.dob + timedelta(days=rng.choice((-1, 1)) * rng.randint(300, 3000))
        return Child(given, sex, c.surname, c.father, dob, c.place)


# --- corruption ------------------------------------------------------------------------------

_UK_LETTERS = "абвгдеєжзиіїйклмнопрстуфхцчшщьюя"
_RU_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LAT_LETTERS = "abcdefghijklmnopqrstuvwxyz"


Notes = dict[str, list[str]]
"""Optional annotation: record id -> the noise applied to that record (``generate(..., notes=...)``); filling it
draws nothing from the random stream, so the generated lists are the same with and without it."""


def _noted(notes: Notes | None, rid: str, kind: str) -> None:
    if notes is not None:
        notes.setdefault(rid, []).append(kind)


def _typos(rng: random.Random, fields: list[str], rate: float, notes: Notes | None, rid: str) -> list[str]:
    """Each field with a typo at ``rate`` (the same draws, in the same order, as the original comprehension)."""
    out = []
    for name, f in zip(("given", "surname", "patronymic"), fields, strict=True):
        t = typo(rng, f) if rng.random() < rate else f
        if t != f:
            _noted(notes, rid, f"typo {name}")
        out.append(t)
    return out


def typo(rng: random.Random, s: str) -> str:
    """One keyboard-style error: delete, insert, substitute or transpose one letter."""
    if len(s) < 3:
        return s
    alphabet = _LAT_LETTERS if s.isascii() else (_UK_LETTERS if any(c in "єії" for c in s.lower()) else _RU_LETTERS)
    i = rng.randrange(1, len(s))
    op = rng.randrange(4)
    if op == 0:
        return s[:i] + s[i + 1 :]
    if op == 1:
        return s[:i] + rng.choice(alphabet) + s[i:]
    if op == 2:
        return s[:i] + rng.choice(alphabet) + s[i + 1 :]
    if i < len(s) - 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    return s


def _date_text(d: date | None, iso: bool) -> str:
    if d is None:
        return ""
    return d.isoformat() if iso else d.strftime("%d.%m.%Y")


def _corrupt_dob(rng: random.Random, d: date, s: Setting = DEFAULT, notes: Notes | None = None,
                 rid: str = "") -> date | None:
    out = _corrupted_dob(rng, d, s)
    if out is None:
        _noted(notes, rid, "date missing")
    elif out != d:
        kind = ("date day/month swapped" if (out.month, out.day) == (d.day, d.month) and out.year == d.year
                else "date year +-1" if (out.month, out.day) == (d.month, d.day) else "date digit")
        _noted(notes, rid, kind)
    return out


def _corrupted_dob(rng: random.Random, d: date, s: Setting = DEFAULT) -> date | None:
    r = rng.random()
    if r < s.miss(R_MISS_DOB):
        return None
    r -= s.miss(R_MISS_DOB)
    if r < s.noise(R_DOB_SWAP):
        if d.day <= 12 and d.day != d.month:
            return date(d.year, d.day, d.month)
        return d
    r -= s.noise(R_DOB_SWAP)
    if r < s.noise(R_DOB_DIGIT):
        for _ in range(10):
            s = list(d.isoformat())
            pos = rng.choice((3, 6, 8, 9))  # last digit of year, month units, day digits
            s[pos] = str(rng.randrange(10))
            try:
                return date.fromisoformat("".join(s))
            except ValueError:
                continue
        return d
    r -= s.noise(R_DOB_DIGIT)
    if r < s.noise(R_DOB_YEAR):
        try:
            return d.replace(year=d.year + rng.choice((-1, 1)))
        except ValueError:
            return d
    return d


def render_ua(rng: random.Random, c: Child, rid: str, s: Setting = DEFAULT,
              notes: Notes | None = None) -> dict[str, str]:
    given = c.given
    if rng.random() < s.noise(L_DIMINUTIVE) and given in DIMINUTIVES_UK:
        given = rng.choice(DIMINUTIVES_UK[given])
        _noted(notes, rid, "diminutive")
    surname = c.surname if c.sex == "m" else _feminine_uk(c.surname)
    patronymic = _patronymic_uk(c.father, c.sex)
    place = PLACES[c.place][0]
    fields = [given, surname, patronymic]
    if rng.random() < L_LATIN:
        table = rng.choice(UA_LATIN)
        fields = [latin(f, table) for f in fields]
        place = latin(place, table)
        _noted(notes, rid, "latin")
    fields = _typos(rng, fields, s.noise(L_TYPO), notes, rid)
    if rng.random() < s.miss(L_MISS_PATRONYMIC):
        fields[2] = ""
        _noted(notes, rid, "patronymic missing")
    out = {
        "record_id": rid,
        "given_name": fields[0],
        "surname": fields[1],
        "patronymic": fields[2],
        "sex": "" if rng.random() < s.miss(L_MISS_SEX) else SEX_UA[c.sex],
        "birth_date": "" if rng.random() < s.miss(L_MISS_DOB) else _date_text(c.dob, iso=False),
        "birth_place": "" if rng.random() < s.miss(L_MISS_PLACE) else place,
    }
    _note_missing(notes, rid, out)
    return out


def _note_missing(notes: Notes | None, rid: str, record: dict[str, str]) -> None:
    for key, kind in (("sex", "sex missing"), ("birth_date", "date missing"), ("birth_place", "place missing")):
        if not record[key]:
            _noted(notes, rid, kind)


def render_ru(
    rng: random.Random, pop: Population, c: Child, rid: str, *, matched: bool, s: Setting = DEFAULT,
    notes: Notes | None = None,
) -> dict[str, str]:
    ukr_spelling = rng.random() < R_UKR_SPELLING
    rank = 1 if rng.random() < R_ALT_RUSSIAN else 0

    def ru(name: str, pool: str) -> str:
        forms = to_russian(name, pool)
        return forms[min(rank, len(forms) - 1)]

    surname_uk = c.surname
    father = c.father
    if matched and rng.random() < s.noise(R_ADOPTED):
        surname_uk = pop.surname(rng)
        if rng.random() < R_ADOPTED_NEW_PATRONYMIC:
            father = pop.father(rng)
        _noted(notes, rid, "adoptive surname" + (" and patronymic" if father != c.father else ""))
    patr_uk = _patronymic_uk(father, c.sex)
    if ukr_spelling:
        _noted(notes, rid, "ukrainian spelling")
        given = c.given
        surname = surname_uk if c.sex == "m" else _feminine_uk(surname_uk)
        patronymic = patr_uk
        place = PLACES[c.place][0]
    else:
        given = ru(c.given, "first")
        if rng.random() < s.noise(R_DIMINUTIVE) and given in DIMINUTIVES_RU:
            given = rng.choice(DIMINUTIVES_RU[given])
            _noted(notes, rid, "diminutive")
        surname = ru(surname_uk, "last")
        surname = surname if c.sex == "m" else _feminine_ru(surname)
        patronymic = ru(patr_uk, "patronymic")
        place = PLACES[c.place][1]
        if rank and any(len(to_russian(n, pool)) > 1 for n, pool in ((c.given, "first"), (surname_uk, "last"),
                                                                     (patr_uk, "patronymic"))):
            _noted(notes, rid, "second russian form")
    fields = [given, surname, patronymic]
    if rng.random() < R_LATIN:
        table = rng.choice(RU_LATIN)
        fields = [latin(f, table) for f in fields]
        place = latin(place, table)
        _noted(notes, rid, "latin")
    fields = _typos(rng, fields, s.noise(R_TYPO), notes, rid)
    if rng.random() < s.miss(R_MISS_PATRONYMIC):
        fields[2] = ""
        _noted(notes, rid, "patronymic missing")
    dob = _corrupt_dob(rng, c.dob, s, notes, rid) if matched else c.dob
    out = {
        "record_id": rid,
        "given_name": fields[0],
        "surname": fields[1],
        "patronymic": fields[2],
        "sex": "" if rng.random() < s.miss(R_MISS_SEX) else SEX_RU[c.sex],
        "birth_date": _date_text(dob, iso=rng.random() < 0.6),
        "birth_place": "" if rng.random() < s.miss(R_MISS_PLACE) else place,
    }
    _note_missing(notes, rid, {**out, "birth_date": "-"})  # a missing date is noted by _corrupt_dob
    return out


def generate(
    n_left: int, n_right: int, seed: int, setting: Setting = DEFAULT, notes: Notes | None = None
) -> tuple[list[dict[str, str]], list[dict[str, str]], list[tuple[str, str]]]:
    """Returns (ukrainian_list, russian_list, true_links). ``notes``, if given, is filled with each record's
    noise ("typo surname", "adoptive surname", "date digit", ...) and, for a Russian-side record that is
    another child of a Ukrainian-side child's family, "twin of UA…" / "sibling of UA…"; the lists are the
    same with or without it."""
    kin: dict[int, str] = {}  # id(Child) of a right-side distractor -> its note
    rng = random.Random(seed)
    pop = Population(random.Random(seed * 7919 + 1), setting)
    left: list[dict[str, str]] = []
    right_children: list[tuple[Child, bool, str | None]] = []  # child, matched, left id
    n_twins = int(n_left * P_TWINS_BOTH / 2)
    for i in range(n_left - 2 * n_twins):
        c = pop.child(rng)
        lid = f"UA{i:07d}"
        left.append(render_ua(rng, c, lid, setting, notes))
        if rng.random() < P_MATCH:
            right_children.append((c, True, lid))
        r = rng.random()
        if r < P_TWIN_DISTRACTOR:
            right_children.append((pop.sibling(rng, c, twin=True), False, None))
            kin[id(right_children[-1][0])] = f"twin of {lid}"
        elif r < P_TWIN_DISTRACTOR + P_SIBLING:
            right_children.append((pop.sibling(rng, c, twin=False), False, None))
            kin[id(right_children[-1][0])] = f"sibling of {lid}"
    # twins who are both on both lists
    for k in range(n_twins):
        a = pop.child(rng)
        b = pop.sibling(rng, a, twin=True)
        for j, c in enumerate((a, b)):
            lid = f"UT{k:06d}{j}"
            left.append(render_ua(rng, c, lid, setting, notes))
            right_children.append((c, True, lid))
            _noted(notes, lid, f"twin of UT{k:06d}{1 - j}")
    while len(right_children) < n_right:
        right_children.append((pop.child(rng), False, None))
    rng.shuffle(right_children)
    right = []
    truth = []
    for j, (c, matched, lid) in enumerate(right_children[:n_right]):
        rid = f"RU{j:07d}"
        right.append(render_ru(rng, pop, c, rid, matched=matched, s=setting, notes=notes))
        if id(c) in kin:
            _noted(notes, rid, kin[id(c)])
        if lid is not None:
            truth.append((lid, rid))
    rng.shuffle(left)
    return left, right, truth


def write(out: Path, left: list[dict[str, str]], right: list[dict[str, str]], truth: list[tuple[str, str]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("ua.csv", left), ("ru.csv", right)):
        with open(out / name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, COLUMNS)
            w.writeheader()
            w.writerows(rows)
    with open(out / "truth.csv", "w", newline="", encoding="utf-8") as f:
        w2 = csv.writer(f)
        w2.writerow(["left_id", "right_id"])
        w2.writerows(truth)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=sorted(SIZES), default="S")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--left", type=int, help="records on the left list (instead of the size's)")
    ap.add_argument("--right", type=int, help="records on the right list (instead of the size's)")
    for f in fields(Setting):
        ap.add_argument("--" + f.name.replace("_", "-"), type=type(f.default), default=f.default,
                        help=f"Setting.{f.name} (default {f.default})")
    a = ap.parse_args()
    setting = Setting(**{f.name: getattr(a, f.name) for f in fields(Setting)})
    n_left, n_right = SIZES[a.size]
    left, right, truth = generate(a.left or n_left, a.right or n_right, a.seed, setting)
    write(a.out, left, right, truth)
    print(f"{len(left)} UA records, {len(right)} RU records, {len(truth)} true links -> {a.out}")


if __name__ == "__main__":
    main()
