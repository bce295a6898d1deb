"""textstat's ten readability metrics for one text, counted in one pass.

textstat computes each metric from scratch: its word-level work (stripping punctuation from a
word, looking its syllables up in the CMU dictionary, checking the easy-word list) runs again
for every metric that needs it, and its memos hold only 128 entries, fewer than the distinct
words of one answer. That work was most of the cost of a score.

Here textstat still does every count: its own word list, sentence count, letter and character
counts for the text, and its own syllable count and difficult-word test for each word. The
per-word answers are kept across answers (a subject's answers share most of their words), and
the ten formulas are textstat's, applied once to the shared counts. tests/scoring/
test_textmetrics.py checks that every value equals what textstat's own functions return, on
the calibration answers and on generated text, so a textstat upgrade that changes a formula
fails there rather than drifting silently.
"""

from __future__ import annotations

from typing import NamedTuple

from .cmu import install_into_textstat
from .normalise import WordMemo
from .report import Metrics

LANG = "en_US"


class _Word(NamedTuple):
    """What the metrics need to know of one word, as textstat judges it."""

    syllables: int
    difficult: bool  # not on the Dale-Chall easy list, whatever its length (Dale-Chall)
    difficult_2: bool  # ... and of two syllables or more (the difficult-word count)
    difficult_fog: bool  # ... and of the language's threshold or more (Gunning fog)


def measure(text: str) -> Metrics:
    """textstat's metrics for a text (already segmented into sentences), in English."""
    # Imported here: textstat imports nltk, which takes most of a second, and a process that
    # only validates packs (the import command, the CLI on bad input) never needs it.
    from textstat.backend.counts import count_chars, count_letters, count_sentences, count_words
    from textstat.backend.selections import list_words
    from textstat.backend.utils import get_lang_cfg

    install_into_textstat()
    words = list_words(text)
    judged = list(map(_words.__getitem__, words))
    word_count = len(words)
    sentence_count = count_sentences(text)
    syllables = sum(word.syllables for word in judged)
    polysyllables = sum(word.syllables >= 3 for word in judged)
    difficult = sum(word.difficult for word in judged)
    difficult_fog = sum(word.difficult_fog for word in judged)
    distinct_difficult = len({w for w, j in zip(words, judged, strict=True) if j.difficult_2})

    per_sentence = _ratio(word_count, sentence_count)
    per_word = _ratio(syllables, word_count)
    letters = _ratio(count_letters(text), word_count) * 100
    sentences = _ratio(sentence_count, word_count) * 100
    chars = _ratio(count_chars(text, True), count_words(text, rm_punctuation=False))
    fog_share = _ratio(100 * difficult_fog, word_count)
    hard_share = _ratio(100 * difficult, word_count)
    has_words = per_sentence != 0 and per_word != 0

    return Metrics(
        flesch_reading_ease=(
            get_lang_cfg(LANG, "fre_base")
            - get_lang_cfg(LANG, "fre_sentence_length") * per_sentence
            - get_lang_cfg(LANG, "fre_syll_per_word") * per_word
            if has_words
            else 0.0
        ),
        flesch_kincaid_grade=0.39 * per_sentence + 11.8 * per_word - 15.59 if has_words else 0.0,
        gunning_fog=0.4 * (per_sentence + fog_share) if word_count else 0.0,
        smog_index=(
            1.043 * (30 * (polysyllables / sentence_count)) ** 0.5 + 3.1291
            if sentence_count
            else 0.0
        ),
        coleman_liau_index=(
            0.058 * letters - 0.296 * sentences - 15.8 if letters and sentences else 0.0
        ),
        automated_readability_index=(
            4.71 * chars + 0.5 * per_sentence - 21.43 if chars and per_sentence else 0.0
        ),
        dale_chall_readability_score=(
            0.1579 * hard_share + 0.0496 * per_sentence + (3.6365 if hard_share > 5 else 0.0)
            if word_count
            else 0.0
        ),
        words_per_sentence=per_sentence,
        difficult_words=distinct_difficult,
        sentence_count=sentence_count,
    )


def clear_memo() -> None:
    """Forget the per-word judgements (benchmarks use it to time a first answer)."""
    _words.clear()


def _judge(word: str) -> _Word:
    from textstat.backend.counts import count_syllables
    from textstat.backend.utils import get_lang_cfg
    from textstat.backend.validations import is_difficult_word

    fog_threshold = int(get_lang_cfg(LANG, "syllable_threshold"))
    return _Word(
        syllables=count_syllables(word, LANG),
        difficult=is_difficult_word(word, 0, LANG),
        difficult_2=is_difficult_word(word, 2, LANG),
        difficult_fog=is_difficult_word(word, fog_threshold, LANG),
    )


_words = WordMemo(_judge)


def _ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, or 0.0 when the denominator is 0, as textstat returns."""
    return numerator / denominator if denominator else 0.0
