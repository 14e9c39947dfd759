"""Is a place named as where violence happened, or only mentioned? Cheap word windows, no parse.

Used by claims (which town a figure is about) and by events (which towns get one).
"""

from __future__ import annotations

import re

# Words that say violence happened in a sentence: its towns are where events took place.
VIOLENCE = re.compile(
    r"\b(attack\w*|assault\w*|clash\w*|gunfire|firing|fired|gun ?battles?|explosions?|blasts?|bomb\w*|stormed|"
    r"storm\w*|raid\w*|ambush\w*|struck|strikes?|targeted|targeting|kill\w*|martyred|wounded|injured|"
    r"fighting|fighters|offensive|seized|captured|overran|shell\w*|torch\w*|ablaze|set on fire|abduct\w*|"
    r"kidnap\w*|hijack\w*|hostage|suicide|militants?|insurgents?|operations?|violence|jailbreak|escape|fire|gunmen|"
    r"attackers|assailants|besieged|"
    # demonstrations and disorder (ACLED's protests, riots and mob violence) and strategic developments
    r"protest\w*|demonstrat\w*|rall(?:y|ies)|marche[sd]|sit-ins?|riot\w*|mobs?|lynch\w*|looted|looting|"
    r"burn(?:t|ed|ing)|arrest\w*|detained|deployed|explo(?:ded|sions?|sives?)|detonat\w*|IEDs?|"
    r"landmines?|mortars?|missiles?|grenades?|airstrikes?|brawl\w*|stabbed|beaten|"
    r"sentenced|ceasefire|truce|surrender\w*|defect(?:ed|ion|ions)|curfew|sanctions|"
    # how crowds make demands ("march" alone is also a month)
    r"marching|placards?|picket\w*|walkouts?|boycott\w*|chant(?:ed|ing)|barricad\w*|blocked|vigils?)\b",
    re.IGNORECASE)
LOCATIVE = {"in", "at", "near", "across", "on", "into", "around", "from", "outside", "inside", "throughout",
            "towards", "toward", "between", "of"}
_WORD = re.compile(r"[\w'’-]+|[,;:()]")
_DESTINATION = re.compile(r"(\b(brought|taken|rushed|evacuated|flown|moved|transferred|referred|fled|fleeing|"
                          r"shifted|displaced)\s+(\w+\s+){0,3}(to|towards)\s+(the\s+)?"
                          r"(?:(?:\w+\s+){0,2}(?:hospitals?|clinics?|health (?:centres?|centers?|facilities))\s+(?:in|at)\s+)?"
                          r"|\b(treated|admitted|hospitali[sz]ed|treatment)\b[^.;]{0,30}\b(in|at)\s+)$", re.IGNORECASE)
# "a bus on its way from Ransoo to Katra", "which had left from X towards Y": where the victims travelled
_ROUTE = re.compile(r"\b(left|leaving|leave|travel+(?:ed|ing)?|heading|headed|returning|return|bound|en ?route|"
                    r"on (?:its|their|his|her|the) way|going|coming|came|driving|drove|journey|trip|moving|plying)"
                    r"\b[^.;]{0,60}\b(from|to|towards?|for|via)\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
_LIST_GLUE = {",", "and", "&", "the", "city", "town", "district"}
# "The incident took place around 6 pm near X": the report's own act, told without a violence word.
_HAPPENED = re.compile(r"\bincidents?\b[^.;!?]{0,20}\b(took place|occurred|happened)\b(?:[^.;!?]|(?<=\d)\.(?=\d)){0,40}$",
                       re.IGNORECASE)
# The names listed before a place in a list ("in Reasi, Treyath and "): a list shares its preposition.
_LIST_BEFORE = re.compile(r"(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s*(?:,\s*(?:and\s+)?|\s+and\s+))+$")


def _words(span: str) -> list[str]:
    return _WORD.findall(span)


def violent_context(sentence: str, start: int, end: int) -> bool:
    """True when violence is said to happen at the place text[start:end] of *sentence*.

    A violence word within three words before the place (or before the list the
    place is in), or within six words before a locative preposition ("attacks in
    Quetta, Nushki and Kalat"), or within five words after it ("entered
    Tank city and assaulted police positions"), or after "the incident took
    place". "The attack shocked Islamabad" names Islamabad in a violent
    sentence, but not as a place of violence; nor is a place the wounded were
    taken to ("referred to hospitals in X, Y and Z").
    """
    head = sentence[:start]
    head = head[:_LIST_BEFORE.search(head).start()] if _LIST_BEFORE.search(head) else head
    if _DESTINATION.search(head):
        return False  # "the wounded were brought to Maiduguri": where they were taken, not attacked
    if _ROUTE.search(sentence[max(0, start - 90):start]):
        return False  # "the bus was on its way from Ransoo to Katra": a route, not the place of the act
    if _HAPPENED.search(sentence[:start]):
        return True
    before = _words(sentence[:start])
    i = len(before)
    while i > 0 and (before[i - 1][:1].isupper() or before[i - 1].lower() in _LIST_GLUE):
        i -= 1  # walk back over the list "Quetta, Nushki, Kalat and"
    if any(VIOLENCE.fullmatch(w) for w in before[max(0, i - 3):i]):
        return True  # "attacked Kalat", "stormed the town of"
    window = before[max(0, i - 6):i]
    if window and window[-1].lower() in LOCATIVE:
        head = before[max(0, i - 13):i - 1]
        if any(VIOLENCE.fullmatch(w) for w in head[-6:]):
            return True
    after = [w for w in _words(sentence[end:]) if not (w[:1].isupper() or w.lower() in _LIST_GLUE)][:5]
    return any(VIOLENCE.fullmatch(w) for w in after)


def act_sentence(sentence: str, start: int) -> bool:
    """True when *sentence* tells violence and the place at *start* is not where people were taken.

    Looser than `violent_context`, for a place named with a cue ("the village of X", "X base"):
    such a name is given because something happened there ("The X base, in the Y region, was
    briefly occupied by the attackers").
    """
    head = sentence[:start]
    head = head[:_LIST_BEFORE.search(head).start()] if _LIST_BEFORE.search(head) else head
    return bool(VIOLENCE.search(sentence)) and not _DESTINATION.search(head)
