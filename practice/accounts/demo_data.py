"""Realistic demo answers at scale, so progress and the dashboards can be seen and measured.

Scoring is the slow part (textstat), so each prompt gets a pool of distinct answer texts of
varied quality (near-model, good, partial, weak, padded, off the topic, over the limit), built
from its model answer, its rubric's aliases and stock sentences, and scored once by the engine.
Answers then reuse a pool text and its real report: a feedback page shows the true score of the
text on it. Students improve over the weeks at their own rate, practise in runs of days, write
at their own pace, and sometimes retry the question they just did. Rows go in with bulk_create.

Development only: called by `seed_demo`, which refuses to run without DEBUG.
"""

from __future__ import annotations

import math
import random
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from practice.answers.concept_results import record_concept_results
from practice.answers.models import Answer, Score
from practice.catalog.models import Prompt
from practice.catalog.specs import prompt_spec, rubric_entry
from practice.reviews.models import MarkOverride, Review
from practice.reviews.queries import forget_awaiting_count
from practice.reviews.stats import recount_agreement
from practice.scoring import EmptyAnswerError, score

DEMO_STUDENT = "student"
DEMO_MENTOR = "mentor"
# The demo student gets at least this many answers, so their progress page has depth.
DEMO_STUDENT_MINIMUM = 100
EXTRA_STUDENT_PREFIX = "demo-student-"
BATCH = 1000
# Distinct texts scored per prompt; answers reuse them. Forty keep the marks varied while the
# engine runs only a few hundred times however many answers are added.
POOL_SIZE = 40

# Sentences a hurried student pads with: on the topic's surface, saying little.
FILLER = (
    "India and South Korea have a long history of friendly relations.",
    "This relationship is very important for both the countries.",
    "There are many opportunities as well as many challenges.",
    "Both nations should work together in the coming years.",
    "Cooperation between them has increased in many fields over time.",
    "The two countries share common values such as democracy.",
    "Many agreements have been signed between the two sides.",
    "The future of the relationship looks bright.",
    "Both governments have taken several steps in this direction.",
    "It is a matter of great significance for the region.",
    "Experts have different opinions on this issue.",
    "Much more needs to be done to realise the full potential.",
    "Trade and investment are also part of the relationship.",
    "Culture and people-to-people contacts bring the countries closer.",
    "The world is changing fast and both countries must adapt.",
)

# An answer to some other question entirely.
OFF_TOPIC = (
    "The monsoon decides the fortunes of Indian agriculture every year.",
    "Nearly half of the workforce still depends on farming for a living.",
    "Irrigation, crop insurance and better seeds can reduce this risk.",
    "Minimum support prices shape what farmers choose to grow.",
    "Soil health cards help farmers use fertiliser more wisely.",
    "Cold storage and food processing can cut post-harvest losses.",
    "Micro-irrigation saves water in drought-prone districts.",
    "Rural credit remains a challenge for small and marginal farmers.",
)

STOCK_COMMENTS = (
    "Good structure. Add one concrete example or figure in the body.",
    "The introduction is strong; the conclusion needs a forward-looking line.",
    "Covers the main points, but stay closer to what the directive asks.",
    "Too general in places. Name the agreements and dates.",
    "Well argued. Watch the word limit.",
)


@dataclass(frozen=True)
class PoolEntry:
    text: str
    report: dict
    total: float
    content: float
    structure: float
    readability: float
    word_count: int


@dataclass(frozen=True)
class PromptPool:
    prompt: Prompt
    entries: list[PoolEntry]  # weakest first
    rubric_hash: str
    rubric_version: int
    snapshot: dict
    engine_version: str


@dataclass(frozen=True)
class Result:
    students: int
    answers: int
    reviews: int
    seconds: float


# --------------------------------------------------------------------------- texts


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", paragraph.strip()) if s]


def _parts(model_answer: str) -> tuple[list[str], list[list[str]], list[str]]:
    """The model answer as (intro sentences, body paragraphs as sentences, conclusion)."""
    paragraphs = [p.strip() for p in model_answer.splitlines() if p.strip()]
    # Short lines without a full stop are headings ("Conclusion", "The Seoul agreements").
    prose = [p for p in paragraphs if not (len(p.split()) <= 6 and not p.endswith("."))]
    if len(prose) < 3:
        sentences = _sentences(" ".join(prose))
        return sentences[:1], [sentences[1:-1] or sentences], sentences[-1:]
    return _sentences(prose[0]), [_sentences(p) for p in prose[1:-1]], _sentences(prose[-1])


def _aliases(prompt: Prompt) -> list[str]:
    return [c.alias_list[0] for c in prompt.rubric.concepts.all() if c.alias_list]


def _mention(alias: str, rng: random.Random) -> str:
    template = rng.choice(
        (
            "The {} is also relevant here.",
            "One should also mention the {}.",
            "Another aspect is the {}.",
            "The {} is important in this context.",
        )
    )
    return template.format(alias)


def _paragraphs(*blocks: list[str]) -> str:
    return "\n\n".join(" ".join(block) for block in blocks if block)


def _compose(prompt: Prompt, kind: str, rng: random.Random) -> str:
    intro, body, conclusion = _parts(prompt.model_answer or prompt.question)
    body_sentences = [s for paragraph in body for s in paragraph]
    aliases = _aliases(prompt)

    def some(items, low, high):
        items = list(items)
        count = max(1, min(len(items), round(len(items) * rng.uniform(low, high))))
        return rng.sample(items, count) if items else []

    if kind == "model":
        kept = [[s for s in p if rng.random() > 0.1] or p for p in body]
        return _paragraphs(intro, *kept, conclusion)
    if kind == "good":
        kept = [s for s in body_sentences if rng.random() > 0.25]
        half = len(kept) // 2
        return _paragraphs(intro, kept[:half], kept[half:], conclusion)
    if kind == "partial":
        chosen = sorted(some(body_sentences, 0.3, 0.6), key=body_sentences.index)
        padding = rng.sample(FILLER, 2)
        ending = conclusion if rng.random() < 0.5 else []
        return _paragraphs(intro[:1], chosen + padding, ending)
    if kind == "weak":
        mentions = [_mention(a, rng) for a in rng.sample(aliases, min(len(aliases), 2))]
        sentences = intro[:1] + mentions + rng.sample(FILLER, rng.randint(3, 5))
        return _paragraphs(sentences)
    if kind == "padded":
        return _paragraphs(rng.sample(FILLER, rng.randint(4, 7)))
    if kind == "off":
        return _paragraphs(rng.sample(OFF_TOPIC, rng.randint(4, 6)))
    if kind == "long":
        extra = rng.sample(FILLER, 6) + some(body_sentences, 0.5, 0.8)
        return _paragraphs(intro, *body, extra, conclusion)
    raise ValueError(f"unknown kind of answer: {kind}")


# Share of each kind in a pool: most answers are partial or good, a few are poor or off.
KINDS = (
    ("model", 0.1),
    ("good", 0.2),
    ("partial", 0.3),
    ("weak", 0.18),
    ("padded", 0.1),
    ("off", 0.05),
    ("long", 0.07),
)


def build_pool(prompt: Prompt, size: int, rng: random.Random) -> PromptPool:
    """`size` distinct texts for `prompt`, each scored once by the engine."""
    rubric = prompt.rubric
    concepts = list(rubric.concepts.all())
    spec = prompt_spec(prompt, rubric_entry(rubric, concepts))
    texts: dict[str, None] = {}
    attempts = 0
    while len(texts) < size and attempts < size * 20:
        attempts += 1
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        texts.setdefault(_compose(prompt, kind, rng), None)
    entries = []
    for text in texts:
        try:
            report = score(text, spec)
        except EmptyAnswerError:
            continue
        entries.append(
            PoolEntry(
                text=text,
                report=report.to_dict(),
                total=report.total,
                content=report.content.score,
                structure=report.structure.score,
                readability=report.readability.score,
                word_count=report.word_count,
            )
        )
    entries.sort(key=lambda e: (e.total, e.content))
    return PromptPool(
        prompt=prompt,
        entries=entries,
        rubric_hash=spec.rubric.content_hash(),
        rubric_version=rubric.version,
        snapshot=spec.rubric.to_dict(),
        engine_version=entries[0].report["engine_version"] if entries else "",
    )


# --------------------------------------------------------------------------- students


@dataclass(frozen=True)
class Profile:
    start: float  # quality of the first answers, 0..1 (a position in a pool, weakest first)
    gain: float  # improvement over the whole period
    spread: float  # how much one attempt differs from the student's level
    wpm: float  # typing pace at the start
    keenness: float  # chance of starting a run of practice on a day off
    retry: float  # chance of retrying the question just answered


def _profile(rng: random.Random, demo: bool) -> Profile:
    if demo:
        # The demo student visibly improves, so the charts have a story to tell.
        return Profile(0.25, 0.5, 0.12, 19.0, 0.45, 0.35)
    return Profile(
        start=rng.uniform(0.1, 0.6),
        gain=rng.uniform(-0.05, 0.45),
        spread=rng.uniform(0.08, 0.2),
        wpm=rng.uniform(14, 30),
        keenness=rng.uniform(0.1, 0.5),
        retry=rng.uniform(0.1, 0.4),
    )


def _practice_days(count: int, days: int, profile: Profile, rng: random.Random, demo: bool):
    """Day offsets (0 = today) on which the student practised, in runs."""
    active: list[int] = []
    practised = False
    for offset in range(days - 1, -1, -1):
        chance = 0.72 if practised else profile.keenness
        practised = rng.random() < chance
        if practised:
            active.append(offset)
    if demo:
        # The demo student is on a streak: today, yesterday and the day before.
        active = sorted(set(active) | {0, 1, 2}, reverse=True)
    # Keep it plausible: at most about eight answers on a day.
    needed = min(days, math.ceil(count / 8))
    spare = [d for d in range(days) if d not in set(active)]
    rng.shuffle(spare)
    while len(active) < needed and spare:
        active.append(spare.pop())
    return active or [0]


LOCAL_HOURS = [6, 7, 8, 12, 13, 17, 18, 19, 20, 21, 22, 23]
HOUR_WEIGHTS = [4, 6, 4, 2, 3, 3, 6, 9, 10, 10, 8, 4]


def _local_midnight(now: datetime) -> datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def _moment(day_offset: int, now: datetime, rng: random.Random) -> datetime:
    day = _local_midnight(now) - timedelta(days=day_offset)
    if day_offset == 0:
        # Today: any time so far, never in the future.
        return day + timedelta(seconds=rng.uniform(0, max(0.0, (now - day).total_seconds() - 60)))
    hour = rng.choices(LOCAL_HOURS, weights=HOUR_WEIGHTS)[0]
    return day + timedelta(hours=hour, seconds=rng.uniform(0, 3600))


@dataclass
class _Planned:
    student: User
    pool: PromptPool
    entry: PoolEntry
    submitted_at: datetime
    seconds: int


def _plan_student(
    student: User,
    count: int,
    pools: list[PromptPool],
    *,
    demo: bool,
    days: int,
    now: datetime,
    rng: random.Random,
) -> Iterator[_Planned]:
    if count <= 0:
        return
    profile = _profile(rng, demo)
    day_offsets = _practice_days(count, days, profile, rng, demo)
    moments = sorted(_moment(rng.choice(day_offsets), now, rng) for _ in range(count))
    if demo:
        # Something from today: up to 90 minutes ago, but never before today's local midnight.
        moments[-1] = max(now - timedelta(minutes=rng.uniform(5, 90)), _local_midnight(now))
        moments.sort()
    first, last = moments[0], moments[-1]
    span = max((last - first).total_seconds(), 1.0)
    pool = rng.choice(pools)
    for moment in moments:
        if rng.random() > profile.retry:
            pool = rng.choice(pools)
        progress = (moment - first).total_seconds() / span
        level = profile.start + profile.gain * progress + rng.gauss(0, profile.spread)
        level = min(max(level, 0.0), 1.0)
        entry = pool.entries[round(level * (len(pool.entries) - 1))]
        pace = max(6.0, (profile.wpm + 6 * progress) * rng.lognormvariate(0, 0.18))
        seconds = round(entry.word_count / pace * 60)
        if rng.random() < 0.02:
            seconds = rng.randint(8, 25)  # pasted from elsewhere; too short to time
        yield _Planned(student, pool, entry, moment, max(1, seconds))


def _shares(total: int, students: int, rng: random.Random) -> list[int]:
    """Answers per student: the demo student first, with at least DEMO_STUDENT_MINIMUM."""
    if students <= 1:
        return [total]
    demo = min(total, max(DEMO_STUDENT_MINIMUM, math.ceil(total / students)))
    rest = total - demo
    weights = [rng.lognormvariate(0, 0.8) for _ in range(students - 1)]
    scale = sum(weights)
    shares = [math.floor(rest * w / scale) for w in weights]
    for index in rng.sample(range(len(shares)), rest - sum(shares)):
        shares[index] += 1
    return [demo, *shares]


def _students(count: int, password: str) -> list[User]:
    """The demo student and count - 1 more, created if missing (one password hash for all)."""
    demo = User.objects.get(username=DEMO_STUDENT)
    names = [f"{EXTRA_STUDENT_PREFIX}{i:03d}" for i in range(1, count)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    hashed = make_password(password)
    User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@example.com", password=hashed)
            for name in names
            if name not in existing
        ],
        batch_size=BATCH,
    )
    by_name = {u.username: u for u in User.objects.filter(username__in=names)}
    return [demo, *(by_name[name] for name in names)]


@contextmanager
def _given_timestamps(*models):
    """Let bulk_create keep the historical dates we set instead of stamping "now".

    auto_now/auto_now_add would overwrite started_at, saved_at and created_at; demo history
    needs them in the past. Restored on exit.
    """
    fields = [f for m in models for f in m._meta.concrete_fields if hasattr(f, "auto_now")]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _half_marks(value: float, maximum: int) -> float:
    return min(max(round(value * 2) / 2, 0.0), float(maximum))


def add_demo_answers(
    *,
    students: int,
    answers: int,
    password: str,
    seed: int = 2026,
    pool_size: int | None = None,
    weeks: int = 12,
    review_share: float = 0.1,
    now: datetime | None = None,
) -> Result:
    """Add `answers` scored answers spread over `students` students and the last `weeks`.

    The demo accounts must exist (seed_demo creates them first). Adds rows each time it runs.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    now = now or timezone.now()
    prompts = list(
        Prompt.objects.published()
        .select_related("rubric")
        .prefetch_related("rubric__concepts")
        .order_by("topic__position", "position", "id")
    )
    people = _students(max(1, students), password)
    if not prompts or answers <= 0:
        return Result(len(people), 0, 0, time.perf_counter() - started)
    pools = [build_pool(p, pool_size or POOL_SIZE, rng) for p in prompts]
    pools = [p for p in pools if p.entries]
    mentor = User.objects.filter(username=DEMO_MENTOR).first()

    planned: list[_Planned] = []
    for index, (student, count) in enumerate(
        zip(people, _shares(answers, len(people), rng), strict=True)
    ):
        planned.extend(
            _plan_student(student, count, pools, demo=index == 0, days=weeks * 7, now=now, rng=rng)
        )

    with transaction.atomic(), _given_timestamps(Answer, Score, MarkOverride):
        reviews = 0
        for start in range(0, len(planned), BATCH):
            batch = planned[start : start + BATCH]
            reviews += _insert_batch(batch, mentor, review_share, now, rng)
    forget_awaiting_count()  # the rows went in without signals
    return Result(len(people), len(planned), reviews, time.perf_counter() - started)


def _insert_batch(batch, mentor, review_share, now, rng) -> int:
    rows = []
    for plan in batch:
        old_enough = now - plan.submitted_at > timedelta(days=2)
        reviewed = mentor is not None and old_enough and rng.random() < review_share
        rows.append(
            Answer(
                student=plan.student,
                prompt=plan.pool.prompt,
                text=plan.entry.text,
                status=Answer.Status.REVIEWED if reviewed else Answer.Status.SUBMITTED,
                scoring=Answer.Scoring.DONE,
                draft_version=rng.randint(1, 25),
                submission_key=uuid.uuid4(),
                word_count=plan.entry.word_count,
                started_at=plan.submitted_at - timedelta(seconds=plan.seconds + rng.randint(5, 90)),
                saved_at=plan.submitted_at,
                submitted_at=plan.submitted_at,
                seconds_spent=plan.seconds,
            )
        )
    Answer.objects.bulk_create(rows, batch_size=BATCH)
    scores = Score.objects.bulk_create(
        [
            Score(
                answer=answer,
                is_current=True,
                total=plan.entry.total,
                max_marks=plan.entry.report["max_marks"],
                content=plan.entry.content,
                structure=plan.entry.structure,
                readability=plan.entry.readability,
                report=plan.entry.report,
                engine_version=plan.pool.engine_version,
                rubric_hash=plan.pool.rubric_hash,
                rubric_version=plan.pool.rubric_version,
                rubric_snapshot=plan.pool.snapshot,
                created_at=plan.submitted_at + timedelta(seconds=1),
            )
            for answer, plan in zip(rows, batch, strict=True)
        ],
        batch_size=BATCH,
    )
    record_concept_results(scores)
    reviews, overrides = [], []
    for answer, plan in zip(rows, batch, strict=True):
        if answer.status != Answer.Status.REVIEWED:
            continue
        maximum = plan.entry.report["max_marks"]
        final = _half_marks(plan.entry.total + rng.choice((-1, -0.5, 0, 0, 0.5, 1)), maximum)
        reviewed_at = min(
            plan.submitted_at + timedelta(hours=rng.uniform(4, 72)), now - timedelta(hours=1)
        )
        seen_at = reviewed_at + timedelta(hours=rng.uniform(1, 48))
        comment = rng.choice(STOCK_COMMENTS)
        reviews.append(
            Review(
                answer=answer,
                mentor=mentor,
                final_marks=final,
                comment=comment,
                reviewed_at=reviewed_at,
                seen_by_student_at=seen_at if seen_at < now else None,
            )
        )
        if final != plan.entry.total:
            overrides.append(
                MarkOverride(
                    answer=answer,
                    mentor=mentor,
                    created_at=reviewed_at,
                    old_marks=plan.entry.total,
                    new_marks=final,
                    reason=comment,
                )
            )
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    MarkOverride.objects.bulk_create(overrides, batch_size=BATCH)
    recount_agreement(review.answer_id for review in reviews)
    return len(reviews)
