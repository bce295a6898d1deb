"""Structure: word limit, introduction, body, conclusion and the directive."""

import pytest

from practice.scoring import PromptSpec, score

from .conftest import prompt_entry

INTRO = "India's monsoon brings most of the year's rain, and half of the farmland is rain-fed."
BODY = [
    "Economic: a weak monsoon cuts kharif output and farm incomes, and prices rise.",
    "Social: distress migration and debt follow failed rains in dry districts.",
    "Political: governments answer with relief packages and loan waivers.",
    "Technological: drip irrigation and better forecasts reduce the damage.",
]
CONCLUSION = "In conclusion, irrigation, insurance and forecasting can make farming resilient."


def answer(*paragraphs):
    return "\n\n".join(paragraphs)


def checks(report):
    return {check.name: check for check in report.structure.checks}


@pytest.fixture(scope="module")
def discuss():
    return PromptSpec.from_dict(prompt_entry())


def test_a_well_shaped_answer_passes_every_layout_check(discuss):
    report = score(answer(INTRO, *BODY, CONCLUSION), discuss)
    found = checks(report)
    assert found["introduction"].passed
    assert found["body"].passed
    assert found["conclusion"].passed
    assert found["directive"].passed  # discuss: several dimensions


def test_a_single_block_fails_layout_with_one_feedback_line(discuss):
    report = score(" ".join([INTRO, *BODY, CONCLUSION]), discuss)
    found = checks(report)
    assert not found["introduction"].passed
    assert not found["body"].passed
    assert not found["conclusion"].passed
    block_lines = [line for line in report.feedback if "single block" in line]
    assert len(block_lines) == 1


def test_far_past_the_limit_scores_below_the_same_answer_within_it(discuss):
    within = score(answer(INTRO, *BODY, CONCLUSION), discuss)
    padding = " ".join(["Farmers also face many other problems in their daily lives."] * 25)
    over = score(answer(INTRO, *BODY, padding, CONCLUSION), discuss)
    assert over.word_count > 2 * discuss.word_limit
    assert not checks(over)["word_limit"].passed
    assert over.structure.score < within.structure.score
    assert over.total < within.total
    assert any(
        line.startswith(f"Your answer has {over.word_count} words against a limit of 150;")
        for line in over.feedback
    )


def test_word_limit_credit_falls_with_length_beyond_the_band(discuss):
    credits = []
    for repeats in (2, 8, 14, 20):
        text = answer(INTRO, *(BODY * repeats), CONCLUSION)
        credits.append(checks(score(text, discuss))["word_limit"].credit)
    assert credits == sorted(credits, reverse=True)
    assert credits[0] == 1.0 and credits[-1] < 0.5


def test_examine_asks_for_both_sides():
    spec = PromptSpec.from_dict(prompt_entry(directive="examine"))
    one_sided = score(answer(INTRO, *BODY, CONCLUSION), spec)
    balanced = score(
        answer(
            INTRO,
            *BODY,
            "However, irrigation has limits: groundwater is falling, canals reach few districts.",
            CONCLUSION,
        ),
        spec,
    )
    assert not checks(one_sided)["directive"].passed
    assert checks(balanced)["directive"].passed
    assert any("weigh both sides" in line for line in one_sided.feedback)


def test_discuss_asks_for_several_dimensions(discuss):
    narrow = score(
        answer(
            INTRO,
            "Farm output falls when rain fails.",
            "Crops wither in dry spells.",
            CONCLUSION,
        ),
        discuss,
    )
    assert not checks(narrow)["directive"].passed
    assert any("cover several dimensions" in line for line in narrow.feedback)


def test_comment_asks_for_a_reasoned_view():
    spec = PromptSpec.from_dict(prompt_entry(directive="comment"))
    flat = score(answer(INTRO, "Rain falls in June.", "Crops grow in July.", "That is all."), spec)
    reasoned = score(
        answer(
            INTRO,
            "Irrigation matters most because it frees output from the rains.",
            "India should therefore expand drip irrigation in dry districts.",
            CONCLUSION,
        ),
        spec,
    )
    assert not checks(flat)["directive"].passed
    assert checks(reasoned)["directive"].passed


def test_headings_mark_introduction_and_conclusion(discuss):
    text = "Introduction\n" + INTRO + "\nImpact\n" + "\n".join(BODY) + "\nConclusion\n" + CONCLUSION
    found = checks(score(text, discuss))
    assert found["introduction"].passed and found["conclusion"].passed


def test_an_opening_that_ignores_the_question_fails_the_introduction(discuss):
    text = answer("Cricket is a popular game in many countries.", *BODY, CONCLUSION)
    assert not checks(score(text, discuss))["introduction"].passed


def test_every_failed_check_has_a_detail_and_a_feedback_line(discuss):
    report = score("Rain matters for farms.", discuss)
    failed = [check for check in report.structure.checks if not check.passed]
    assert failed
    assert all(check.detail.endswith(".") for check in report.structure.checks)
    assert report.structure.feedback
