"""Properties over generated answers: no crash, bounds, determinism, monotone content."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.scoring import EmptyAnswerError, score
from practice.scoring.normalise import WORD_RE

from .conftest import read_answer

WORDS = st.sampled_from(
    [
        "India",
        "Korea",
        "defence",
        "Act",
        "East",
        "Policy",
        "logistics",
        "pact",
        "China",
        "the",
        "and",
        "however",
        "roadmap",
        "K9",
        "Vajra",
        "co-production",
        "exercises",
        "limits",
        "-",
        "•",
        "1.",
        "\n",
        "\n\n",
        ",",
        ".",
        "'s",
        "Indo-Pacific",
        "मानसून",
        "AEP",
        "NSP",
    ]
)
ANSWERS = st.one_of(
    st.text(max_size=400),
    st.lists(WORDS, max_size=120).map(" ".join),
)
# A sentence for each calibration concept, to add to an answer.
CONCEPT_SENTENCES = [
    "Seoul's New Southern Policy reached out to South Asia and the Indian Ocean.",
    "The logistics support agreement lets each navy refuel at the other's ports.",
    "Both sides agreed on defence educational exchanges for officers.",
    "A roadmap for land and naval systems set out joint research.",
    "Joint exercises build interoperability between the two forces.",
    "China's assertiveness pushes the two democracies closer.",
    "However, a large trade deficit still strains the partnership.",
]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(text=ANSWERS)
def test_any_text_scores_within_bounds_or_is_rejected_as_empty(calibration_spec, text):
    if not WORD_RE.search(text):
        try:
            score(text, calibration_spec)
        except EmptyAnswerError:
            return
        raise AssertionError("a text without words must be rejected")
    report = score(text, calibration_spec)
    assert 0 <= report.total <= report.max_marks
    assert (report.total * 2).is_integer()
    for component in (report.content, report.structure, report.readability):
        assert 0 <= component.score <= 1
    for concept in report.concepts:
        assert 0 <= concept.credit <= 1
        for evidence in concept.evidence:
            assert text[evidence.start : evidence.end] == evidence.text


@FAST
@given(text=ANSWERS.filter(lambda t: WORD_RE.search(t) is not None))
def test_scoring_is_deterministic(calibration_spec, text):
    assert score(text, calibration_spec).to_dict() == score(text, calibration_spec).to_dict()


@FAST
@given(
    base=st.sampled_from(["weak", "medium", "offtopic", "copy", "bullets"]),
    additions=st.lists(st.sampled_from(CONCEPT_SENTENCES), min_size=1, max_size=3, unique=True),
)
def test_a_sentence_that_adds_a_concept_never_lowers_content(calibration_spec, base, additions):
    text = read_answer(base)
    before = score(text, calibration_spec).content.score
    for sentence in additions:
        text = f"{text}\n{sentence}"
        after = score(text, calibration_spec).content.score
        assert after >= before - 1e-12
        before = after
