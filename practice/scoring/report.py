"""The report: typed results for Python callers, ``to_dict()`` for JSON and storage.

Numbers are rounded only in ``to_dict`` (scores to 4 places, metrics to 2), so the stored
JSON is stable and readable while Python callers keep full precision.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple


class Priority(enum.IntEnum):
    """Order of feedback lines: what costs the most marks, or blocks the most, comes first."""

    RELEVANCE = 0  # off the question, or the question copied back
    REQUIRED = 1  # an essential concept is missing
    OVER_LIMIT = 2  # far past the word limit
    MISSING = 3  # a concept is missing (heavier first)
    DIRECTIVE = 4  # the answer does not do what the directive asks
    UNEXPLAINED = 5  # a concept is named but not explained
    LAYOUT = 6  # introduction, body, conclusion
    UNDER_LIMIT = 7  # well short of the word limit
    READABILITY = 8
    SUMMARY = 9


class Note(NamedTuple):
    """A feedback line with its place in the order: by priority, then by ``order``."""

    priority: Priority
    order: float
    text: str


def ordered_lines(notes: list[Note] | tuple[Note, ...]) -> tuple[str, ...]:
    # The sort is stable, so notes of equal priority and order keep the order they came in.
    return tuple(map(itemgetter(2), sorted(notes, key=itemgetter(0, 1))))


@dataclass(frozen=True, slots=True)
class Evidence:
    start: int
    end: int
    text: str
    credit: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "credit": _score(self.credit),
        }


@dataclass(frozen=True, slots=True)
class ConceptResult:
    label: str
    weight: float
    required: bool
    matched: bool
    credit: float
    evidence: tuple[Evidence, ...]
    hint: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "weight": self.weight,
            "required": self.required,
            "matched": self.matched,
            "credit": _score(self.credit),
            "evidence": [e.to_dict() for e in self.evidence],
            "hint": self.hint,
        }


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    passed: bool
    detail: str
    credit: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "passed": self.passed,
            "detail": self.detail,
            "credit": _score(self.credit),
        }


@dataclass(frozen=True, slots=True)
class Metrics:
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    smog_index: float
    coleman_liau_index: float
    automated_readability_index: float
    dale_chall_readability_score: float
    words_per_sentence: float
    difficult_words: int
    sentence_count: int

    def value(self, name: str) -> float:
        return getattr(self, name)

    def to_dict(self) -> dict[str, float | int]:
        return {
            name: (value if isinstance(value, int) else round(value, 2))
            for name, value in (
                (field, getattr(self, field)) for field in self.__dataclass_fields__
            )
        }


@dataclass(frozen=True, slots=True)
class BandResult:
    metric: str
    low: float
    high: float
    value: float
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": [self.low, self.high],
            "value": round(self.value, 2),
            "score": _score(self.score),
        }


@dataclass(frozen=True, slots=True)
class ContentComponent:
    score: float
    weight: float
    feedback: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"score": _score(self.score), "weight": self.weight, "feedback": list(self.feedback)}


@dataclass(frozen=True, slots=True)
class StructureComponent:
    """``score`` is what counts towards the total: ``quality`` scaled by the answer's relevance."""

    score: float
    weight: float
    feedback: tuple[str, ...]
    quality: float
    checks: tuple[Check, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": _score(self.score),
            "weight": self.weight,
            "quality": _score(self.quality),
            "feedback": list(self.feedback),
            "checks": [check.to_dict() for check in self.checks],
        }


@dataclass(frozen=True, slots=True)
class ReadabilityComponent:
    """``score`` is what counts towards the total: ``quality`` scaled by the answer's relevance."""

    score: float
    weight: float
    feedback: tuple[str, ...]
    quality: float
    metrics: Metrics
    band: tuple[BandResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": _score(self.score),
            "weight": self.weight,
            "quality": _score(self.quality),
            "feedback": list(self.feedback),
            "metrics": self.metrics.to_dict(),
            "band": {result.metric: result.to_dict() for result in self.band},
        }


@dataclass(frozen=True, slots=True)
class Report:
    prompt: str
    total: float
    max_marks: int
    word_count: int
    relevance: float
    content: ContentComponent
    structure: StructureComponent
    readability: ReadabilityComponent
    concepts: tuple[ConceptResult, ...]
    feedback: tuple[str, ...]
    engine_version: str
    rubric_hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "total": self.total,
            "max_marks": self.max_marks,
            "word_count": self.word_count,
            "relevance": _score(self.relevance),
            "components": {
                "content": self.content.to_dict(),
                "structure": self.structure.to_dict(),
                "readability": self.readability.to_dict(),
            },
            "concepts": [concept.to_dict() for concept in self.concepts],
            "feedback": list(self.feedback),
            "engine_version": self.engine_version,
            "rubric_hash": self.rubric_hash,
        }


def _score(value: float) -> float:
    return round(value, 4)
