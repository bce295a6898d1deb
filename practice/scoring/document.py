"""One analysed answer: its words placed in the layout's sentences and clauses.

Built once per score and shared by the content, structure and readability mechanisms, so
the text is tokenised and segmented once. Words are kept as parallel tuples (offsets, normal
forms, sentence and clause numbers) rather than one object each: an answer can run to
thousands of words, and the per-word work is then done by C-level builtins.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import repeat
from operator import le

from .normalise import count_words, token_arrays
from .segment import Layout, analyse_layout


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    layout: Layout
    # Per word, for the words inside sentences (bullet numbers and other marks are left out):
    starts: tuple[int, ...]  # offset of the word in the text
    ends: tuple[int, ...]
    norms: tuple[str, ...]  # normalised form
    token_sentence: tuple[int, ...]  # index into layout.sentences
    token_clause: tuple[int, ...]  # index into layout.clause_starts
    # Per sentence and per clause: the range of its words, as (first, past-last).
    sentence_spans: tuple[tuple[int, int], ...]
    clause_spans: tuple[tuple[int, int], ...]
    word_count: int

    @classmethod
    def from_text(cls, text: str) -> Document:
        layout = analyse_layout(text)
        starts, ends, norms = token_arrays(text)
        clause_starts, clause_ends = layout.clause_starts, layout.clause_ends
        # The clause of a word is the last one starting at or before it.
        positions = list(map(bisect_right, repeat(clause_starts), starts))
        clauses = [position - 1 for position in positions]
        limits = list(map(clause_ends.__getitem__, clauses))
        if positions and (positions[0] == 0 or not all(map(le, ends, limits))):
            keep = [i for i, c in enumerate(clauses) if c >= 0 and ends[i] <= limits[i]]
            starts, ends, norms, clauses = (
                [values[i] for i in keep] for values in (starts, ends, norms, clauses)
            )
        sentences = list(map(layout.clause_sentence.__getitem__, clauses))
        return cls(
            text=text,
            layout=layout,
            starts=tuple(starts),
            ends=tuple(ends),
            norms=tuple(norms),
            token_sentence=tuple(sentences),
            token_clause=tuple(clauses),
            sentence_spans=_spans(sentences, len(layout.sentences)),
            clause_spans=_spans(clauses, len(clause_starts)),
            word_count=count_words(text),
        )

    def sentence_norms(self, sentence: int) -> tuple[str, ...]:
        first, stop = self.sentence_spans[sentence]
        return self.norms[first:stop]


def _spans(owners: list[int], count: int) -> tuple[tuple[int, int], ...]:
    """For each of ``count`` owners, the range of positions holding it (owners is sorted)."""
    bounds = list(map(bisect_left, repeat(owners), range(count + 1)))
    return tuple(zip(bounds[:-1], bounds[1:], strict=True))
