"""Import and export of prompt packs (the YAML format of the design page).

Validation is the engine's (`practice.scoring.load_pack`), so a pack that imports is a pack
the engine can score, and the CLI and the server agree on what a valid pack is.
"""

from dataclasses import dataclass

import yaml
from django.db import transaction

from practice.scoring import PromptSpec, load_pack

from .models import Concept, Prompt, Rubric, Topic
from .rubrics import refresh_version
from .specs import prompt_entry


@dataclass(frozen=True)
class ImportResult:
    topic: Topic
    created: list[str]
    updated: list[str]


@transaction.atomic
def import_pack(source) -> ImportResult:
    """Create or update the topic and its prompts by slug. `source` is a path, text or dict.

    Raises practice.scoring.PackError (with a one-line message) before writing anything.
    """
    topic_data, specs = load_pack(source)
    topic, _ = Topic.objects.update_or_create(
        slug=topic_data["slug"],
        defaults={"title": topic_data["title"], "summary": topic_data.get("summary", "")},
    )
    created, updated = [], []
    for position, spec in enumerate(specs):
        prompt, was_created = _save_prompt(topic, spec, position)
        (created if was_created else updated).append(prompt.slug)
    return ImportResult(topic=topic, created=created, updated=updated)


def _save_prompt(topic: Topic, spec: PromptSpec, position: int) -> tuple[Prompt, bool]:
    prompt, created = Prompt.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "topic": topic,
            "question": spec.question,
            "directive": spec.directive,
            "word_limit": spec.word_limit,
            "marks": spec.marks,
            "minutes": spec.minutes,
            "model_answer": spec.model_answer or "",
            "published": spec.published is not False,
            "position": position,
        },
    )
    save_rubric(prompt, spec)
    return prompt, created


def save_rubric(prompt: Prompt, spec: PromptSpec) -> Rubric:
    """Store `spec.rubric` as the prompt's rubric, bumping the version when its content changed."""
    rubric, created = Rubric.objects.get_or_create(prompt=prompt)
    if not created and rubric.content_hash == spec.rubric.content_hash():
        return rubric
    rubric.weights = spec.rubric.weights.to_dict() if spec.rubric.weights else None
    rubric.readability_band = spec.rubric.readability.to_dict() if spec.rubric.readability else None
    rubric.save(update_fields=["weights", "readability_band", "updated_at"])
    rubric.concepts.all().delete()
    Concept.objects.bulk_create(
        Concept(
            rubric=rubric,
            label=concept.label,
            weight=concept.weight,
            aliases="\n".join(concept.aliases),
            hint=concept.hint,
            required=concept.required,
            position=position,
        )
        for position, concept in enumerate(spec.rubric.concepts)
    )
    # The version follows the hash of the rows as stored, as it does after an edit in the admin.
    refresh_version(rubric)
    return rubric


def export_pack(topic: Topic) -> dict:
    prompts = topic.prompts.select_related("rubric").prefetch_related("rubric__concepts")
    topic_entry = {"slug": topic.slug, "title": topic.title}
    if topic.summary:
        topic_entry["summary"] = topic.summary
    return {
        "topic": topic_entry,
        "prompts": [PromptSpec.from_dict(prompt_entry(prompt)).to_dict() for prompt in prompts],
    }


def dump_yaml(pack: dict) -> str:
    return yaml.dump(pack, Dumper=_PackDumper, sort_keys=False, allow_unicode=True, width=100)


class _PackDumper(yaml.SafeDumper):
    """Writes multi-line strings (model answers) as readable block scalars."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PackDumper.add_representer(str, _represent_str)
