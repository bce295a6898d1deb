"""The scoring engine: a UPSC Mains answer in, an explained score out. Pure Python, no Django.

    from practice.scoring import PromptSpec, score
    spec = PromptSpec.from_dict(prompt_entry)      # one prompt of a pack; PackError if invalid
    report = score(answer_text, spec)              # EmptyAnswerError if there are no words
    report.total, report.content.score, report.to_dict()

Command line: ``python -m practice.scoring PACK PROMPT_SLUG FILE`` (FILE may be ``-``).

Pack format (YAML or JSON), validated by ``load_pack`` and ``PromptSpec.from_dict``::

    topic: {slug: ..., title: ..., summary: ...}         # summary optional
    prompts:
      - slug: ...                # letters, digits, hyphens, underscores
        question: ...
        directive: examine       # critically analyse | discuss | comment | ... (free text)
        word_limit: 250          # positive whole numbers
        marks: 15
        minutes: 11
        model_answer: ...        # optional
        published: true          # optional
        rubric:
          weights: {content: 0.6, structure: 0.25, readability: 0.15}   # optional; sum to 1
          readability:           # optional target band: metric -> [low, high]
            flesch_kincaid_grade: [9, 14]
            words_per_sentence: [12, 25]
          concepts:
            - label: Naval logistics pact
              weight: 2          # positive number
              aliases: [logistics support agreement, logistics pact]     # non-empty strings
              hint: Cite the naval logistics support arrangement signed in Seoul in 2019.
              required: false    # optional; a required concept missing caps content at 0.5

The readability band may name any of: flesch_reading_ease, flesch_kincaid_grade, gunning_fog,
smog_index, coleman_liau_index, automated_readability_index, dale_chall_readability_score,
words_per_sentence, difficult_words, sentence_count. Each earns full credit inside its range
and none one range-width outside it; the readability score is their mean. Without a band the
default is DEFAULT_BAND (grade 9 to 14, 12 to 25 words a sentence).

Aliases are matched without regard to case, Unicode form, hyphens or spacing ("Act-East",
"Indo Pacific"), inflection ("exchanges"), possessives and one-letter slips in longer words;
abbreviations in capitals and words with digits match exactly. Two aliases of one rubric may
not be the same once these differences are ignored.
"""

from .cmu import install_into_textstat, pronunciations
from .engine import ENGINE_VERSION, EmptyAnswerError, score
from .pack import load_pack
from .report import (
    BandResult,
    Check,
    ConceptResult,
    ContentComponent,
    Evidence,
    Metrics,
    ReadabilityComponent,
    Report,
    StructureComponent,
)
from .spec import (
    DEFAULT_BAND,
    DEFAULT_WEIGHTS,
    METRIC_NAMES,
    ConceptSpec,
    MetricRange,
    PackError,
    PromptSpec,
    ReadabilityBand,
    RubricSpec,
    Weights,
)


def warm_up() -> None:
    """Load the CMU dictionary (about 0.4 s) now rather than in the first request."""
    pronunciations()
    install_into_textstat()


__all__ = [
    "DEFAULT_BAND",
    "DEFAULT_WEIGHTS",
    "ENGINE_VERSION",
    "METRIC_NAMES",
    "BandResult",
    "Check",
    "ConceptResult",
    "ConceptSpec",
    "ContentComponent",
    "EmptyAnswerError",
    "Evidence",
    "MetricRange",
    "Metrics",
    "PackError",
    "PromptSpec",
    "ReadabilityBand",
    "ReadabilityComponent",
    "Report",
    "RubricSpec",
    "StructureComponent",
    "Weights",
    "load_pack",
    "score",
    "warm_up",
]
