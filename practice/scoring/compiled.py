"""A prompt prepared for scoring: alias matcher, question profile, directive family.

Compiling stems every alias and question word, so it is done once per distinct spec (specs
are frozen and hashable) and reused for every answer to that prompt.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import (
    BALANCE_DIRECTIVES,
    DIMENSION_DIRECTIVES,
    STOP_WORDS,
    TASK_WORDS,
    VIEW_DIRECTIVES,
)
from .matching import Matcher
from .normalise import StemSet, stem, words_of
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
    # The question's subject words (not function or task words), by stem, so that an answer
    # writing "empowered" uses the question's "empowerment".
    subjects: StemSet
    subject_count: int

    def subject_words(self, vocabulary: Iterable[str]) -> dict[str, str]:
        """The words of ``vocabulary`` that are forms of a subject word, mapped to its stem."""
        return {word: self.subjects.lookup(word) for word in self.subjects.members(vocabulary)}


@dataclass(frozen=True, slots=True)
class CompiledPrompt:
    spec: PromptSpec
    matcher: Matcher
    question: QuestionProfile
    directive: DirectiveFamily
    directive_text: str


@lru_cache(maxsize=256)
def compile_prompt(spec: PromptSpec) -> CompiledPrompt:
    return CompiledPrompt(
        spec=spec,
        matcher=Matcher(concept.aliases for concept in spec.rubric.concepts),
        question=profile_question(spec.question, spec.directive),
        directive=directive_family(spec.directive),
        directive_text=" ".join(words_of(spec.directive)),
    )


def profile_question(question: str, directive: str) -> QuestionProfile:
    words = words_of(question)
    ngrams = frozenset(tuple(words[i : i + COPY_NGRAM]) for i in range(len(words) - COPY_NGRAM + 1))
    ignored = STOP_WORDS | TASK_WORDS | set(words_of(directive))
    stems = {stem(w) for w in words if w not in ignored and len(w) > 1}
    return QuestionProfile(
        ngrams=ngrams,
        ngram_openers=frozenset(g[0] for g in ngrams),
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
