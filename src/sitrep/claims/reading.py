"""What a number counts and what happened to it, read from one parsed sentence.

For each quantity: find the counted noun ("58 insurgents", "seven of its
fighters"), map it to a SPEC category, then climb the dependency tree to the
word that says what happened ("were killed", "killing", "the escape of",
"set ... ablaze"). A group that is the active subject of "kill" did the
killing, so it is not counted as killed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..nlp.numbers import Quantity
from .vocab import ALLOWED, PEOPLE, SECURITY, vocab

_NP_LINKS = {"compound", "amod", "nmod", "poss", "nummod", "quantmod", "det", "advmod", "npadvmod"}
_MAX_CLIMB = 7


@dataclass
class Reading:
    """One counted group in a sentence, before attribution (offsets into the document)."""

    quantity: Quantity
    predicate: str
    category: str
    start: int
    end: int
    anchor: object          # spaCy Token: the counted noun, or the number when there is none
    cue: object             # spaCy Token that says what happened
    part: bool = False      # a part of a total counted too ("including three women", "three of them")


def token_at(sent, pos: int):
    """The token of parsed sentence *sent* covering sentence offset *pos* (or the next one): the first
    that ends after *pos*, found by bisection over the token ends (kept in the Doc's user_data)."""
    ends = sent.user_data.get("sitrep_ends")
    if ends is None:
        ends = sent.user_data["sitrep_ends"] = [t.idx + len(t.text) for t in sent]
    i = bisect_right(ends, pos)
    return sent[i] if i < len(ends) else None


def counted_noun(sent, q: Quantity, offset: int, actor_cats: dict[int, str] | None = None):
    """The noun a quantity counts, or None when the sentence leaves it implicit ("18 taken captive").

    A named group after the number counts its members: the noun after the name ("10 IS militants",
    whatever the tagger makes of "IS"), else the name itself ("seven Boko Haram dead").
    """
    t = token_at(sent, q.head_end - offset)
    while t is not None and (t.is_quote or t.pos_ in {"DET", "SPACE"}) and t.i + 1 < len(sent):
        t = sent[t.i + 1]  # '"dozens" of military personnel'
    if t is not None and actor_cats and t.i in actor_cats:
        last = t.i
        while last + 1 < len(sent) and last + 1 in actor_cats:
            last += 1
        after = sent[last + 1] if last + 1 < len(sent) else None
        if after is not None and after.pos_ in {"NOUN", "PROPN"}:
            t = after
        elif sent[last].head.i > last:
            t = sent[last]  # "FC and police checkpoints": the name modifies what is counted
        else:
            return sent[last]
    if t is not None and t.pos_ == "PUNCT":
        return None  # "rose to 27, police said": nothing is counted after the comma
    if t is None or t.pos_ not in {"NOUN", "PROPN", "ADJ", "PRON", "NUM", "X"} and not (
            t.pos_ == "VERB" and t.dep_ == "amod"):  # "30 alleged militants", "12 suspected rebels"
        return None
    steps = 0
    while t.dep_ in _NP_LINKS and t.head.i > t.i and t.head.i - t.i <= 4 and steps < 4:
        t = t.head
        steps += 1
    if t.lemma_.lower() in TRANSPARENT:
        inner = next((g for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj"), None)
        if inner is not None:
            t = inner
    return t if t.pos_ in {"NOUN", "PROPN", "PRON"} else None


def _words_around(noun) -> list:
    """Modifiers that say whose people a generic noun means: compounds, adjectives, 'from X', 'including X'."""
    out = [c for c in noun.lefts if c.dep_ in {"compound", "amod", "nmod", "poss"}]
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ in {"from", "of", "including", "among"} or c.dep_ in {"appos", "acl"}:
            out.extend(x for x in c.subtree if x.pos_ in {"NOUN", "PROPN", "ADJ"})
    for c in list(out):
        out.extend(x for x in c.children if x.dep_ in {"compound", "amod", "conj"})
    return out


def _security_from(words) -> set[str]:
    v = vocab()
    cats = set()
    for w in words:
        for key in (w.lower_, w.lemma_.lower()):
            cat = v.modifiers.get(key)
            if cat:
                cats.add(cat)
                break
    return cats


def category(noun, sent, context_words: tuple[list[str], list[str]], actor_cats: dict[int, str]) -> str | None:
    """SPEC category of the group *noun* heads; None when the noun counts nothing sitrep tracks."""
    v = vocab()
    lower, lemma = noun.lower_, noun.lemma_.lower()
    base = v.categories.get(lower) or v.categories.get(lemma)
    if base is None and noun.pos_ == "PROPN" and lower.endswith("s"):
        base = v.categories.get(lower[:-1])  # "Islamists" tagged as a name keeps its plural lemma
    mods = _words_around(noun)
    cats = _security_from(mods) | {actor_cats[m.i] for m in mods + [noun] if m.i in actor_cats}
    if base is None and lower.endswith("s") and _demonym(lower):
        return "people"  # "16 Ethiopians", "30 Palestinians": people of a nation, whoever they were
    if base is None and lemma in v.one_person and noun.tag_ == "NNS":
        return _owner_category(noun, context_words, actor_cats)  # "two commanders of the brigade"
    if base is None and noun.i in actor_cats:
        return actor_cats[noun.i]  # "seven Boko Haram": a group's members
    if lower not in v.generic and lemma not in v.generic:
        return base
    if cats:
        security = cats & SECURITY
        if security and cats - SECURITY and base is not None:
            return base  # "30 people, including 21 civilians and 4 soldiers": people of both kinds
        if len(security) > 1:
            return "security_forces"
        return security.pop() if security else sorted(cats)[0]
    if base is not None:
        return base
    if lemma in v.ranks:
        # The sentence's own words first ("the CTD office ... eight personnel"), then the one before it.
        for words in (context_words[1], context_words[0] + context_words[1]):
            found = {v.people_context[w] for w in words if w in v.people_context}
            if found:
                return found.pop() if len(found) == 1 else "security_forces"
        return "security_forces"
    if lemma == "official":
        return "officials"
    return None


def _demonym(plural: str) -> bool:
    from ..nlp.actors import lexicon

    return any(plural[:-k] in lexicon().demonyms for k in (1, 2) if len(plural) > k + 2)


def _phrase_keys(tok) -> list[str]:
    """'verb child' and 'verb prep object' lemma strings around *tok* ("set on fire", "lose life")."""
    lemma = tok.lemma_.lower()
    keys = []
    for c in tok.children:
        keys.append(f"{lemma} {c.lemma_.lower()}")
        if c.dep_ in {"prep", "agent"}:
            keys.extend(f"{lemma} {c.lemma_.lower()} {g.lemma_.lower()}" for g in c.children if g.dep_ == "pobj")
    return keys


def _cue_predicates(tok, via_dep: str) -> tuple[str, ...]:
    """Predicates the word *tok* expresses, reached from the counted group through *via_dep*."""
    v = vocab()
    found: list[str] = []
    for key in _phrase_keys(tok):
        found.extend(v.phrases.get(key, ()))
    lemma, lower = tok.lemma_.lower(), tok.lower_
    if tok.pos_ in {"VERB", "AUX"}:
        preds = v.verbs.get(lemma, ())
        # The active subject of a transitive verb did it: "militants killed 5" does not count militants as killed.
        if preds and via_dep in {"nsubj", "csubj"} and any(c.dep_ == "dobj" for c in tok.children):
            preds = ()
        found.extend(preds)
        if tok.dep_ == "conj" and via_dep == "dobj" and set(preds) & {"killed", "injured"} and not any(
                c.dep_ == "dobj" for c in tok.head.children):
            # "killed and injured dozens": one count of both, so killed_or_injured
            other = set(v.verbs.get(tok.head.lemma_.lower(), ())) & {"killed", "injured"}
            if other and other != set(preds) & {"killed", "injured"}:
                found.insert(0, "killed_or_injured")
        for c in tok.children:  # "were injured or killed": either, so killed_or_injured
            if c.dep_ == "conj" and any(x.lower_ == "or" for x in tok.children):
                other = set(v.verbs.get(c.lemma_.lower(), ())) & {"killed", "injured"}
                if other and other != set(preds) & {"killed", "injured"} and set(preds) & {"killed", "injured"}:
                    found.insert(0, "killed_or_injured")
        if via_dep == "nsubjpass" or via_dep == "nsubj" and not any(c.dep_ == "dobj" for c in tok.children):
            for c in tok.children:  # "was kidnapped and killed": the second verb befell the same subject
                if c.dep_ == "conj" and c.pos_ == "VERB" and not any(x.dep_.startswith("nsubj") for x in c.children):
                    found.extend(v.verbs.get(c.lemma_.lower(), ()))
        for c in tok.children:  # "were confirmed dead", "were reported killed", "left 12 wounded"
            if c.dep_ in {"oprd", "acomp", "xcomp", "ccomp"} and c.i != tok.i:
                found.extend(v.words.get(c.lower_, ()) + v.verbs.get(c.lemma_.lower(), ()))
            elif c.dep_ == "dobj" and via_dep == "prep":  # "carried out operations across 10 cities"
                found.extend(p for p in v.words.get(c.lemma_.lower(), ()) if p == "attacked_places")
    else:
        found.extend(v.words.get(lower, ()) or v.words.get(lemma, ()))
    return tuple(dict.fromkeys(found))


def _pick(preds, allowed: tuple[str, ...]) -> str | None:
    """The first of *allowed* (most specific first) that the cue expresses; "killed or injured" wins."""
    if "killed_or_injured" in preds and "killed_or_injured" in allowed:
        return "killed_or_injured"
    return next((p for p in allowed if p in preds), None)


EVENT_NOUNS = {"death", "fatality", "casualty", "injury", "abduction", "kidnapping", "body", "arrest",
               "disappearance", "detention"}
# "32 cases of disappearance", "627 instances of arrests": the count is of what follows "of".
TRANSPARENT = {"case", "instance", "incident", "count"}


def predicate(anchor, cat: str):
    """(predicate, cue token) for a counted group, climbing from *anchor* towards the root."""
    v = vocab()
    allowed = ALLOWED.get(cat, ())
    if cat in PEOPLE:
        own = _pick(v.words.get(anchor.lower_, ()) or v.words.get(anchor.lemma_.lower(), ()), allowed)
        if own and anchor.lemma_.lower() in EVENT_NOUNS:
            return own, anchor  # the noun itself says what happened: "100 casualties", "11 civilian deaths"
        for c in anchor.children:  # "27 wounded people", "several injured villagers", "2 soldiers killed, 1 injured"
            if c.dep_ in {"amod", "acl"} and (c.i < anchor.i or c.i == anchor.i + 1 and c.tag_ == "VBN" and not any(
                    x.dep_ not in {"punct", "cc", "conj"} for x in c.children)):  # bare: not "a woman injured in the raid"
                own = _pick(v.words.get(c.lower_, ()), allowed)
                if own:
                    return own, c
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "to" and anchor.head.i > 0:
        # "injuries to 33 others": the noun before "to" says what happened, wherever the parser hung "to"
        before = anchor.doc[anchor.head.i - 1]
        own = _pick(v.words.get(before.lower_, ()) or v.words.get(before.lemma_.lower(), ()), allowed)
        if own and before.lemma_.lower() in EVENT_NOUNS:
            return own, before
    tok, dep = anchor, anchor.dep_
    for _ in range(_MAX_CLIMB):
        if tok.dep_ == "ROOT" and tok.i != anchor.i:
            break
        head = tok.head
        if head.i == tok.i:
            break
        if cat == "places" and dep == "pobj" and tok.lower_ in {"in", "at"} and head.pos_ in {"VERB", "AUX"}:
            break  # "in at least two places, drones were used": where, not what was attacked
        pred = _pick(_cue_predicates(head, dep), allowed)
        if pred:
            if pred not in vocab().verbs.get(head.lemma_.lower(), (pred,)):  # "kidnapped and killed": the second
                head = next((c for c in head.children if c.dep_ == "conj"
                             and pred in vocab().verbs.get(c.lemma_.lower(), ())), head)
            return pred, head
        if head.pos_ == "VERB" and head.lemma_.lower() in v.reporting and dep in {"nsubj", "nsubjpass", "dobj"}:
            break  # beyond a reporting verb lies the attribution, not the event
        tok, dep = head, head.dep_
    if cat in PEOPLE:
        for t in anchor.subtree:  # "16 Ethiopians, mostly men in their twenties, who were killed"
            rel = next((c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"who", "that"}),
                       None) if t.dep_ == "relcl" and t.i > anchor.i else None
            if rel is not None:
                pred = _pick(_cue_predicates(t, rel.dep_), allowed)
                if pred:
                    return pred, t
                if rel.dep_ == "nsubj" and any(c.dep_ == "dobj" for c in t.children):
                    return None, None  # "3 men who killed the guard": what they did, not what befell them
    pred, cue = _window(anchor, allowed)
    if pred is None and cat in PEOPLE:  # "14 hostages" with nothing else said: they are held
        own = _pick(v.words.get(anchor.lower_, ()) or v.words.get(anchor.lemma_.lower(), ()), allowed)
        if own:
            return own, anchor
    return pred, cue


_TOLL_VERBS = {"rise", "reach", "climb", "stand", "increase", "put", "hit", "jump", "mount", "soar", "be"}


def _toll(num):
    """(predicate, cue, category) for a bare number giving a toll: "the toll rose to 27", "a toll of 14"."""
    v = vocab()
    if num.dep_ == "pobj" and num.head.lower_ == "of" and num.head.head.lemma_.lower() == "toll":
        return "killed", num.head.head, "people"
    verb = num.head.head if num.dep_ == "pobj" else num.head
    if verb.lemma_.lower() not in _TOLL_VERBS:
        return None
    for c in verb.children:
        if c.dep_ in {"nsubj", "dobj", "nsubjpass"}:
            words = list(c.subtree)[:12]  # "the number of civilians killed in the raids"
            # "the toll of those injured": what the toll counts beats the word toll itself
            said = [p for w in words if w.lemma_.lower() != "toll"
                    for p in (v.words.get(w.lower_, ()) or v.words.get(w.lemma_.lower(), ()))]
            if not said and any(w.lemma_.lower() == "toll" for w in words):
                said = ["killed"]
            for p in ("killed_or_injured", "killed", "injured"):
                if p in said:
                    cat = next((v.categories[x.lemma_.lower()] for x in words
                                if v.categories.get(x.lemma_.lower()) in PEOPLE), "people")
                    return p, c, cat
    return None


_BARE = ("killed", "injured", "killed_or_injured")
# A line that labels its figure: "Killed: 12", "- Civilians wounded – 30", "Dead = 9".
_LABEL = re.compile(r"^\W*(?P<label>[A-Za-z][A-Za-z' /-]{1,40}?)\s*[:=–—-]\s*$")


def _label(sent, offset: int, q: Quantity) -> Reading | None:
    """A figure whose line names what it counts before a colon, with nothing after the number."""
    text = sent.text
    start, end = q.start - offset, q.end - offset
    m = _LABEL.match(text[:start])
    if m is None or text[end:].strip(" .;") != "":
        return None
    v = vocab()
    words = [w for w in re.findall(r"[a-z]+", m.group("label").lower())]
    preds = [p for w in words for p in v.words.get(w, ()) + v.verbs.get(w, ())]
    cats = [v.categories[w.rstrip("s")] if w.rstrip("s") in v.categories else v.categories.get(w) for w in words]
    cat = next((c for c in cats if c in PEOPLE), "people")
    pred = _pick(tuple(preds), ALLOWED.get(cat, ()))
    if pred is None:
        return None
    label = token_at(sent, m.start("label"))
    return Reading(q, pred, cat, offset + m.start("label"), q.end, token_at(sent, start), label)


def _bare(num):
    """(predicate, cue) for a number that counts no noun: the casualty word right after it, or governing it."""
    v = vocab()
    sent = num.doc
    if num.dep_ == "dobj" and num.head.pos_ == "VERB" and num.head.i < num.i:
        pred = _pick(v.verbs.get(num.head.lemma_.lower(), ()), _BARE)
        if pred:
            return pred, num.head  # "the attack killed dozens", "killing two and injuring five"
    for t in sent[num.i + 1: min(len(sent), num.i + 3)]:
        if t.pos_ in {"CCONJ", "PUNCT", "ADP"}:
            break  # "killing one and injuring several": what follows "and" is another figure's
        if t.pos_ in {"VERB", "ADJ", "NOUN", "PROPN"}:
            pred = _pick(v.words.get(t.lower_, ()) + v.verbs.get(t.lemma_.lower(), ()), _BARE)
            if pred:
                return pred, t
            break
    return None, None


def _window(anchor, allowed):
    """Fallback when the parse gives no path: the nearest cue within four tokens after the group."""
    v = vocab()
    sent = anchor.doc
    for t in sent[anchor.i + 1: min(len(sent), anchor.i + 5)]:
        if t.pos_ == "PUNCT" and t.text in ".;:":
            break
        if anchor.head.i == t.i and anchor.dep_ in {"nsubj", "csubj"}:
            continue  # the active subject did it ("five gunmen killed two guards")
        pred = _pick(_cue_predicates(t, "") + v.words.get(t.lower_, ()), allowed)
        if pred:
            return pred, t
    return None, None


def read(sent, offset: int, quantities: list[Quantity], context_words: tuple[list[str], list[str]],
         actor_cats: dict[int, str]) -> list[Reading]:
    """Every claim-bearing quantity of one parsed sentence, in order."""
    out: list[Reading] = []
    previous: Reading | None = None
    for q in quantities:
        num = token_at(sent, q.start - offset)
        if num is None:
            continue
        labelled = _label(sent, offset, q)
        if labelled is not None:  # "Killed: 12", "- Civilians wounded: 30"
            out.append(labelled)
            previous = labelled
            continue
        noun = counted_noun(sent, q, offset, actor_cats)
        if noun is not None and (noun.dep_ == "nsubj" and noun.head.lemma_.lower() in vocab().reporting
                                 and not _reported_state(noun.head)
                                 or noun.dep_ == "dobj" and noun.head.lemma_.lower() in {"quote", "cite"}):
            continue  # "two local officials said ...", "quoted two officials": the speakers, not a figure
        cat = None
        if noun is not None and noun.lemma_.lower() in EVENT_NOUNS:
            cat = _event_noun_category(noun, context_words, actor_cats)
        elif noun is not None and noun.lemma_.lower() not in {"other", "more"}:
            cat = category(noun, sent, context_words, actor_cats)
            if cat is None:
                continue  # counts something sitrep does not track ("10 hours", "dozens of armed individuals")
        elif previous is not None:
            cat = previous.category  # "84 personnel were killed, many others wounded and 18 taken captive"
        elif noun is not None:
            cat = "people"  # "several others were injured"
        anchor = noun if noun is not None else _number_head(sent, q, offset)
        toll = _toll(anchor) if noun is None else None  # "the toll rose to 27", "put the toll at 16"
        if toll is not None:
            pred, cue, cat = toll
        elif noun is None and (_bare(anchor)[0] is not None or previous is None):
            # "Nine killed, 33 injured", "The 33 injured", "killed dozens": a bare number with a casualty word
            cat = previous.category if previous is not None else "people"
            pred, cue = _bare(anchor)
        else:
            pred, cue = predicate(anchor, cat)
        if pred is None and cat in PEOPLE and cat != "people" and noun is not None and noun.dep_ == "conj":
            pred, cue = predicate(noun.head, cat)  # "12 soldiers and three fighters have been killed"
        if pred is None and previous is not None and _is_subset(noun):
            pred, cue = previous.predicate, previous.cue  # "18 injured, including 15 policemen"
        if pred is None:
            continue
        if pred == "rescued" and cat == "prisoners":
            pred = "escaped"  # inmates "freed" from a jail broke out; they were not rescued
        if pred == "captured" and _on_record(cue):
            continue  # "four gunmen were captured on CCTV": filmed, not taken
        if pred == "escaped" and cue is not None and cat != "prisoners" and any(
                t.lemma_.lower() == "flee" for t in cue.subtree):
            continue  # residents who fled are displaced, not escaped from captivity
        if q.qualifier == "vague" and cat not in PEOPLE and cat != "vehicles":
            continue  # "several districts", "multiple checkpoints": not figures anyone reconciles
        toks = [t for t in (num, anchor, cue) if t is not None] + _cue_tail(cue)
        start = min(q.start, *(offset + t.idx for t in toks))
        end = max(q.end, *(offset + t.idx + len(t.text) for t in toks))
        r = Reading(q, pred, cat, start, end, anchor, cue, _part_of_total(sent, q, offset, noun))
        out.append(r)
        previous = r
    out += single_victims(sent, offset, out, context_words, actor_cats)
    return out + named_people(sent, offset, out)


_ONE = {"a", "an"}


def _reported_state(verb) -> bool:
    """"one civilian reported dead": the reporting verb, its auxiliary dropped, tells the state of its subject."""
    return any(c.dep_ in {"oprd", "acomp"} and vocab().words.get(c.lower_) for c in verb.children)


def single_victims(sent, offset: int, taken: list[Reading], context_words, actor_cats) -> list[Reading]:
    """A figure of one told with an article: "a soldier was killed", "the commander of the base died"."""
    out = []
    for noun in sent:
        if noun.pos_ != "NOUN" or noun.tag_ != "NN" or any(r.start <= offset + noun.idx < r.end for r in taken):
            continue
        det = next((c for c in noun.children if c.dep_ == "det"), None)
        if det is None:
            if not _headline_person(noun):
                continue
        elif not (det.lower_ in _ONE or det.lower_ == "the" and noun.lemma_.lower() in vocab().one_person):
            continue
        if noun.dep_ in {"nsubj", "nsubjpass"} and noun.head.lemma_.lower() in vocab().reporting:
            continue  # "a police officer said": the speaker
        if noun.dep_ == "appos" or any(t.lower_ == "according" for t in noun.ancestors):
            continue  # "according to Captain X, a police officer in the town": who speaks, described
        cat = category(noun, sent, context_words, actor_cats) if noun.lemma_.lower() not in vocab().one_person else (
            category(noun, sent, context_words, actor_cats) or _owner_category(noun, context_words, actor_cats))
        if cat not in PEOPLE:
            continue
        pred, cue = predicate(noun, cat)
        if pred not in {"killed", "injured", "captured"} or not _undergoes(noun, cue):
            continue
        first = det if det is not None else noun
        q = Quantity(start=offset + first.idx, end=offset + noun.idx + len(noun.text),
                     text_value=noun.text if det is None else f"{det.text} {noun.text}",
                     low=1, high=1, qualifier="exact", head_end=offset + noun.idx + len(noun.text))
        toks = [first, noun, cue] + _cue_tail(cue)
        start = min(offset + t.idx for t in toks)
        end = max(offset + t.idx + len(t.text) for t in toks)
        out.append(Reading(q, pred, cat, start, end, noun, cue))
    return out


def _headline_person(noun) -> bool:
    """One person named without an article, as headlines and brief notes do: "gunmen kill police officer",
    "army sergeant shot dead"; not a body ("army", "family"), a modifier, or a noun already counted."""
    v = vocab()
    lemma = noun.lemma_.lower()
    if lemma in v.collective or noun.dep_ not in {"nsubj", "nsubjpass", "dobj", "ROOT"} or v.words.get(lemma):
        return False  # not a modifier ("soldier deaths") or a state ("took Ali Musa hostage")
    if lemma not in v.one_person and v.categories.get(lemma) not in PEOPLE and lemma not in v.ranks:
        return False
    return not any(c.dep_ in {"poss", "nummod", "quantmod"} for c in noun.children)


def _undergoes(noun, cue) -> bool:
    """True when *cue* says what happened to *noun* itself: "a soldier was killed", "killed a man", "left a
    child dead", "a wounded guard"; not "wounded when a bomber struck" (the bomber struck)."""
    if cue is None:
        return False
    if cue.dep_ == "conj" and noun.dep_ in {"nsubjpass", "nsubj"} and cue.head.i == noun.head.i:
        cue = cue.head  # "a man was kidnapped and killed": what befell the subject of the first verb
    if cue in noun.children or cue.i == noun.head.i and noun.dep_ in {"nsubjpass", "dobj", "attr", "oprd"}:
        return True
    if cue.i == noun.head.i and noun.dep_ == "nsubj":
        return not any(c.dep_ == "dobj" for c in cue.children)  # "a soldier died", not "a gunman killed two"
    # "left a child dead", "took a teacher hostage", "the deaths of a soldier"
    return noun.head.i == cue.i or noun.dep_ == "pobj" and noun.head.head.i == cue.i


def _owner_category(noun, context_words, actor_cats) -> str | None:
    """Whose commander: "the commander of the base" is a soldier, "of the gang" a militant."""
    v = vocab()
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ in {"of", "from"}:
            for g in c.subtree:
                cat = v.categories.get(g.lemma_.lower()) or v.modifiers.get(g.lower_) or actor_cats.get(g.i)
                if cat in PEOPLE:
                    return cat
                if g.lemma_.lower() in {"base", "battalion", "brigade", "unit", "army", "regiment", "garrison"}:
                    return "military"
    return "people"


def named_people(sent, offset: int, taken: list[Reading]) -> list[Reading]:
    """A named person taken hostage or abducted is a figure of one ("took the deputy commissioner hostage")."""
    out = []
    for ent in sent.ents:
        if ent.label_ != "PERSON" or any(r.start <= offset + ent.start_char < r.end for r in taken):
            continue
        head = ent.root
        if head.dep_ in {"nsubj", "nsubjpass"} and head.head.lemma_.lower() in vocab().reporting:
            continue
        title = [t for t in head.subtree if t.i < ent.start and t.pos_ in {"PROPN", "NOUN"}]
        cat = next((vocab().categories.get(t.lemma_.lower()) for t in reversed(title)
                    if vocab().categories.get(t.lemma_.lower()) in PEOPLE), "civilians")
        pred, cue = predicate(head, cat)
        if pred != "captured":
            continue
        a = offset + min(ent.start_char, *(t.idx for t in title)) if title else offset + ent.start_char
        q = Quantity(start=offset + ent.start_char, end=offset + ent.end_char, text_value="(one person)",
                     low=1, high=1, qualifier="exact", head_end=offset + ent.end_char)
        toks = [cue] + _cue_tail(cue)
        start = min(a, *(offset + t.idx for t in toks))
        end = max(q.end, *(offset + t.idx + len(t.text) for t in toks))
        out.append(Reading(q, pred, cat, start, end, head, cue))
    return out


def _event_noun_category(noun, context_words, actor_cats) -> str:
    """Whose deaths: "11 civilian deaths" -> civilians, "three police fatalities" -> police, else people."""
    v = vocab()
    owners = [g for c in noun.rights if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    for c in list(noun.lefts) + owners:
        cat = v.categories.get(c.lemma_.lower()) or v.modifiers.get(c.lower_) or actor_cats.get(c.i)
        if cat and cat not in {"places", "property", "vehicles"}:
            return cat
    return "people"


# "including three women", "among them two children", "of whom 12 were soldiers"
_PART_BEFORE = re.compile(r"\b(including|incl\.|among them|among whom|of whom|of which|among the (dead|victims|injured))"
                          r"\s+(?:\S+\s+){0,3}$", re.IGNORECASE)
_PART_AFTER = re.compile(r"^\s*(of (them|whom|those|the (dead|victims|injured|wounded)))\b", re.IGNORECASE)
# "three had died of bullet wounds, and the rest in the crash": the figure covers only some
_REST = re.compile(r"\b(the rest|the remaining|the remainder|the others)\b", re.IGNORECASE)


def _part_of_total(sent, q: Quantity, offset: int, noun) -> bool:
    """True when the figure counts only a part of a total the sentence gives or implies."""
    text = sent.text
    start, end = q.start - offset, q.end - offset
    return (_is_subset(noun) or bool(_PART_BEFORE.search(text[:start])) or bool(_PART_AFTER.match(text[end:]))
            or bool(_REST.search(text[end:])))


def _is_subset(noun) -> bool:
    """True for the group after 'including' or 'among them' in a list that was counted before."""
    return noun is not None and noun.dep_ == "pobj" and noun.head.lower_ in {"including", "among"}


_RECORDING = {"cctv", "camera", "video", "film", "tape", "footage", "screen"}


def _on_record(cue) -> bool:
    """True for "captured on CCTV", "caught on camera": a recording, not a capture."""
    if cue is None:
        return False
    if any(c.dep_ == "prep" and c.lower_ == "on" and any(g.lemma_.lower() in _RECORDING for g in c.subtree)
           for c in cue.children):
        return True
    # "a CCTV video in which four gunmen were captured": a clause about a recording
    return cue.dep_ == "relcl" and (cue.head.lemma_.lower() in _RECORDING or any(
        c.lemma_.lower() in _RECORDING for c in cue.head.children if c.dep_ == "compound"))


def _cue_tail(cue) -> list:
    """Words completing the cue, so the quote reads whole: "set on fire", "taken captive", "losing their lives"."""
    if cue is None:
        return []
    out = []
    for c in cue.rights:
        if c.dep_ in {"prt", "oprd", "acomp"} and c.i - cue.i <= 3:
            out.append(c)
        elif c.dep_ == "prep" and c.i - cue.i <= 2:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.lemma_.lower() in {"fire", "crossfire", "flame", "custody"}:
                out.append(obj)
        elif c.dep_ == "dobj" and c.lemma_.lower() in {"life", "hostage", "captive"} and c.i - cue.i <= 3:
            out.append(c)
    return out


def _number_head(sent, q: Quantity, offset: int):
    """The last token of the number phrase: what the parser attaches the verb to when no noun follows."""
    last = None
    for t in sent:
        if q.start - offset <= t.idx < q.end - offset:
            last = t
    return last or token_at(sent, q.start - offset)
