"""The catalog in the Django admin: topics, prompts, rubrics and their concepts, rescoring jobs
and prompt packs.

Rubrics are edited on their own page, concepts inline: the admin cannot nest inlines (prompt >
rubric > concepts), and one page holding one rubric keeps its validation, live preview and
version in one place. The prompt's page summarises its rubric and links there; the rubric's
page shows the prompt's question and model answer, so an editor sees what the rubric is for.

Saving a rubric refreshes its version from the stored rows (catalog.rubrics.refresh_version);
answers scored under an older version are counted everywhere a rubric appears, and rescored
in the background by a RescoreJob whose progress is listed under "Rescore jobs".
"""

import json

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.core.validators import MinValueValidator
from django.db.models import Count
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.views.decorators.vary import vary_on_headers

from practice.answers import rescoring
from practice.scoring import EmptyAnswerError, PackError, score

from .forms import ConceptForm, ConceptFormSet, PackUploadForm, RubricForm
from .models import Concept, Prompt, RescoreJob, Rubric, Topic
from .packs import dump_yaml, export_pack, import_pack
from .rubrics import refresh_version
from .specs import prompt_spec, rubric_entry

BENCH_SIZE = 20


def _rescore_prompts(request: HttpRequest, prompts) -> HttpResponseRedirect | None:
    """Start a background rescore of each prompt's stale answers and say what happened."""
    started, up_to_date = [], []
    for prompt in prompts:
        try:
            job = rescoring.start_rescore(prompt=prompt, created_by=request.user)
        except rescoring.AlreadyRescoring as busy:
            messages.warning(request, f"{prompt.slug}: {busy}")
            continue
        (started if job else up_to_date).append((prompt, job))
    if up_to_date:
        slugs = ", ".join(prompt.slug for prompt, _ in up_to_date)
        messages.info(request, f"Nothing to rescore for {slugs}: every answer is up to date.")
    if not started:
        return None
    total = sum(job.total for _, job in started)
    messages.success(
        request,
        f"Rescoring {total} answer{'s' if total != 1 else ''} of {len(started)} "
        f"prompt{'s' if len(started) != 1 else ''} in the background; progress below.",
    )
    return redirect("admin:catalog_rescorejob_changelist")


def _stale_answers(count: int) -> str:
    return f"{count} stale answer{'s' if count != 1 else ''}"


def _answers(count: int) -> str:
    return f"{count} answer{'s' if count != 1 else ''}"


# Topics and packs --------------------------------------------------------------------------


class PromptListInline(admin.TabularInline):
    """The topic's prompts, to open them; they are edited on their own pages."""

    model = Prompt
    fields = ("directive", "marks", "word_limit", "published", "position")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "prompts"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "prompt_count", "position")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [PromptListInline]
    actions = ["export_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(prompt_count=Count("prompts"))

    @admin.display(description="prompts", ordering="prompt_count")
    def prompt_count(self, topic: Topic) -> int:
        return topic.prompt_count

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalog_topic_import",
            ),
            path(
                "<path:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="catalog_topic_export",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Export the selected topic as a pack (YAML)")
    def export_selected(self, request, queryset):
        topics = list(queryset[:2])
        if len(topics) != 1:
            messages.error(request, "Choose exactly one topic to export; a pack holds one topic.")
            return None
        return _pack_download(topics[0])

    def export_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        topic = self.get_object(request, unquote(object_id))
        if topic is None:
            raise Http404("No such topic.")
        if not self.has_view_permission(request, topic):
            raise PermissionDenied
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return _pack_download(topic)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = PackUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            versions_before = dict(Rubric.objects.values_list("pk", "version"))
            try:
                result = import_pack(form.cleaned_data["file"])
            except PackError as error:
                form.add_error("file", f"Nothing was imported: {error}")
            else:
                self._report_import(request, result, versions_before)
                return redirect("admin:catalog_topic_change", result.topic.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a prompt pack",
            "form": form,
        }
        return TemplateResponse(request, "admin/catalog/topic/import_pack.html", context)

    def _report_import(self, request, result, versions_before: dict[int, int]) -> None:
        self.log_change(
            request,
            result.topic,
            f"Imported a pack: {len(result.created)} prompts created, "
            f"{len(result.updated)} updated.",
        )
        rubrics = Rubric.objects.filter(prompt__topic=result.topic)
        new_versions = [
            rubric
            for rubric in rubrics.select_related("prompt")
            if rubric.pk in versions_before and rubric.version != versions_before[rubric.pk]
        ]
        messages.success(
            request,
            f"Imported “{result.topic}”: {len(result.created)} prompt(s) created, "
            f"{len(result.updated)} updated, {len(new_versions)} rubric(s) changed.",
        )
        stale = rescoring.stale_scores().filter(answer__prompt__topic=result.topic).count()
        if stale:
            url = (
                reverse("admin:catalog_prompt_changelist") + f"?topic__id__exact={result.topic.pk}"
            )
            messages.warning(
                request,
                format_html(
                    "{} of this topic {} scored under an older rubric. "
                    '<a href="{}">Rescore from the prompt list</a>.',
                    _answers(stale),
                    "is" if stale == 1 else "are",
                    url,
                ),
            )


def _pack_download(topic: Topic) -> HttpResponse:
    response = HttpResponse(
        dump_yaml(export_pack(topic)), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{topic.slug}.yaml"'
    return response


# Prompts -----------------------------------------------------------------------------------


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    list_display = ("slug", "directive", "marks", "published", "rubric_version", "stale_answers")
    list_filter = ("topic", "directive", "marks", "published")
    search_fields = ("slug", "question", "rubric__concepts__label")
    list_select_related = ("topic", "rubric")
    readonly_fields = ("rubric_summary",)
    actions = ["rescore_stale"]
    fieldsets = (
        (None, {"fields": ("topic", "slug", "question", "directive")}),
        ("Rubric", {"fields": ("rubric_summary",)}),
        ("Format", {"fields": (("word_limit", "marks", "minutes"), ("published", "position"))}),
        ("Model answer", {"fields": ("model_answer",)}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(stale_answers=rescoring.stale_count_annotation())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The engine needs positive whole numbers; the model field would also take 0.
        for name in ("word_limit", "marks", "minutes"):
            if name in form.base_fields:
                form.base_fields[name].validators.append(MinValueValidator(1))
                form.base_fields[name].widget.attrs["min"] = 1
        return form

    @admin.display(description="rubric", ordering="rubric__version")
    def rubric_version(self, prompt: Prompt):
        rubric = getattr(prompt, "rubric", None)
        if rubric is None:
            return "none"
        url = reverse("admin:catalog_rubric_change", args=[rubric.pk])
        return format_html('<a href="{}">version {}</a>', url, rubric.version)

    @admin.display(description="stale answers", ordering="stale_answers")
    def stale_answers(self, prompt: Prompt) -> int:
        return prompt.stale_answers

    @admin.display(description="rubric")
    def rubric_summary(self, prompt: Prompt):
        rubric = getattr(prompt, "rubric", None) if prompt.pk else None
        if rubric is None:
            if not prompt.pk:
                return "Save the prompt, then add its rubric."
            url = reverse("admin:catalog_rubric_add") + f"?prompt={prompt.pk}"
            return format_html(
                'No rubric yet: answers cannot be scored. <a class="button" href="{}">'
                "Add a rubric</a>",
                url,
            )
        stale = prompt.stale_answers if hasattr(prompt, "stale_answers") else 0
        labels = [concept.label for concept in rubric.concepts.all()]
        return format_html(
            '<a class="button rubric-edit-link" href="{}">Edit rubric (version {}, {})</a>'
            '<p class="rubric-concepts">{} concepts: {}</p>',
            reverse("admin:catalog_rubric_change", args=[rubric.pk]),
            rubric.version,
            _stale_answers(stale),
            len(labels),
            Truncator(", ".join(labels)).chars(300),
        )

    @admin.action(
        description="Rescore stale answers of the selected prompts", permissions=["change"]
    )
    def rescore_stale(self, request, queryset):
        return _rescore_prompts(request, queryset)


# Rubrics and concepts ----------------------------------------------------------------------


class ConceptInline(admin.StackedInline):
    # Stacked rather than tabular: every field keeps a visible label, and a concept's aliases
    # and hint stay readable side by side on a wide screen and one under the other on a phone.
    model = Concept
    form = ConceptForm
    formset = ConceptFormSet
    fields = (("label", "weight", "required", "position"), ("aliases", "hint"))
    ordering = ("position", "id")
    extra = 1
    classes = ("concepts",)


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    form = RubricForm
    inlines = [ConceptInline]
    list_display = ("prompt", "topic", "version", "concept_count", "stale_answers", "updated_at")
    list_filter = ("prompt__topic",)
    search_fields = ("prompt__slug", "prompt__question", "concepts__label", "concepts__aliases")
    list_select_related = ("prompt__topic",)
    actions = ["rescore_stale"]
    weight_fields = ("content_weight", "structure_weight", "readability_weight")

    def has_delete_permission(self, request, obj=None):
        # A prompt without a rubric cannot be scored; unpublish the prompt instead.
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                concept_count=Count("concepts"),
                stale_answers=rescoring.stale_count_annotation("prompt_id", "content_hash"),
            )
        )

    def get_fieldsets(self, request, obj=None):
        weights = (
            "Component weights",
            {
                "fields": (self.weight_fields,),
                "description": (
                    "How much content, structure and readability count towards the marks. "
                    "Leave all three blank for the defaults (0.6, 0.25, 0.15); otherwise "
                    "they must add up to 1."
                ),
            },
        )
        band = ("Readability band", {"fields": ("readability_band",)})
        if obj is None:
            return ((None, {"fields": ("prompt",)}), weights, band)
        return (
            ("Question", {"fields": ("prompt_link", "question", "model_answer")}),
            weights,
            band,
            ("Version", {"fields": ("version_status",)}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("prompt_link", "question", "model_answer", "version_status")

    @admin.display(description="topic", ordering="prompt__topic__title")
    def topic(self, rubric: Rubric):
        return rubric.prompt.topic

    @admin.display(description="concepts", ordering="concept_count")
    def concept_count(self, rubric: Rubric) -> int:
        return rubric.concept_count

    @admin.display(description="stale answers", ordering="stale_answers")
    def stale_answers(self, rubric: Rubric) -> int:
        return rubric.stale_answers

    @admin.display(description="prompt")
    def prompt_link(self, rubric: Rubric):
        prompt = rubric.prompt
        return format_html(
            '<a href="{}">{}</a> · {} · {} marks · {} words · {} minutes',
            reverse("admin:catalog_prompt_change", args=[prompt.pk]),
            prompt.slug,
            prompt.get_directive_display(),
            prompt.marks,
            prompt.word_limit,
            prompt.minutes,
        )

    @admin.display(description="question")
    def question(self, rubric: Rubric) -> str:
        return rubric.prompt.question

    @admin.display(description="model answer")
    def model_answer(self, rubric: Rubric):
        text = rubric.prompt.model_answer
        if not text:
            return "None."
        paragraphs = [part for part in text.split("\n") if part.strip()]
        return format_html(
            '<details class="model-answer"><summary>Show the model answer ({} words)</summary>'
            "{}</details>",
            len(text.split()),
            format_html_join("", "<p>{}</p>", ((part,) for part in paragraphs)),
        )

    @admin.display(description="version")
    def version_status(self, rubric: Rubric):
        stale = rescoring.stale_scores(rubric.prompt).count()
        summary = format_html(
            "Version {}, saved {}.",
            rubric.version,
            f"{timezone.localtime(rubric.updated_at):%d %b %Y %H:%M}",
        )
        if not stale:
            return format_html("{} Every answer is scored under this version.", summary)
        return format_html(
            '{} <strong class="stale-count">{} answer{} scored under an older version.</strong> '
            '<button type="submit" class="button" form="rescore-form">Rescore {} in the '
            "background</button>",
            summary,
            stale,
            "s are" if stale != 1 else " is",
            "them" if stale != 1 else "it",
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        rubric = form.instance
        if not refresh_version(rubric):
            return
        stale = rescoring.stale_scores(rubric.prompt).count()
        if rubric.version > 1:
            messages.info(
                request, f"The rubric of {rubric.prompt.slug} is now version {rubric.version}."
            )
        if stale:
            messages.warning(
                request,
                f"{stale} answer{'s are' if stale != 1 else ' is'} scored under an older version "
                "of this rubric; their marks change only when you rescore them.",
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "bench_size": BENCH_SIZE}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="catalog_rubric_preview",
            ),
            path(
                "<path:object_id>/rescore/",
                self.admin_site.admin_view(self.rescore_view),
                name="catalog_rubric_rescore",
            ),
            *super().get_urls(),
        ]

    @admin.action(
        description="Rescore stale answers of the selected rubrics", permissions=["change"]
    )
    def rescore_stale(self, request, queryset):
        prompts = Prompt.objects.filter(rubric__in=queryset)
        return _rescore_prompts(request, prompts)

    def _editable_rubric(self, request, object_id: str) -> Rubric:
        rubric = self.get_object(request, unquote(object_id))
        if rubric is None:
            raise Http404("No such rubric.")
        if not self.has_change_permission(request, rubric):
            raise PermissionDenied
        return rubric

    def rescore_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        rubric = self._editable_rubric(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        response = _rescore_prompts(request, [rubric.prompt])
        return response or redirect("admin:catalog_rubric_change", rubric.pk)

    @method_decorator(vary_on_headers("HX-Request"))
    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Score the pasted sample, the model answer and recent answers under the edited rubric.

        The form and concept formset are bound to the POSTed change form exactly as a save
        would bind them, but nothing is saved: the rubric object is a fresh copy that is only
        modified in memory.
        """
        rubric = self._editable_rubric(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form, formset = self._bound_forms(request, rubric)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": rubric,
            "title": f"Preview of the rubric for {rubric.prompt.slug}",
            "sample": request.POST.get("preview_text", ""),
        }
        form_valid = form.is_valid()
        if formset.is_valid() and form_valid:
            edited = prompt_spec(
                rubric.prompt, rubric_entry(form.instance, formset.kept_concepts())
            )
            context.update(self._preview_results(rubric, edited, context["sample"]))
        else:
            context["problems"] = _form_problems(form, formset)
        template = "admin/catalog/rubric/preview.html"
        if request.htmx:
            template += "#preview"
        return TemplateResponse(request, template, context)

    def _bound_forms(self, request, rubric):
        fields = flatten_fieldsets(self.get_fieldsets(request, rubric))
        readonly = self.get_readonly_fields(request, rubric)
        form_class = self.get_form(
            request, rubric, change=True, fields=[f for f in fields if f not in readonly]
        )
        form = form_class(request.POST, instance=rubric)
        formset_class, inline = next(iter(self.get_formsets_with_inlines(request, rubric)))
        prefix = formset_class.get_default_prefix()
        formset = formset_class(**self.get_formset_kwargs(request, rubric, inline, prefix))
        return form, formset

    def _preview_results(self, rubric: Rubric, edited, sample: str) -> dict:
        results: dict = {
            "edited_hash": edited.rubric.content_hash(),
            "changes_rubric": edited.rubric.content_hash() != rubric.content_hash,
            "bench": rescoring.compare_marks(rubric.prompt, edited, limit=BENCH_SIZE),
        }
        if sample.strip():
            try:
                results["report"] = score(sample, edited).to_dict()
                results["report_json"] = json.dumps(results["report"], indent=2, ensure_ascii=False)
            except EmptyAnswerError:
                results["sample_error"] = "The sample answer has no words to score."
        rows = [row for row in results["bench"] if row.change is not None]
        results["moved_up"] = sum(1 for row in rows if row.change > 0)
        results["moved_down"] = sum(1 for row in rows if row.change < 0)
        return results


def _form_problems(form, formset) -> list[str]:
    """Every validation message of the change form, as lines the preview can list."""
    problems = [str(error) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        label = str(form.fields[name].label) if name in form.fields else name
        if name.endswith("_weight"):
            label += " weight"
        problems += [f"{label}: {error}" for error in errors]
    problems += [str(error) for error in formset.non_form_errors()]
    for number, concept_form in enumerate(formset.forms, start=1):
        label = concept_form.data.get(concept_form.add_prefix("label")) or f"row {number}"
        for name, errors in concept_form.errors.items():
            field = concept_form.fields[name].label if name in concept_form.fields else ""
            problems += [f"Concept “{label}”, {str(field).lower()}: {e}" for e in errors]
    return problems


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    """Concepts across rubrics, to search them ("which rubric uses this alias?").

    Read-only: a concept is edited with the rest of its rubric, where the engine validates the
    whole rubric and the version is refreshed.
    """

    list_display = ("label", "prompt", "weight", "required", "position", "edit_link")
    ordering = ("rubric__prompt__topic__position", "rubric__prompt__position", "position")
    list_filter = ("required", "rubric__prompt__topic")
    search_fields = ("label", "aliases", "hint", "rubric__prompt__slug")
    list_select_related = ("rubric__prompt",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="prompt", ordering="rubric__prompt__slug")
    def prompt(self, concept: Concept) -> str:
        return concept.rubric.prompt.slug

    @admin.display(description="edit")
    def edit_link(self, concept: Concept):
        url = reverse("admin:catalog_rubric_change", args=[concept.rubric_id])
        return format_html('<a href="{}">Edit in its rubric</a>', url)


# Rescore jobs ------------------------------------------------------------------------------


@admin.register(RescoreJob)
class RescoreJobAdmin(admin.ModelAdmin):
    list_display = ("scope", "state", "progress", "outcome", "started")
    list_filter = ("state", "prompt__topic")
    list_select_related = ("prompt", "created_by")
    actions = None
    fields = (
        "scope",
        "state",
        "progress",
        "rescored",
        "changed",
        "flagged",
        "failed",
        "only_stale",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "error",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_active)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "rescoring_active": RescoreJob.objects.filter(
                state__in=(RescoreJob.State.QUEUED, RescoreJob.State.RUNNING)
            ).exists(),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="answers of")
    def scope(self, job: RescoreJob) -> str:
        return job.prompt.slug if job.prompt_id else "all prompts"

    @admin.display(description="outcome")
    def outcome(self, job: RescoreJob) -> str:
        return f"{job.changed} changed · {job.flagged} flagged · {job.failed} failed"

    @admin.display(description="started", ordering="created_at")
    def started(self, job: RescoreJob) -> str:
        who = job.created_by or "manage.py rescore"
        return f"{timezone.localtime(job.created_at):%d %b %H:%M} by {who}"

    @admin.display(description="progress")
    def progress(self, job: RescoreJob):
        return format_html(
            '<span class="rescore-progress"><progress max="100" value="{}" '
            'aria-label="{}% done"></progress> {} of {} ({}%)</span>',
            job.percent,
            job.percent,
            job.processed,
            job.total,
            job.percent,
        )
