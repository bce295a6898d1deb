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
from dataclasses import dataclass
from itertools import compress
from operator import not_, or_

from .compiled import COPY_NGRAM, CompiledPrompt, QuestionProfile
from .document import Document
from .lexicon import STOP_WORDS
from .matching import Match
from .normalise import WORD_RE
from .report import ConceptResult, Evidence, Note, Priority

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


@dataclass(frozen=True, slots=True)
class ContentAssessment:
    score: float
    concepts: tuple[ConceptResult, ...]
    notes: tuple[Note, ...]
    copied_share: float  # of the answer's words, those copied from the question
    subject_share: float  # of the question's subject words, those the answer uses itself


def assess_content(doc: Document, prompt: CompiledPrompt) -> ContentAssessment:
    matches = prompt.matcher.find(doc)
    rubric = _rubric_mask(len(doc.norms), matches)
    copied = _copied_mask(doc, prompt.question)
    windows = _Windows(doc, prompt.question, rubric, copied)
    read_until = reading_limit(doc, READING_LIMIT * prompt.spec.word_limit)
    qualities = [
        windows.mention_quality(match) if doc.starts[match.first] < read_until else 0.0
        for match in matches
    ]
    concepts = _concept_results(doc, prompt, matches, qualities)
    total_weight = sum(c.weight for c in concepts)
    score = sum(c.weight * c.credit for c in concepts) / total_weight
    if any(c.required and c.credit == 0 for c in concepts):
        score = min(score, REQUIRED_CAP)
    copied_share = sum(copied) / len(copied) if copied else 0.0
    subject_share = len(windows.subjects_used) / max(1, prompt.question.subject_count)
    notes = _notes(concepts, copied_share)
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


def _rubric_mask(count: int, matches: list[Match]) -> bytearray:
    mask = bytearray(count)
    for match in matches:
        for index in match.token_indices:
            mask[index] = 1
    return mask


def _copied_mask(doc: Document, question: QuestionProfile) -> bytearray:
    """Tokens inside a run of COPY_NGRAM or more words that also runs in the question.

    Runs are looked for within a sentence, so a sentence added to an answer never changes
    what counts as copied in the others.
    """
    mask = bytearray(len(doc.norms))
    norms, ngrams, spans = doc.norms, question.ngrams, doc.sentence_spans
    openers = question.ngram_openers
    for start in [i for i, norm in enumerate(norms) if norm in openers]:
        stop = start + COPY_NGRAM
        if stop <= spans[doc.token_sentence[start]][1] and norms[start:stop] in ngrams:
            mask[start:stop] = b"\x01" * COPY_NGRAM
    return mask


class _Windows:
    """How much of each clause and sentence is the student's own writing."""

    def __init__(self, doc: Document, question: QuestionProfile, rubric: bytes, copied: bytes):
        self.doc = doc
        self.copied = copied
        borrowed = bytes(map(or_, rubric, copied))  # rubric terms and copied text are not own
        norms = doc.norms
        subject_words = question.subject_words(set(norms))
        glue = STOP_WORDS.union(subject_words)
        weights = [
            0.0 if taken else GLUE_WEIGHT if norm in glue else 1.0
            for norm, taken in zip(norms, borrowed, strict=True)
        ]
        self.clause_own = [sum(weights[a:b]) for a, b in doc.clause_spans]
        self.clause_size = [b - a for a, b in doc.clause_spans]
        self.sentence_own = [sum(weights[a:b]) for a, b in doc.sentence_spans]
        self.sentence_size = [b - a for a, b in doc.sentence_spans]
        self.sentence_content = [weights[a:b].count(1.0) for a, b in doc.sentence_spans]
        own_words = set(compress(norms, map(not_, borrowed)))
        self.subjects_used = {subject_words[w] for w in own_words if w in subject_words}

    def mention_quality(self, match: Match) -> float:
        if any(map(self.copied.__getitem__, match.token_indices)):
            return 0.0
        sentence = self.doc.token_sentence[match.first]
        if self.sentence_content[sentence] == 0:
            return 0.0
        clause = self.doc.token_clause[match.first]
        clause_share = _share(self.clause_own[clause], self.clause_size[clause])
        sentence_share = _share(self.sentence_own[sentence], self.sentence_size[sentence])
        return 0.5 * clause_share + 0.5 * sentence_share


def _share(own: float, size: int) -> float:
    return min(1.0, own / size / FULL_CONTEXT_SHARE) if size else 0.0


def _concept_results(
    doc: Document, prompt: CompiledPrompt, matches: list[Match], qualities: list[float]
) -> tuple[ConceptResult, ...]:
    spans: list[list[tuple[int, int, float]]] = [[] for _ in prompt.spec.rubric.concepts]
    for match, quality in zip(matches, qualities, strict=True):
        start, end = doc.starts[match.first], doc.ends[match.last]
        spans[match.concept].append((start, end, quality))
    results = []
    for concept, concept_spans in zip(prompt.spec.rubric.concepts, spans, strict=True):
        evidence = tuple(
            Evidence(start, end, doc.text[start:end], credit)
            for start, end, credit in _merge(concept_spans)
        )
        results.append(
            ConceptResult(
                label=concept.label,
                weight=concept.weight,
                required=concept.required,
                matched=bool(evidence),
                credit=max((e.credit for e in evidence), default=0.0),
                evidence=evidence,
                hint=concept.hint,
            )
        )
    return tuple(results)


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


def _notes(concepts: tuple[ConceptResult, ...], copied_share: float) -> tuple[Note, ...]:
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
    for index, concept in enumerate(concepts):
        if concept.matched:
            continue
        if concept.required:
            text = f"{concept.label} is essential to this question. {_hint(concept)}"
            notes.append(Note(Priority.REQUIRED, index, text))
        else:
            notes.append(Note(Priority.MISSING, -concept.weight, _hint(concept)))
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


def _hint(concept: ConceptResult) -> str:
    if concept.hint:
        return concept.hint if concept.hint[-1] in ".!?" else concept.hint + "."
    return f"Add a point on {concept.label}."
