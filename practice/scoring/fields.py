"""Readers for the fields of a pack: each checks one value and names it in its PackError."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from .normalise import words_of

SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")


class PackError(ValueError):
    """A prompt pack, prompt entry or rubric is invalid. The message names the field."""


def mapping(data: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise PackError(f"{where}: must be a mapping (got {type_name(data)})")
    for key in data:
        if not isinstance(key, str):
            raise PackError(f"{where}: keys must be strings (got {key!r})")
    return data


def no_unknown_keys(mapping: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(mapping) - set(allowed))
    if unknown:
        raise PackError(f"{where}: unknown field {unknown[0]!r}; expected {', '.join(allowed)}")


def required(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if mapping.get(key) is None:
        raise PackError(f"{where}.{key}: is required" if where else f"{key}: is required")
    return mapping[key]


def slug(value: Any, field: str) -> str:
    text_value = text(value, field)
    if not SLUG_RE.fullmatch(text_value):
        raise PackError(
            f"{field}: {text_value!r} may hold only letters, digits, hyphens and underscores"
        )
    return text_value


def text(value: Any, field: str) -> str:
    if value is None:
        raise PackError(f"{field}: is required")
    if not isinstance(value, str):
        raise PackError(f"{field}: must be a string (got {type_name(value)})")
    if not value.strip():
        raise PackError(f"{field}: must not be empty")
    return value.strip()


def line(value: Any, field: str) -> str:
    """`text` on one line: no line breaks, tabs or other control characters. A concept's label
    is shown in tables and headings, and the application joins stored labels with a control
    character."""
    value = text(value, field)
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise PackError(f"{field}: must be one line, without tabs or other control characters")
    return value


def alias(value: Any, field: str) -> str:
    if not isinstance(value, str):
        hint = "; quote it in YAML" if isinstance(value, bool | int | float) else ""
        raise PackError(f"{field}: must be a string (got {type_name(value)}{hint})")
    alias = " ".join(value.split())
    if not alias:
        raise PackError(f"{field}: must not be empty")
    if not words_of(alias):
        raise PackError(f"{field}: {value!r} has no letters or digits to match")
    return alias


def number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PackError(f"{field}: must be a number (got {type_name(value)})")
    if not math.isfinite(value):
        raise PackError(f"{field}: must be a finite number")
    return value


def positive_int(value: Any, field: str) -> int:
    if value is None:
        raise PackError(f"{field}: is required")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise PackError(f"{field}: must be a positive whole number (got {value!r})")
    return value


def tidy_number(value: float) -> float:
    """2.0 -> 2, so that an export writes numbers the way an author would."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def type_name(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__
