"""Alias matching: every way a student may write a rubric term, and the guards."""

import pytest

from practice.scoring.document import Document
from practice.scoring.matching import Matcher


def found(aliases, text):
    """The texts of the matches of one concept's aliases in ``text``."""
    doc = Document.from_text(text)
    matches = Matcher([aliases]).find(doc)
    return sorted({text[doc.span(m.first)[0] : doc.span(m.last)[1]] for m in matches})


@pytest.mark.parametrize(
    ("alias", "written"),
    [
        ("Act East Policy", "act east policy"),  # case
        ("Act East Policy", "ACT EAST POLICY"),
        ("Act East", "Act-East"),  # hyphen for space
        ("Indo-Pacific", "Indo Pacific"),  # space for hyphen
        ("Indo-Pacific", "Indo\u2013Pacific"),  # en dash
        ("Indo-Pacific", "Indo\u00a0Pacific"),  # non-breaking space
        ("interoperability", "inter-operability"),  # one word written apart
        ("roadmap", "road map"),
        ("co-production", "coproduction"),  # two words run together
        ("K9 Vajra", "K-9 Vajra"),
        ("logistics support agreement", "logistics-support agreements"),  # plural
        ("joint exercise", "joint exercises"),
        ("educational exchanges", "educational exchange"),
        ("China", "Chinas"),
    ],
)
def test_alias_forms_match(alias, written):
    assert found([alias], f"Both sides saw {written} as central.") == [written]


@pytest.mark.parametrize("written", ["China's", "China’s", "Chinaʼs"])
def test_possessives_match_and_the_evidence_is_the_word(written):
    assert found(["China"], f"Both watch {written} rise.") == ["China"]


@pytest.mark.parametrize(
    ("alias", "slip"),
    [
        ("interoperability", "interoprability"),  # letter dropped
        ("logistics support agreement", "logisitics support agreement"),  # letter added
        ("New Southern Policy", "New Southren Policy"),  # letters swapped
        ("Hanwha", "Hanwah"),
        ("joint exercises", "joint exercizes"),  # letter changed
    ],
)
def test_one_letter_slips_in_long_words_match(alias, slip):
    assert found([alias], f"They noted the {slip} last year.") == [slip]


def test_slips_are_not_matched_in_short_words():
    assert found(["China"], "They noted Chine and Chinaa.") == []


def test_a_real_english_word_is_never_a_slip():
    # "police" is one letter from "policy" but is a word of its own.
    assert found(["policy"], "The police arrived.") == []


def test_abbreviations_match_exactly_and_in_capitals():
    assert found(["AEP"], "The AEP matters.") == ["AEP"]
    assert found(["AEP"], "The aep matters.") == []
    assert found(["IT"], "It is what it is.") == []
    assert found(["NGO"], "Many NGOs work here.") == ["NGOs"]


def test_words_with_digits_match_exactly():
    assert found(["K9"], "The K9 and the K19 differ.") == ["K9"]


def test_multi_word_aliases_tolerate_two_words_between():
    assert found(["logistics pact"], "a logistics sharing pact") == ["logistics sharing pact"]
    assert found(["logistics pact"], "a logistics and sharing pact") == [
        "logistics and sharing pact"
    ]
    assert found(["logistics pact"], "a logistics and fuel sharing pact") == []


def test_multi_word_aliases_do_not_cross_clauses_or_sentences():
    assert found(["trade deficit"], "Trade, deficit and debt.") == []
    assert found(["trade deficit"], "We trade. Deficit follows.") == []


def test_evidence_indexes_the_original_text():
    text = "Seoul\u2019s NEW-SOUTHERN policy matters."
    doc = Document.from_text(text)
    (match,) = Matcher([["New Southern Policy"]]).find(doc)
    assert text[doc.span(match.first)[0] : doc.span(match.last)[1]] == "NEW-SOUTHERN policy"


def test_repeated_mentions_are_all_found():
    assert len(Matcher([["China"]]).find(Document.from_text("China. China again. China."))) == 3
