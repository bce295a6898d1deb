"""Prompt specs: validation with clear messages, lossless round trip, rubric hash."""

import copy

import pytest

from practice.scoring import DEFAULT_WEIGHTS, PackError, PromptSpec

from .conftest import prompt_entry


def entry_with(path, value):
    """A valid prompt entry with the field at ``path`` (keys and indexes) set to ``value``."""
    entry = prompt_entry()
    target = entry
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return entry


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("slug",), ..., "slug: is required"),
        (("slug",), "two words", "slug: 'two words' may hold only"),
        (("question",), "  ", "question: must not be empty"),
        (("word_limit",), 0, "word_limit: must be a positive whole number"),
        (("word_limit",), "150", "word_limit: must be a positive whole number"),
        (("word_limit",), True, "word_limit: must be a positive whole number"),
        (("marks",), 2.5, "marks: must be a positive whole number"),
        (("minutes",), ..., "minutes: is required"),
        (("rubric",), ..., "rubric: is required"),
        (("rubric", "concepts"), [], "rubric.concepts: must be a non-empty list"),
        (
            ("rubric", "weights"),
            {"content": 0.5, "structure": 0.25, "readability": 0.15},
            "rubric.weights: content, structure and readability must sum to 1",
        ),
        (("rubric", "weights"), {"content": 1}, "rubric.weights.structure: is required"),
        (("rubric", "readability"), {"grade": [9, 14]}, "rubric.readability.grade: unknown metric"),
        (
            ("rubric", "readability"),
            {"words_per_sentence": [25, 15]},
            "rubric.readability.words_per_sentence: low (25) is above high (15)",
        ),
        (("rubric", "concepts", 0, "aliases"), [], "rubric.concepts[0] (Rain-fed farming).aliases"),
        (
            ("rubric", "concepts", 0, "aliases"),
            ["ok", " "],
            "rubric.concepts[0] (Rain-fed farming).aliases[1]: must not be empty",
        ),
        (
            ("rubric", "concepts", 0, "aliases"),
            [True],
            "aliases[0]: must be a string (got bool; quote it in YAML)",
        ),
        (("rubric", "concepts", 0, "weight"), 0, "(Rain-fed farming).weight: must be positive"),
        (("rubric", "concepts", 0, "weight"), -1, "(Rain-fed farming).weight: must be positive"),
        (("rubric", "concepts", 0, "label"), ..., "rubric.concepts[0].label: is required"),
        (
            ("rubric", "concepts", 0, "label"),
            "Rain-fed\x1efarming",
            "rubric.concepts[0].label: must be one line, without tabs or other control characters",
        ),
        (("rubric", "concepts", 0, "label"), "Rain-fed\nfarming", "label: must be one line"),
        (("rubric", "concepts", 0, "required"), "yes", ".required: must be true or false"),
        (("word_limt",), 150, "prompt: unknown field 'word_limt'"),
    ],
)
def test_invalid_entries_name_the_field(path, value, message):
    with pytest.raises(PackError) as raised:
        PromptSpec.from_dict(entry_with(path, value))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_aliases_that_normalise_alike_are_duplicates_across_concepts():
    entry = prompt_entry()
    entry["rubric"]["concepts"][1]["aliases"] = ["Rain fed Agricultures"]
    with pytest.raises(PackError, match=r"duplicates 'rain-fed agriculture' of concepts\[0\]"):
        PromptSpec.from_dict(entry)


def test_pack_error_is_a_value_error():
    assert issubclass(PackError, ValueError)


def test_round_trip_is_lossless():
    entry = prompt_entry(model_answer="A model.", published=True)
    entry["rubric"]["weights"] = {"content": 0.7, "structure": 0.2, "readability": 0.1}
    entry["rubric"]["readability"] = {"flesch_kincaid_grade": [9, 14]}
    spec = PromptSpec.from_dict(entry)
    assert PromptSpec.from_dict(spec.to_dict()) == spec
    assert spec.to_dict()["rubric"]["readability"] == {"flesch_kincaid_grade": [9, 14]}
    assert spec.to_dict()["model_answer"] == "A model."


def test_to_dict_omits_only_optional_fields_that_were_absent():
    spec = PromptSpec.from_dict(prompt_entry())
    data = spec.to_dict()
    assert "weights" not in data["rubric"] and "model_answer" not in data
    assert spec.rubric.effective_weights == DEFAULT_WEIGHTS
    assert data["rubric"]["concepts"][1] == {
        "label": "Irrigation",
        "weight": 1,
        "aliases": ["irrigation", "micro irrigation"],
        "hint": "Mention irrigation as the buffer against a failed monsoon.",
        "required": True,
    }


def test_specs_are_frozen_and_hashable():
    spec = PromptSpec.from_dict(prompt_entry())
    with pytest.raises(AttributeError):
        spec.slug = "other"  # type: ignore[misc]
    assert hash(spec) == hash(PromptSpec.from_dict(prompt_entry()))


def test_content_hash_is_stable_and_tracks_what_changes_a_report():
    base = PromptSpec.from_dict(prompt_entry()).rubric
    digest = base.content_hash()
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest == PromptSpec.from_dict(prompt_entry()).rubric.content_hash()

    explicit_defaults = prompt_entry()
    explicit_defaults["rubric"]["weights"] = DEFAULT_WEIGHTS.to_dict()
    assert PromptSpec.from_dict(explicit_defaults).rubric.content_hash() == digest

    float_weight = prompt_entry()
    float_weight["rubric"]["concepts"][0]["weight"] = 2.0
    assert PromptSpec.from_dict(float_weight).rubric.content_hash() == digest

    for change in ("weight", "aliases", "hint", "order"):
        changed = copy.deepcopy(prompt_entry())
        concepts = changed["rubric"]["concepts"]
        if change == "weight":
            concepts[0]["weight"] = 3
        elif change == "aliases":
            concepts[0]["aliases"].append("dryland farming")
        elif change == "hint":
            concepts[0]["hint"] = "Another hint."
        else:
            concepts.reverse()
        assert PromptSpec.from_dict(changed).rubric.content_hash() != digest, change


def test_rubric_snapshot_round_trips_through_rubric_to_dict():
    spec = PromptSpec.from_dict(prompt_entry())
    entry = prompt_entry(rubric=spec.rubric.to_dict())
    assert PromptSpec.from_dict(entry).rubric == spec.rubric
