"""Compare the two lemmatisers considered for the claims extractor on the forms its cue lexicons need.

Usage::

    python benchmarks/figures/lemmatisers.py

Prints, per language, how many inflected forms each tool brings to the expected lemma, and the speed in words
per second (timing is provisional unless the machine's load is below ~1.5).
"""

from __future__ import annotations

import time

import pymorphy3
import simplemma

UK = {"депортованих": "депортований", "дітей": "дитина", "повернула": "повернути", "повернули": "повернути",
      "викрадених": "викрадений", "п'ятеро": "п'ятеро", "двоє": "двоє", "тисячі": "тисяча",
      "одинадцять": "одинадцять", "загинула": "загинути", "поранені": "поранений", "зникли": "зникнути",
      "знайдені": "знайдений", "вивезених": "вивезений", "возз'єдналися": "возз'єднатися",
      "евакуювали": "евакуювати", "повідомив": "повідомити", "дитини": "дитина", "шістьох": "шість",
      "восьмеро": "восьмеро"}
RU = {"детей": "ребенок", "вернулись": "вернуться", "вывезены": "вывезти", "эвакуированы": "эвакуировать",
      "депортированных": "депортированный", "тысячи": "тысяча", "пятеро": "пятеро", "двое": "двое",
      "сообщила": "сообщить", "воссоединились": "воссоединиться", "жителей": "житель", "приняла": "принять",
      "усыновлены": "усыновить", "похищенных": "похитить", "одиннадцать": "одиннадцать",
      "возвращенных": "возвратить", "ребенка": "ребенок", "списка": "список"}


def main() -> None:
    for code, forms in (("uk", UK), ("ru", RU)):
        morph = pymorphy3.MorphAnalyzer(lang=code)
        def norm(s: str) -> str:
            return s.replace("ё", "е")
        pm = sum(norm(morph.parse(w)[0].normal_form) == lem for w, lem in forms.items())
        sm = sum(norm(simplemma.lemmatize(w, lang=code)) == lem for w, lem in forms.items())
        words = list(forms) * 500
        t = time.perf_counter()
        for w in words:
            morph.parse(w)
        pm_speed = len(words) / (time.perf_counter() - t)
        t = time.perf_counter()
        for w in words:
            simplemma.lemmatize(w, lang=code)
        sm_speed = len(words) / (time.perf_counter() - t)
        print(f"{code}: pymorphy3 {pm}/{len(forms)} ({pm_speed:,.0f} words/s)   "
              f"simplemma {sm}/{len(forms)} ({sm_speed:,.0f} words/s)")


if __name__ == "__main__":
    main()
