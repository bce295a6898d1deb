"""What the engine scores against: a prompt and its rubric, validated.

The dataclasses are frozen and hold only tuples, so a spec is hashable (the engine caches its
compiled form per spec) and safe to share between threads. ``from_dict`` accepts one prompt
entry of the pack format and raises ``PackError`` naming the offending field; ``to_dict``
writes the same format back, omitting only optional fields the input did not have, so that
``PromptSpec.from_dict(spec.to_dict()) == spec``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import fields
from .fields import PackError
from .normalise import stem, words_of

METRIC_NAMES: tuple[str, ...] = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
    "words_per_sentence",
    "difficult_words",
    "sentence_count",
)

_WEIGHT_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each component counts towards the total; they sum to 1."""

    content: float
    structure: float
    readability: float

    @classmethod
    def from_dict(cls, data: Any, where: str = "weights") -> Weights:
        mapping = fields.mapping(data, where)
        fields.no_unknown_keys(mapping, ("content", "structure", "readability"), where)
        values = {}
        for key in ("content", "structure", "readability"):
            if key not in mapping:
                raise PackError(f"{where}.{key}: is required when weights are given")
            value = fields.number(mapping[key], f"{where}.{key}")
            if not 0 <= value <= 1:
                raise PackError(f"{where}.{key}: must be between 0 and 1 (got {value:g})")
            values[key] = fields.tidy_number(value)
        total = sum(values.values())
        if abs(total - 1) > _WEIGHT_TOLERANCE:
            raise PackError(
                f"{where}: content, structure and readability must sum to 1 (got {total:g})"
            )
        return cls(**values)

    def to_dict(self) -> dict[str, float]:
        return {
            "content": self.content,
            "structure": self.structure,
            "readability": self.readability,
        }


DEFAULT_WEIGHTS = Weights(content=0.6, structure=0.25, readability=0.15)


@dataclass(frozen=True, slots=True)
class MetricRange:
    """A target range for one readability metric; values inside earn full credit."""

    metric: str
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class ReadabilityBand:
    """Target ranges for readability metrics, written in a pack as {metric: [low, high]}.

    Any metric of METRIC_NAMES may be given; each earns full credit inside its range and
    loses credit linearly outside it, reaching zero one range-width away.
    """

    ranges: tuple[MetricRange, ...]

    @classmethod
    def from_dict(cls, data: Any, where: str = "readability") -> ReadabilityBand:
        mapping = fields.mapping(data, where)
        if not mapping:
            raise PackError(
                f"{where}: give at least one metric range, e.g. {{flesch_kincaid_grade: [9, 14]}}"
            )
        ranges = []
        for metric, bounds in mapping.items():
            field = f"{where}.{metric}"
            if metric not in METRIC_NAMES:
                raise PackError(f"{field}: unknown metric; use one of {', '.join(METRIC_NAMES)}")
            if not isinstance(bounds, list | tuple) or len(bounds) != 2:
                raise PackError(f"{field}: must be a list of two numbers [low, high]")
            low = fields.number(bounds[0], f"{field}[0]")
            high = fields.number(bounds[1], f"{field}[1]")
            if low > high:
                raise PackError(f"{field}: low ({low:g}) is above high ({high:g})")
            ranges.append(MetricRange(metric, fields.tidy_number(low), fields.tidy_number(high)))
        return cls(tuple(ranges))

    def to_dict(self) -> dict[str, list[float]]:
        return {r.metric: [r.low, r.high] for r in self.ranges}


# Answers to Mains questions are written for an educated reader: a Flesch-Kincaid grade of
# 9 to 14 is clear but not simplistic, and 12 to 25 words a sentence is what examiners find
# easy to follow without the answer turning into a telegram.
DEFAULT_BAND = ReadabilityBand(
    (MetricRange("flesch_kincaid_grade", 9, 14), MetricRange("words_per_sentence", 12, 25))
)


@dataclass(frozen=True, slots=True)
class ConceptSpec:
    """One point the examiner looks for, credited when any of its aliases occurs."""

    label: str
    weight: float
    aliases: tuple[str, ...]
    hint: str = ""
    required: bool = False

    @classmethod
    def from_dict(cls, data: Any, where: str = "concept") -> ConceptSpec:
        mapping = fields.mapping(data, where)
        fields.no_unknown_keys(mapping, ("label", "weight", "aliases", "hint", "required"), where)
        label = fields.line(mapping.get("label"), f"{where}.label")
        where = f"{where} ({label})"
        weight = fields.number(fields.required(mapping, "weight", where), f"{where}.weight")
        if weight <= 0:
            raise PackError(f"{where}.weight: must be positive (got {weight:g})")
        raw_aliases = fields.required(mapping, "aliases", where)
        if isinstance(raw_aliases, str) or not isinstance(raw_aliases, list | tuple):
            raise PackError(f"{where}.aliases: must be a list of strings")
        if not raw_aliases:
            raise PackError(f"{where}.aliases: give at least one alias")
        aliases = tuple(
            fields.alias(alias, f"{where}.aliases[{i}]") for i, alias in enumerate(raw_aliases)
        )
        hint = mapping.get("hint", "")
        if hint is None:
            hint = ""
        if not isinstance(hint, str):
            raise PackError(f"{where}.hint: must be a string")
        required = mapping.get("required", False)
        if not isinstance(required, bool):
            raise PackError(f"{where}.required: must be true or false")
        return cls(
            label=label,
            weight=fields.tidy_number(weight),
            aliases=aliases,
            hint=hint.strip(),
            required=required,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "weight": self.weight,
            "aliases": list(self.aliases),
            "hint": self.hint,
            "required": self.required,
        }


@dataclass(frozen=True, slots=True)
class RubricSpec:
    concepts: tuple[ConceptSpec, ...]
    weights: Weights | None = None  # None: DEFAULT_WEIGHTS
    readability: ReadabilityBand | None = None  # None: DEFAULT_BAND

    @property
    def effective_weights(self) -> Weights:
        return self.weights or DEFAULT_WEIGHTS

    @property
    def effective_band(self) -> ReadabilityBand:
        return self.readability or DEFAULT_BAND

    @classmethod
    def from_dict(cls, data: Any, where: str = "rubric") -> RubricSpec:
        mapping = fields.mapping(data, where)
        fields.no_unknown_keys(mapping, ("weights", "readability", "concepts"), where)
        weights = None
        if mapping.get("weights") is not None:
            weights = Weights.from_dict(mapping["weights"], f"{where}.weights")
        band = None
        if mapping.get("readability") is not None:
            band = ReadabilityBand.from_dict(mapping["readability"], f"{where}.readability")
        raw_concepts = fields.required(mapping, "concepts", where)
        if not isinstance(raw_concepts, list | tuple) or not raw_concepts:
            raise PackError(f"{where}.concepts: must be a non-empty list")
        concepts = tuple(
            ConceptSpec.from_dict(item, f"{where}.concepts[{i}]")
            for i, item in enumerate(raw_concepts)
        )
        _check_unique(concepts, where)
        return cls(concepts=concepts, weights=weights, readability=band)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.weights is not None:
            data["weights"] = self.weights.to_dict()
        if self.readability is not None:
            data["readability"] = self.readability.to_dict()
        data["concepts"] = [concept.to_dict() for concept in self.concepts]
        return data

    def content_hash(self) -> str:
        """A stable sha256 of everything in the rubric that can change a report.

        Defaults are written out, so a rubric that relies on them and one that states them
        hash alike, and a change of default shows up as a change of hash. Numbers are written
        as floats so that a weight of 2 and of 2.0 hash alike.
        """
        return _content_hash(self)

    def canonical_dict(self) -> dict[str, Any]:
        """The rubric with defaults filled in and numbers as floats: what content_hash hashes."""
        return {
            "weights": {k: float(v) for k, v in self.effective_weights.to_dict().items()},
            "readability": {
                r.metric: [float(r.low), float(r.high)] for r in self.effective_band.ranges
            },
            "concepts": [
                {
                    "label": c.label,
                    "weight": float(c.weight),
                    "aliases": list(c.aliases),
                    "hint": c.hint,
                    "required": c.required,
                }
                for c in self.concepts
            ],
        }


@lru_cache(maxsize=256)
def _content_hash(rubric: RubricSpec) -> str:
    # Cached: the engine stamps every report with it.
    payload = json.dumps(
        rubric.canonical_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PromptSpec:
    slug: str
    question: str
    directive: str
    word_limit: int
    marks: int
    minutes: int
    rubric: RubricSpec
    model_answer: str | None = None
    published: bool | None = None

    _FIELDS = (
        "slug",
        "question",
        "directive",
        "word_limit",
        "marks",
        "minutes",
        "model_answer",
        "published",
        "rubric",
    )

    @classmethod
    def from_dict(cls, data: Any, where: str = "") -> PromptSpec:
        mapping = fields.mapping(data, where or "prompt")
        prefix = f"{where}." if where else ""
        fields.no_unknown_keys(mapping, cls._FIELDS, where or "prompt")
        slug = fields.slug(mapping.get("slug"), f"{prefix}slug")
        model_answer = mapping.get("model_answer")
        if model_answer is not None and not isinstance(model_answer, str):
            raise PackError(f"{prefix}model_answer: must be a string")
        published = mapping.get("published")
        if published is not None and not isinstance(published, bool):
            raise PackError(f"{prefix}published: must be true or false")
        return cls(
            slug=slug,
            question=fields.text(mapping.get("question"), f"{prefix}question"),
            directive=fields.text(mapping.get("directive"), f"{prefix}directive"),
            word_limit=fields.positive_int(mapping.get("word_limit"), f"{prefix}word_limit"),
            marks=fields.positive_int(mapping.get("marks"), f"{prefix}marks"),
            minutes=fields.positive_int(mapping.get("minutes"), f"{prefix}minutes"),
            rubric=RubricSpec.from_dict(
                fields.required(mapping, "rubric", where), f"{prefix}rubric"
            ),
            model_answer=model_answer,
            published=published,
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "slug": self.slug,
            "question": self.question,
            "directive": self.directive,
            "word_limit": self.word_limit,
            "marks": self.marks,
            "minutes": self.minutes,
        }
        if self.model_answer is not None:
            data["model_answer"] = self.model_answer
        if self.published is not None:
            data["published"] = self.published
        data["rubric"] = self.rubric.to_dict()
        return data


def alias_key(alias: str) -> str:
    """Two aliases with the same key match the same text ("Act-East" and "act east")."""
    return "".join(stem(word) for word in words_of(alias))


def _check_unique(concepts: tuple[ConceptSpec, ...], where: str) -> None:
    labels: dict[str, int] = {}
    owners: dict[str, tuple[int, str]] = {}
    for index, concept in enumerate(concepts):
        label_key = concept.label.casefold()
        if label_key in labels:
            raise PackError(
                f"{where}.concepts[{index}].label: {concept.label!r} "
                f"repeats concepts[{labels[label_key]}]"
            )
        labels[label_key] = index
        for alias in concept.aliases:
            key = alias_key(alias)
            if key in owners:
                other_index, other_alias = owners[key]
                raise PackError(
                    f"{where}.concepts[{index}] ({concept.label}).aliases: {alias!r} duplicates "
                    f"{other_alias!r} of concepts[{other_index}] "
                    "once case, hyphens and endings are ignored"
                )
            owners[key] = (index, alias)
