"""Numeric claims about children and other people moved by the war, found in the text of a report.

Pure Python, no Django. A pipeline of named, separately tested steps (each its own module):

1. :mod:`~.segment` — sentences and clauses;
2. :mod:`~.numbers` — digits, number words by lemma, vague amounts, qualifiers;
3. :mod:`~.nouns` — the counted noun phrase (person nouns, blockers, participles standing for people);
4. :mod:`~.events` — the event (a lemmatised verb, participle or noun) and 5. its quantity and direction;
6. :mod:`~.claimant` — who says so, through reported-speech structure, across sentences;
7. :mod:`~.dates` — the as-of date, resolved against the publication date;
8. :mod:`~.scope` — a single event or a cumulative total.

Words are looked up by lemma (:mod:`~.lemmas`: pymorphy3 for Ukrainian and Russian, simplemma for English) in
the cue lexicons under ``lexicon/`` (data files, not code). Every :class:`Claim` carries a :class:`Trace` of
the decisions that produced it, with the numbers of its sentence that were dropped and why::

    >>> from datetime import date
    >>> [c.quantity for c in extract("Russia has returned five Ukrainian children.", date(2024, 3, 21))]
    ['returned']
"""

from homeward.figures.extract.claimant import dateline_outlet
from homeward.figures.extract.dates import find_dates
from homeward.figures.extract.lemmas import tokenize
from homeward.figures.extract.numbers import NumberMention
from homeward.figures.extract.numbers import find_numbers as _find_numbers
from homeward.figures.extract.pipeline import QUANTITIES, Claim, Dropped, Result, Trace, analyse, extract
from homeward.figures.extract.segment import clause_bounds, detect_language, split_sentences


def find_numbers(sentence: str, lang: str | None = None) -> list[NumberMention]:
    """Step 2 on its own: every number in ``sentence`` (digits, number words, vague amounts)."""
    return _find_numbers(sentence, tokenize(sentence, lang or detect_language(sentence)))


__all__ = ["QUANTITIES", "Claim", "Dropped", "Result", "Trace", "analyse", "clause_bounds", "dateline_outlet",
           "detect_language", "extract", "find_dates", "find_numbers", "split_sentences"]
