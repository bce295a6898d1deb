"""The one-pass metrics are textstat's own: the same values, to the last bit, as its functions."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textstat.backend import counts, metrics

from practice.scoring import textmetrics
from practice.scoring.segment import analyse_layout, readable_text

from .conftest import CASES, read_answer

LANG = textmetrics.LANG


def textstat_alone(text: str) -> dict[str, float]:
    """What textstat's own functions say of the text, one call per metric."""
    return {
        "flesch_reading_ease": metrics.flesch_reading_ease(text, LANG),
        "flesch_kincaid_grade": metrics.flesch_kincaid_grade(text, LANG),
        "gunning_fog": metrics.gunning_fog(text, LANG),
        "smog_index": metrics.smog_index(text, LANG),
        "coleman_liau_index": metrics.coleman_liau_index(text),
        "automated_readability_index": metrics.automated_readability_index(text),
        "dale_chall_readability_score": metrics.dale_chall_readability_score(text, LANG),
        "words_per_sentence": metrics.words_per_sentence(text),
        "difficult_words": counts.count_difficult_words(text, LANG, 2, True),
        "sentence_count": counts.count_sentences(text),
    }


def one_pass(text: str) -> dict[str, float]:
    measured = textmetrics.measure(text)
    return {name: measured.value(name) for name in measured.__dataclass_fields__}


@pytest.mark.parametrize("case", CASES)
def test_calibration_answers_measure_as_textstat_measures_them(case):
    text = read_answer(case)
    segmented = readable_text(text, analyse_layout(text))
    assert one_pass(segmented) == textstat_alone(segmented)


def test_word_judgements_remembered_from_an_earlier_answer_change_nothing():
    first, second = read_answer("strong"), read_answer("medium")
    textmetrics.clear_memo()
    cold = one_pass(second)
    one_pass(first)  # most of its words recur in the second answer
    assert one_pass(second) == cold == textstat_alone(second)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "...",
        "One.",
        "Two words",
        "Seoul's navy and India's navy don't 'sail' together yet; they'll train.",
        "Co-production, inter-operability — and 2019's pact (5 Sep) at 99.5%!",
        "भारत और दक्षिण कोरिया. Naval logistics.",
    ],
)
def test_edge_cases_measure_as_textstat_measures_them(text):
    assert one_pass(text) == textstat_alone(text)


WORDS = st.sampled_from(
    "the a of India Korea's navy logistics agreement interoperability co-production "
    "don't students' 'quoted' 1973 2019 Act-East Indo-Pacific extraordinary it's "
    "rhythm queueing naïve Hanwha K9 Vajra — – - , ; : ( ) ? ! . ' \" é ü".split()
)
SEPARATORS = st.sampled_from([" ", " ", " ", "\n", "\n\n", ". ", "! ", "? ", "\t"])
TEXTS = st.lists(st.tuples(WORDS, SEPARATORS), max_size=80).map(
    lambda pairs: "".join(word + gap for word, gap in pairs)
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS | st.text(max_size=200))
def test_any_text_measures_as_textstat_measures_it(text):
    assert one_pass(text) == textstat_alone(text)
