"""The same mechanisms on a rubric and answers written for another topic.

tests/scoring/data/shg/ holds an invented prompt (self-help groups and rural women; critically
analyse; 150 words, 10 marks), written apart from the calibration set, with answers of known
quality. The relations of the calibration README should hold here too.
"""

from pathlib import Path

import pytest

from practice.scoring import load_pack, score

SHG = Path(__file__).resolve().parent / "data" / "shg"


@pytest.fixture(scope="module")
def spec():
    return load_pack(SHG / "pack.yaml")[1][0]


@pytest.fixture(scope="module")
def reports(spec):
    return {
        path.stem: score(path.read_text(encoding="utf-8"), spec)
        for path in sorted((SHG / "answers").glob("*.txt"))
    }


def test_ranking_follows_quality(reports):
    assert reports["strong"].total > reports["medium"].total > reports["weak"].total
    assert reports["weak"].total >= reports["offtopic"].total


def test_off_topic_stuffed_and_copied_answers_score_near_zero(reports):
    marks = reports["strong"].max_marks
    assert reports["offtopic"].total <= 0.15 * marks
    assert reports["stuffed"].total < reports["medium"].total
    assert reports["stuffed"].content.score < 0.25 * reports["strong"].content.score
    assert reports["copy"].total < reports["weak"].total + 1


def test_the_rubric_band_and_weights_are_used(reports, spec):
    band = reports["strong"].readability.band
    assert [(b.metric, b.low, b.high) for b in band] == [("flesch_kincaid_grade", 8, 14)]
    assert reports["strong"].content.weight == spec.rubric.weights.content


def test_variant_spellings_of_the_strong_answer_keep_its_content(reports, spec):
    variant = (
        (SHG / "answers" / "strong.txt")
        .read_text(encoding="utf-8")
        .replace("SHG-Bank Linkage Programme", "SHG bank-linkage programme")
        .replace("financial inclusion", "Financial-Inclusion")
        .replace("DAY-NRLM", "DAY NRLM")
        .replace("decision-making", "decision making")
        .replace("Kudumbashree", "Kudumbashre")
        .replace("over-indebtedness", "overindebtedness")
    )
    assert score(variant, spec).content.score >= 0.8 * reports["strong"].content.score


def test_missing_required_concept_is_the_first_content_line(reports):
    weak = reports["weak"]
    assert weak.content.feedback[0].startswith("DAY-NRLM is essential to this question.")
