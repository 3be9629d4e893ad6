"""Steps 4 and 5: the event (a lemmatised verb, participle or noun of ``events.tsv``) and from it the
quantity and direction of a count.

Which event a number belongs to, in order:

0. an event noun that governs the number ("a list of 339 children", «повернення 8 дітей», «список из 339»);
1. the nearest finite verb of a movement in the number's clause («Україна **повернула** 308 … дітей»,
   "Eleven children taken to … will be **reunited**");
2. a participle or relative clause attached to the counted noun ("20,000 children who were allegedly
   **taken**", «308 незаконно **депортованих** дітей» where no verb says more);
3. a finding or documenting verb ("identified", «знайдено»);
4. any other event word in the clause, then in the sentence.

A *take* event (take, вивезти, вывезти, rescue …) counts as ``evacuated`` where the sentence frames it as
refuge or safety (``frames.tsv``), else as its own quantity. A negated movement ("not returned") is
``other``; an event of quantity ``none`` (remain, stay, at risk …) drops the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from homeward.figures.extract import lexicon
from homeward.figures.extract.lemmas import Token
from homeward.figures.extract.lemmas import future as _future_tense

_EN_AUX = {"were", "was", "are", "is", "been", "be", "being", "have", "has", "had", "will", "would", "get", "got", "to"}
_REL = {"who", "that", "which", "whom", "які", "котрі", "що", "которые", "который", "которых"}
_NEG = {"not", "never", "не", "ні", "ни", "yet", "declined", "refused", "відмовилися", "отказались", "cannot", "unable",
        "can't", "couldn't", "didn't", "don't", "doesn't", "won't", "wasn't", "weren't", "haven't", "hasn't"}
_SLAVIC_VERB = {"VERB", "INFN", "GRND", "PRTS"}
_SLAVIC_ATTR = {"ADJF", "PRTF"}
_DETERMINERS = {"a", "an", "the", "this", "that", "its", "their", "his", "her", "full", "complete", "new", "first",
                "final", "latest", "whose"}
_PREPOSITIONS = {"to", "in", "into", "from", "via", "at", "on", "through", "across", "в", "у", "на", "до", "з", "із",
                 "из", "с", "со", "от", "від", "через", "во", "к"}
_FAMILY = frozenset({"family", "родина", "сім'я", "сім’я", "семья"})
_GOVERN_GAP = {"of", "with", "from", "із", "з", "из", "в", "у", "on", "for", "about", "nearly", "more", "than",
               "над", "на", "понад", "около", "более", "близько", "майже", "почти", "свыше", "the", "a", "an"}


@dataclass
class Event:
    index: int  # token index of the (first) word
    last: int  # token index of the last word of a phrase
    start: int
    end: int
    lemma: str
    quantity: str
    kind: str
    role: str  # verb | attr | rel | noun
    negated: bool = False

    def describe(self) -> str:
        return f"«{self.lemma}» ({self.role})"


def _match(tokens: list[Token], i: int) -> tuple[int, str, str, str] | None:
    tok = tokens[i]
    table = lexicon.events(tok.lang)
    for lemma in sorted(tok.lemmas):
        for entry in table.get(lemma, []):
            n = len(entry.lemmas)
            if n > 1:
                nxt = [j for j in range(i + 1, min(len(tokens), i + 9)) if tokens[j].is_word][:4]
                before = [j for j in range(max(0, i - 8), i) if tokens[j].is_word][-3:]
                hits = [j for j in nxt if entry.lemmas[1] in tokens[j].lemmas]
                back = [j for j in before if entry.lemmas[1] in tokens[j].lemmas]
                if n > 2 or not (hits or back):
                    continue
                return (hits[0] if hits else i), " ".join(entry.lemmas), entry.quantity, entry.kind
            return i, lemma, entry.quantity, entry.kind
    return None


def is_event_word(tok: Token) -> bool:
    table = lexicon.events(tok.lang)
    return any(lemma in table for lemma in tok.lemmas)


# words after "people left" that make "left" remaining, not leaving ("left in Crimea", "left behind", "left alone")
_LEFT_REMAINING = frozenset({"in", "at", "on", "behind", "without", "with", "alone", "unaccompanied", "there", "here",
                             "under", "after", "by", "over", "orphaned", "stranded", "homeless", "and", "or", "who",
                             "which", "that", "to", "inside", "within", "near"})


def find_events(tokens: list[Token], persons: set[int]) -> list[Event]:
    """Every event word of the sentence, with its role; ``persons`` are the token indexes of person nouns."""
    out: list[Event] = []
    words = [t for t in tokens if t.is_word and t.lang == "en"]
    title_case = len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.6 * len(words)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.is_word:
            i += 1
            continue
        hit = _match(tokens, i)
        if tok.lang == "en" and tok.text[0].isupper() and i > 0 and hit is not None and not title_case:
            hit = None  # a capitalised word inside a sentence is a name: "the Red Cross", "Return Home" in a title
        nxt_word = next((t for t in tokens[i + 1:i + 2] if t.is_word), None)
        if tok.lang == "en" and tok.text[0].isupper() and hit is not None and not title_case and nxt_word is not None \
                and nxt_word.text[0].isupper():
            hit = None  # "Save Ukraine has been able to …", "Bring Kids Back UA": a name opening the sentence
        if hit is None:
            i += 1
            continue
        last, lemma, quantity, kind = hit
        after = [t.lower for t in tokens[last + 1:last + 4] if t.is_word]
        if lemma == "bring" and after[:2] in (["the", "number"], ["the", "total"], ["the", "tally"]):
            i = last + 1  # "bringing the number of children returned to 59": an idiom, not a movement
            continue
        prev = [t.lower for t in tokens[max(0, i - 3):i] if t.is_word]
        role = _role(tokens, i, persons)
        if role == "noun" and prev[-1:] in (["без"], ["without"]):
            i = last + 1  # «лишився без опіки», "left without guardianship": the noun says what is lacking
            continue
        negated = bool(set(prev[-2:]) & _NEG) or (tok.lang != "en" and tok.lower.startswith("не") and
                                                   "не" + lemma == tok.lower)
        if lemma == "left" and role == "attr":
            nxt = tokens[last + 1] if last + 1 < len(tokens) else None
            if nxt is not None and nxt.is_word and nxt.lower not in _LEFT_REMAINING:
                role = "verb"  # "270,000 people left the region", "2,000 people left borderline areas": leaving
            else:
                quantity = "none"  # "one boy left in Crimea", "children left behind": remaining, not leaving
        out.append(Event(i, last, tok.start, tokens[last].end, lemma, quantity, kind, role, negated))
        i = last + 1
    return out


def _role(tokens: list[Token], i: int, persons: set[int]) -> str:
    tok = tokens[i]
    words_before = [j for j in range(max(0, i - 4), i) if tokens[j].is_word]
    if any(tokens[j].lower in _REL for j in words_before[-3:]) and any(p < i for p in persons):
        return "rel"
    if tok.lang != "en":
        if tok.pos == "NOUN" and not (tok.poses & {"VERB", "INFN"}):
            return "noun"
        if tok.pos in _SLAVIC_ATTR:
            return "attr"
        return "verb" if tok.pos in _SLAVIC_VERB or tok.poses & {"VERB", "INFN"} else "noun"
    w = tok.lower
    if words_before and tokens[words_before[-1]].lower in _DETERMINERS:
        return "noun"  # "a list of 339", "the deportation of"
    if words_before and tokens[words_before[-1]].lower == "of" and not re.search(r"(?:ed|en|ing)$", w) and not (
            i + 1 in persons or (i + 2 in persons and tokens[i + 1].is_word)):
        return "noun"  # "14 children in need of rescue", "the threat of deportation": a noun after "of"
    if re.search(r"(?:ion|ment|ee|ship|ie)s?$|(?:al|ing)$", w) and not (words_before and
                                                                      tokens[words_before[-1]].lower in _EN_AUX):
        return "noun" if not w.endswith("ing") else "verb"
    adv = list(words_before)
    while adv and re.fullmatch(r"\w+ly", tokens[adv[-1]].lower) and tokens[adv[-1]].lower not in {"only", "early"}:
        adv.pop()  # "children previously deported", "children illegally held": over the adverbs
    if adv and len(adv) < len(words_before) and adv[-1] in persons:
        return "attr"
    if words_before and tokens[words_before[-1]].lower in _EN_AUX | {"allegedly", "reportedly", "forcibly",
                                                                      "illegally", "already", "since", "also"}:
        return "verb"
    if i > 0 and (i - 1) in persons and not (w in tok.lemmas and not re.search(r"(?:ed|en|ing)$", w) and w != "left"):
        return "attr"  # "children taken to Russia" (but "20,000 people remain": a base form is a finite verb)
    if i + 1 < len(tokens) and (i + 1 in persons or (i + 2 in persons and tokens[i + 1].is_word)):
        return "attr"  # "deported children"
    return "verb"


def _gap_words(tokens: list[Token], a: int, b: int) -> list[Token]:
    return [t for t in tokens[a:b] if t.is_word]


def pick(events: list[Event], tokens: list[Token], num_first: int, num_last: int, head: int | None,
         clause: tuple[int, int]) -> tuple[Event | None, str]:
    """The event of a number whose tokens are ``num_first``–``num_last`` (``head``: its noun's token)."""
    c0, c1 = clause

    def aid_object(e: Event) -> bool:
        # "12,300 people received psychosocial support": the verb's object is aid, not a movement
        return any(t.is_word and (t.lemmas & lexicon.words("aid", t.lang)) for t in tokens[e.last + 1:e.last + 4])

    def object_between(e: Event) -> bool:
        # "received appeals regarding 1,000 residents": the verb's direct object is the appeals, not the people
        after = [j for j in range(e.last + 1, num_first) if tokens[j].is_word][:2]
        for j in after:
            t = tokens[j]
            if t.lower in _PREPOSITIONS:
                return False
            rest = [r.lower for r in tokens[j + 1:num_first] if r.is_word]
            if rest in (["of"], ["з"], ["із"], ["из"]) or (rest in (["with"], ["з"], ["із"], ["с"], ["со"]) and (
                    t.lemmas & _FAMILY)):
                # «повернути групу з 23 дітей», "a group of 23 children": the group is the people counted; "evacuated
                # five families with 9 children": the children are moved with their families
                return False
            if t.lemmas & lexicon.words("blockers", t.lang) and not (t.animate and e.quantity == "returned"):
                return True  # but «обмен пленными по формуле «185 на 185»»: the people exchanged are the object
        return False

    events = [e for e in events if not aid_object(e) and not (e.index < num_first and object_between(e))]
    in_clause = [e for e in events if c0 <= tokens[e.index].start and tokens[e.last].end <= c1]
    # 0: an event noun right before the number governs it
    for e in events:
        if e.role == "noun":
            gap = tokens[e.last + 1:num_first]
            if e.last < num_first and len(gap) <= 4 and all(
                    t.lower in _GOVERN_GAP or not t.is_word or (t.pos in {"NOUN", "PREP", ""} and not
                                                                  is_event_word(t) and t.lang != "en")
                    for t in gap) and not any(t.text in {",", ";", "."} for t in gap):
                first = next((o for o in events if o.role == "noun" and o.quantity != "none" and o is not e and
                              0 < e.index - o.last <= 3 and any(t.lower in {"or", "and", "або", "чи", "і", "та",
                                                                             "или", "и"}
                                                                for t in tokens[o.last + 1:e.index])), None)
                if first is not None and first.quantity == "deported" and e.quantity == "other":
                    # "the deportation or forced displacement of 19,546 children": the pair names one deportation
                    return first, "an event noun that governs the number, the first of a pair"
                return e, "an event noun that governs the number"
    anchor = head if head is not None else num_last

    def dist(e: Event) -> int:
        return min(abs(e.index - num_first), abs(e.index - anchor))

    def attached(e: Event) -> bool:
        if num_last < e.index < anchor:
            return True  # between the number and its noun
        if e.role in {"attr", "rel"} and anchor < e.index <= anchor + 6:
            return True  # after the noun: "children taken to …", "children who were taken"
        if e.role in {"rel", "verb"} and anchor < e.index <= anchor + 30:
            # "314 children, primarily from Donbas, who since 2022 have been deported": over an appositive
            rel = [j for j in range(anchor + 1, e.index) if tokens[j].lower in _REL]
            if rel and tokens[rel[0] - 1].text == "," and e.index - rel[0] <= 18 and not any(
                    is_event_word(t) or (t.text[:1].isdigit() and not re.fullmatch(r"(?:19|20)\d\d", t.text))
                    for t in tokens[anchor + 1:e.index] if t.is_word or t.text[:1].isdigit()):
                return True  # the first event of the relative clause, with no other number before it
        return False

    def coordinated(e: Event) -> bool:
        # "children deported or forcibly displaced": the second event shares the first one's role
        words = [t for t in tokens[max(0, e.index - 3):e.index] if t.is_word]
        conj = next((t for t in words if t.lower in {"or", "and", "або", "чи", "і", "та", "или", "и"}), None)
        return conj is not None and any(attached(o) and o.index < e.index for o in events if o is not e)

    verbs = [e for e in in_clause if e.role == "verb" and e.kind not in {"doc", "list"} and not coordinated(e)
             and not (attached(e) and e.role == "attr") and not object_between(e) and not aid_object(e)]
    if verbs:
        return min(verbs, key=dist), "the nearest verb of a movement in the clause"
    docs_before = [e for e in in_clause if e.kind == "doc" and e.index < num_first]
    # «знайшли 4039 дітей, які перебували в розшуку»: a state in the relative clause does not undo the finding
    att = [e for e in events if attached(e) and not aid_object(e) and not (
        e.quantity == "none" and e.role == "rel" and docs_before)]
    if att and att[0].index > anchor and (att[0].role == "rel" or (att[0].role == "verb" and any(
            tokens[j].lower in _REL and tokens[j - 1].text == "," for j in range(anchor + 1, att[0].index))) or (
            att[0].role == "attr" and att[0].index > 0 and tokens[att[0].index - 1].text == ",")):
        # "Трое жителей, которых удерживали …, также возвращены": the predicate after the relative clause;
        # likewise after a participial phrase between commas («Трое жителей, находившихся в плену, возвращены»)
        close = next((j for j in range(att[0].last + 1, min(len(tokens), att[0].last + 12)) if tokens[j].text == ","),
                     None)
        after = [e for e in events if close is not None and close < e.index <= close + 4 and e.kind not in
                 {"doc", "list"} and e.quantity != "none"]
        if after:
            return after[0], "the predicate after the relative clause"
    found = [e for e in in_clause if e.kind == "doc" and not is_infinitive(e, tokens)]
    if att and found and all(e.lemma in lexicon.words("sought", tokens[e.index].lang) for e in att):
        # "Hundreds of residents who went missing … have been found": finding the people sought is the event (but not
        # "trying to find out what happened to 23,000 people who have disappeared")
        return min(found, key=dist), "a verb of finding the people sought (missing)"
    if att:
        return min(att, key=dist), "a word attached to the counted noun"
    docs = [e for e in in_clause if e.kind == "doc"]
    if docs:
        return min(docs, key=dist), "a verb of finding or documenting in the clause"
    if in_clause:
        return min(in_clause, key=dist), "the nearest event word in the clause"
    clause_words = [t for t in tokens if t.is_word and c0 <= t.start < c1]
    before_clause = [t for t in tokens if t.is_word and t.end <= c0]
    if clause_words and clause_words[0].lower in _REL and clause_words[0].start < tokens[num_first].start and \
            before_clause and (before_clause[-1].lemmas & lexicon.words("persons", before_clause[-1].lang)):
        # "a grandmother, who was supposed to pick up two children, died": the clause is about another person
        return None, "the number is inside a relative clause about another person, with no event of its own"
    # a relative clause of another, earlier noun is not about this number: "a woman, who had been detained, … saw
    # her two sons"
    events = [e for e in events if not (e.index < num_first and any(
        tokens[r].lower in _REL and r > 0 and tokens[r - 1].text == "," and not (
            # «Зазначається, що …»: «що» after a verb opens what is said, not a relative clause of a noun
            r > 1 and tokens[r - 2].is_word and tokens[r - 2].lang != "en" and tokens[r - 2].pos in _SLAVIC_VERB)
        for r in range(max(0, e.index - 6), e.index)))]
    verbs = [e for e in events if e.role == "verb" and e.kind not in {"doc", "list"} and not aid_object(e)]
    if verbs:
        return min(verbs, key=dist), "the nearest verb of a movement in the sentence"
    if events:
        return min(events, key=dist), "the nearest event word in the sentence"
    return None, "no event word in the sentence"


def is_infinitive(event: Event, tokens: list[Token]) -> bool:
    tok = tokens[event.index]
    return tok.pos == "INFN" or (tok.lang != "en" and tok.lower in tok.lemmas and re.search(
        r"(?:ти|ть|чь)$", tok.lower) is not None) or (tok.lang == "en" and any(
        t.lower == "to" for t in tokens[max(0, event.index - 2):event.index]))


_RISK = frozenset({"risk", "threat", "ризик", "загроза", "риск", "угроза"})
_DECIDED = frozenset({"approve", "plan", "затвердити", "схвалити", "запланувати", "планувати", "утвердить", "одобрить",
                      "должный", "повинний",
                      "запланировать", "планировать", "підлягати", "подлежать"})
_AUX = frozenset({"is", "are", "was", "were", "be", "been", "being"})
_CLAUSE_TURN = frozenset({"but", "while", "which", "who", "але", "а", "який", "яка", "які", "но", "который", "которая",
                          "которые"})
_INTENT_STOP = {",", ";", ":", "—", "–", "(", ")", "«", "»", "\"", "“", "”"}


def intended(event: Event, tokens: list[Token]) -> Token | None:
    """The word of intention, plan, need or request (``intent.tsv``) that governs a movement given as an infinitive
    or a noun ("plans to deport", "a plan is in place to evacuate", «планують вивезти», «планируем вывоз»), else
    ``None``: such a movement has not been arranged for the people counted."""
    nxt = [t for t in tokens[event.last + 1:event.last + 2] if t.is_word]
    if nxt and nxt[0].lang == "en" and nxt[0].lemmas & lexicon.words("intent", "en") and nxt[0].lower not in {
            "called", "asked", "demanded", "agreed", "wanted"}:
        return nxt[0]  # "a 1000 for 1000 exchange deal", "the evacuation plan": the plan's noun after the event's
    before = [t for t in tokens[max(0, event.index - 5):event.index] if t.is_word][-3:]
    if event.role != "noun" and len(before) >= 2 and before[-2].lower == "to" and before[-1].lower == "be" and \
            before[-1].lang == "en" and not (len(before) == 3 and before[0].lower in {"managed", "able", "succeeded"}):
        return before[-2]  # "Around 9,000 children to be evacuated", "are to be returned": not (yet) done (but
        # "were managed to be returned" is done)
    risk = next((t for t in before if t.lemmas & _RISK), None)
    if risk is not None:
        return risk  # "at high risk of being deported", «під загрозою депортації»: not (yet) done
    if event.role == "noun":
        # "the compulsory evacuation of 269 children … was approved", «эвакуация 300 детей запланирована»: the noun's
        # own predicate, later in its clause, makes the movement a decision or a plan
        for j in range(event.last + 1, min(len(tokens), event.last + 25)):
            t = tokens[j]
            if t.text in {";", ".", "!", "?", ":"} or (t.is_word and t.lower in _CLAUSE_TURN):
                break
            if not (t.is_word and t.lemmas & _DECIDED):
                continue
            prev = next((p for p in reversed(tokens[:j]) if p.is_word), None)
            if t.lang == "en" and prev is not None and prev.lower in _AUX or t.lang != "en" and t.pos not in {
                    "ADJF", "PRTF"}:
                return t  # a predicate ("was approved", «утверждена»), not an attribute ("the approved plan")
    if not (is_infinitive(event, tokens) or event.role == "noun"):
        return None
    seen = 0
    for j in range(event.index - 1, max(-1, event.index - 12), -1):
        t = tokens[j]
        if t.text in _INTENT_STOP:
            return None
        if not t.is_word:
            continue
        seen += 1
        if seen > 5:
            return None
        if t.lemmas & lexicon.words("intent", t.lang) and not (t.lang == "en" and t.text[0].isupper() and j > 0):
            return t
    return None


_FUTURE_AUX = frozenset({"will", "shall", "будут", "будет", "будуть", "буде"})
# a compulsory (ordered) evacuation named as such: «принудительная эвакуация», «примусово вивезуть», "mandatory
# evacuation"; only the movement word right after the compulsion word (not "forcibly deported children")
_ORDERED = re.compile(r"\b(?:примусов\w*|принудительн\w*|обов['’]язков\w*|обязательн\w*|compulsory|mandatory)\s+"
                      r"(?:[\w'’-]+\s+)?(?:евакуац|эвакуац|евакую|эвакуир|evacuat|вивез|вывез|вивоз|вывоз)",
                      re.IGNORECASE)


def ordered_future(event: Event, tokens: list[Token], context: str) -> Token | None:
    """The future-tense verb or auxiliary of a movement announced by a compulsory evacuation order («объявлена
    принудительная эвакуация … По его словам, всего будут эвакуированы более 3 тыс. детей», «Понад 200 дітей
    примусово вивезуть»): the people the order covers, not people moved, so no claim (a decision's people, as
    for people "subject to" evacuation). ``context`` is the sentence and the one before it in its paragraph.
    ``None`` where the movement is not in the future or no order is named (an arranged trip, «уедут», stays)."""
    tok = tokens[event.index]
    if event.role == "noun" or not _ORDERED.search(context):
        return None
    if _future_tense(tok.text, tok.lang):
        return tok
    before = [t for t in tokens[max(0, event.index - 4):event.index] if t.is_word][-2:]
    return next((t for t in before if t.lower in _FUTURE_AUX), None)


def still_to_do(event: Event, events: list[Event], tokens: list[Token]) -> Event | None:
    """«залишається евакуювати 652 дитини», "remain to be evacuated": the state verb before an infinitive (the
    movement has not happened), else ``None``."""
    if not is_infinitive(event, tokens):
        return None
    return next((e for e in events if e.quantity == "none" and 0 < event.index - e.last <= 3), None)


def complement(event: Event, events: list[Event]) -> Event:
    """"remained unaccounted for", «залишаються зниклими»: a state verb takes the event word that follows it."""
    if event.quantity == "none" and not event.negated:
        nxt = [e for e in events if 0 < e.index - event.last <= 3 and e.quantity != "none"]
        if nxt:
            if event.lemma in {"await", "очікувати", "ожидать", "wait"}:  # waiting for a return: not returned yet
                return Event(nxt[0].index, nxt[0].last, nxt[0].start, nxt[0].end, nxt[0].lemma, "other", "move",
                             nxt[0].role, negated=False)
            return nxt[0]
    return event


_CAUSES = frozenset({"shelling", "combat", "hostility", "hostilities", "zone", "обстріл", "обстрел", "зона"})
_PERIOD_OF = re.compile(r"(?:з|від|с|со)\s+(?:початку|начала|моменту|момента)\s*$|"
                        r"(?:з|із|с|со)\s+(?:початком|началом)\s+(?:[^\W\d][\w'’]*\s+)?$|\bsince\s+(?:the\s+)?(?:beginning|"
                        r"start)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_SEEK_REFUGE = re.compile(r"\b(?:to\s+seek|seeking|sought)\s+(?:refuge|asylum|safety\s+abroad)\b|\bas\s+refugees\b|"
                          r"\bу\s+пошуках\s+притулку|\bв\s+поисках\s+убежища", re.IGNORECASE)


# adverbs that make a take a deportation, not a rescue or a return (not «примусово»: also a compulsory evacuation)
_FORCIBLY = frozenset({"forcibly", "illegally", "unlawfully", "насильно", "насильницьки", "незаконно", "нелегально",
                       "силой", "силою"})


def _forcibly(event: Event, tokens: list[Token]) -> str | None:
    before = [t for t in tokens[max(0, event.index - 3):event.index] if t.is_word][-2:]
    return next((t.text for t in before if t.lower in _FORCIBLY), None)


_SET_OFF = frozenset({"уехать", "поехать", "поїхати", "отправиться", "відправитися", "вирушити"})
_SOMEWHERE = re.compile(r"^\W*(?:\w+\W+){0,4}?(?:в|во|на|до|у|к|під|под|за|to|into|for)\s+\w", re.IGNORECASE)
_FROM = re.compile(r"\b(?:з|із|зі|из|с|со|от|від|from)\s+\w", re.IGNORECASE)


def quantity_of(event: Event, tokens: list[Token], dest: str = "") -> tuple[str, str]:
    """(quantity, why) of an event in its sentence; ``dest`` is where the people went (UA, RU, BY or "")."""
    if event.negated:
        if event.quantity in {"returned", "reunited", "identified"}:
            return "other", f"{event.describe()} is negated: not (yet) {event.quantity}"
        return "none", f"{event.describe()} is negated"
    if event.kind == "arrive":
        after = _sentence_text(tokens)[tokens[event.last].end:][:80]
        if _SEEK_REFUGE.search(after) and dest != "UA":
            # "have crossed the Ukrainian border to seek refuge in neighboring countries": refugees
            return "other", f"{event.describe()} to seek refuge: refugees"
        if dest == "UA":
            return "returned", f"{event.describe()} in Ukraine or home: returned"
        if event.lemma in _SET_OFF and not _SOMEWHERE.search(after[:60]) and _FROM.search(
                _sentence_text(tokens)[max(0, tokens[event.index].start - 60):tokens[event.index].start] + after[:60]):
            # «з Київської області поїхало понад 120 тисяч дітей»: setting off from a place, going nowhere said, is
            # leaving it (displaced), not an evacuation to somewhere
            return "other", f"{event.describe()} from a place, nowhere said: leaving"
        return "evacuated", f"{event.describe()}: arriving somewhere else counts as evacuated"
    if event.kind == "take" and event.quantity == "deported" and dest == "UA" and (force := _forcibly(event, tokens)):
        # «12 курянах, которых насильно вывезли на территорию Сумской области Украины»: a forcible take is a
        # deportation wherever it went
        return "deported", f"{event.describe()} «{force}»: a forcible take, deported"
    if event.kind == "take" and event.quantity in {"deported", "other"} and dest == "UA":
        # "taken home", "left for the government-controlled territory": towards Ukraine is a return
        return "returned", f"{event.describe()} towards Ukraine or home: returned"
    if event.kind in {"take"} or event.lemma in {"rescue", "врятувати", "спасти"}:
        frames = {t.lang: lexicon.words("frames", t.lang) for t in tokens if t.is_word}
        framed = [t for j, t in enumerate(tokens) if t.is_word and t.lemmas & frames.get(t.lang, frozenset())
                  and not (t.text[0].isupper() and j > 0)  # a name: "the Humanitarian Research Lab"
                  and not _PERIOD_OF.search(_sentence_text(tokens)[max(0, t.start - 30):t.start])
                  # "9,653 people have left the areas of possible hostilities": a cause of leaving, not a framing
                  and not (event.quantity == "other" and t.lemmas & _CAUSES)]
        # («З початку евакуації … виїхало 60 тисяч людей»: the start of a period, not a framing of the leaving)
        if framed:
            return "evacuated", (f"{event.describe()} → {event.quantity}, but «{framed[0].text}» frames it as "
                                 "evacuation")
    if event.kind == "take" and event.quantity == "adopted":
        after = _sentence_text(tokens)[tokens[event.last].end:][:90]
        if _IN_TERRITORY.search(after) and not _IN_FAMILY.search(after):
            # "has illegally placed over 19,000 children in its territory": placed in a country, not in a family
            return "deported", f"{event.describe()} in a territory, not in a family: deported"
    if event.kind == "take" and event.quantity == "deported" and dest != "RU":
        text = _sentence_text(tokens)
        after = text[tokens[event.last].end:]
        elsewhere = re.search(r"\b(?:to|into)\s|\b(?:до|в|у|на)\s+(?:табор|лагер|росі|росси|рф|крим|крым)", after,
                              re.IGNORECASE)
        if _FROM_OCCUPIED.search(text) and not elsewhere:
            # «удалось вывезти с временно оккупированных территорий»: taken out of occupation, with nowhere else said
            return "returned", f"{event.describe()} out of the occupied territories: returned"
        near = text[max(0, event.start - 45):event.end + 45]
        place = None if ua_agent(text) else from_russian_place(near)
        if place is not None:
            # «из Суджанского района вывезено 423 человека»: taken out of a place in Russia, not from Ukraine
            return "evacuated", f"{event.describe()} out of a place in Russia («{place}»): evacuated"
    return event.quantity, f"{event.describe()} → {event.quantity}"


_UA_AGENT = re.compile(r"\bby\s+(?:the\s+)?ukrain\w*|\bВСУ\b|\bЗСУ\b|украинск\w*\s+(?:военн|сил|боевик|армі|арми)|"
                       r"українськ\w*\s+(?:військ|сил|армі)", re.IGNORECASE)
_FROM_PLACE = re.compile(r"\b(?:from|out\s+of|из|с|со|з|із)\s+((?:[^\W\d][\w'’-]*\s+){0,3}[^\W\d][\w'’-]*)",
                         re.IGNORECASE)


def ua_agent(sentence: str) -> bool:
    """Whether Ukrainian forces are the sentence's agent ("taken by Ukrainian forces", «ВСУ вывезли»)."""
    return _UA_AGENT.search(sentence) is not None


def from_russian_place(sentence: str) -> str | None:
    """The place in Russia (``russia_places.tsv``) that the sentence moves people out of ("from the Kursk region",
    «из приграничных районов Курской области», «из Суджанского района»: a word start among the four words after
    the preposition), else ``None``."""
    stems = tuple(s.replace("ё", "е") for s in lexicon.russia_places())
    for m in _FROM_PLACE.finditer(sentence):
        for w in m.group(1).split():
            if w.lower().replace("ё", "е").startswith(stems):
                return w
    return None


_OR = frozenset({"or", "або", "чи", "или", "либо"})


def or_evacuated(event: Event, events: list[Event], tokens: list[Token]) -> Event | None:
    """The evacuation joined to a leaving by "or" ("have left or been evacuated", «выехали или эвакуированы»,
    «виїхали або були евакуйовані»), else ``None``: the sentence calls the people evacuated (the guideline's
    leaving rule)."""
    for e in events:
        if e is event or e.quantity != "evacuated" or e.negated or e.kind in {"doc", "list"}:
            continue
        a, b = (event, e) if event.index < e.index else (e, event)
        between = [t for t in tokens[a.last + 1:b.index] if t.is_word]
        if 1 <= len(between) <= 2 and between[0].lower in _OR and not any(t.text in {",", ";", "."} for t in
                                                                             tokens[a.last + 1:b.index]):
            return e
    return None


_IN_TERRITORY = re.compile(r"\b(?:in|into|to|across)\s+(?:its|the|russia|russian|occupied|their)\b[^.;]{0,20}?"
                           r"(?:territor|russia|regions?\b)|\b(?:на|в|у)\s+(?:територі|территори|росі|росси|рф\b)",
                           re.IGNORECASE)
_IN_FAMILY = re.compile(r"famil|foster|guardian|adopt|сім['’]|родин|семь|семе|опік|опек|усынов|усиновл|всинов",
                        re.IGNORECASE)


# --- direction (place words) ---------------------------------------------------------------------------------

_TO_RU = re.compile(r"\b(?:to|into|in)\s+(?:the\s+)?(?:russia|russian\s+federation|crimea)|"
                    r"\b(?:до|в|у|на\s+територію|на\s+территорию|на\s+территории)\s+(?:рф|росії|россии|россию|"
                    r"криму|крым|крыму|російськ\w*|российск\w*)|(?:в|у)\s+росі\w*|в\s+росси\w*|"
                    # a place in Russia: «вивезли з Маріуполя під москву», "taken to Rostov", «в Подмосковье»
                    r"\b(?:to|into|in|near)\s+(?:the\s+)?(?:moscow|rostov|krasnodar|taganrog|belgorod|voronezh|"
                    r"siberia|chechnya|st\.?\s+petersburg)\b|"
                    r"\b(?:до|в|у|під|под|на)\s+(?:москв\w*|ростов\w*|краснодар\w*|таганрог\w*|бєлгород\w*|"
                    r"белгород\w*|воронеж\w*|сибір\w*|сибир\w*|чечн\w*|петербург\w*|санкт-петербург\w*)|"
                    r"підмосков\w*|подмосковь\w*", re.IGNORECASE)
def names_russia_as_destination(sentence: str) -> bool:
    """Whether the sentence says people went to Russia ("transported from Ukraine into Russia", «вывезены в Россию»)."""
    return _TO_RU.search(sentence) is not None


_TO_BY = re.compile(r"\b(?:to|into|in)\s+belarus|білорус\w*|беларус\w*|белорусси\w*", re.IGNORECASE)
_TO_UA = re.compile(r"\b(?:to|into|for)\s+(?:the\s+)?(?:ukraine|kyiv|ukraine-controlled|government-controlled)|home\b|"
                    r"додому|домой|(?:на|в)\s+(?:україну|украину|батьківщину|родину)|до\s+(?:україни|києва)|"
                    r"підконтрольн\w*|подконтрольн\w*|from\s+russia|з\s+росії|из\s+росси\w*", re.IGNORECASE)


_FROM_OCCUPIED = re.compile(r"\b(?:from|out\s+of)\s+(?:the\s+)?(?:temporarily\s+)?(?:russian-)?occupied\b|"
                            r"\b(?:from|out\s+of)\s+(?:the\s+)?(?:temporary\s+)?(?:russian\s+)?occupation\b|"
                            r"\b(?:з|із)\s+(?:тимчасової\s+)?окупації\b|\b(?:из|с)\s+(?:временной\s+)?оккупации\b|"
                            r"\bfrom\s+(?:the\s+)?TOT\b|"
                            r"\b(?:з|із)\s+(?:тимчасово\s+)?окупован\w*|\bз\s+ТОТ\b|"
                            r"\b(?:с|из)\s+(?:временно\s+)?оккупированн\w*|\bс\s+ВОТ\b|"
                            r"\bс\s+временно\s+оккупированной", re.IGNORECASE)


def _sentence_text(tokens: list[Token]) -> str:
    out = ""
    for t in tokens:
        out += " " * max(0, t.start - len(out)) + t.text
    return out


def destination(sentence: str, n0: int, n1: int, lo: int, hi: int) -> str:
    found: list[tuple[int, str]] = []
    for rx, kind in ((_TO_RU, "RU"), (_TO_BY, "BY"), (_TO_UA, "UA")):
        for m in rx.finditer(sentence, lo, hi):
            found.append((m.start(), kind))
    after = sorted(f for f in found if f[0] >= n1)
    if after:
        return after[0][1]
    before = sorted(f for f in found if f[0] < n0)
    return before[-1][1] if before else ""


def direction(quantity: str, dest: str) -> str:
    if quantity == "deported":
        return "UA→BY" if dest == "BY" else "UA→RU"
    if quantity in {"returned", "reunited"}:
        if dest == "RU":
            return "UA→RU"
        return "RU→UA" if (dest == "UA" or quantity == "returned") else ""
    if quantity == "evacuated":
        return {"RU": "UA→RU", "BY": "UA→BY"}.get(dest, "")
    if quantity == "adopted":
        return "UA→RU" if dest == "RU" else ""
    return ""
