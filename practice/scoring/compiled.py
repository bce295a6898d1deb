"""A prompt prepared for scoring: alias matcher, question profile, directive family.

Compiling stems every alias and question word, so it is done once per distinct spec (specs
are frozen and hashable) and reused for every answer to that prompt.

A compiled prompt also keeps a code per word (``CompiledPrompt.words``): a byte of flags
saying what the word can be to this prompt (a function word, a form of a subject word, part
of a rubric term, a marker of what the directive asks for). An answer's words are looked up
there once, in one C-level pass; each mechanism then finds the few words it cares about with
bytes operations, rather than testing every word against sets and memos of its own.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from itertools import compress, count

from .lexicon import (
    BALANCE_DIRECTIVES,
    CONTRAST_PHRASES,
    CONTRAST_WORDS,
    DIMENSION_DIRECTIVES,
    DIMENSION_FAMILIES,
    LIMITATION_STEMS,
    REASON_PHRASES,
    REASON_WORDS,
    STANCE_PHRASES,
    STANCE_WORDS,
    STOP_WORDS,
    TASK_WORDS,
    VIEW_DIRECTIVES,
)
from .matching import Matcher
from .normalise import StemSet, WordCodes, stem, words_of
from .report import ConceptResult
from .spec import PromptSpec

# Eight running words of the question in an answer are copying, not naming: the names a
# good answer must repeat ("South Korea's New Southern Policy") run to five or six words.
COPY_NGRAM = 8


class DirectiveFamily(enum.Enum):
    BALANCE = "balance"  # critically analyse, examine, evaluate: both sides
    DIMENSIONS = "dimensions"  # discuss, explain, elucidate: several dimensions
    VIEW = "view"  # comment, justify: a reasoned view
    GENERAL = "general"  # anything else: several distinct points


@dataclass(frozen=True, slots=True)
class QuestionProfile:
    ngrams: frozenset[tuple[str, ...]]  # every run of COPY_NGRAM words of the question
    ngram_openers: frozenset[str]  # the words those runs start with
    ngram_seconds: frozenset[str]  # the words that come second in them
    # The question's subject words (not function or task words), by stem, so that an answer
    # writing "empowered" uses the question's "empowerment".
    subjects: StemSet
    subject_count: int

    def subject_words(self, vocabulary: Iterable[str]) -> dict[str, str]:
        """The words of ``vocabulary`` that are forms of a subject word, mapped to its stem."""
        return {word: self.subjects.lookup(word) for word in self.subjects.members(vocabulary)}


# Compared and hashed by identity (eq=False): there is one per distinct spec, and other
# memos are keyed by it.
@dataclass(frozen=True, slots=True, eq=False)
class CompiledPrompt:
    spec: PromptSpec
    matcher: Matcher
    question: QuestionProfile
    directive: DirectiveFamily
    directive_text: str
    rubric_hash: str  # the rubric's content_hash, stamped on every report
    words: WordCodes  # per normalised word, its flags (FUNCTION_WORD, SUBJECT_WORD, ...)
    # The result of each concept in an answer that does not make it (results are immutable,
    # so every such answer can share them).
    unmatched: tuple[ConceptResult, ...]


@lru_cache(maxsize=256)
def compile_prompt(spec: PromptSpec) -> CompiledPrompt:
    matcher = Matcher(concept.aliases for concept in spec.rubric.concepts)
    question = profile_question(spec.question, spec.directive)
    directive = directive_family(spec.directive)
    return CompiledPrompt(
        spec=spec,
        matcher=matcher,
        question=question,
        directive=directive,
        directive_text=" ".join(words_of(spec.directive)),
        rubric_hash=spec.rubric.content_hash(),
        words=WordCodes(partial(_word_flags, matcher, question, _MARKERS[directive])),
        unmatched=tuple(
            ConceptResult(c.label, c.weight, c.required, False, 0.0, (), c.hint)
            for c in spec.rubric.concepts
        ),
    )


def profile_question(question: str, directive: str) -> QuestionProfile:
    words = words_of(question)
    ngrams = frozenset(tuple(words[i : i + COPY_NGRAM]) for i in range(len(words) - COPY_NGRAM + 1))
    ignored = STOP_WORDS | TASK_WORDS | set(words_of(directive))
    stems = {stem(w) for w in words if w not in ignored and len(w) > 1}
    return QuestionProfile(
        ngrams=ngrams,
        ngram_openers=frozenset(g[0] for g in ngrams),
        ngram_seconds=frozenset(g[1] for g in ngrams),
        subjects=StemSet({item: item for item in stems}),
        subject_count=len(stems),
    )


def directive_family(directive: str) -> DirectiveFamily:
    text = " ".join(words_of(directive))
    # Longest names first, so "critically comment" is not read as "comment" of another family.
    families = [(name, DirectiveFamily.BALANCE) for name in BALANCE_DIRECTIVES]
    families += [(name, DirectiveFamily.DIMENSIONS) for name in DIMENSION_DIRECTIVES]
    families += [(name, DirectiveFamily.VIEW) for name in VIEW_DIRECTIVES]
    for name, family in sorted(families, key=lambda item: -len(item[0])):
        if text == name or text.startswith(name + " "):
            return family
    return DirectiveFamily.GENERAL


# The flags of a word's code (see CompiledPrompt.words).
FUNCTION_WORD = 1  # one of STOP_WORDS
SUBJECT_WORD = 2  # a form of one of the question's subject words
RUBRIC_WORD = 4  # may stand for (part of) a word of an alias: see Lexicon.may_match
COPY_OPENER = 8  # the first word of a run of COPY_NGRAM words of the question
# Markers of what the directive asks for (see structure.py). A prompt needs the markers of
# its directive's family only, so the families share the same flags.
CONTRAST_WORD = STANCE_WORD = DIMENSION_WORD = 16
LIMITATION_WORD = REASON_WORD = 32
PHRASE_OPENER = 64  # the first word of a contrast phrase, or of a stance or reason phrase
COPY_SECOND = 128  # the second word of a run of COPY_NGRAM words of the question

# Stems (snowball) of the words that name a limitation, and of the words of each dimension.
LIMITATIONS = StemSet({item: item for item in LIMITATION_STEMS})
DIMENSIONS = StemSet(
    {item: family for family, stems in DIMENSION_FAMILIES.items() for item in stems}
)
_CONTRAST_OPENERS = frozenset(phrase[0] for phrase in CONTRAST_PHRASES)
_VIEW_OPENERS = frozenset(phrase[0] for phrase in STANCE_PHRASES + REASON_PHRASES)


def _balance_markers(word: str) -> int:
    return (
        (CONTRAST_WORD if word in CONTRAST_WORDS else 0)
        | (LIMITATION_WORD if word in LIMITATIONS else 0)
        | (PHRASE_OPENER if word in _CONTRAST_OPENERS else 0)
    )


def _view_markers(word: str) -> int:
    return (
        (STANCE_WORD if word in STANCE_WORDS else 0)
        | (REASON_WORD if word in REASON_WORDS else 0)
        | (PHRASE_OPENER if word in _VIEW_OPENERS else 0)
    )


def _dimension_markers(word: str) -> int:
    return DIMENSION_WORD if word in DIMENSIONS else 0


_MARKERS = {
    DirectiveFamily.BALANCE: _balance_markers,
    DirectiveFamily.VIEW: _view_markers,
    DirectiveFamily.DIMENSIONS: _dimension_markers,
    DirectiveFamily.GENERAL: _dimension_markers,
}


def _word_flags(
    matcher: Matcher, question: QuestionProfile, markers: Callable[[str], int], word: str
) -> int:
    return (
        (FUNCTION_WORD if word in STOP_WORDS else 0)
        | (SUBJECT_WORD if word in question.subjects else 0)
        | (RUBRIC_WORD if matcher.lexicon.may_match(word) else 0)
        | (COPY_OPENER if word in question.ngram_openers else 0)
        | (COPY_SECOND if word in question.ngram_seconds else 0)
        | markers(word)
    )


def flagged(codes: bytes, flag: int) -> Iterator[int]:
    """The positions of the codes that have ``flag``, in order."""
    return compress(count(), codes.translate(_flag_table(flag)))


def with_flag(codes: bytes, flag: int) -> bytes:
    """For each code, 1 if it has ``flag`` (any of them, for several), else 0."""
    return codes.translate(_flag_table(flag))


@cache
def _flag_table(flag: int) -> bytes:
    """A table for bytes.translate: 1 for a code with ``flag``, 0 for any other."""
    return bytes(1 if code & flag else 0 for code in range(256))
