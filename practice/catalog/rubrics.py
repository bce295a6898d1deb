"""Rubric versions and the engine's rubric validation, put in terms an editor understands.

A rubric's version counts the changes of its content hash, and the hash is always the engine's
(`RubricSpec.content_hash()` of the rows as stored), so the admin, pack imports and the scores
they produce agree on what "the same rubric" means.
"""

import re
from dataclasses import dataclass

from django.db import transaction

from practice.scoring import PackError

from .models import Rubric
from .specs import prompt_spec, rubric_entry


def refresh_version(rubric: Rubric) -> bool:
    """Recompute the rubric's hash from its stored rows; bump the version if it changed.

    Returns True when the content changed. A rubric's first hash is version 1, not a change.
    The row is locked while it is compared, so two editors saving at once get two versions.
    """
    with transaction.atomic():
        stored = Rubric.objects.select_for_update().select_related("prompt").get(pk=rubric.pk)
        new_hash = prompt_spec(stored.prompt, rubric_entry(stored)).rubric.content_hash()
        changed = new_hash != stored.content_hash
        if changed:
            if stored.content_hash:
                stored.version += 1
            stored.content_hash = new_hash
            stored.save(update_fields=["version", "content_hash", "updated_at"])
    rubric.version, rubric.content_hash = stored.version, stored.content_hash
    return changed


@dataclass(frozen=True)
class ConceptProblem:
    """An engine complaint about one concept of a rubric, or about the concepts as a whole."""

    index: int | None  # position in the list given to the engine; None: the whole list
    field: str | None  # label, weight, aliases, hint or required
    message: str


_CONCEPT_AT = re.compile(r"^(?:rubric\.)?concepts\[(\d+)\]")
_FIELD = re.compile(r"^\.(label|weight|aliases|hint|required)(?:\[\d+\])?: ")
_OTHER_CONCEPT = re.compile(r"concepts\[(\d+)\]")


def concept_problem(error: PackError, labels: list[str]) -> ConceptProblem:
    """Place the engine's message on a concept and field, naming other concepts by label.

    The engine writes e.g. "rubric.concepts[2] (K9 Vajra).aliases: 'Vajra' duplicates 'vajra'
    of concepts[0] once case, hyphens and endings are ignored"; an editor sees the message next
    to the aliases of the third row, with "concepts[0]" replaced by that concept's label.
    """
    text = str(error)
    located = _CONCEPT_AT.match(text)
    if located is None:
        _, _, rest = text.partition(": ")
        return ConceptProblem(None, None, _sentence(rest or text))
    index = int(located.group(1))
    rest = text[located.end() :]
    if index < len(labels) and rest.startswith(f" ({labels[index]})"):
        rest = rest[len(labels[index]) + 3 :]
    field_match = _FIELD.match(rest)
    if field_match is None:
        _, _, rest = rest.partition(": ")
        return ConceptProblem(index, None, _sentence(_name_concepts(rest, labels, index)))
    message = _name_concepts(rest[field_match.end() :], labels, index)
    return ConceptProblem(index, field_match.group(1), _sentence(message))


def _name_concepts(message: str, labels: list[str], own_index: int) -> str:
    def label_of(match: re.Match) -> str:
        other = int(match.group(1))
        if other == own_index:
            return "this concept"
        return f"“{labels[other]}”" if other < len(labels) else match.group(0)

    return _OTHER_CONCEPT.sub(label_of, message)


def _sentence(message: str) -> str:
    message = message.strip()
    if not message:
        return "This rubric is not valid."
    message = message[0].upper() + message[1:]
    return message if message.endswith(".") else message + "."
