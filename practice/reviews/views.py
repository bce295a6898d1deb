"""The mentor dashboard: the review queue, the review page, the comment bank and statistics.

Every view is for mentors and admins only (`mentor_required` answers 404 to everyone else).
"""

from datetime import datetime
from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from practice.accounts.roles import mentor_required
from practice.answers.highlight import highlighted_answer
from practice.answers.models import Answer, Score
from practice.csv_download import csv_download, spreadsheet_cell
from practice.prepared import PreparedQuery

from . import presentation, queries, services
from .forms import CommentBankForm, QueueFilterForm, ReviewForm, review_initial
from .models import CommentBankEntry, Review
from .stats import agreement_statistics

QUEUE_PAGE_SIZE = 25


def _wants_partial(request: HttpRequest) -> bool:
    # A history restore asks for the whole page even though it comes from htmx.
    return bool(request.htmx) and not request.htmx.history_restore_request


# ------------------------------------------------------------------------------------ queue


@mentor_required
@require_GET
@vary_on_headers("HX-Request")
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # fills cleaned_data with the valid fields and errors for the rest
    now = timezone.now()
    answers = queries.queue_answers(now=now, **form.filters())
    # Counted as answers (an index-only count), read as the few values a row shows.
    paginator = Paginator(answers, QUEUE_PAGE_SIZE)
    if not form.filters_in_use():
        paginator.count = queries.awaiting_count()  # a cached property: set, it is not counted
    page = paginator.get_page(request.GET.get("page"))
    values = queries.queue_row_values(page.object_list)
    rows = presentation.queue_rows(values, viewer=request.user, now=now)
    query = _filled_params(request.GET)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "rows_markup": presentation.queue_rows_markup(rows),
        "query": query,
    }
    if not _wants_partial(request):
        return render(request, "reviews/queue.html", context)
    response = render(request, "reviews/queue.html#results", context)
    # The address bar shows the filters in use, not every empty field of the form.
    return push_url(response, f"{request.path}?{query.urlencode()}" if query else request.path)


def _filled_params(params: QueryDict) -> QueryDict:
    filled = QueryDict(mutable=True)
    for key, values in params.lists():
        kept = [value for value in values if value.strip()]
        if kept:
            filled.setlist(key, kept)
    return filled


# ------------------------------------------------------------------------------- review page


def _reviewable_answers(pk: int, *, with_review: bool):
    related = ["student", "prompt__topic", "prompt__rubric"]
    if with_review:
        related += ["review__claimed_by", "review__mentor"]
    return Answer.objects.select_related(*related).exclude(status=Answer.Status.DRAFT).filter(pk=pk)


# Every review page and action reads its answer so; building these cost more than running them.
_REVIEWABLE = PreparedQuery(partial(_reviewable_answers, with_review=False))
_REVIEWABLE_WITH_REVIEW = PreparedQuery(partial(_reviewable_answers, with_review=True))
_CURRENT_SCORE = PreparedQuery(
    # An answer has at most one current score (a unique constraint), so no ordering to build.
    lambda answer_id: Score.objects.filter(answer_id=answer_id, is_current=True).order_by()[:1]
)


def _reviewable_answer(pk: int, *, with_review: bool = False) -> Answer:
    """A submitted answer, for any mentor; drafts do not exist as far as mentors know.

    `with_review` also reads its review (and who holds and wrote it) in the same query.
    """
    answer = (_REVIEWABLE_WITH_REVIEW if with_review else _REVIEWABLE).first(pk)
    if answer is None:
        raise Http404("No such answer.")
    return answer


def _current_score(answer: Answer) -> Score | None:
    return _CURRENT_SCORE.first(answer.pk)


def _review_of(answer: Answer) -> Review | None:
    return Review.objects.select_related("claimed_by", "mentor").filter(answer=answer).first()


@mentor_required
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening an answer that awaits review claims it; a reviewed answer opens read-only with
    a button to revise it, so reading old reviews never blocks anyone."""
    answer = _reviewable_answer(pk, with_review=True)
    current = getattr(answer, "review", None)  # read with the answer, by a join
    score = _current_score(answer)
    # An answer still waiting for its automatic marks cannot be reviewed: do not block it.
    if answer.status == Answer.Status.SUBMITTED and score is not None:
        previous_holder = current.claimed_by if current else None
        try:
            current = services.claim_answer(answer=answer, mentor=request.user, review=current)
        except services.ClaimHeld as held:
            current = held.review
        else:
            if previous_holder is not None and previous_holder != request.user:
                name = queries.mentor_name(previous_holder)
                messages.info(request, f"{name}'s claim had expired; this answer is yours now.")
    return _render_review(request, answer, current, score=score)


def _render_review(
    request: HttpRequest,
    answer: Answer,
    current: Review | None,
    *,
    score: Score | None,
    form: ReviewForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    report = score.report if score else None
    concepts = report["concepts"] if report else []
    holds_claim = current is not None and current.claimed_by_id == request.user.pk
    if form is None and score is not None:
        form = ReviewForm(
            initial=review_initial(current, score.total, concepts),
            auto_marks=score.total,
            max_marks=score.max_marks,
            concepts=concepts,
        )
    context = {
        "answer": answer,
        "prompt": answer.prompt,
        "score": score,
        "report": report,
        "review": current,
        "form": form,
        "error": error,
        **_claim_context(request, current),
        "highlighted_answer": highlighted_answer(answer.text, concepts) if report else "",
        "engine": presentation.engine_report_markup(report) if report else None,
        "rubric_rows": presentation.rubric_rows_markup(_rubric_concepts(score, answer)),
        "rubric_changed": score is not None
        and score.rubric_version != answer.prompt.rubric.version,
        # Marks change only when a review is submitted, which finishes it for good: an answer
        # without a finished review has no history to read.
        "overrides": answer.overrides.select_related("mentor")
        if current is not None and current.reviewed_at is not None
        else [],
        "bank": presentation.comment_bank_markup(
            CommentBankEntry.objects.filter(mentor=request.user).values_list("text", flat=True)
        ),
        "can_submit": holds_claim and score is not None,
    }
    return render(request, "reviews/review.html", context, status=status)


def _claim_context(request: HttpRequest, current: Review | None) -> dict:
    now = timezone.now()
    live = services.claim_is_live(current, now)
    holds_claim = current is not None and current.claimed_by_id == request.user.pk
    return {
        "holds_claim": holds_claim,
        # Held by someone else and not yet expired: read-only for this mentor.
        "held_by_other": live and not holds_claim,
        "holder_name": queries.mentor_name(current.claimed_by) if live else "",
        "claim_expires_at": current.claim_expires_at if current else None,
        "renew_every_minutes": 5,
    }


def _rubric_concepts(score: Score | None, answer: Answer) -> list[dict]:
    """The rubric the answer was scored against (its snapshot), or the live one if unscored."""
    if score is not None and score.rubric_snapshot.get("concepts"):
        return score.rubric_snapshot["concepts"]
    return [
        {
            "label": c.label,
            "weight": c.weight,
            "aliases": c.alias_list,
            "hint": c.hint,
            "required": c.required,
        }
        for c in answer.prompt.rubric.concepts.all()
    ]


@mentor_required
@require_POST
def submit_review(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _reviewable_answer(pk)
    score = _current_score(answer)
    if score is None:
        messages.error(request, "This answer has no automatic score yet; review it once scored.")
        return redirect("mentor:review", pk=answer.pk)
    concepts = score.report["concepts"]
    form = ReviewForm(
        request.POST, auto_marks=score.total, max_marks=score.max_marks, concepts=concepts
    )
    if not form.is_valid():
        return _render_review(
            request, answer, _review_of(answer), score=score, form=form, status=400
        )
    data = form.cleaned_data
    try:
        services.submit_review(
            answer=answer,
            mentor=request.user,
            final_marks=float(data["final_marks"]),
            reason=data["reason"],
            comment=data["comment"],
            concept_judgements=form.judgements(),
            feedback_url=request.build_absolute_uri(reverse("feedback", args=[answer.pk])),
        )
    except services.ClaimLost as lost:
        return _render_review(
            request,
            answer,
            _review_of(answer),
            score=score,
            form=form,
            status=409,
            error=_lost_message(lost),
        )
    if data["save_to_bank"]:
        services.add_comment(mentor=request.user, text=data["comment"])
    messages.success(
        request,
        f"Review saved: {float(data['final_marks']):g} / {score.max_marks} for "
        f"{answer.student.get_username()}, who has been notified.",
    )
    return redirect("mentor:queue")


def _lost_message(lost: services.ClaimLost) -> str:
    review = lost.review
    if review is not None and review.claimed_by is not None:
        who = queries.mentor_name(review.claimed_by)
        return (
            f"Not saved: {who} took over this answer after your claim expired. "
            "Your marks and comment are still in the form below; copy what you need."
        )
    if review is not None and review.reviewed_at is not None:
        who = queries.mentor_name(review.mentor)
        return (
            f"Not saved: {who} finished a review of this answer meanwhile. Your marks and "
            "comment are still in the form below; claim the answer again to revise it."
        )
    return "Not saved: you do not hold the claim on this answer. Claim it first."


@mentor_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Take over an expired claim, or start revising a reviewed answer."""
    answer = _reviewable_answer(pk)
    try:
        services.claim_answer(answer=answer, mentor=request.user)
    except services.ClaimHeld as held:
        messages.error(request, str(held))
    return redirect("mentor:review", pk=answer.pk)


@mentor_required
@require_POST
@vary_on_headers("HX-Request")
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the claim while the mentor works; the review page calls this every few minutes."""
    answer = _reviewable_answer(pk)
    status = 200
    try:
        current = services.renew_claim(answer=answer, mentor=request.user)
    except services.ClaimLost as lost:
        current, status = lost.review, 409
        if not request.htmx:
            messages.error(request, _lost_message(lost).replace("Not saved: ", ""))
    if not request.htmx:
        return redirect("mentor:review", pk=answer.pk)
    context = {"answer": answer, "review": current, **_claim_context(request, current)}
    context["claim_lost"] = status == 409
    return render(request, "reviews/review.html#claim-status", context, status=status)


@mentor_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _reviewable_answer(pk)
    if services.release_claim(answer=answer, mentor=request.user):
        messages.success(request, "Released: the answer is back in the queue for anyone.")
    return redirect("mentor:queue")


# ------------------------------------------------------------------------------ comment bank


@mentor_required
@require_http_methods(["GET", "POST"])
def comment_bank(request: HttpRequest) -> HttpResponse:
    form = CommentBankForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_comment(mentor=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Remark added to your comment bank.")
        return redirect("mentor:comment_bank")
    entries = CommentBankEntry.objects.filter(mentor=request.user)
    status = 400 if form.errors else 200
    return render(
        request, "reviews/comment_bank.html", {"form": form, "entries": entries}, status=status
    )


@mentor_required
@require_POST
def delete_comment(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(CommentBankEntry, pk=pk, mentor=request.user)
    entry.delete()
    messages.success(request, "Remark removed from your comment bank.")
    return redirect("mentor:comment_bank")


# -------------------------------------------------------------------------------- statistics


@mentor_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/stats.html", agreement_statistics())


CSV_HEADER = [
    "answer_id",
    "topic",
    "prompt",
    "student",
    "submitted_at",
    "mentor",
    "reviewed_at",
    "auto_marks",
    "final_marks",
    "max_marks",
    "difference",
    "overrides",
    "concepts_credited",
    "concepts_not_credited",
    "comment",
]


def _iso(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _csv_rows():
    yield CSV_HEADER
    for review in queries.review_export_rows().iterator(chunk_size=500):
        answer, auto = review.answer, review.auto_marks
        judged = review.concept_judgements
        yield [
            answer.pk,
            spreadsheet_cell(answer.prompt.topic.title),
            answer.prompt.slug,
            spreadsheet_cell(answer.student.get_username()),
            _iso(answer.submitted_at),
            spreadsheet_cell(review.mentor.get_username()),
            _iso(review.reviewed_at),
            "" if auto is None else f"{auto:g}",
            f"{review.final_marks:g}",
            answer.prompt.marks,
            "" if auto is None else f"{review.final_marks - auto:g}",
            review.overrides,
            spreadsheet_cell("; ".join(label for label, ok in judged.items() if ok)),
            spreadsheet_cell("; ".join(label for label, ok in judged.items() if not ok)),
            spreadsheet_cell(review.comment),
        ]


@mentor_required
@require_GET
def reviews_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_download(_csv_rows(), f"reviews-{timezone.localdate():%Y-%m-%d}.csv")
