"""The published prompt behind a write-page URL, read from the cache.

The write page, its autosave and its submission each start by finding the prompt by its slug,
and every student of a topic asks for the same few prompts. So each process keeps the prompts
it read for a few seconds (`LOCAL_SECONDS`), in front of the shared cache, which keeps them for
an hour. A prompt or topic saved or deleted forgets the prompts it shows in, in the shared
cache and in the process that saved it: an edit (or unpublishing) shows from the next request
on in that process, and within `LOCAL_SECONDS` in the others.
"""

import copy
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.http import Http404

from practice.caching import forget, on_save_or_delete
from practice.catalog.models import Prompt, Topic

# Bounds how long a prompt cached by a request racing an edit can outlive the edit.
PROMPT_CACHE_SECONDS = 3600
# How long another process may go on serving a prompt after an edit.
LOCAL_SECONDS = 5

# slug -> (monotonic time the entry expires, prompt); this process's own.
_local: dict[str, tuple[float, Prompt]] = {}


def _cache_key(slug: str) -> str:
    return f"published-prompt:{slug}"


def published_prompt(slug: str) -> Prompt:
    """The published prompt with this slug, its topic loaded; Http404 if there is none.

    Each call gets a copy of its own: what a request caches on it (its rubric, say) stays with
    that request."""
    now = time.monotonic()
    held = _local.get(slug)
    if held is not None and held[0] > now:
        return copy.copy(held[1])
    key = _cache_key(slug)
    prompt = cache.get(key)
    if prompt is None:
        prompt = Prompt.objects.published().select_related("topic").filter(slug=slug).first()
        if prompt is None:
            raise Http404("No such question.")
        cache.set(key, prompt, PROMPT_CACHE_SECONDS)
    _local[slug] = (now + LOCAL_SECONDS, copy.copy(prompt))
    return prompt


def forget_local_prompts() -> None:
    """Empty this process's own copies (the shared cache keeps its entries)."""
    _local.clear()


def forget_prompts(*slugs: str) -> None:
    """Drop the prompts now and again once the change commits, so that a request that read
    the old row in between does not keep it."""

    def forget_here() -> None:
        for slug in slugs:
            _local.pop(slug, None)

    forget_here()
    transaction.on_commit(forget_here)
    forget(*(_cache_key(slug) for slug in slugs))


def _prompt_saving(sender, instance, **kwargs) -> None:
    if instance.pk is not None:  # a new slug leaves the old one cached unless it goes too
        forget_prompts(*Prompt.objects.filter(pk=instance.pk).values_list("slug", flat=True))


def _prompt_changed(sender, instance, **kwargs) -> None:
    forget_prompts(instance.slug)


def _topic_changed(sender, instance, **kwargs) -> None:
    forget_prompts(*instance.prompts.values_list("slug", flat=True))


def connect_signals() -> None:
    pre_save.connect(_prompt_saving, sender=Prompt, dispatch_uid="published_prompt_saving")
    on_save_or_delete(_prompt_changed, Prompt, uid="published_prompt_changed")
    post_save.connect(_topic_changed, sender=Topic, dispatch_uid="published_prompt_topic")
