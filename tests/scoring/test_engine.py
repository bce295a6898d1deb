"""The whole report: shape, bounds, half marks, determinism and awkward input."""

import itertools
import json
import time

import pytest

from practice.scoring import ENGINE_VERSION, EmptyAnswerError, PromptSpec, Report, score

from .conftest import prompt_entry


@pytest.fixture(scope="module")
def spec():
    return PromptSpec.from_dict(prompt_entry())


def test_report_json_has_the_documented_shape(answers, calibration_spec):
    data = score(answers["strong"], calibration_spec).to_dict()
    assert json.loads(json.dumps(data)) == data  # plain JSON types only
    assert data["prompt"] == "calibration-aep-nsp"
    assert data["max_marks"] == 15
    assert data["word_count"] == 235
    assert data["engine_version"] == ENGINE_VERSION
    assert data["rubric_hash"] == calibration_spec.rubric.content_hash()
    components = data["components"]
    assert set(components) == {"content", "structure", "readability"}
    for name, weight in (("content", 0.6), ("structure", 0.25), ("readability", 0.15)):
        assert components[name]["weight"] == weight
        assert 0 <= components[name]["score"] <= 1
        assert isinstance(components[name]["feedback"], list)
    assert {c["name"] for c in components["structure"]["checks"]} == {
        "word_limit",
        "introduction",
        "body",
        "conclusion",
        "directive",
    }
    assert set(components["readability"]["band"]) == {"flesch_kincaid_grade", "words_per_sentence"}
    concept = data["concepts"][0]
    assert set(concept) == {"label", "weight", "required", "matched", "credit", "evidence", "hint"}
    assert set(concept["evidence"][0]) == {"start", "end", "text", "credit"}
    assert data["feedback"]


def test_total_is_in_half_marks_and_matches_the_weighted_components(answers, calibration_spec):
    for text in answers.values():
        report = score(text, calibration_spec)
        assert 0 <= report.total <= report.max_marks
        assert (report.total * 2).is_integer()
        exact = report.max_marks * sum(
            c.weight * c.score for c in (report.content, report.structure, report.readability)
        )
        assert abs(report.total - exact) <= 0.25 + 1e-9


def test_typed_attributes_mirror_the_json(answers, calibration_spec):
    report = score(answers["medium"], calibration_spec)
    assert isinstance(report, Report)
    data = report.to_dict()
    assert report.total == data["total"]
    assert round(report.content.score, 4) == data["components"]["content"]["score"]
    assert [c.label for c in report.concepts] == [c["label"] for c in data["concepts"]]


def test_the_same_input_gives_the_same_report(answers, calibration_spec):
    for text in answers.values():
        assert score(text, calibration_spec).to_dict() == score(text, calibration_spec).to_dict()


@pytest.mark.parametrize("text", ["", "   ", "\n\t\u00a0\n", "... --- !!!"])
def test_empty_answers_raise(text, spec):
    with pytest.raises(EmptyAnswerError):
        score(text, spec)


def test_empty_answer_error_is_a_value_error():
    assert issubclass(EmptyAnswerError, ValueError)


def test_devanagari_and_mixed_script_answers_score(spec):
    for text in (
        "मानसून भारत की कृषि के लिए बहुत महत्वपूर्ण है। सिंचाई से किसानों को मदद मिलती है।",
        "The monsoon (मानसून) decides kharif output; irrigation (सिंचाई) is the buffer.",
        "Emoji 🌧️ and symbols ∑ § ¶ with rain-fed agriculture in a sentence of its own.",
    ):
        report = score(text, spec)
        assert 0 <= report.total <= report.max_marks


def test_a_ten_thousand_word_answer_scores_in_time_linear_in_its_length(spec):
    paragraph = (
        "Rain-fed agriculture covers about half of the sown area, so a weak monsoon cuts kharif "
        "output and rural incomes. Irrigation, crop insurance and better forecasts reduce the "
        "damage, but groundwater is falling in many districts.\n\n"
    )

    notes = itertools.count()

    def best_time(repeats):
        # A new text each run (a numbered note), so that no run reuses a cached result.
        times = []
        for _ in range(5):
            text = f"{paragraph * repeats}Note {next(notes)}."
            start = time.perf_counter()
            report = score(text, spec)
            times.append(time.perf_counter() - start)
        return min(times), report

    best_time(30)  # warm the word memos
    small_time, _ = best_time(30)  # about 1,000 words
    large_time, report = best_time(300)  # about 10,000 words
    assert report.word_count > 10_000
    assert large_time < 5.0
    # Ten times the text; work quadratic in the length would take about a hundred times longer.
    assert large_time / small_time < 25, (small_time, large_time)


def test_off_topic_answers_stay_under_fifteen_percent(spec):
    essay = (
        "Introduction\nCricket came to India in the eighteenth century.\n\n"
        "Growth\nThe Indian Premier League changed the economics of the game.\n"
        "Television rights and sponsorship grew quickly.\n\n"
        "Conclusion\nCricket will remain the country's favourite sport for years to come."
    )
    report = score(essay, spec)
    assert report.total <= 0.15 * report.max_marks
    assert report.feedback[0].startswith("Your answer does not address this question")
