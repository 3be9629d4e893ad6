"""Step 3: the counted noun phrase — what a number counts.

After the number come, at most a few tokens apart, adjectives and participles ("five Ukrainian children",
«308 незаконно депортованих дітей»), "of the", qualifiers, then a head noun. The head's lemma decides: a
person noun (lexicon ``persons.tsv``) makes the number a count of people; a noun of ``blockers.tsv``
(years, families, requests …) rules it out. A number followed by a participle of an event and a break
(«19 546 депортованих, 2 346 зниклих», "470 killed") stands for people too; a number followed by a verb or a
break is *bare* and is a claim only where the sentence is about people.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from homeward.figures.extract import lexicon
from homeward.figures.extract.lemmas import Token

_SKIP = {"of", "the", "them", "from", "more", "other", "additional", "young", "small", "unaccompanied", "local",
         "vulnerable", "new", "only", "some", "about", "nearly", "over", "than", "almost", "around", "out",
         "із", "з", "из", "них", "понад", "близько", "майже", "більше", "щонайменше", "около", "почти", "более",
         "свыше", "менее", "лише", "лишь", "всего", "усього", "незаконно", "примусово", "насильно",
         "illegally", "forcibly", "unlawfully", "allegedly", "reportedly", "such", "our", "наших", "наші", "наш",
         "наши", "своих", "своїх", "свои", "свої", "its", "their"}
_ANAPHORA = re.compile(r"^\s*(?:of\s+(?:them|whom|those)|(?:із|з)\s+(?:них|яких|котрих)|из\s+(?:них|которых)|"
                       r"серед\s+них|среди\s+них)\b", re.I)
_PART_OF = {"of": {"whom", "them", "those", "these"}, "из": {"которых", "них"}, "з": {"яких", "котрих", "них"},
            "із": {"яких", "котрих", "них"}}
_ADJ_POS = {"ADJF", "PRTF", "ADJS"}
_RANGE_JOIN = {"й", "і", "и", "та", "and", "or", "to", "–", "—", "-", "до", "або", "или"}
_VERB_POS = {"VERB", "INFN", "PRTS", "GRND", "PRED", "ADVB", "CONJ", "PREP", "PRCL", "NPRO"}
_EN_FUNCTION = {
    "had", "have", "has", "were", "was", "are", "is", "remained", "remain", "remains", "may", "might", "could",
    "would", "will", "whose", "who", "which", "in", "to", "since", "so", "already", "still", "that", "and", "or",
    "as", "at", "by", "on", "with", "without", "each", "alone", "altogether", "overall", "total", "for", "into",
    "under", "after", "before", "across", "through", "via", "because", "despite", "inside", "outside", "within",
    "now", "been", "being", "here", "there", "far", "yet", "then", "too", "but", "while", "a", "an",
}


@dataclass
class NounPhrase:
    kind: str  # person | participle | bare | anaphora | block
    head: Token | None = None
    why: str = ""
    captive: bool = False  # captives.tsv: people, counted only where an exchange, release or return moved them


def is_person(tok: Token) -> bool:
    """A person noun: a lemma of ``persons.tsv``, or (uk, ru) any common noun the analyser marks animate
    («курян», «заложников», «мешканців») that is not a blocker."""
    persons = lexicon.words("persons", tok.lang)
    if tok.lemmas & persons or any(part in persons for part in tok.lower.split("-")[:1]):
        return True
    return tok.animate and not is_blocker(tok)


def is_blocker(tok: Token) -> bool:
    return bool(tok.lemmas & lexicon.words("blockers", tok.lang))


def _is_adjective(tok: Token, i: int) -> bool:
    if tok.lang == "en":
        w = tok.lower
        return bool(tok.text[0].isupper() and i < 3 or re.fullmatch(r"\w+(?:ed|ian|ese|ish|less|al|ive|ful|ly)", w)
                    or w.endswith("'s") or w.endswith("’s"))
    return tok.pos in _ADJ_POS or tok.pos == "ADVB"


def _en_modifier(tok: Token, after: list[Token], event_lemma: object) -> bool:
    """Whether an English word is a noun modifier of a person noun right after it, or after one more modifier
    ("high school students"), not a word of its own ("of thousands of residents", "deported children")."""
    if tok.lower in _EN_FUNCTION or not tok.text.islower() or (callable(event_lemma) and event_lemma(tok)) or \
            re.fullmatch(r"(?:tens|dozens|hundreds|thousands|millions|of)", tok.lower):
        return False
    if not after or not after[0].is_word:
        return False
    if is_person(after[0]):
        return True
    return len(after) > 1 and after[0].text.islower() and after[0].lower not in _EN_FUNCTION | {"of", "the"} \
        and after[1].is_word \
        and is_person(after[1]) and not (callable(event_lemma) and event_lemma(after[0]))


def counted_noun(tokens: list[Token], after: int, event_lemma: object) -> NounPhrase:
    """The noun phrase after the number ending at character ``after``.

    ``event_lemma(token)`` tells whether a token is an event word (for «935 – поранені»).
    """
    rest = tokens[bisect.bisect_left(tokens, after, key=lambda t: t.start):]
    if len(rest) > 3 and rest[0].text.isdigit() and rest[1].text in {"-", "‑"} and re.match(
            r"(?:річн|літн|летн|year|month)", rest[2].lower):
        rest = rest[3:]  # «трьох 17-річних хлопців», "two 15-year-old boys": an age between the number and its noun
    if not rest:
        return NounPhrase("bare", why="nothing follows the number")
    if len(rest) > 2 and rest[0].lower in _RANGE_JOIN and rest[1].text.isdigit() and rest[2].is_word and \
            is_blocker(rest[2]):
        # «двох дівчаток-сиріт 10 й 13 років», "aged 5 and 7 years": the first number shares the noun of the second
        return NounPhrase("block", rest[2], f"counts «{rest[2].text}» with the number after it, not people")
    if len(rest) > 1 and rest[0].lower in _PART_OF and rest[1].lower in _PART_OF[rest[0].lower]:
        # "three children, one of whom is an orphan", «трое детей, один из которых сирота»: a part of the people
        # counted before, the noun elided (not a count of "whom")
        return NounPhrase("bare", why=f"«{rest[0].text} {rest[1].text}»: a part of the people counted before")
    if rest[0].text in {"–", "—", "-", ":"} and len(rest) > 1 and rest[1].is_word:
        nxt = rest[1]
        if callable(event_lemma) and event_lemma(nxt):
            return NounPhrase("participle", nxt, f"«{nxt.text}» after a dash stands for the people counted")
        if is_person(nxt):
            return NounPhrase("person", nxt, f"counted noun «{nxt.text}»")
        return NounPhrase("bare", why="a dash follows the number")
    if not rest[0].is_word:
        return NounPhrase("bare", why=f"«{rest[0].text}» follows the number")
    if rest[0].lang == "en" and rest[0].lower in {"from", "in"} and len(rest) > 1 and (
            rest[1].text[:1].isupper() or rest[1].lower == "the" and len(rest) > 2 and rest[2].text[:1].isupper()):
        # "…, and another 29 from the Bogodukhovsky District": a place follows, the noun is elided
        return NounPhrase("bare", why=f"«{rest[0].text}» and a place follow the number")
    lead = next((k for k, t in enumerate(rest[:3]) if not (t.is_word and t.lower in _SKIP)), 0)
    first = rest[lead]  # over adverbs: «5754 примусово переміщені та депортовані»
    if first.is_word and callable(event_lemma) and event_lemma(first) and (
            first.pos in _ADJ_POS | {"NOUN"} or first.lang == "en" and (
                len(rest) == lead + 1 or not rest[lead + 1].is_word or rest[lead + 1].lower in {"and", "or"})):
        after_first = rest[lead + 1] if len(rest) > lead + 1 else None
        if after_first is None or not after_first.is_word or after_first.lower in {
                "та", "і", "й", "и", "а", "and", "or", "безвісти"} or not (is_person(after_first) or
                                                                          _is_adjective(after_first, 1)):
            return NounPhrase("participle", first, f"the participle «{first.text}» stands for the people counted")
    first_real = True
    for i, tok in enumerate(rest[:6]):
        if not tok.is_word:
            break
        if tok.lang == "en" and re.search(r"['’]s$", tok.lower):
            continue  # "the country's 7.5 million children"
        if tok.lemmas & lexicon.words("captives", tok.lang):
            return NounPhrase("person", tok, f"counted noun «{tok.text}» (captives: counted where an exchange, "
                              "release or return moved them)", captive=True)
        if is_person(tok):
            # "five Ukrainian children": an adjective of nationality reads as a person noun, the noun follows
            if i + 1 < len(rest) and rest[i + 1].is_word and is_person(rest[i + 1]) and tok.text[0].isupper():
                continue
            if tok.lang == "en" and tok.text[0].isupper() and i + 1 < len(rest) and rest[i + 1].is_word and \
                    is_blocker(rest[i + 1]):
                continue  # "Two Ukrainian families": the adjective of nationality before the families counted
            return NounPhrase("person", tok, f"counted noun «{tok.text}» (lemma {_lemma(tok)})")
        person_next = any(t.is_word and is_person(t) for t in rest[i + 1:i + 3])
        if is_blocker(tok):
            near = [t for t in rest[i + 1:i + 6] if t.is_word and t.lower not in {"of", "the"}][:3]
            if tok.lemmas & {"case", "випадок", "случай"} and near and (
                    (near[0].lower not in {"с", "со", "з", "із", "with"} and any(is_person(t) for t in near[:2])) or
                    (callable(event_lemma) and event_lemma(near[0]) and any(is_person(t) for t in near[1:]))):
                continue  # "cases of 15 children", «19 тысяч случаев депортации детей»
            if tok.lang == "en" and i + 1 < len(rest) and rest[i + 1].is_word and is_person(rest[i + 1]):
                continue  # "12 Kursk Region residents": the noun modifies the person noun after it
            return NounPhrase("block", tok, f"counts «{tok.text}» (lemma {_lemma(tok)}), not people")
        if person_next and callable(event_lemma) and event_lemma(tok):
            continue  # «случаев депортации детей»: an event noun before the people it happened to
        if person_next and tok.lang != "en" and any(t.pos in _ADJ_POS and callable(event_lemma) and event_lemma(t)
                                                    for t in rest[:i]):
            continue  # «300 депортованих російськими окупантами дітей»: the participle's agent, then the noun
        if tok.lower in _SKIP:
            continue
        if tok.lang == "en" and _en_modifier(tok, rest[i + 1:i + 3], event_lemma):
            continue  # "50 high school students": a modifier of the person noun after it
        if tok.lang != "en" and i + 1 < len(rest) and rest[i + 1].is_word and is_person(rest[i + 1]):
            continue  # «231 українську дитину»: a word agreeing with the person noun right after it
        was_first, first_real = first_real, False
        # "29 identified Russian-run prisons": a participle before an adjective and a noun is attributive; the noun
        # after them decides (not "12 returned to Ukraine", "five deported last year")
        attributive = tok.lang == "en" and i + 2 < len(rest) and rest[i + 1].is_word and rest[i + 2].is_word and (
            "-" in rest[i + 1].text or re.fullmatch(r"\w+(?:an|ese|ish|al|ive)", rest[i + 1].lower) is not None) \
            and rest[i + 2].lower not in _EN_FUNCTION
        if was_first and not attributive and (tok.lower in _EN_FUNCTION or tok.pos in _VERB_POS or (
                tok.lang == "en" and tok.lower.endswith("ed") and not any(is_person(t) for t in rest[i + 1:i + 3])) or (
                # "only 1,000 brought back", "300 taken to Russia": an irregular participle of an event
                tok.lang == "en" and callable(event_lemma) and event_lemma(tok) and tok.text.islower()
                and bool(tok.lemmas - {tok.lower}) and not any(is_person(t) for t in rest[i + 1:i + 3]))):
            return NounPhrase("bare", why=f"«{tok.text}» follows the number")
        if _is_adjective(tok, i):
            continue
        return NounPhrase("block", tok, f"counts «{tok.text}», which is not a person noun")
    return NounPhrase("bare", why="no noun follows the number")


def anaphora_after(sentence: str, end: int) -> bool:
    return bool(_ANAPHORA.match(sentence[end:end + 20]))


def _lemma(tok: Token) -> str:
    persons = lexicon.words("persons", tok.lang) | lexicon.words("blockers", tok.lang)
    hit = sorted(tok.lemmas & persons)
    return hit[0] if hit else sorted(tok.lemmas)[0]


def is_blocker_near(tokens: list[Token], last: int) -> bool:
    return any(t.is_word and is_blocker(t) for t in tokens[last + 1:last + 3])
