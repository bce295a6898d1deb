"""Content: which of the rubric's concepts the answer makes, and how well it makes them.

A concept is *matched* when one of its aliases occurs (see matching.py). How much it is
*credited* depends on where it occurs, because an examiner rewards a point that is made, not
a keyword that is dropped:

- Each mention is judged by the clause and the sentence around it. A word of the student's
  own counts 1, a function word or a word of the question counts 1/2, and rubric terms and
  text copied from the question count 0. A window whose words are at least half the
  student's own (FULL_CONTEXT_SHARE) gives full credit; less gives proportionally less. A
  sentence with no content word of the student's own (a bare list of terms, the question
  restated) gives nothing.
- A mention inside a stretch copied from the question (COPY_NGRAM running words) gives
  nothing.
- A concept earns the credit of its best mention: repeating it earns nothing more.
- Mentions past READING_LIMIT times the word limit earn nothing: no examiner reads that far.
- A required concept that earns nothing caps the content score at REQUIRED_CAP.

Stuffing is handled by the first rule rather than by a penalty on the density of rubric
terms in the whole answer: a global penalty would let one listed sentence lower the credit
of points properly made elsewhere.

Everything here is local to a sentence, so adding a sentence can never lower the credit of
what is already written (tests/scoring/test_properties.py holds the engine to that).
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter, itemgetter, mul
from typing import NamedTuple

from .compiled import (
    COPY_NGRAM,
    COPY_OPENER,
    COPY_SECOND,
    FUNCTION_WORD,
    RUBRIC_WORD,
    SUBJECT_WORD,
    CompiledPrompt,
    QuestionProfile,
    flagged,
    with_flag,
)
from .document import Document
from .matching import Match
from .normalise import WORD_RE
from .report import ConceptResult, Evidence, Note, Priority
from .spec import ConceptSpec

FULL_CONTEXT_SHARE = 0.5
GLUE_WEIGHT = 0.5  # function words and words echoed from the question
# A required concept that the answer does not make caps the content score: whatever else
# it says, such an answer has missed what the question is about.
REQUIRED_CAP = 0.5
# Below this credit a matched concept is reported as named but not explained.
EXPLAINED_CREDIT = 0.5
# When at least this many concepts are only named, one line about listing replaces the lines
# about each of them.
LISTING_CONCEPTS = 3
# Share of the answer's words copied from the question above which the student is told so.
COPY_WARNING_SHARE = 0.3
# Points made beyond this many times the word limit are not read, so earn nothing.
READING_LIMIT = 2

_PIECE_RE = re.compile(r"\S+")


class ContentAssessment(NamedTuple):
    score: float
    concepts: tuple[ConceptResult, ...]
    notes: tuple[Note, ...]
    copied_share: float  # of the answer's words, those copied from the question
    subject_share: float  # of the question's subject words, those the answer uses itself


def assess_content(doc: Document, prompt: CompiledPrompt, words: bytes) -> ContentAssessment:
    """``words``: the code of each word of the document (see CompiledPrompt.words)."""
    matches = prompt.matcher.find(doc, flagged(words, RUBRIC_WORD))
    copied = _copied_mask(doc, prompt.question, words)
    windows = _Windows(doc, prompt.question, words, _borrowed_mask(copied, matches), copied)
    read_until = reading_limit(doc, READING_LIMIT * prompt.spec.word_limit)
    qualities = list(map(windows.mention_quality, matches))
    if read_until < len(doc.text):
        qualities = [
            quality if doc.span(match.token_indices[0])[0] < read_until else 0.0
            for match, quality in zip(matches, qualities, strict=True)
        ]
    concepts = _concept_results(doc, prompt, matches, qualities)
    weights = list(map(attrgetter("weight"), concepts))
    score = sum(map(mul, weights, map(attrgetter("credit"), concepts))) / sum(weights)
    if any(c.required and c.credit == 0 for c in concepts):
        score = min(score, REQUIRED_CAP)
    copied_share = copied.count(1) / len(copied) if copied else 0.0
    subject_share = len(windows.subjects_used) / max(1, prompt.question.subject_count)
    notes = _notes(concepts, copied_share, _missing_notes(prompt))
    if read_until < len(doc.text):
        notes += (_unread_note(prompt.spec.word_limit),)
    return ContentAssessment(score, concepts, notes, copied_share, subject_share)


def reading_limit(doc: Document, words: float) -> int:
    """The offset where the examiner stops reading: the end of the first ``words`` words."""
    text = doc.text
    if doc.word_count <= words:
        return len(text)
    counted = 0
    for match in _PIECE_RE.finditer(text):
        counted += WORD_RE.search(match.group()) is not None  # as count_words counts
        if counted >= words:
            return match.end()
    return len(text)


def _unread_note(word_limit: int) -> Note:
    return Note(
        Priority.OVER_LIMIT,
        1,
        f"Points made after the first {READING_LIMIT * word_limit:.0f} words earn nothing; an "
        "examiner stops reading well before twice the limit.",
    )


# What each word of a window counts for: the student's own word (1), a function word or a word
# of the question (GLUE_WEIGHT), or nothing, when it is borrowed: a rubric term or copied text.
_OWN, _GLUE, _BORROWED = 0, 1, 2  # a borrowed glue word is _GLUE | _BORROWED


def _borrowed_mask(copied: bytearray, matches: list[Match]) -> bytes:
    """_BORROWED for the words copied from the question and the words of rubric terms."""
    mask = bytearray(copied.replace(b"\x01", bytes((_BORROWED,))))
    for match in matches:
        for index in match.token_indices:
            mask[index] = _BORROWED
    return mask


def _copied_mask(doc: Document, question: QuestionProfile, words: bytes) -> bytearray:
    """Tokens inside a run of COPY_NGRAM or more words that also runs in the question.

    Runs are looked for within a sentence, so a sentence added to an answer never changes
    what counts as copied in the others.
    """
    mask = bytearray(len(doc.norms))
    norms, ngrams, spans = doc.norms, question.ngrams, doc.sentence_spans
    # A run can start only at an opener followed by a second word of a run.
    seconds = with_flag(words[1:], COPY_SECOND)
    for start in flagged(words, COPY_OPENER):
        stop = start + COPY_NGRAM
        if (
            seconds[start : start + 1] == b"\x01"
            and stop <= spans[doc.token_sentence[start]][1]
            and norms[start:stop] in ngrams
        ):
            mask[start:stop] = b"\x01" * COPY_NGRAM
    return mask


class _Windows:
    """How much of each clause and sentence is the student's own writing."""

    def __init__(
        self,
        doc: Document,
        question: QuestionProfile,
        words: bytes,
        borrowed: bytes,
        copied: bytes,
    ) -> None:
        self.doc = doc
        self.copied = copied
        self.any_copied = 1 in copied
        # One code per word (see _OWN), by bytes operations: an answer has thousands of words.
        glue = with_flag(words, FUNCTION_WORD | SUBJECT_WORD)  # 1, that is _GLUE, or 0
        self.codes = codes = _bitwise_or(glue, borrowed)
        self.subjects_used = {
            question.subjects.lookup(doc.norms[index])
            for index in flagged(words, SUBJECT_WORD)
            if codes[index] < _BORROWED
        }
        # Shares are worked out for the sentences and clauses with a mention only, once each.
        self._sentence_shares: dict[int, float | None] = {}
        self._clause_shares: dict[int, float] = {}

    def mention_quality(self, match: Match) -> float:
        indices = match.token_indices
        if self.any_copied and any(map(self.copied.__getitem__, indices)):
            return 0.0
        sentence = self._sentence_share(self.doc.token_sentence[indices[0]])
        if sentence is None:
            return 0.0
        return 0.5 * self._clause_share(self.doc.token_clause[indices[0]]) + 0.5 * sentence

    def _sentence_share(self, sentence: int) -> float | None:
        """_share of a sentence; None when it has no word of the student's own (a list of
        terms, or the question restated)."""
        if sentence not in self._sentence_shares:
            first, stop = self.doc.sentence_spans[sentence]
            codes = self.codes[first:stop]
            self._sentence_shares[sentence] = _share(codes) if _OWN in codes else None
        return self._sentence_shares[sentence]

    def _clause_share(self, clause: int) -> float:
        if clause not in self._clause_shares:
            first, stop = self.doc.clause_spans[clause]
            self._clause_shares[clause] = _share(self.codes[first:stop])
        return self._clause_shares[clause]


def _bitwise_or(a: bytes, b: bytes) -> bytes:
    """``a | b``, byte by byte, for two strings of the same length (at C speed, as integers)."""
    return (int.from_bytes(a) | int.from_bytes(b)).to_bytes(len(a))


def _share(codes: bytes) -> float:
    """How far a window is the student's own writing, as a share of FULL_CONTEXT_SHARE."""
    if not codes:
        return 0.0
    own = codes.count(_OWN) + GLUE_WEIGHT * codes.count(_GLUE)
    return min(1.0, own / len(codes) / FULL_CONTEXT_SHARE)


def _concept_results(
    doc: Document, prompt: CompiledPrompt, matches: list[Match], qualities: list[float]
) -> tuple[ConceptResult, ...]:
    spans: dict[int, list[tuple[int, int, float]]] = {}
    for match, quality in zip(matches, qualities, strict=True):
        indices = match.token_indices
        start, end = doc.stretch(indices[0], indices[-1])  # a match lies in one clause
        spans.setdefault(match.concept, []).append((start, end, quality))
    # Most concepts of a rubric are not in a given answer: those keep their unmatched result.
    results = list(prompt.unmatched)
    for index, concept_spans in spans.items():
        results[index] = _concept_result(
            doc.text, prompt.spec.rubric.concepts[index], concept_spans
        )
    return tuple(results)


def _concept_result(
    text: str, concept: ConceptSpec, spans: list[tuple[int, int, float]]
) -> ConceptResult:
    merged = _merge(spans)
    evidence = tuple(
        [Evidence(start, end, text[start:end], credit) for start, end, credit in merged]
    )
    # Positional arguments: a keyword call costs a third more, for every concept of every score.
    return ConceptResult(
        concept.label,
        concept.weight,
        concept.required,
        True,
        max(map(itemgetter(2), merged)),
        evidence,
        concept.hint,
    )


def _merge(spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Sorted spans with overlaps joined; a joined span keeps the best credit."""
    merged: list[tuple[int, int, float]] = []
    for start, end, credit in sorted(spans):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_credit = merged[-1]
            merged[-1] = (last_start, max(last_end, end), max(last_credit, credit))
        else:
            merged.append((start, end, credit))
    return merged


@lru_cache(maxsize=256)
def _missing_notes(prompt: CompiledPrompt) -> tuple[Note, ...]:
    """For each concept of the prompt, the note for an answer that does not make it."""
    notes = []
    for index, concept in enumerate(prompt.spec.rubric.concepts):
        if concept.required:
            text = f"{concept.label} is essential to this question. {_hint(concept)}"
            notes.append(Note(Priority.REQUIRED, index, text))
        else:
            notes.append(Note(Priority.MISSING, -concept.weight, _hint(concept)))
    return tuple(notes)


def _notes(
    concepts: tuple[ConceptResult, ...], copied_share: float, missing: tuple[Note, ...]
) -> tuple[Note, ...]:
    notes = []
    if copied_share >= COPY_WARNING_SHARE:
        notes.append(
            Note(
                Priority.RELEVANCE,
                0,
                "Much of your answer repeats the question; "
                "marks come only from what you add to it.",
            )
        )
    notes += [note for concept, note in zip(concepts, missing, strict=True) if not concept.matched]
    named_only = [c for c in concepts if c.matched and c.credit < EXPLAINED_CREDIT]
    if len(named_only) >= LISTING_CONCEPTS:
        labels = ", ".join(c.label for c in named_only)
        notes.append(
            Note(
                Priority.UNEXPLAINED,
                0,
                f"{len(named_only)} key points ({labels}) appear only as bare terms or a list; "
                "an examiner credits a point when a sentence explains it.",
            )
        )
    else:
        for concept in named_only:
            notes.append(
                Note(
                    Priority.UNEXPLAINED,
                    -concept.weight,
                    f"You name {concept.label} but do not explain it; use it in a sentence "
                    "that says what it is or why it matters.",
                )
            )
    made = sum(1 for c in concepts if c.credit >= EXPLAINED_CREDIT)
    notes.append(
        Note(
            Priority.SUMMARY,
            0,
            f"You make {made} of the {len(concepts)} key points the examiner looks for.",
        )
    )
    return tuple(notes)


def _hint(concept: ConceptSpec) -> str:
    if concept.hint:
        return concept.hint if concept.hint[-1] in ".!?" else concept.hint + "."
    return f"Add a point on {concept.label}."
