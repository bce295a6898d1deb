"""The parts of the write page that are the same for every student who opens a prompt.

The write page is the page served most. Its title, question block and form addresses depend
on the prompt alone, so each process renders them once per prompt and keeps them, keyed by
every field they show: an edited prompt gets a new entry instead of a stale one, and nothing
has to be told to forget anything.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from practice.addresses import url_maker
from practice.catalog.models import Directive


@dataclass(frozen=True)
class WritePageParts:
    title: str
    question: SafeString  # the crumbs, the question and its facts
    submit_url: str
    save_draft_url: str


def write_page_parts(prompt) -> WritePageParts:
    return _parts(
        get_script_prefix(),
        prompt.slug,
        prompt.topic.title,
        prompt.question,
        prompt.directive,
        prompt.marks,
        prompt.word_limit,
        prompt.minutes,
    )


@lru_cache(maxsize=1024)
def _parts(
    script_prefix, slug, topic, question, directive, marks, word_limit, minutes
) -> WritePageParts:
    facts = {
        "topic": topic,
        "question": question,
        # What `get_directive_display` gives, found once per prompt rather than per request.
        "directive": dict(Directive.choices).get(directive, directive),
        "marks": marks,
        "word_limit": word_limit,
        "minutes": minutes,
    }
    return WritePageParts(
        title=f"Write: {Truncator(question).words(8)}",
        question=render_to_string("answers/write.html#question", {"facts": facts}),
        submit_url=reverse("submit", args=[slug]),
        save_draft_url=reverse("save_draft", args=[slug]),
    )


def feedback_url(answer_id: int) -> str:
    """The address of an answer's feedback, which the page links as "your last feedback"."""
    return _feedback_urls(get_script_prefix())(answer_id)


@lru_cache(maxsize=8)
def _feedback_urls(script_prefix: str):
    # Reversing costs more than the rest of the view: reversed once per process instead.
    return url_maker("feedback")
