"""One analysed answer: its words placed in the layout's sentences and clauses.

Built once per score and shared by the content, structure and readability mechanisms, so
the text is tokenised and segmented once. Words are kept as parallel tuples (normal forms,
sentence and clause numbers) rather than one object each: an answer can run to thousands of
words, and the per-word work is then done by C-level builtins. The document itself is a named
tuple, which costs a fraction of a frozen dataclass to build.

Only the words inside clauses count (bullet numbers and other marks are left out). A word
never straddles the edge of a clause: clauses start after white space or a mark that is not
part of a word, and end before one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate, chain, repeat
from typing import NamedTuple

from .normalise import count_words, fold_ascii, token_arrays
from .segment import Layout, analyse_layout


class Document(NamedTuple):
    text: str
    layout: Layout
    # Per word:
    norms: tuple[str, ...]  # normalised form
    token_sentence: tuple[int, ...]  # index into layout.sentences
    token_clause: tuple[int, ...]  # index into layout.clause_starts
    # Per sentence and per clause: the range of its words, as (first, past-last).
    sentence_spans: tuple[tuple[int, int], ...]
    clause_spans: tuple[tuple[int, int], ...]
    word_count: int
    offsets: _KnownOffsets | _FoldedOffsets  # where the words are in the text: see ``span``

    @classmethod
    def from_text(cls, text: str) -> Document:
        layout = analyse_layout(text)
        offsets: _KnownOffsets | _FoldedOffsets | None
        if text.isascii():
            # The words of a clause are those of its stretch of the folded text.
            folded = fold_ascii(text)
            stretches = map(slice, layout.clause_starts, layout.clause_ends)
            clause_words = list(map(str.split, map(folded.__getitem__, stretches)))
            offsets = None  # found below, once the clauses' words are numbered
        else:
            clause_words, offsets = _unicode_clause_words(text, layout)
        sizes = list(map(len, clause_words))
        norms = tuple(chain.from_iterable(clause_words))
        clauses = tuple(chain.from_iterable(map(repeat, range(len(sizes)), sizes)))
        sentences = tuple(chain.from_iterable(map(repeat, layout.clause_sentence, sizes)))
        bounds = list(accumulate(sizes, initial=0))  # where each clause's words start
        clause_spans = tuple(zip(bounds[:-1], bounds[1:], strict=True))
        # A sentence's words run from its first clause's to its last clause's.
        sentence_count = len(layout.sentences)
        first_clauses = map(bisect_left, repeat(layout.clause_sentence), range(sentence_count + 1))
        sentence_bounds = list(map(bounds.__getitem__, first_clauses))
        sentence_spans = tuple(zip(sentence_bounds[:-1], sentence_bounds[1:], strict=True))
        if offsets is None:
            offsets = _FoldedOffsets(folded, layout, clause_spans, norms)
        return cls(
            text,
            layout,
            norms,
            sentences,
            clauses,
            sentence_spans,
            clause_spans,
            count_words(text),
            offsets,
        )

    def span(self, index: int) -> tuple[int, int]:
        """The offsets of a word in the text: (start, end)."""
        return self.offsets.stretch(index, index, self.token_clause[index])

    def stretch(self, first: int, last: int) -> tuple[int, int]:
        """The offsets of a run of words of one clause, from the first to the last."""
        return self.offsets.stretch(first, last, self.token_clause[first])

    def sentence_norms(self, sentence: int) -> tuple[str, ...]:
        first, stop = self.sentence_spans[sentence]
        return self.norms[first:stop]


class _KnownOffsets(NamedTuple):
    """The offsets of every word, as found by tokenising the whole text."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def stretch(self, first: int, last: int, clause: int) -> tuple[int, int]:
        return self.starts[first], self.ends[last]


class _FoldedOffsets:
    """The offsets of the words of ASCII text, found in the folded text when asked for.

    Tokenising the folded text clause by clause gives the words without their offsets, which
    saves working out thousands of them: a score asks where only a few words are (those of
    the rubric terms it shows as evidence).
    """

    __slots__ = ("_folded", "_clause_starts", "_clause_ends", "_clause_spans", "_norms")

    def __init__(
        self,
        folded: str,
        layout: Layout,
        clause_spans: tuple[tuple[int, int], ...],
        norms: tuple[str, ...],
    ) -> None:
        self._folded = folded
        self._clause_starts = layout.clause_starts
        self._clause_ends = layout.clause_ends
        self._clause_spans = clause_spans
        self._norms = norms

    def stretch(self, first: int, last: int, clause: int) -> tuple[int, int]:
        """From the start of word ``first`` to the end of word ``last``, both in ``clause``."""
        end = self._clause_ends[clause]
        words = self._folded[self._clause_starts[clause] : end]
        clause_first = self._clause_spans[clause][0]
        # Splitting off the words before word n leaves the rest of the clause from word n on.
        start = end - len(words.split(None, first - clause_first)[-1])
        if last == first:
            return start, start + len(self._norms[last])
        last_start = end - len(words.split(None, last - clause_first)[-1])
        return start, last_start + len(self._norms[last])


def _unicode_clause_words(text: str, layout: Layout) -> tuple[list[tuple[str, ...]], _KnownOffsets]:
    """The words of each clause, and the offsets of all of them, by the tokenising pattern."""
    starts, ends, norms = token_arrays(text)
    # The words of a clause are those starting at or after its start and ending at or before
    # its end. Words and clauses are both in text order and do not overlap, so those words
    # are the range between two bisections: two per clause, none per word.
    firsts = list(map(bisect_left, repeat(starts), layout.clause_starts))
    stops = list(map(max, map(bisect_right, repeat(ends), layout.clause_ends), firsts))
    ranges = list(map(slice, firsts, stops))
    clause_words = list(map(tuple(norms).__getitem__, ranges))
    kept_starts = tuple(chain.from_iterable(map(tuple(starts).__getitem__, ranges)))
    kept_ends = tuple(chain.from_iterable(map(tuple(ends).__getitem__, ranges)))
    return clause_words, _KnownOffsets(kept_starts, kept_ends)
