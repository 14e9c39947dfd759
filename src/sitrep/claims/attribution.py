"""Who asserts a figure, and how firmly (SPEC §3 claimant, claimant_type, hedge).

A document is read in order, and a `DocState` remembers who has spoken: every
speaker a reporting verb, "according to" or a trailing headline credit names is
described (`describe`) and kept. A figure is then credited, in order of
evidence, to:

1. the author of a quoted social-media post it sits in;
2. the speaker its own sentence names: the subject of a reporting verb that
   governs it ("ISPR reported that …", "…, residents said", "X told AFP"),
   "according to X", a statement that names its source, a headline credit
   ("Nine killed, says the SSP", "… – KNCHR");
3. the speaker of the quotation it stands in, named after the closing quote
   ("“… Thirty-one people were injured.” The statement said.");
4. the paragraph's current speaker, when the sentence continues a statement;
5. the outlet itself (`unattributed`), or unnamed "reports" when the sentence
   says "reportedly".

Pronouns and anaphors resolve against what was said before, across
paragraphs: "he said" is the last person who spoke ("a military officer told
Reuters"), "it said", "the group said", "the statement added" the last body,
"the officer added" the last speaker introduced as an officer. A group or
force named in the sentence as victim or perpetrator is never the claimant for
being named: only a reporting verb's subject speaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..nlp import speech
from .vocab import roles, vocab

OUTLET = ("outlet", "unattributed")


@dataclass(frozen=True)
class Speaker:
    claimant: str
    claimant_type: str
    role: str | None = None      # the noun that introduced it: "officer", "statement", "ministry"
    person: bool = False         # one person ("he", "she" refer back to it)
    plural: bool = False         # several people ("they", not "it", refer back to it)
    named: bool = False          # a person known by name, not only by role


@dataclass
class DocState:
    """What attribution remembers while walking a document's sentences in order."""

    paragraph: int = -1
    speaker: Speaker | None = None          # the paragraph's current speaker
    history: list[Speaker] = field(default_factory=list)
    last_group: Speaker | None = None       # the last armed group named

    def remember(self, sp: Speaker, continues: bool = True) -> None:
        """Keep *sp* for pronouns; with *continues*, the paragraph's next sentences are its statement too."""
        if sp.claimant_type == "unattributed":
            return
        self.speaker = sp if continues else None
        self.history.append(sp)

    @property
    def last_speaker(self) -> Speaker | None:
        return self.history[-1] if self.history else None

    def person(self) -> Speaker | None:
        return next((s for s in reversed(self.history) if s.person), None)

    def body(self) -> Speaker | None:
        """The last body that spoke: "it said", "the statement added"."""
        return next((s for s in reversed(self.history) if not s.person and not s.plural), None)

    def group(self) -> Speaker | None:
        """The last several people or body that spoke: "they said"."""
        return next((s for s in reversed(self.history) if not s.person), None)

    def by_role(self, role: str) -> Speaker | None:
        return next((s for s in reversed(self.history) if s.role == role), None)


def default_hedge(claimant_type: str, verb_hedge: str | None) -> str:
    if claimant_type == "armed_group":
        return "claimed" if verb_hedge not in {"alleged", "denied"} else verb_hedge
    if claimant_type == "unattributed" and verb_hedge is None:
        return "asserted"
    return verb_hedge or "reported"


_PRONOUNS = {"he", "she", "him", "her", "they", "them", "it", "we", "i"}
_DETERMINERS = {"a", "an", "the", "one", "two", "three", "several", "some", "many", "its", "their", "his", "her",
                "this", "that", "these", "those", "another", "other", "both", "all", "senior", "top"}
_CUT = re.compile(r",|\(|\s(?:who|which|that|in|at|on|from|for|with|to|after|before|during|while|when)\s")
_WORD = re.compile(r"[\w'’.-]+")


def describe(start: int, end: int, text: str, mentions: "Mentions", state: DocState) -> Speaker | None:
    """The speaker named between document offsets *start* and *end* (a reporting verb's subject).

    Pronouns and anaphors first ("he", "the officer", "the statement": who
    spoke before), then a name with its description ("Mohamed Adan, a police
    officer in the town"), named bodies (claimant cues, organisations,
    actors), the role a description gives ("a military officer", "two local
    officials", "an association of doctors") and a person by how the article
    introduces them.
    """
    span = text[start:end]
    words = _words(span)
    if not words:
        return None
    r = roles()
    # "he", "they", "it": the last person or body who spoke
    if len(words) <= 2 and words[-1] in _PRONOUNS:
        w = words[-1]
        if w in {"he", "she", "him", "her", "i"}:
            return state.person() or state.speaker
        if w in {"they", "them", "we"}:
            return state.speaker or state.group() or state.last_group
        if state.last_group is not None and (state.body() is None or state.body().claimant_type == "witnesses"):
            return state.last_group  # "it said it had killed 57": the group, not the residents
        return state.body() or state.speaker
    # "Captain X, a police officer in the town", "Dr Y, head of health services": the description types the name
    appos = _APPOSITION.search(span)
    if appos and _NAME.match(span.strip()):
        described = describe(start + appos.start(1), end, text, mentions, DocState())
        if described is not None and described.claimant[:1].isupper():
            return described  # "the military's media wing, the ISPR": the apposition names the body
        if described is not None and described.claimant_type not in {"unattributed"}:
            name = span[:appos.start()].strip(" ,")
            return Speaker(name, described.claimant_type, role=described.role, person=True, named=True)
    # "The hospital's director, Dr. Amina Bello": the head is the description's, before the comma
    head = _head(_words(span.split(",")[0]) or words)
    # "the statement", "the officer", "the group": someone already introduced
    if words[0] in {"the", "this", "that", "its", "their", "his", "her"} and len(words) <= 3 and head in r.anaphors:
        if head in r.group_words and state.last_group is not None and (
                state.speaker is None or state.speaker.claimant_type == "armed_group"):
            return state.last_group
        found = state.by_role(head) or (state.speaker or state.body() if head in r.statement_words else None)
        if found is None and head in r.group_words:
            found = state.last_group
        if found is not None:
            return found
    # A cue or a name that only modifies the head ("an association of doctors", "the Houthi-run Interior
    # Ministry", "the Police Reforms Working Group") does not name the speaker: the head does.
    organisation = head in r.institutions or head in r.group_words or r.types.get(head) == "ngo"
    head_at = _head_offset(text, start, end, head) if organisation else start
    inside = [c for c in mentions.claimants if c.start < end and c.end > start
              and (not organisation or c.start < head_at <= c.end)]
    if inside:
        c = max(inside, key=lambda c: c.end)
        return Speaker(c.claimant, c.claimant_type, role=head, person=_singular_person(head))
    sources = [s for s in mentions.sources if s[0] < end and s[1] > start]
    if sources:
        s = max(sources, key=lambda s: s[1] - s[0])
        return Speaker(s[2], s[3], role=head, person=_singular_person(head))
    # A ministry speaks for whoever runs it; a group or association named after a force is no force.
    actors = [a for a in mentions.actors if a.start < end and a.end > start]
    if actors and not organisation:
        return replace(actor_speaker(max(actors, key=lambda a: a.end)), role=head,
                       person=_singular_person(head))
    kind = _role_type(words, head, r)
    if kind == "unattributed" and _NAMED_REPORT.search(span):
        kind = "media"  # "as per IE report": a report with a name of its own is an outlet's
    if organisation and text[head_at - len(head):head_at][:1].isupper():
        # A named body: "Police Reforms Working Group" is a rights group, "Interior Ministry" a ministry
        kind = "government" if head in r.institutions else "ngo"
    if kind is None and head in r.persons:
        kind = _described_later(text, head, r)  # "according to an officer" ... "a military officer told Reuters"
    if kind is None and actors:
        if head not in r.institutions:  # "the militant group JNIM"
            return replace(actor_speaker(max(actors, key=lambda a: a.end)), role=head)
        kind = "government"  # "the Houthi-run Interior Ministry": an institution of whoever runs it
    if kind is not None:
        return Speaker(_role_name(span, kind), kind, role=head, person=_singular_person(head),
                       plural=head.endswith("s") and not _singular_person(head) and head not in r.institutions)
    name = _person_name(span)
    if name:
        known = _introduced(name, text, mentions, state)
        if known is not None:
            return known
    return None


def _words(span: str) -> list[str]:
    """Lower-case words of a speaker's description, without brackets or possessive endings."""
    plain = re.sub(r"['’]s\b", " ", re.sub(r"\([^)]*\)", " ", span))
    return [w for w in (w.lower().strip(".'’") for w in _WORD.findall(plain)) if w]


def _head_offset(text: str, start: int, end: int, head: str) -> int:
    """Document offset of the end of the head word inside text[start:end]."""
    m = re.search(rf"\b{re.escape(head)}\b", text[start:end], re.IGNORECASE)
    return start + m.end() if m else end


def _described_later(text: str, head: str, r) -> str | None:
    """The type of a bare role ("an officer") from a fuller description elsewhere ("a military officer")."""
    for m in re.finditer(rf"\b{re.escape(head)}s?\b", text, re.IGNORECASE):
        before = re.findall(r"[\w-]+", text[max(0, m.start() - 40):m.start()].lower())[-3:]
        kind = next((r.modifiers[w] for w in reversed(before) if w in r.modifiers), None)
        if kind:
            return kind
    return None


def _head(words: list[str]) -> str:
    """The head noun of a described speaker: the last word before 'of', a comma or a relative clause."""
    out = []
    for w in words:
        if w in {"of", "for", "from", "in", "at", "who", "which", "with", "and"} and out:
            break
        out.append(w)
    return out[-1] if out else words[-1]


def _singular_person(head: str | None) -> bool:
    return head is not None and head in roles().persons


def _role_type(words: list[str], head: str, r) -> str | None:
    """A described speaker's type: a modifier that names a force or body beats the head's own type."""
    before = words[:words.index(head)] if head in words else words
    own = r.types.get(head)
    for w in before:
        if w in r.modifiers and not (own == "witnesses" and r.modifiers[w] not in {"ngo", "international"}):
            return r.modifiers[w]  # "a police officer"; but "a health worker" saw it: a witness
    if r.types.get(head):
        return r.types[head]
    # "an association of doctors", "a spokesman for the ministry": the owner types the head
    for w in words[words.index(head) + 1:] if head in words else ():
        if w in r.types and r.types[w] is not None:
            return r.types[w]
        if w in r.modifiers:
            return r.modifiers[w]
    return None


def _role_name(span: str, kind: str) -> str:
    """"two local officials said" -> "local officials"; "a Somalia military officer" -> "Somalia military officer"."""
    cut = _CUT.search(" " + span + " ")
    phrase = (" " + span + " ")[:cut.start()] if cut else span
    words = phrase.split()
    while words and (words[0].lower() in _DETERMINERS or words[0].isdigit()):
        words = words[1:]
    return " ".join(words).strip(" ,.;:\"“”'") or span.strip()


_APPOSITION = re.compile(r",\s+((?:an?\s+|the\s+)?[a-z][^,]*)")
_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*\s){0,3}[A-Z][\w'’-]+")


def _person_name(span: str) -> str | None:
    m = _NAME.match(span.strip())
    return m.group(0) if m else None


def _introduced(name: str, text: str, mentions, state: DocState) -> Speaker | None:
    """A person quoted by name is typed by how the article introduces them, anywhere in it.

    "Adan said" after "Mohamed Adan, a military officer in the town," is a
    military claim; "Ruto says" in a headline with "President William Ruto"
    in the body is a government claim. The claimant is the fullest name seen.
    """
    surname = name.split()[-1]
    for sp in reversed(state.history):
        if sp.named and surname in sp.claimant.split():
            return sp
    r = roles()
    for m in re.finditer(rf"((?:[A-Z][\w'’.-]*\s){{0,5}}){re.escape(surname)}\b(,? (?:an? |the )?[^.;\n]{{0,70}})?", text):
        full = (m.group(1) + surname).strip()
        before = [w.lower().strip(".") for w in m.group(1).split()]
        titled = next((r.types.get(w) or r.modifiers.get(w) for w in reversed(before)
                       if r.types.get(w) or r.modifiers.get(w)), None)
        if titled:
            return Speaker(full, titled, role=None, person=True, named=True)
        after = m.group(2) or ""
        if after.startswith(","):
            words = [w.lower().strip(".'’") for w in _WORD.findall(after)][:10]
            head = _head([w for w in words if w not in _DETERMINERS] or ["_"])
            kind = _role_type(words, head, r)
            if kind is None:
                inside = [s for s in mentions.sources if m.start(2) <= s[0] < m.end(2)]
                kind = inside[0][3] if inside else None
            if kind:
                return Speaker(full, kind, role=head, person=True, named=True)
    # "the chairwoman of the rights body told AFP ... declared Roseline Odede": a role named later
    last = state.person()
    if last is not None and not last.named:
        return replace(last, claimant=name, named=True)
    return None


def actor_speaker(a) -> Speaker:
    """A named actor as the speaker of a claim: its short name ("BLA", "police") and claimant type."""
    from ..nlp.actors import actor_by_id

    try:
        entry = actor_by_id(a.actor_id)
    except KeyError:
        entry = {}
    name = entry.get("short") or a.name
    kind = entry.get("claimant_type")
    if kind is None:
        if getattr(a, "inter", 2) == 1:
            kind = "police" if a.category == "police" else "military"
        else:
            kind = "armed_group"
    return Speaker(name, kind)


@dataclass(frozen=True)
class Mentions:
    """What the scanners found in one sentence (or document) that can name a speaker."""

    claimants: tuple = ()
    actors: tuple = ()
    sources: tuple = ()     # (start, end, name, claimant_type): outlets and organisations


def hedge_of(speaker: Speaker, verb_hedge: str | None, words: set[str]) -> str:
    """The claim's hedge: the verb's, the speaker's default, or a hedge word in the sentence."""
    hedge = default_hedge(speaker.claimant_type, verb_hedge)
    marked = {vocab().hedge_words[w] for w in words if w in vocab().hedge_words and w != "confirmed"}
    for h in ("denied", "alleged", "unverified"):
        if h in marked:
            return h
    return hedge


# ----------------------------------------------------------------- the walk


class Attributor:
    """Credits each figure of one document to its claimant, sentence by sentence, in order."""

    def __init__(self, analysis, sources):
        self.analysis = analysis
        self.text = analysis.doc.text
        self.state = DocState()
        self.doc_mentions = Mentions(tuple(analysis.claimants), tuple(analysis.actors), tuple(sources))
        self.named: list[Speaker] = []   # speakers the current sentence names

    def start_sentence(self, i: int) -> None:
        para = self.analysis.paragraphs[i]
        if para != self.state.paragraph:
            self.state.paragraph, self.state.speaker = para, None
        self.named = []

    def describe(self, start: int, end: int) -> Speaker | None:
        span = self.text[start:end]
        relay = _RELAY.search(span)
        if relay:  # "the report quoting the police chief", "a statement citing officials"
            inner = describe(start + relay.end(), end, self.text, self.doc_mentions, self.state)
            if inner is not None:
                return inner
        acronym = _ACRONYM.fullmatch(span.strip())
        if acronym:  # "– KNCHR": the body the article spelled out before "(KNCHR)"
            long = self._spelled_out(acronym.group(0))
            if long is not None:
                return long
        return describe(start, end, self.text, self.doc_mentions, self.state)

    def _spelled_out(self, acronym: str) -> Speaker | None:
        m = re.search(rf"((?:[A-Z][\w'’-]*|of|on|for|the|and)(?:\s+(?:[A-Z][\w'’-]*|of|on|for|the|and)){{1,9}})"
                      rf"\s*\(\s*{re.escape(acronym)}\s*\)", self.text)
        if m is None:
            return None
        sp = describe(m.start(1), m.end(1), self.text, self.doc_mentions, self.state)
        return replace(sp, claimant=acronym) if sp is not None else None

    # -- one figure --

    def claim(self, r, sent, a: int, b: int) -> tuple[str, str, str]:
        """(claimant, claimant_type, hedge) for one reading of the parsed sentence text[a:b]."""
        text = self.text
        for post in self.analysis.doc.embedded_posts:
            if post.start <= r.start < post.end:
                return post.handle or post.author, "media", "claimed"
        speaker, verb_hedge = self._explicit(r, sent, a)
        if speaker is None:
            speaker, verb_hedge = self._credit(a, b)
        if speaker is None:
            speaker, verb_hedge = self._quotation(r.start, a, b)
        words = {t.lower_ for t in sent}
        if speaker is None:
            if "allegedly" in words or "alleged" in words:
                speaker = self.state.speaker or Speaker("reports", "unattributed")
            elif "reportedly" in words or "unverified" in words:
                speaker, verb_hedge = Speaker("reports", "unattributed"), verb_hedge or "reported"
            elif self.state.speaker is not None:
                speaker = self.state.speaker
            elif self.state.last_speaker is not None and self.place_subject(sent, a):
                speaker, verb_hedge = self.state.last_speaker, "reported"
            else:
                speaker = Speaker(*OUTLET)
                if re.search(r"\breport(ed|s)?\b", text[a:b], re.IGNORECASE):
                    speaker, verb_hedge = Speaker("reports", "unattributed"), "reported"
        elif speaker.claimant_type != "unattributed":
            self.named.append(speaker)
        return speaker.claimant, speaker.claimant_type, hedge_of(speaker, verb_hedge, words)

    def _explicit(self, r, sent, a: int) -> tuple[Speaker | None, str | None]:
        """The speaker a reporting verb or 'according to' names for this reading, with the verb's hedge."""
        v = vocab()
        chain = [r.cue] + list(r.cue.ancestors) if r.cue is not None else list(r.anchor.ancestors)
        for t in chain:  # "government statements that five attackers were killed": a statement names its source
            if t.pos_ == "NOUN" and t.lemma_.lower() in roles().statement_words:
                owner = [c for c in t.children if c.dep_ in {"compound", "poss", "amod"}]
                if owner:
                    found = self.describe(*_span(owner[0], a))
                    if found is not None:
                        return found, "reported"
        verb = next((t for t in chain if _is_reporting(t)), None)
        if verb is None:
            acc = _according_to(sent)
            if acc is not None:
                return self.describe(*_span(acc, a)), "reported"
            # "Three policemen were wounded, the official said": a reporting verb hanging off the clause
            verb = next((c for t in chain for c in t.children if c.dep_ in {"parataxis", "advcl", "conj"}
                         and _is_reporting(c) and any(g.dep_ == "nsubj" for g in c.children)), None)
        if verb is None:
            verb = next((t for t in sent if t.pos_ in {"VERB", "AUX"} and t.dep_ == "ROOT"
                         and t.lemma_.lower() in v.reporting and any(c.dep_ == "nsubj" for c in t.children)), None)
        if verb is None:
            return None, None
        hedge = v.reporting[verb.lemma_.lower()]
        if verb.dep_ == "dobj" and _is_reporting(verb.head) and v.reporting[verb.head.lemma_.lower()] == "denied":
            return Speaker("reports", "unattributed"), "denied"  # "X dismissed reports that 20 died" (tagged a verb)
        relayed = _relayed(verb)
        if relayed is not None:  # "Reuters quoted local officials as saying": the officials counted
            found = self.describe(*_span(relayed, a))
            if found is not None:
                return found, hedge
        if any(c.dep_ == "neg" for c in verb.children):
            hedge = "denied"  # "did not confirm", "has not said"
        # Several subjects ("Official Claims: the army's wing, the ISPR, reported"): the one nearest the verb.
        subj = next((c for c in reversed(list(verb.children)) if c.dep_ == "nsubj" and c.i < verb.i),
                    next((c for c in verb.children if c.dep_ == "nsubj"), None))
        if subj is None and verb.dep_ in {"advcl", "xcomp", "conj", "acl"}:
            # "ISWAP claimed the attack, saying its fighters killed 40": the speaker is the main clause's subject
            subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subj is None:
            acc = _according_to(sent)
            if acc is not None:
                return self.describe(*_span(acc, a)), hedge
            # '"… were confirmed dead," he added': the speaker of the sentence confirms it
            root = next((t for t in sent if t.dep_ == "ROOT"), None)
            if root is not None and root is not verb and _is_reporting(root):
                said = next((c for c in root.children if c.dep_ == "nsubj"), None)
                found = self.describe(*_span(said, a)) if said is not None else None
                if found is not None:
                    return found, hedge
            return Speaker("reports", "unattributed"), hedge  # "were reported killed", "were confirmed dead"
        if subj is not None and subj.lower_ in _PRONOUNS:
            # "the Forum said it had documented 11 deaths": the pronoun is the sentence's own speaker
            outer = next((t for t in verb.ancestors if _is_reporting(t)), None)
            named = next((c for c in outer.children if c.dep_ == "nsubj" and c.lower_ not in _PRONOUNS),
                         None) if outer is not None else None
            if named is not None:
                subj = named
        if hedge == "denied" and any(c.dep_ == "dobj" and c.lemma_.lower() in roles().types
                                     and roles().types[c.lemma_.lower()] == "unattributed" for c in verb.children):
            return Speaker("reports", "unattributed"), "denied"  # "X dismissed reports that 20 died": the reports claim it
        found = self.describe(*_span(subj, a))
        if found is None and self._is_place(*_span(subj, a)):
            # "Kisumu reported 2 deaths": a breakdown by place of the figures the last speaker gave
            found = self.state.speaker or self.state.last_speaker
        return (found or Speaker("reports", "unattributed")), hedge

    def _credit(self, a: int, b: int) -> tuple[Speaker | None, str | None]:
        """A headline's trailing credit: "Nine killed, says the SSP", "… – KNCHR", "…, officials say"."""
        sentence = self.text[a:b]
        for rx in _credits():
            m = rx.search(sentence)
            if m:
                found = self.describe(a + m.start("who"), a + m.end("who"))
                if found is not None:
                    verb = m.groupdict().get("verb")
                    return found, vocab().reporting.get(_lemma(verb)) if verb else "reported"
        return None, None

    def _quotation(self, pos: int, a: int, b: int) -> tuple[Speaker | None, str | None]:
        """The speaker named right after the closing quote of the quotation *pos* stands in."""
        text = self.text
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start:pos]
        opened = before.count("“") - before.count("”")
        if opened <= 0 and before.count('"') % 2 == 0:
            return None, None
        close = min((i for i in (text.find("”", pos, line_end), text.find('"', pos, line_end)) if i >= 0),
                    default=-1)
        if close < 0:
            return None, None
        tail_end = min((i for i in (text.find(".", close + 2, line_end), line_end) if i >= 0))
        tail = text[close + 1:tail_end]
        m = next((m for m in (rx.match(tail) for rx in _after_quote()) if m), None)
        if m is None:
            return None, None
        found = self.describe(close + 1 + m.start("who"), close + 1 + m.end("who"))
        return (found, vocab().reporting.get(_lemma(m.group("verb")), "reported")) if found else (None, None)

    def _is_place(self, start: int, end: int) -> bool:
        return any(m.start >= start and m.end <= end for m in self.analysis.places)

    def place_subject(self, sent, a: int) -> bool:
        """True when the sentence's subject is a place ("Laikipia and Narok each have one fatality")."""
        root = next((t for t in sent if t.dep_ == "ROOT"), None)
        subj = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None) if root is not None else None
        return subj is not None and self._is_place(*_span(subj, a))

    # -- after the sentence --

    def end_sentence(self, i: int) -> None:
        """Remember who the sentence named as speaker, for the sentences that continue it."""
        a, b = self.analysis.sentences[i]
        for act in self.analysis.in_sentence(self.analysis.actors, i):
            if getattr(act, "inter", 1) != 1 and not getattr(act, "generic", False):
                self.state.last_group = actor_speaker(act)
        # A speaker quoted word for word has said what the quotation holds; what follows is the
        # outlet's narration again ("…,' he stated. Six people have been detained.").
        continues = not _QUOTATION.search(self.text, a, b)
        if self.named:
            self.state.remember(self.named[-1], continues)
            return
        for start, end, _ in surface_speakers(self.text, a, b):
            found = self.describe(start, end)
            if found is not None and found.claimant_type != "unattributed":
                self.state.remember(found, continues)


def _relayed(verb):
    """The body a relaying verb passes on: the object of "quoted"/"cited" at or above *verb*."""
    t = verb
    for _ in range(3):
        if t.lemma_.lower() in {"quote", "cite"}:
            return next((c for c in t.children if c.dep_ == "dobj"), None)
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _span(tok, offset: int) -> tuple[int, int]:
    sub = list(tok.subtree)
    return offset + sub[0].idx, offset + sub[-1].idx + len(sub[-1].text)


def _is_reporting(t) -> bool:
    return t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in vocab().reporting and t.lemma_.lower() != "accord"


def _according_to(sent):
    for t in sent:
        if t.lower_ == "per" and t.dep_ == "prep" and (t.i == 0 or sent[t.i - 1].lower_ in {"as", ","}
                                                       or sent[t.i - 1].is_sent_start):
            obj = next((g for g in t.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj  # "Per the Indian Express, ...", "as per police"
        if t.lower_ == "according":
            for c in t.children:
                if c.lower_ == "to":
                    obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if obj is not None:
                        return obj
            nxt = t.nbor(1) if t.i + 2 < len(sent) else None
            if nxt is not None and nxt.lower_ == "to":
                return sent[t.i + 2]
    return None


def _lemma(surface: str | None) -> str:
    """The reporting lemma of a speech verb as written: "said" -> "say", "confirms" -> "confirm"."""
    w = (surface or "").lower()
    return speech.forms().get(w, w)


@lru_cache(maxsize=1)
def _lead() -> str:
    """Words between a speaker and the verb ("police have also said"), as a regex."""
    return "(?:(?:%s)\\s+)*" % "|".join(re.escape(w) for w in sorted(speech.lead(), key=len, reverse=True))


@lru_cache(maxsize=1)
def _speech_verbs() -> str:
    """The speech verbs of claimants.json as one regex alternation, longest first."""
    return "|".join(sorted({re.escape(v) for v in speech.forms()}, key=len, reverse=True))


_NAMED_REPORT = re.compile(r"\b(?!The\b|A\b|An\b)[A-Z][\w.&-]*\s+(?:report|reports|story)\b")
_QUOTATION = re.compile(r"[“\"‘']\s*[A-Z][^“”\"]*(?:\s+\S+){3,}[^“”\"]*[”\"’']")
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s*$", re.IGNORECASE)
_RELAY = re.compile(r"\b(quoting|citing|quoted|cited)\b\s+", re.IGNORECASE)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,9}")


@lru_cache(maxsize=1)
def _credits() -> tuple[re.Pattern, ...]:
    """A headline's trailing credit: "…, says Reasi SSP X", "… - Ruto says", "… – KNCHR"."""
    verbs = _speech_verbs()
    who = r"(?P<who>[^,;:–—\-\"“”]{2,80}?)"
    rest = r"(?:,\s+[a-z][^,;:]*)?\s*$"  # "… - Ruto says, pledges an inquiry"
    return (re.compile(rf"(?:,|\s[–—-])\s*(?P<verb>{verbs})\s+{who}{rest}"),
            re.compile(rf"(?:,|\s[–—-])\s*{who}\s+(?P<verb>{verbs}){rest}"),
            re.compile(r"\s[–—-]\s*(?P<who>[^,;:–—\-\"“”]{2,40}?)\s*$"))


@lru_cache(maxsize=1)
def _after_quote() -> tuple[re.Pattern, re.Pattern]:
    """What follows a closing quote: "the officer said", "said the officer"."""
    verbs = _speech_verbs()
    return (re.compile(rf"\s*,?\s*(?P<who>[^,;:.]{{1,80}}?)\s+{_lead()}(?P<verb>{verbs})\b"),
            re.compile(rf"\s*,?\s*(?P<verb>{verbs})\s+(?P<who>[^,;:.]{{1,80}})"))


def surface_speakers(text: str, a: int, b: int):
    """(start, end, verb) of each speaker a sentence names without a parse: "X said", "said X", "according to X"."""
    rx = _surface()
    for m in rx.finditer(text, a, b):
        if m.group("subj") is not None and _PASSIVE.search(m.group("subj")):
            continue  # "Gran Grif is said to be ...": the subject is talked about, it does not speak
        if m.group("acc") is not None:
            yield m.start("acc"), m.end("acc"), "according to"
        elif m.group("subj") is not None:
            yield m.start("subj"), m.end("subj"), m.group("verb")
        else:
            yield m.start("obj"), m.end("obj"), m.group("verb2")


@lru_cache(maxsize=1)
def _surface() -> re.Pattern:
    verbs = _speech_verbs()
    return re.compile(
        rf"according to (?P<acc>[^,;:.“”\"]{{2,80}}(?:,\s+(?:an?|the)\s+[^,;:.“”\"]{{2,60}})?)"
        rf"|(?:^|(?<=[,;:“”\"(—–])|(?<=\. ))\s*(?P<subj>[^,;:.“”\"()—–]{{2,80}}?)\s+{_lead()}(?P<verb>{verbs})\b"
        rf"|(?<=[,“”\"])\s*(?P<verb2>{verbs})\s+(?P<obj>[^,;:.“”\"]{{2,80}})", re.MULTILINE)
