"""score(text, spec): the three components, the relevance that binds them, and the total.

    total = marks x (w_content x C + w_structure x S x relevance + w_readability x R x relevance)

rounded to the nearest half mark. Structure and readability count only in proportion to the
answer's relevance: a well-shaped, readable essay on another subject, or the question copied
back, has earned nothing an examiner would mark. Relevance comes from the content score and
from how many of the question's subject words the answer uses in its own writing.
"""

from __future__ import annotations

import math

from .compiled import CompiledPrompt, compile_prompt
from .content import ContentAssessment, assess_content
from .document import Document
from .normalise import WORD_RE
from .readability import assess_readability
from .report import (
    ContentComponent,
    Note,
    Priority,
    ReadabilityComponent,
    Report,
    StructureComponent,
    ordered_lines,
)
from .spec import PromptSpec
from .structure import assess_structure

ENGINE_VERSION = "1.0.0"

# An answer that earns this share of the rubric is plainly answering the question.
CONTENT_FOR_FULL_RELEVANCE = 0.4
# Using the question's subject words without making any of its points earns at most this
# much relevance, reached when half of those words are used.
SUBJECT_RELEVANCE_CAP = 0.5
SUBJECT_SHARE_FOR_CAP = 0.5
# Below this relevance the student is told plainly that the answer misses the question.
OFF_TOPIC_RELEVANCE = 0.35


class EmptyAnswerError(ValueError):
    """The answer has no words to score."""


def score(text: str, spec: PromptSpec) -> Report:
    """Score one answer against one prompt. The same input always gives the same report."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if not WORD_RE.search(text):
        raise EmptyAnswerError(
            "the answer is empty" if not text.strip() else "the answer has no words"
        )
    prompt = compile_prompt(spec)
    doc = Document.from_text(text)
    words = prompt.words.of(doc.norms)
    content = assess_content(doc, prompt, words)
    structure = assess_structure(doc, prompt, words)
    readability = assess_readability(doc, spec.rubric.effective_band)
    relevance = _relevance(content)
    weights = spec.rubric.effective_weights
    structure_score = structure.score * relevance
    readability_score = readability.score * relevance
    fraction = (
        weights.content * content.score
        + weights.structure * structure_score
        + weights.readability * readability_score
    )
    notes = [
        *content.notes,
        *structure.notes,
        *readability.notes,
        *_relevance_notes(prompt, relevance),
    ]
    return Report(
        prompt=spec.slug,
        total=_half_marks(fraction * spec.marks, spec.marks),
        max_marks=spec.marks,
        word_count=doc.word_count,
        relevance=relevance,
        content=ContentComponent(content.score, weights.content, ordered_lines(content.notes)),
        structure=StructureComponent(
            structure_score,
            weights.structure,
            ordered_lines(structure.notes),
            structure.score,
            structure.checks,
        ),
        readability=ReadabilityComponent(
            readability_score,
            weights.readability,
            ordered_lines(readability.notes),
            readability.score,
            readability.metrics,
            readability.band,
        ),
        concepts=content.concepts,
        feedback=ordered_lines(notes),
        engine_version=ENGINE_VERSION,
        rubric_hash=prompt.rubric_hash,
    )


def _relevance(content: ContentAssessment) -> float:
    from_content = content.score / CONTENT_FOR_FULL_RELEVANCE
    from_subject = SUBJECT_RELEVANCE_CAP * min(1.0, content.subject_share / SUBJECT_SHARE_FOR_CAP)
    return min(1.0, from_content + from_subject)


def _relevance_notes(prompt: CompiledPrompt, relevance: float) -> list[Note]:
    if relevance >= OFF_TOPIC_RELEVANCE:
        return []
    return [
        Note(
            Priority.RELEVANCE,
            -1,
            "Your answer does not address this question, so its structure and style earn little; "
            "re-read the question and build your answer on its key points.",
        )
    ]


def _half_marks(marks: float, maximum: int) -> float:
    # Round half up (not to even), so that 7.25 is 7.5 on every platform.
    rounded = math.floor(marks * 2 + 0.5) / 2
    return min(float(maximum), max(0.0, rounded))
