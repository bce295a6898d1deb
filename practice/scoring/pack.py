"""Prompt packs: a topic and its prompts, read from YAML or JSON and validated as a whole.

The import and export commands and the command-line scorer all read packs through
``load_pack``, so a pack is valid in one place or nowhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from . import fields
from .fields import PackError
from .spec import PromptSpec

_SLUG_FIELDS = ("slug", "title", "summary")


def load_pack(
    data_or_path: Mapping[str, Any] | str | os.PathLike[str],
) -> tuple[dict[str, Any], list[PromptSpec]]:
    """Validate a pack and return (topic, prompts).

    ``data_or_path`` is either the parsed pack (a mapping) or the path of a YAML or JSON file
    (JSON is read by the YAML parser, of which it is a subset). The topic comes back as a plain
    dict {slug, title[, summary]}. Raises PackError with a one-line message that names the
    file, the prompt (index and slug) and the field.
    """
    if not isinstance(data_or_path, str | os.PathLike):
        return _validate(data_or_path)
    path = Path(data_or_path)
    data = _read(path)
    try:
        return _validate(data)
    except PackError as error:
        raise PackError(f"{path}: {error}") from None


def _read(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PackError(f"cannot read pack {path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PackError(f"{path}: is not UTF-8 text") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise PackError(f"{path}: invalid YAML{where}: {problem}") from None


def _validate(data: Any) -> tuple[dict[str, Any], list[PromptSpec]]:
    pack = fields.mapping(data, "pack")
    fields.no_unknown_keys(pack, ("topic", "prompts"), "pack")
    topic = _topic(pack.get("topic"))
    raw_prompts = pack.get("prompts")
    if not isinstance(raw_prompts, list) or not raw_prompts:
        raise PackError("prompts: must be a non-empty list")
    prompts: list[PromptSpec] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw_prompts):
        label = _prompt_label(index, entry)
        try:
            prompt = PromptSpec.from_dict(entry)
        except PackError as error:
            raise PackError(f"{label}: {error}") from None
        if prompt.slug in seen:
            raise PackError(f"{label}: slug repeats prompts[{seen[prompt.slug]}]")
        seen[prompt.slug] = index
        prompts.append(prompt)
    return topic, prompts


def _topic(data: Any) -> dict[str, Any]:
    if data is None:
        raise PackError("topic: is required")
    topic = fields.mapping(data, "topic")
    fields.no_unknown_keys(topic, _SLUG_FIELDS, "topic")
    result = {
        "slug": fields.slug(topic.get("slug"), "topic.slug"),
        "title": fields.text(topic.get("title"), "topic.title"),
    }
    summary = topic.get("summary")
    if summary is not None:
        if not isinstance(summary, str):
            raise PackError("topic.summary: must be a string")
        result["summary"] = summary.strip()
    return result


def _prompt_label(index: int, entry: Any) -> str:
    slug = entry.get("slug") if isinstance(entry, Mapping) else None
    return (
        f"prompts[{index}] ({slug})"
        if isinstance(slug, str) and slug.strip()
        else f"prompts[{index}]"
    )
