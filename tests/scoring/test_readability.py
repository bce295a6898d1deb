"""Readability: textstat's metrics on segmented text, a target band, plain feedback."""

import pytest
import textstat

from practice.scoring import PromptSpec, score
from practice.scoring.segment import analyse_layout, readable_text
from practice.scoring.textmetrics import measure

from .conftest import prompt_entry

METRICS = {
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
    "words_per_sentence",
    "difficult_words",
    "sentence_count",
}


@pytest.fixture(scope="module")
def spec():
    return PromptSpec.from_dict(prompt_entry())


def test_the_report_carries_every_textstat_metric(spec):
    report = score("Monsoon rains feed half of India's farms. A weak monsoon hurts them.", spec)
    metrics = report.to_dict()["components"]["readability"]["metrics"]
    assert set(metrics) == METRICS
    assert metrics["sentence_count"] == 2


def test_metrics_are_textstats_own_on_the_segmented_text():
    text = "Limits\n- Caution towards Beijing in every forum\n- A persistent trade deficit"
    segmented = readable_text(text, analyse_layout(text))
    assert measure(segmented).flesch_kincaid_grade == pytest.approx(
        textstat.flesch_kincaid_grade(segmented)
    )


def test_a_bullet_or_heading_is_its_own_sentence(answers, calibration_spec):
    report = score(answers["bullets"], calibration_spec)
    merged = textstat.flesch_kincaid_grade(answers["bullets"])
    grade = report.readability.metrics.flesch_kincaid_grade
    assert grade < merged  # without segmentation the points fuse into run-on "sentences"
    assert 8 <= grade <= 14  # the range of the same content in prose


def test_long_sentences_get_plain_feedback(spec):
    sentence = (
        "The monsoon which brings most of the rain that Indian farmers depend upon for the "
        "kharif crops of rice and pulses and cotton has become erratic in recent decades and "
        "this has hurt output and incomes across the dry districts of the country"
    )
    report = score(f"{sentence}. {sentence}.", spec)
    words = report.readability.metrics.words_per_sentence
    shown = f"{words:.1f}".removesuffix(".0")
    assert f"Your sentences average {shown} words; aim for 12 to 25." in " ".join(
        report.readability.feedback
    )
    assert report.readability.quality < 1


def test_a_rubric_band_replaces_the_default(spec):
    text = "Rain fell. Crops grew. Farmers were glad. Prices fell. All was well."
    default = score(text, spec)
    entry = prompt_entry()
    entry["rubric"]["readability"] = {"flesch_kincaid_grade": [0, 6]}
    custom = score(text, PromptSpec.from_dict(entry))
    assert custom.readability.quality == 1.0
    assert default.readability.quality < 1.0
    assert [b.metric for b in custom.readability.band] == ["flesch_kincaid_grade"]
