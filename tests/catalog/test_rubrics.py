"""Rubric versions follow the engine's content hash; engine messages are placed on fields."""

import pytest

from practice.catalog.packs import import_pack
from practice.catalog.rubrics import concept_problem, refresh_version
from practice.catalog.specs import prompt_spec
from practice.scoring import PackError, RubricSpec
from tests.conftest import SHIPPED_PACK

LABELS = ["Special Strategic Partnership", "Naval logistics pact", "K9 Vajra"]


@pytest.mark.django_db
def test_imported_rubrics_start_at_version_one_with_the_engines_hash(prompt):
    rubric = prompt.rubric
    assert rubric.version == 1
    assert rubric.content_hash == prompt_spec(prompt).rubric.content_hash()
    assert refresh_version(rubric) is False
    assert rubric.version == 1


@pytest.mark.django_db
def test_a_stored_change_bumps_the_version_once(prompt):
    rubric = prompt.rubric
    concept = rubric.concepts.first()
    concept.aliases += "\nanother way to say it"
    concept.save()
    assert refresh_version(rubric) is True
    assert refresh_version(rubric) is False
    rubric.refresh_from_db()
    assert rubric.version == 2
    assert rubric.content_hash == prompt_spec(prompt).rubric.content_hash()


@pytest.mark.django_db
def test_reimporting_a_changed_pack_bumps_only_the_changed_rubric(topic, tmp_path):
    import yaml

    data = yaml.safe_load(SHIPPED_PACK.read_text(encoding="utf-8"))
    data["prompts"][1]["rubric"]["concepts"][0]["hint"] = "A new hint."
    import_pack(data)
    versions = [p.rubric.version for p in topic.prompts.order_by("position")]
    assert versions == [1, 2] + [1] * (len(versions) - 2)


def problem_for(entry: dict, labels=LABELS):
    with pytest.raises(PackError) as caught:
        RubricSpec.from_dict(entry)
    return concept_problem(caught.value, labels)


def concept(label, weight=1, aliases=("x",)):
    return {"label": label, "weight": weight, "aliases": list(aliases)}


def test_a_duplicate_alias_lands_on_the_later_concept_and_names_the_earlier():
    problem = problem_for(
        {"concepts": [concept(LABELS[0], aliases=["SSP"]), concept(LABELS[1], aliases=["ssp"])]}
    )
    assert (problem.index, problem.field) == (1, "aliases")
    assert problem.message == (
        "'ssp' duplicates 'SSP' of “Special Strategic Partnership” once case, hyphens and "
        "endings are ignored."
    )


def test_a_duplicate_within_one_concept_says_this_concept():
    problem = problem_for({"concepts": [concept(LABELS[0], aliases=["pact", "pacts"])]})
    assert problem.index == 0
    assert "of this concept" in problem.message


def test_a_non_positive_weight_lands_on_the_weight():
    problem = problem_for({"concepts": [concept(LABELS[0]), concept(LABELS[1], weight=0)]})
    assert (problem.index, problem.field, problem.message) == (
        1,
        "weight",
        "Must be positive (got 0).",
    )


def test_an_empty_alias_list_lands_on_the_aliases():
    problem = problem_for({"concepts": [concept(LABELS[0], aliases=[])]})
    assert (problem.index, problem.field, problem.message) == (
        0,
        "aliases",
        "Give at least one alias.",
    )


def test_a_label_with_brackets_is_still_placed():
    labels = ["Act East (2014)"]
    problem = problem_for({"concepts": [concept(labels[0], weight=-1)]}, labels)
    assert (problem.index, problem.field) == (0, "weight")


def test_a_problem_with_the_whole_list_has_no_row():
    problem = problem_for({"concepts": []})
    assert (problem.index, problem.field) == (None, None)
    assert problem.message == "Must be a non-empty list."
