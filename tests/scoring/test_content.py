"""Content credit: made points earn, dropped keywords, repeats and copies do not."""

import pytest

from practice.scoring import PromptSpec, score
from practice.scoring.content import REQUIRED_CAP

from .conftest import prompt_entry

LOGISTICS = "The logistics support agreement lets each navy refuel at the other's ports."


@pytest.fixture(scope="module")
def spec():
    return PromptSpec.from_dict(
        prompt_entry(
            slug="naval-logistics",
            question="Comment on the significance of the naval logistics arrangement for India.",
            directive="comment",
            rubric={
                "concepts": [
                    {
                        "label": "Logistics pact",
                        "weight": 2,
                        "aliases": ["logistics support agreement", "logistics pact"],
                        "hint": "Cite the naval logistics support arrangement signed in 2019.",
                    },
                    {
                        "label": "Indian Ocean",
                        "weight": 1,
                        "aliases": ["Indian Ocean"],
                        "hint": "Tie the pact to reach in the Indian Ocean.",
                    },
                    {
                        "label": "Interoperability",
                        "weight": 1,
                        "aliases": ["interoperability", "joint exercises"],
                        "hint": "Explain how the pact builds interoperability.",
                    },
                ]
            },
        )
    )


def concept(report, label):
    return next(c for c in report.concepts if c.label == label)


def test_a_point_made_in_a_sentence_earns_full_credit(spec):
    report = score(LOGISTICS, spec)
    assert concept(report, "Logistics pact").credit == pytest.approx(1.0)
    assert concept(report, "Logistics pact").matched


def test_a_bare_list_of_terms_earns_nothing(spec):
    report = score("Logistics pact, Indian Ocean, interoperability, joint exercises.", spec)
    assert all(c.matched for c in report.concepts)
    assert all(c.credit == 0 for c in report.concepts)
    assert report.content.score == 0


def test_a_term_with_little_around_it_earns_less_than_in_a_real_sentence(spec):
    bare = score("Interoperability and logistics pact matter.", spec)
    real = score(
        "Joint exercises under the pact build interoperability, so the two navies can work "
        "together in a crisis.",
        spec,
    )
    assert 0 < concept(bare, "Interoperability").credit < concept(real, "Interoperability").credit


def test_repeating_a_concept_earns_nothing_more(spec):
    once = score(LOGISTICS, spec)
    thrice = score(" ".join([LOGISTICS] * 3), spec)
    assert thrice.content.score == pytest.approx(once.content.score)


def test_text_copied_from_the_question_earns_nothing(spec):
    copied = score(
        "Comment on the significance of the naval logistics arrangement for India. The logistics "
        "pact is significant.",
        spec,
    )
    own = score("The logistics pact gives Indian warships fuel and repairs far from home.", spec)
    assert concept(copied, "Logistics pact").credit < concept(own, "Logistics pact").credit


def test_missing_concepts_give_their_hints_heaviest_first(spec):
    report = score("India and South Korea are friendly democracies with growing trade.", spec)
    assert report.content.feedback[:3] == (
        "Cite the naval logistics support arrangement signed in 2019.",
        "Tie the pact to reach in the Indian Ocean.",
        "Explain how the pact builds interoperability.",
    )


def test_a_missing_required_concept_caps_content():
    entry = prompt_entry()
    text = (
        "Rain-fed agriculture covers half the sown area, so a weak monsoon cuts farm output and "
        "rural incomes sharply."
    )
    required_missing = score(text, PromptSpec.from_dict(entry))
    assert required_missing.content.score <= REQUIRED_CAP
    entry["rubric"]["concepts"][1]["required"] = False
    assert score(text, PromptSpec.from_dict(entry)).content.score > REQUIRED_CAP
    assert required_missing.feedback[0].startswith("Irrigation is essential to this question.")


def test_evidence_spans_are_sorted_disjoint_and_point_into_the_text(spec):
    text = (
        "Joint exercises build interoperability. Later joint exercises deepened interoperability."
    )
    report = score(text, spec)
    evidence = concept(report, "Interoperability").evidence
    assert [text[e.start : e.end] for e in evidence] == [e.text for e in evidence]
    assert [e.text for e in evidence] == [
        "Joint exercises",
        "interoperability",
        "joint exercises",
        "interoperability",
    ]
    assert all(a.end <= b.start for a, b in zip(evidence, evidence[1:], strict=False))


def test_overlapping_aliases_merge_into_one_span(spec):
    text = "The logistics support agreement, a logistics pact, helps the navy refuel abroad."
    evidence = concept(score(text, spec), "Logistics pact").evidence
    assert [e.text for e in evidence] == ["logistics support agreement", "logistics pact"]


def test_points_made_past_twice_the_limit_are_not_read(spec):
    padding = " ".join(["Both navies met often and spoke at length about many matters."] * 40)
    late = score(f"{padding}\n\n{LOGISTICS}", spec)
    assert late.word_count > 2 * spec.word_limit
    assert concept(late, "Logistics pact").matched
    assert concept(late, "Logistics pact").credit == 0
    assert any("after the first 300 words earn nothing" in line for line in late.feedback)
