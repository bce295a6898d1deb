"""Finding a rubric's aliases in an answer, however the student spelled them.

Every word of every alias becomes a *lexeme*: the identity a text word must have to stand
for it. A text word has a lexeme when

- it is the same word once case and Unicode forms are folded ("INDO" = "Indo");
- it has the same snowball stem ("exchanges" = "exchange", "policies" = "policy");
- it is one slip of the pen away (one letter inserted, dropped, changed or two swapped:
  "logisitics", "Southren"), provided the alias word has at least six letters, the text
  word starts with the same letter and is not itself an English word (the CMU dictionary
  decides: "police" is never a slip for "policy");
- for abbreviations (AEP, NSP, ToT), it is written the same way in capitals, optionally with
  a plural "s"; short words and words with digits (K9, G20) must match exactly;
- two text words joined by a hyphen or one space make it together ("inter-operability"), or
  one text word makes two alias words together ("coproduction" = "co-production").

An alias of several words matches when its lexemes occur in order within one clause, with
at most MAX_GAP other words between two of them ("naval logistics support agreement" still
contains "logistics support agreement"; "logistics sharing pact" is found in "logistics and
sharing pact" but not across a comma).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from itertools import chain, compress, count
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .cmu import is_dictionary_word
from .document import Document
from .normalise import StemSet, WordMemo, is_joinable_gap, normalise_word, stem, tokenize

MAX_GAP = 2
FUZZY_MIN_ALIAS_LETTERS = 6
FUZZY_MIN_TEXT_LETTERS = 5
FUZZY_MAX_EDITS = 1


class UnitKind(enum.Enum):
    WORD = "word"  # stemmed, and fuzzy when long enough
    EXACT = "exact"  # short words and words with digits
    ABBREVIATION = "abbreviation"  # case-sensitive capitals


@dataclass(frozen=True, slots=True)
class AliasPattern:
    concept: int
    alias: str
    lexemes: tuple[str, ...]
    rest: tuple[str, ...]  # the lexemes after the first


class Match(NamedTuple):
    """One occurrence of an alias: the tokens that make its words, first to last."""

    concept: int
    alias: str
    token_indices: tuple[int, ...]

    @property
    def first(self) -> int:
        return self.token_indices[0]

    @property
    def last(self) -> int:
        return self.token_indices[-1]


def classify_unit(raw: str) -> tuple[UnitKind, str]:
    """The kind of an alias word and the form it is matched by."""
    norm = normalise_word(raw)
    letters = [c for c in raw if c.isalpha()]
    if any(c.isdigit() for c in raw):
        return UnitKind.EXACT, norm
    if len(letters) >= 2 and (raw.isupper() or any(c.isupper() for c in raw[1:])):
        return UnitKind.ABBREVIATION, raw.upper()
    if len(norm) <= 2:
        return UnitKind.EXACT, norm
    return UnitKind.WORD, norm


def lexeme_of(kind: UnitKind, form: str) -> str:
    if kind is UnitKind.WORD:
        return "w:" + stem(form)
    if kind is UnitKind.ABBREVIATION:
        return "a:" + form
    return "x:" + form


class Lexicon:
    """The vocabulary of one rubric, indexed for the ways a text word can match it."""

    def __init__(
        self, units: Iterable[tuple[UnitKind, str]], written: Iterable[tuple[UnitKind, str]]
    ) -> None:
        """``units``: every alias word, also run together; ``written``: as the author wrote them."""
        exact: dict[str, str] = {}
        stems: dict[str, str] = {}
        abbreviations: dict[str, str] = {}
        fuzzy: dict[str, set[str]] = {}
        self._fuzzy_lexeme: dict[str, str] = {}
        for kind, form in units:
            lexeme = lexeme_of(kind, form)
            if kind is UnitKind.ABBREVIATION:
                abbreviations[form] = lexeme
                continue
            exact[form] = lexeme
            if kind is UnitKind.WORD:
                stems[stem(form)] = lexeme
                if len(form) >= FUZZY_MIN_ALIAS_LETTERS and form.isalpha():
                    fuzzy.setdefault(form[0], set()).add(form)
                    self._fuzzy_lexeme[form] = lexeme
        self._exact = exact
        self._stems = StemSet(stems)
        # Per text word: its lexemes alone, and as the halves of a word written apart.
        self._word_memo = WordMemo(partial(self._lexemes, fuzzy=True))
        self._joined_memo = WordMemo(partial(self._lexemes, fuzzy=False))
        # Every beginning of an alias word as written, the whole word included: a text word
        # can only be the first half of a word written apart ("inter" of "inter-operability")
        # if it is a beginning short of the whole word, and the two halves together must begin
        # the word too.
        forms = [form for kind, form in written if kind is not UnitKind.ABBREVIATION]
        self.word_beginnings = frozenset(
            form[:end] for form in forms for end in range(1, len(form) + 1)
        )
        self.first_halves = frozenset(form[:end] for form in forms for end in range(1, len(form)))
        self._abbreviations = abbreviations
        # The normal forms of the words that may be an abbreviation of the rubric, as written.
        self.abbreviation_norms = frozenset(
            variant for form in abbreviations for variant in (form.lower(), form.lower() + "s")
        )
        self._fuzzy = {letter: sorted(forms) for letter, forms in fuzzy.items()}

    def may_match(self, norm: str) -> bool:
        """Whether a text word (normalised) may stand for an alias word or part of one.

        It may if it has lexemes, if it may be an abbreviation as written, or if it may be
        the first half of a word written apart.
        """
        return (
            bool(self.lexemes(norm)) or norm in self.abbreviation_norms or norm in self.first_halves
        )

    def lexemes(self, norm: str) -> tuple[str, ...]:
        """The lexemes of the rubric's words a text word (normalised) can stand for.

        Abbreviations are left to ``abbreviation``, which needs the word as written.
        """
        return self._word_memo[norm]

    def joined_lexemes(self, norm: str) -> tuple[str, ...]:
        """The lexemes two text words written apart can stand for together (no slips)."""
        return self._joined_memo[norm]

    def abbreviation(self, raw: str) -> str | None:
        """The lexeme of the abbreviation a word as written stands for, if any."""
        if raw.endswith("s") and raw[:-1].isupper():  # a plural: "NGOs"
            found = self._abbreviations.get(raw[:-1])
            if found:
                return found
        # All capitals ("NSP"), or capitals inside the word ("ToT"); never "Nsp" or "nsp",
        # so that an abbreviation like "IT" does not match the word "it".
        if raw.isupper() or any(c.isupper() for c in raw[1:]):
            return self._abbreviations.get(raw.upper())
        return None

    def _lexemes(self, norm: str, *, fuzzy: bool) -> tuple[str, ...]:
        lexeme = self._exact.get(norm) or self._stems.lookup(norm)
        if lexeme is None and fuzzy:
            lexeme = self._fuzzy_match(norm)
        return () if lexeme is None else (lexeme,)

    def _fuzzy_match(self, norm: str) -> str | None:
        if len(norm) < FUZZY_MIN_TEXT_LETTERS:
            return None
        candidates = self._fuzzy.get(norm[0])
        if not candidates or not norm.isalpha() or is_dictionary_word(norm):
            return None
        best = process.extractOne(
            norm, candidates, scorer=OSA.distance, score_cutoff=FUZZY_MAX_EDITS
        )
        return self._fuzzy_lexeme[best[0]] if best else None


class Matcher:
    """Finds every alias of a rubric in a document."""

    def __init__(self, aliases_by_concept: Iterable[Iterable[str]]) -> None:
        patterns: list[AliasPattern] = []
        units: list[tuple[UnitKind, str]] = []
        written: list[tuple[UnitKind, str]] = []
        for concept, aliases in enumerate(aliases_by_concept):
            seen: set[tuple[str, ...]] = set()
            for alias in aliases:
                variants = _variants(alias)
                written.extend(variants[0])
                for variant in variants:
                    units.extend(variant)
                    lexemes = tuple(lexeme_of(kind, form) for kind, form in variant)
                    if lexemes not in seen:
                        seen.add(lexemes)
                        patterns.append(AliasPattern(concept, alias, lexemes, lexemes[1:]))
        self.lexicon = Lexicon(units, written)
        self._by_first: dict[str, list[AliasPattern]] = {}
        for pattern in patterns:
            self._by_first.setdefault(pattern.lexemes[0], []).append(pattern)
        # The patterns that a token with these lexemes can open, filled in as tuples of
        # lexemes occur (a rubric allows only a few).
        self._opened_by: dict[tuple[str, ...], tuple[AliasPattern, ...]] = {}
        # Per text word: its lexemes, and the patterns it opens.
        self._entries = WordMemo(self._entry)

    def find(self, doc: Document, candidates: Iterable[int] | None = None) -> list[Match]:
        """All alias occurrences, in text order (then rubric order).

        ``candidates``: the tokens whose words ``may_match``, in order, if the caller has
        found them already (see CompiledPrompt.words); other tokens are never looked at.
        """
        if candidates is None:
            candidates = compress(count(), map(self.lexicon.may_match, doc.norms))
        single, joined, openings = self._read_tokens(doc, candidates)
        clause_of = doc.token_clause
        # A pattern can match only if the answer has all its lexemes somewhere.
        present = set(chain.from_iterable(chain(single.values(), joined.values())))
        matches: list[Match] = []
        seen: set[tuple[int, tuple[int, ...]]] = set()
        for index, width, patterns in openings:
            for pattern in patterns:
                if not present.issuperset(pattern.rest):
                    continue
                used = _extend(pattern, index, width, single, joined, clause_of)
                # Variants of one alias ("Act East" / "ActEast") can find the same words.
                if used is not None and (pattern.concept, used) not in seen:
                    seen.add((pattern.concept, used))
                    matches.append(Match(pattern.concept, pattern.alias, used))
        return matches

    def _entry(self, norm: str) -> tuple[tuple[str, ...], tuple[AliasPattern, ...]]:
        lexemes = self.lexicon.lexemes(norm)
        return lexemes, self._patterns_opened(lexemes)

    def _patterns_opened(self, lexemes: tuple[str, ...]) -> tuple[AliasPattern, ...]:
        """The patterns that a token with these lexemes can open."""
        patterns = self._opened_by.get(lexemes)
        if patterns is None:
            patterns = tuple(p for lexeme in lexemes for p in self._by_first.get(lexeme, ()))
            self._opened_by[lexemes] = patterns
        return patterns

    def _read_tokens(
        self, doc: Document, candidates: Iterable[int]
    ) -> tuple[
        dict[int, tuple[str, ...]],
        dict[int, tuple[str, ...]],
        list[tuple[int, int, tuple[AliasPattern, ...]]],
    ]:
        """The lexemes of the tokens that have any, and the places where patterns can start.

        Returns the lexemes by token, of the word alone and of the word joined with the next
        one, and (token, width, patterns) for each token that can open patterns, in text
        order: the width is 1 for the word alone and 2 for the word joined with the next.
        """
        text, norms = doc.text, doc.norms
        lexicon = self.lexicon
        entry_of, opened = self._entries.__getitem__, self._patterns_opened
        abbreviations, first_halves = lexicon.abbreviation_norms, lexicon.first_halves
        beginnings = lexicon.word_beginnings
        clause_of = doc.token_clause
        last = len(norms) - 1
        single: dict[int, tuple[str, ...]] = {}
        joined: dict[int, tuple[str, ...]] = {}
        openings = []
        for index in candidates:
            norm = norms[index]
            lexemes, patterns = entry_of(norm)
            if norm in abbreviations:
                abbreviation = lexicon.abbreviation(text[slice(*doc.span(index))])
                if abbreviation:
                    lexemes = (abbreviation, *lexemes)
                    patterns = opened(lexemes)
            if lexemes:
                single[index] = lexemes
                if patterns:
                    openings.append((index, 1, patterns))
            if index == last or norm not in first_halves:
                continue
            following = index + 1
            if (
                (norm + norms[following][:1]) in beginnings
                and clause_of[index] == clause_of[following]
                and is_joinable_gap(text[doc.span(index)[1] : doc.span(following)[0]])
            ):
                together = lexicon.joined_lexemes(norm + norms[following])
                if together:
                    joined[index] = together
                    if patterns := opened(together):
                        openings.append((index, 2, patterns))
        return single, joined, openings


def _extend(
    pattern: AliasPattern,
    first: int,
    width: int,
    single: dict[int, tuple[str, ...]],
    joined: dict[int, tuple[str, ...]],
    clause_of: tuple[int, ...],
) -> tuple[int, ...] | None:
    """The token indices of the pattern starting at ``first``, or None if it does not go on."""
    used = (first,) if width == 1 else (first, first + 1)
    clause = clause_of[first]
    size = len(clause_of)
    for lexeme in pattern.rest:
        position = used[-1] + 1
        for index in range(position, min(position + MAX_GAP + 1, size)):
            if clause_of[index] != clause:
                return None
            if lexeme in single.get(index, ()):
                used += (index,)
                break
            if joined and lexeme in joined.get(index, ()):  # words written apart are rare
                used += (index, index + 1)
                break
        else:
            return None
    return used


def _variants(alias: str) -> list[list[tuple[UnitKind, str]]]:
    """The alias as written, and with each pair of neighbouring words run together."""
    raws = [alias[t.start : t.end] for t in tokenize(alias)]
    variants = [[classify_unit(raw) for raw in raws]]
    for index in range(len(raws) - 1):
        merged = raws[:index] + [raws[index] + raws[index + 1]] + raws[index + 2 :]
        variants.append([classify_unit(raw) for raw in merged])
    return variants
