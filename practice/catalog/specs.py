"""Conversion between catalog models and the scoring engine's specs.

The engine never sees a model and the models never score: this module is the only bridge.
"""

from practice.scoring import PromptSpec

from .models import Concept, Prompt, Rubric


def rubric_entry(rubric: Rubric, concepts: list[Concept] | None = None) -> dict:
    """The rubric in the pack format, from the stored rows (or from `concepts` if given)."""
    rows = list(rubric.concepts.all()) if concepts is None else concepts
    entry: dict = {}
    if rubric.weights:
        entry["weights"] = rubric.weights
    if rubric.readability_band:
        entry["readability"] = rubric.readability_band
    entry["concepts"] = [
        {
            "label": concept.label,
            "weight": concept.weight,
            "aliases": concept.alias_list,
            "hint": concept.hint,
            "required": concept.required,
        }
        for concept in rows
    ]
    return entry


def prompt_entry(prompt: Prompt, rubric_override: dict | None = None) -> dict:
    """One prompt in the pack format; `rubric_override` replaces the stored rubric (previews)."""
    entry = {
        "slug": prompt.slug,
        "question": prompt.question,
        "directive": prompt.directive,
        "word_limit": prompt.word_limit,
        "marks": prompt.marks,
        "minutes": prompt.minutes,
    }
    if prompt.model_answer:
        entry["model_answer"] = prompt.model_answer
    if not prompt.published:
        entry["published"] = False
    entry["rubric"] = (
        rubric_override if rubric_override is not None else rubric_entry(prompt.rubric)
    )
    return entry


def prompt_spec(prompt: Prompt, rubric_override: dict | None = None) -> PromptSpec:
    return PromptSpec.from_dict(prompt_entry(prompt, rubric_override))
