"""The relations of tests/data/calibration/README.md, case by case, and the invariants."""

import pytest

from practice.scoring import score

from .conftest import CASES


@pytest.fixture(scope="module")
def reports(calibration_spec, answers):
    return {name: score(text, calibration_spec) for name, text in answers.items()}


def T(reports, name):
    return reports[name].total


def C(reports, name):
    return reports[name].content.score


def test_totals_rank_strong_medium_weak_offtopic(reports):
    assert T(reports, "strong") > T(reports, "medium") > T(reports, "weak") > T(reports, "offtopic")


def test_offtopic_earns_at_most_fifteen_percent(reports):
    assert T(reports, "offtopic") <= 0.15 * reports["offtopic"].max_marks


def test_stuffed_keywords_earn_less_than_plain_prose(reports):
    assert T(reports, "stuffed") < T(reports, "medium")
    assert C(reports, "stuffed") <= 0.25 * C(reports, "strong")  # "well below"


def test_variant_spellings_keep_most_of_the_content(reports):
    assert C(reports, "variants") >= 0.8 * C(reports, "strong")


def test_one_letter_slips_keep_most_of_the_content(reports):
    assert C(reports, "misspelled") >= 0.7 * C(reports, "strong")


def test_bullets_score_like_prose_and_read_like_prose(reports):
    assert T(reports, "bullets") >= 0.8 * T(reports, "strong")
    grade = reports["bullets"].readability.metrics.flesch_kincaid_grade
    prose = reports["strong"].readability.metrics.flesch_kincaid_grade
    assert abs(grade - prose) <= 3


def test_overlength_scores_below_strong(reports):
    assert T(reports, "overlength") < T(reports, "strong")
    assert reports["overlength"].structure.score < reports["strong"].structure.score


def test_copying_the_question_scores_about_as_low_as_a_weak_answer(reports):
    assert T(reports, "copy") < T(reports, "weak") + 1


@pytest.mark.parametrize("name", CASES)
def test_invariants_hold_for_every_case(name, reports, answers, calibration_spec):
    report = reports[name]
    assert 0 <= report.total <= report.max_marks
    assert score(answers[name], calibration_spec).to_dict() == report.to_dict()
    for concept in report.concepts:
        assert concept.matched == bool(concept.evidence)
        assert 0 <= concept.credit <= 1
        starts = [e.start for e in concept.evidence]
        assert starts == sorted(starts)
        for first, second in zip(concept.evidence, concept.evidence[1:], strict=False):
            assert first.end <= second.start
        for evidence in concept.evidence:
            assert answers[name][evidence.start : evidence.end] == evidence.text
