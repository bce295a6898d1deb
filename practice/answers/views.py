"""The student's path: pick a prompt, write against the clock, submit, read the feedback."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from practice.accounts.navigation import forget_navigation
from practice.catalog.models import Prompt
from practice.reviews.queries import student_review

from . import services
from .compare import compare_with_previous
from .forms import DraftForm, SubmitForm
from .highlight import highlighted_answer
from .models import Answer
from .presentation import readability_figures
from .published import published_prompt
from .queries import latest_two_scores, submitted_answer_of, with_marks, writing_state
from .write_page import feedback_url, write_page_parts


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    prompts = list(Prompt.objects.published().select_related("topic"))
    stats = {
        row["prompt"]: row
        for row in with_marks(Answer.objects.filter(student=request.user))
        .values("prompt")
        .annotate(
            attempts=Count("id", filter=~Q(status=Answer.Status.DRAFT)),
            drafts=Count("id", filter=Q(status=Answer.Status.DRAFT)),
            best=Max("marks"),
        )
    }
    topics: dict[int, dict] = {}
    for prompt in prompts:
        group = topics.setdefault(prompt.topic_id, {"topic": prompt.topic, "rows": []})
        group["rows"].append({"prompt": prompt, "stats": stats.get(prompt.pk)})
    return render(request, "answers/home.html", {"topics": list(topics.values())})


@login_required
@require_GET
def write(request: HttpRequest, slug: str) -> HttpResponse:
    prompt = published_prompt(slug)
    state = writing_state(request.user, prompt)
    return _render_write(request, prompt, state.draft, state=state)


def _render_write(request, prompt, draft, *, state=None, form=None, text=None, status=200):
    if state is None:
        state = writing_state(request.user, prompt)
    last = state.last_submission_id
    context = {
        "prompt": prompt,
        "parts": write_page_parts(prompt),
        "draft": draft,
        "text": text if text is not None else (draft.text if draft else ""),
        "version": draft.draft_version if draft else 0,
        "seconds": draft.seconds_spent if draft else 0,
        "submission_key": uuid.uuid4(),
        "form": form,
        "attempt_count": state.submissions,
        "last_feedback_url": feedback_url(last) if last else None,
        # Named even when empty: a name missing from the context costs the template an
        # exception each time it is looked up.
        "word_count": draft.word_count if draft else 0,
        "conflict": False,
        "error": "",
        "saved_at": None,
        "swap_oob": False,
    }
    return render(request, "answers/write.html", context, status=status)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def save_draft(request: HttpRequest, slug: str) -> HttpResponse:
    prompt = published_prompt(slug)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _draft_response(request, prompt, error=form.errors.as_text(), status=400)
    data = form.cleaned_data
    try:
        saved = services.save_draft(
            student=request.user,
            prompt=prompt,
            text=data["text"],
            base_version=data["version"] or 0,
            seconds_spent=data["seconds"] or 0,
        )
    except services.StaleDraft as stale:
        return _draft_response(request, prompt, draft=stale.draft, conflict=True, status=409)
    return _draft_response(request, prompt, draft=saved.answer)


def _draft_response(request, prompt, *, draft=None, conflict=False, error="", status=200):
    if not request.htmx:
        if conflict:
            messages.error(
                request,
                "This draft was changed in another tab or browser, so your text was not "
                "saved over it. Copy what you need from below before reloading.",
            )
            return _render_write(
                request, prompt, draft, text=request.POST.get("text", ""), status=409
            )
        if error:
            messages.error(request, error)
            return _render_write(
                request, prompt, draft, text=request.POST.get("text", ""), status=status
            )
        messages.success(request, "Draft saved.")
        return redirect("write", slug=prompt.slug)
    context = {
        "prompt": prompt,
        "draft": draft,
        "conflict": conflict,
        "error": error,
        "version": draft.draft_version if draft else None,
        "saved_at": timezone.localtime(draft.saved_at) if draft else None,
        "swap_oob": True,
    }
    return render(request, "answers/write.html#autosave-response", context, status=status)


@login_required
@require_POST
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    prompt = published_prompt(slug)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        draft = services.open_draft(request.user, prompt)
        return _render_write(
            request, prompt, draft, form=form, text=request.POST.get("text", ""), status=400
        )
    data = form.cleaned_data
    answer = services.submit_answer(
        student=request.user,
        prompt=prompt,
        text=data["text"],
        submission_key=data["submission_key"],
        seconds_spent=data["seconds"] or 0,
    )
    return redirect(answer)


@login_required
@require_GET
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    answer = submitted_answer_of(pk, request.user)
    if answer is None:
        raise Http404("No such answer.")
    latest_two = latest_two_scores(answer)
    current = latest_two[0] if latest_two and latest_two[0].is_current else None
    previous = latest_two[1] if current and len(latest_two) == 2 else None
    report = current.report if current else None
    review = student_review(answer, report)
    if review is not None and review.is_new:
        forget_navigation(request.user.pk)  # opening it took it off the unread badge
    context = {
        "answer": answer,
        "prompt": answer.prompt,
        "score": current,
        "previous_score": previous,
        "report": report,
        "review": review,
        "changes": compare_with_previous(answer),
    }
    if report:
        concepts = report["concepts"]
        context.update(
            highlighted_answer=highlighted_answer(answer.text, concepts),
            matched=[c for c in concepts if c["matched"]],
            missing=[c for c in concepts if not c["matched"]],
            figures=readability_figures(report["components"]["readability"]["metrics"]),
        )
    return render(request, "answers/feedback.html", context)
