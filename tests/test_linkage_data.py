"""Small deterministic UA/RU list pairs for the linkage tests (helpers only, no tests here)."""

from __future__ import annotations

import random

# (Ukrainian form, Russian form, sex)
GIVEN = [
    ("Олександр", "Александр", "m"), ("Дмитро", "Дмитрий", "m"), ("Андрій", "Андрей", "m"),
    ("Іван", "Иван", "m"), ("Микола", "Николай", "m"), ("Михайло", "Михаил", "m"),
    ("Сергій", "Сергей", "m"), ("Олексій", "Алексей", "m"), ("Тарас", "Тарас", "m"),
    ("Марія", "Мария", "f"), ("Анна", "Анна", "f"), ("Олена", "Елена", "f"),
    ("Катерина", "Екатерина", "f"), ("Наталія", "Наталья", "f"), ("Софія", "София", "f"),
    ("Анастасія", "Анастасия", "f"), ("Вікторія", "Виктория", "f"), ("Юлія", "Юлия", "f"),
]  # fmt: skip
SURNAMES = [
    ("Коваленко", "Коваленко"), ("Шевченко", "Шевченко"), ("Бондаренко", "Бондаренко"),
    ("Лисенко", "Лысенко"), ("Кравець", "Кравец"), ("Олійник", "Олейник"), ("Ткачук", "Ткачук"),
    ("Мельник", "Мельник"), ("Поліщук", "Полищук"), ("Гончаренко", "Гончаренко"),
    ("Савчук", "Савчук"), ("Мороз", "Мороз"), ("Білик", "Белик"), ("Гнатюк", "Гнатюк"),
    ("Дячук", "Дьячук"), ("Пасічник", "Пасечник"), ("Зінченко", "Зинченко"), ("Руденко", "Руденко"),
]  # fmt: skip
FATHERS = [
    ("Петрович", "Петрівна", "Петрович", "Петровна"), ("Іванович", "Іванівна", "Иванович", "Ивановна"),
    ("Олегович", "Олегівна", "Олегович", "Олеговна"), ("Васильович", "Василівна", "Васильевич", "Васильевна"),
    ("Андрійович", "Андріївна", "Андреевич", "Андреевна"), ("Романович", "Романівна", "Романович", "Романовна"),
]  # fmt: skip
PLACES = [("Маріуполь", "Мариуполь"), ("Херсон", "Херсон"), ("Мелітополь", "Мелитополь"), ("Донецьк", "Донецк")]


def child(rng: random.Random) -> dict[str, object]:
    g = rng.choice(GIVEN)
    return {
        "g": g,
        "s": rng.choice(SURNAMES),
        "p": rng.choice(FATHERS),
        "dob": (rng.randint(2006, 2021), rng.randint(1, 12), rng.randint(1, 28)),
        "place": rng.choice(PLACES),
    }


def ua(c: dict, rid: str) -> dict[str, str]:
    g, s, p, (y, m, d), place = c["g"], c["s"], c["p"], c["dob"], c["place"]
    return {
        "record_id": rid,
        "given_name": g[0],
        "surname": s[0],
        "patronymic": p[0] if g[2] == "m" else p[1],
        "sex": "ч" if g[2] == "m" else "ж",
        "birth_date": f"{d:02d}.{m:02d}.{y}",
        "birth_place": place[0],
    }


def ru(c: dict, rid: str, *, swap: bool = False) -> dict[str, str]:
    g, s, p, (y, m, d), place = c["g"], c["s"], c["p"], c["dob"], c["place"]
    if swap and d <= 12 and d != m:
        m, d = d, m
    return {
        "record_id": rid,
        "given_name": g[1],
        "surname": s[1],
        "patronymic": p[2] if g[2] == "m" else p[3],
        "sex": "м" if g[2] == "m" else "ж",
        "birth_date": f"{y}-{m:02d}-{d:02d}",
        "birth_place": place[1],
    }


def lists(n_left: int = 80, n_match: int = 50, n_other: int = 150, seed: int = 7):
    """(ukrainian list, russian list, true pairs)."""
    rng = random.Random(seed)
    kids = [child(rng) for _ in range(n_left)]
    left = [ua(c, f"U{i}") for i, c in enumerate(kids)]
    right, truth = [], set()
    for i in range(n_match):
        right.append(ru(kids[i], f"R{i}", swap=(i % 10 == 0)))
        truth.add((f"U{i}", f"R{i}"))
    for j in range(n_other):
        right.append(ru(child(rng), f"X{j}"))
    rng.shuffle(right)
    return left, right, truth
