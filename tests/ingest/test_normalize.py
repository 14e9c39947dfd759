"""Text normalisation, boilerplate removal and embedded posts."""

from __future__ import annotations

import unicodedata

import pytest

from sitrep.ingest.normalize import clean_text, find_embedded_posts, is_boilerplate


@pytest.mark.parametrize("line", [
    "ALSO READ: UN warns of funding gap",
    "ALSO READ | Floods in the north",
    "Also Read - Another story",
    "READ MORE: Army chief visits troops",
    "Add Lake Times as a Preferred Source",
    "Add Daily Horn as a Trusted Source",
    "Follow us on Telegram and WhatsApp",
    "Subscribe to us on YouTube",
    "Advertisement",
    "Click here to read the full statement",
    "Share on WhatsApp",
])
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "Residents said they would read the statement aloud.",
    "Also, read together, the accounts differ.",
    "The army added 200 troops as a precaution.",
    "Police said they would follow up on the reports.",
    "Ten people were killed, the army said.",
])
def test_reporting_lines_are_not_boilerplate(line):
    assert not is_boilerplate(line)


def test_clean_text_normalises_and_keeps_paragraphs():
    raw = "Cafe\u0301  owner\u00a0killed.\u200b\r\n\r\n\r\n\r\nALSO READ: x\n  Second\tparagraph.  \n"
    text = clean_text(raw)
    assert text == "Caf\u00e9 owner killed.\n\nSecond paragraph."
    assert unicodedata.is_normalized("NFC", text)


def test_clean_text_keeps_quotes_and_dashes_verbatim():
    raw = "He said \u201cdozens\u201d were \"neutralised\" \u2013 a claim."
    assert clean_text(raw) == raw


POST_OWN_LINE = ("The situation remains critical.\n"
                 "\U0001F6A8Fighters have entered two camps near the town. Offices were attacked.\n"
                 "\U0001F4CDThe city is tense. pic.twitter.com/AbC123xyz\n"
                 "\u2014 Field Watcher (@fieldwatch99) March 10, 2026\n"
                 "Officials said the attack was repelled.")

POST_SAME_LINE = ("Residents fled.\n\nBREAKING: armed men entered the bank. pic.twitter.com/Zz9 "
                  "\u2014 Horn Monitor (@horn_mon) March 11, 2026\n\nThe army said two died.")


def test_embedded_post_spanning_lines_is_found_with_author():
    [post] = find_embedded_posts(POST_OWN_LINE)
    span = POST_OWN_LINE[post.start:post.end]
    assert span.startswith("\U0001F6A8Fighters") and span.endswith("March 10, 2026")
    assert (post.author, post.handle, post.date) == ("Field Watcher", "@fieldwatch99", "March 10, 2026")
    assert "critical" not in span and "repelled" not in span


def test_embedded_post_on_one_line():
    [post] = find_embedded_posts(POST_SAME_LINE)
    span = POST_SAME_LINE[post.start:post.end]
    assert span.startswith("BREAKING") and span.endswith("2026")
    assert post.author == "Horn Monitor" and post.handle == "@horn_mon"


def test_no_post_without_byline():
    assert find_embedded_posts("Police said (@police_pk) confirmed ten deaths.") == ()


@pytest.mark.parametrize("raw, expected", [
    ("Four\x00 killed", "Four killed"),
    ("Four\x07\x08 killed", "Four killed"),
    ("Four\x7f\x9b killed", "Four killed"),
    ("Four\ud800 killed", "Four\ufffd killed"),
    ("Four killed.\u2028Two hurt.", "Four killed.\nTwo hurt."),
    ("Four killed.\u2029Two hurt.", "Four killed.\nTwo hurt."),
    ("Four killed.\u0085Two hurt.", "Four killed.\nTwo hurt."),
    ("Four killed.\x0bTwo hurt.\x0cOne fled.", "Four killed.\nTwo hurt.\nOne fled."),
    ("Four killed.\x1cTwo hurt.\x1eOne fled.", "Four killed.\nTwo hurt.\nOne fled."),
])
def test_control_characters_are_removed_and_line_separators_become_newlines(raw, expected):
    assert clean_text(raw) == expected


def test_clean_field_makes_metadata_one_storable_line():
    from sitrep.ingest.normalize import clean_field

    assert clean_field("Dikwa\ud800\x00 attack\u2028update") == "Dikwa\ufffd\\x00 attack update"
    assert clean_field("\x1f") == "\\x1f"  # an id of control characters stays distinct and never empty
