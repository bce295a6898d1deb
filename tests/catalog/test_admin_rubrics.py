"""Editing rubrics in the admin: concepts inline, the engine's validation, versions, stale
counts, the live preview and test bench (which write nothing), and starting a rescore."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice.answers.models import Answer, Score
from practice.answers.services import submit_answer
from practice.catalog.models import Concept, RescoreJob, Rubric
from practice.reviews.models import Review

pytestmark = pytest.mark.django_db

# Mentions only some of the first prompt's concepts, so rubric edits move its marks.
PARTIAL = (
    "India and South Korea signed a naval logistics pact in Seoul in 2019. It lets each navy "
    "refuel and repair ships of the other, which builds trust between the two navies.\n\n"
    "The pact also supports joint exercises at sea. In conclusion, defence is now central."
)


# Helpers: the change form as the admin page posts it ---------------------------------------


def concept_row(concept, **changes) -> dict:
    row = {
        "id": concept.pk,
        "label": concept.label,
        "weight": concept.weight,
        "aliases": concept.aliases,
        "hint": concept.hint,
        "required": concept.required,
        "position": concept.position,
    }
    row.update(changes)
    return row


def rubric_form(rubric, *, rows=None, weights=("", "", ""), band="", **extra) -> dict:
    """Rows with an "id" must come first: they are the formset's initial forms."""
    if rows is None:
        rows = [concept_row(concept) for concept in rubric.concepts.all()]
    data = {
        "content_weight": weights[0],
        "structure_weight": weights[1],
        "readability_weight": weights[2],
        "readability_band": band,
        "concepts-TOTAL_FORMS": str(len(rows)),
        "concepts-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        "concepts-MIN_NUM_FORMS": "0",
        "concepts-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data[f"concepts-{index}-rubric"] = rubric.pk
        for key, value in row.items():
            if key in ("required", "DELETE"):
                if value:
                    data[f"concepts-{index}-{key}"] = "on"
            else:
                data[f"concepts-{index}-{key}"] = "" if value is None else value
    data.update(extra)
    return data


def change_url(rubric) -> str:
    return reverse("admin:catalog_rubric_change", args=[rubric.pk])


def preview_url(rubric) -> str:
    return reverse("admin:catalog_rubric_preview", args=[rubric.pk])


def submitted(student, prompt, text) -> Answer:
    return submit_answer(
        student=student, prompt=prompt, text=text, submission_key=uuid.uuid4(), seconds_spent=60
    )


def rows_with(rubric, index: int, **changes) -> list[dict]:
    concepts = list(rubric.concepts.all())
    return [
        concept_row(concept, **(changes if i == index else {}))
        for i, concept in enumerate(concepts)
    ]


@pytest.fixture
def rubric(prompt) -> Rubric:
    return prompt.rubric


def errors_of(response) -> str:
    assert response.status_code == 200, "the form should be shown again with its errors"
    return response.content.decode()


# The pages ---------------------------------------------------------------------------------


def test_rubric_page_shows_the_question_model_answer_concepts_and_preview(admin_client, rubric):
    page = admin_client.get(change_url(rubric)).content.decode()
    assert rubric.prompt.question[:60] in page
    assert "Show the model answer" in page
    for concept in rubric.concepts.all():
        assert f'value="{concept.label}"' in page
    assert 'name="preview_text"' in page
    assert f'data-hx-post="{preview_url(rubric)}"' in page
    assert f'formaction="{preview_url(rubric)}"' in page, "Preview must work without JavaScript"
    assert re.search(r'<script src="/static/[^"]*htmx[^"]*"', page), "htmx for the preview"


def test_prompt_page_links_to_its_rubric_with_version_and_stale_count(
    admin_client, rubric, student
):
    submitted(student, rubric.prompt, PARTIAL)
    Concept.objects.filter(rubric=rubric).update(weight=1)
    from practice.catalog.rubrics import refresh_version

    refresh_version(rubric)
    page = admin_client.get(
        reverse("admin:catalog_prompt_change", args=[rubric.prompt.pk])
    ).content.decode()
    assert "Edit rubric (version 2, 1 stale answer)" in page
    assert change_url(rubric) in page


def test_prompt_and_rubric_lists_count_stale_answers_and_search_concepts(
    admin_client, rubric, student
):
    submitted(student, rubric.prompt, PARTIAL)
    response = admin_client.post(
        change_url(rubric), rubric_form(rubric, rows=rows_with(rubric, 0, weight=5))
    )
    assert response.status_code == 302
    prompts = admin_client.get(reverse("admin:catalog_prompt_changelist"))
    by_slug = {prompt.slug: prompt.stale_answers for prompt in prompts.context["cl"].result_list}
    assert by_slug[rubric.prompt.slug] == 1
    assert sum(by_slug.values()) == 1
    label = rubric.concepts.first().label
    rubrics = admin_client.get(reverse("admin:catalog_rubric_changelist"), {"q": f'"{label}"'})
    found = {r.pk: r.stale_answers for r in rubrics.context["cl"].result_list}
    assert found[rubric.pk] == 1
    assert len(found) < Rubric.objects.count()


# Saving and versions -----------------------------------------------------------------------


def test_saving_an_edit_bumps_the_version_and_says_how_many_answers_are_stale(
    admin_client, rubric, student, other_student
):
    for who in (student, other_student):
        submitted(who, rubric.prompt, PARTIAL)
    old_hash = rubric.content_hash
    response = admin_client.post(
        change_url(rubric),
        rubric_form(rubric, rows=rows_with(rubric, 1, aliases="naval logistics\nlogistics pact")),
        follow=True,
    )
    rubric.refresh_from_db()
    assert rubric.version == 2
    assert rubric.content_hash != old_hash
    assert list(rubric.concepts.get(position=1).alias_list) == ["naval logistics", "logistics pact"]
    page = response.content.decode()
    assert "now version 2" in page
    assert "2 answers are scored under an older version" in page

    page = admin_client.get(change_url(rubric)).content.decode()
    assert "2 answers are scored under an older version" in page
    assert 'form="rescore-form"' in page


def test_saving_without_a_change_keeps_the_version(admin_client, rubric):
    response = admin_client.post(change_url(rubric), rubric_form(rubric))
    assert response.status_code == 302
    rubric.refresh_from_db()
    assert rubric.version == 1


def test_weights_band_new_concept_and_order_are_saved_and_change_the_version(admin_client, rubric):
    rows = rows_with(rubric, 0, position=99)
    rows.append(
        {"label": "Act East Policy", "weight": 1.5, "aliases": "Act East\nLook East", "hint": ""}
    )
    response = admin_client.post(
        change_url(rubric),
        rubric_form(
            rubric,
            rows=rows,
            weights=("0.7", "0.2", "0.1"),
            band='{"flesch_kincaid_grade": [8, 13]}',
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rubric.refresh_from_db()
    assert rubric.weights == {"content": 0.7, "structure": 0.2, "readability": 0.1}
    assert rubric.readability_band == {"flesch_kincaid_grade": [8, 13]}
    assert rubric.version == 2
    labels = [concept.label for concept in rubric.concepts.all()]
    # The row given position 99 moves to the end; the new row, left without a position,
    # goes after every numbered row.
    assert labels[-2:] == [rows[0]["label"], "Act East Policy"]
    assert rubric.concepts.get(label="Act East Policy").alias_list == ["Act East", "Look East"]


def test_blank_weights_mean_the_engine_defaults(admin_client, prompt):
    rubric = prompt.rubric
    rubric.weights = {"content": 0.7, "structure": 0.2, "readability": 0.1}
    rubric.save()
    response = admin_client.post(change_url(rubric), rubric_form(rubric, weights=("", "", "")))
    assert response.status_code == 302
    rubric.refresh_from_db()
    assert rubric.weights is None


# Validation messages -----------------------------------------------------------------------


def test_empty_aliases_are_refused_with_a_clear_message(admin_client, rubric):
    before = list(rubric.concepts.values_list("aliases", flat=True))
    page = errors_of(
        admin_client.post(
            change_url(rubric), rubric_form(rubric, rows=rows_with(rubric, 2, aliases=" \n "))
        )
    )
    assert "Give at least one alias." in page
    assert list(rubric.concepts.values_list("aliases", flat=True)) == before
    rubric.refresh_from_db()
    assert rubric.version == 1


def test_an_alias_repeated_in_another_concept_names_that_concept(admin_client, rubric):
    concepts = list(rubric.concepts.all())
    taken = concepts[0].alias_list[0]
    page = errors_of(
        admin_client.post(
            change_url(rubric),
            rubric_form(rubric, rows=rows_with(rubric, 3, aliases=f"{taken.upper()}s\nsomething")),
        )
    )
    assert "duplicates" in page
    assert f"of “{concepts[0].label}”" in page
    assert "once case, hyphens and endings are ignored" in page
    assert rubric.concepts.get(pk=concepts[3].pk).aliases == concepts[3].aliases


@pytest.mark.parametrize("weight", ["0", "-2"])
def test_a_concept_weight_must_be_positive(admin_client, rubric, weight):
    page = errors_of(
        admin_client.post(
            change_url(rubric), rubric_form(rubric, rows=rows_with(rubric, 0, weight=weight))
        )
    )
    assert f"Must be positive (got {weight})." in page
    assert rubric.concepts.first().weight > 0


def test_component_weights_must_sum_to_one(admin_client, rubric):
    response = admin_client.post(
        change_url(rubric), rubric_form(rubric, weights=("0.7", "0.3", "0.1"))
    )
    page = errors_of(response)
    assert "Content, structure and readability must sum to 1 (got 1.1)." in page
    assert "content_weight" in response.context["adminform"].form.errors
    rubric.refresh_from_db()
    assert rubric.weights is None


def test_component_weights_are_all_or_nothing(admin_client, rubric):
    response = admin_client.post(
        change_url(rubric), rubric_form(rubric, weights=("0.7", "", "0.3"))
    )
    page = errors_of(response)
    form = response.context["adminform"].form
    assert list(form.errors) == ["structure_weight"]
    assert "Give all three component weights or none" in page


def test_a_component_weight_above_one_is_shown_at_that_weight(admin_client, rubric):
    response = admin_client.post(change_url(rubric), rubric_form(rubric, weights=("1.5", "0", "0")))
    form = response.context["adminform"].form
    assert form.errors["content_weight"] == ["Must be between 0 and 1 (got 1.5)."]


def test_an_unknown_readability_metric_is_refused(admin_client, rubric):
    page = errors_of(
        admin_client.post(change_url(rubric), rubric_form(rubric, band='{"reading_age": [1, 2]}'))
    )
    assert "Unknown metric; use one of flesch_reading_ease" in page


def test_a_rubric_needs_a_concept(admin_client, rubric):
    rows = [concept_row(c, DELETE=True) for c in rubric.concepts.all()]
    page = errors_of(admin_client.post(change_url(rubric), rubric_form(rubric, rows=rows)))
    assert "A rubric needs at least one concept." in page
    assert rubric.concepts.count() > 0


def test_labels_differing_only_in_case_are_refused(admin_client, rubric):
    first = rubric.concepts.first().label
    page = errors_of(
        admin_client.post(
            change_url(rubric), rubric_form(rubric, rows=rows_with(rubric, 1, label=first.upper()))
        )
    )
    assert f"repeats “{first}”" in page


def test_a_label_with_a_tab_is_refused_and_nothing_changes(admin_client, rubric):
    before = list(rubric.concepts.values_list("label", flat=True))
    page = errors_of(
        admin_client.post(
            change_url(rubric),
            rubric_form(rubric, rows=rows_with(rubric, 1, label="Act East\tpolicy")),
        )
    )
    assert "Must be one line, without tabs or other control characters." in page
    assert list(rubric.concepts.values_list("label", flat=True)) == before


def test_swapping_two_labels_in_one_save_works(admin_client, rubric):
    first, second = list(rubric.concepts.all())[:2]
    rows = [concept_row(c) for c in rubric.concepts.all()]
    rows[0]["label"], rows[1]["label"] = second.label, first.label
    response = admin_client.post(change_url(rubric), rubric_form(rubric, rows=rows))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.label, second.label) == (rows[0]["label"], rows[1]["label"])


# Preview and test bench --------------------------------------------------------------------


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def test_preview_scores_the_sample_under_the_unsaved_edit_and_writes_nothing(
    admin_client, rubric, student
):
    answer = submitted(student, rubric.prompt, PARTIAL)
    counts = (Score.objects.count(), Concept.objects.count(), Rubric.objects.count())
    saved = Rubric.objects.values().get(pk=rubric.pk)
    data = rubric_form(
        rubric,
        rows=[
            *rows_with(rubric, 0, label="Renamed for the preview"),
            {"label": "Mutual trust", "weight": 4, "aliases": "trust between", "hint": "Trust."},
        ],
        preview_text=PARTIAL,
    )
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.post(preview_url(rubric), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert (Score.objects.count(), Concept.objects.count(), Rubric.objects.count()) == counts
    assert Rubric.objects.values().get(pk=rubric.pk) == saved
    assert answer.scores.count() == 1

    page = response.content.decode()
    assert "<html" not in page, "htmx gets the partial only"
    assert "HX-Request" in response["Vary"]
    assert "Sample answer:" in page
    assert "Renamed for the preview" in page
    assert "“trust between”" in page, "the new concept's evidence is shown"
    assert "saving it will make version 2" in page
    assert "Nothing has been saved." in page


def test_bench_shows_marks_now_with_the_edit_and_mentor_marks(
    admin_client, rubric, student, other_student, mentor
):
    reviewed = submitted(student, rubric.prompt, PARTIAL)
    submitted(other_student, rubric.prompt, rubric.prompt.model_answer)
    Review.objects.create(
        answer=reviewed, mentor=mentor, final_marks=6.5, reviewed_at=timezone.now()
    )
    now = reviewed.scores.get(is_current=True).total
    data = rubric_form(rubric, weights=("1", "0", "0"))
    response = admin_client.post(preview_url(rubric), data, headers={"HX-Request": "true"})
    bench = response.context["bench"]
    assert [row.label for row in bench] == [
        "Model answer",
        other_student.username,
        student.username,
    ]
    row = bench[2]
    assert row.before == now
    assert row.mentor == 6.5
    assert row.after is not None and row.after != now
    page = response.content.decode()
    assert "6.5" in page
    assert "How marks would change" in page
    assert reverse("admin:answers_answer_change", args=[reviewed.pk]) in page


def test_preview_of_an_invalid_edit_lists_the_problems(admin_client, rubric):
    data = rubric_form(
        rubric, rows=rows_with(rubric, 0, weight="-1"), weights=("0.5", "0.5", "0.5")
    )
    response = admin_client.post(preview_url(rubric), data, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "cannot be previewed" in page
    assert "Must be positive (got -1)." in page
    assert "must sum to 1 (got 1.5)" in page


def test_preview_without_javascript_is_a_page_of_its_own(admin_client, rubric):
    response = admin_client.post(preview_url(rubric), rubric_form(rubric, preview_text=PARTIAL))
    page = response.content.decode()
    assert "<html" in page
    assert "Back button" in page
    assert "Sample answer:" in page


def test_an_empty_sample_is_reported_not_scored(admin_client, rubric):
    response = admin_client.post(
        preview_url(rubric), rubric_form(rubric, preview_text="  ... "), headers={"HX-Request": "1"}
    )
    assert "The sample answer has no words to score." in response.content.decode()


def test_preview_is_for_staff_with_post_only(admin_client, mentor_client, rubric):
    assert admin_client.get(preview_url(rubric)).status_code == 405
    response = mentor_client.post(preview_url(rubric), rubric_form(rubric))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# Rescoring from the admin ------------------------------------------------------------------


def make_stale(rubric) -> None:
    Concept.objects.filter(rubric=rubric).update(weight=1)
    from practice.catalog.rubrics import refresh_version

    refresh_version(rubric)


def test_rescore_button_rescores_in_the_background_and_lists_progress(
    admin_client, rubric, student, other_student
):
    answers = [submitted(who, rubric.prompt, PARTIAL) for who in (student, other_student)]
    make_stale(rubric)
    response = admin_client.post(
        reverse("admin:catalog_rubric_rescore", args=[rubric.pk]), follow=True
    )
    job = RescoreJob.objects.get()
    assert (job.state, job.total, job.rescored) == ("done", 2, 2)
    page = response.content.decode()
    assert "Rescoring 2 answers of 1 prompt in the background" in page
    assert "2 of 2 (100%)" in page
    for answer in answers:
        assert answer.scores.count() == 2
        assert answer.scores.get(is_current=True).rubric_version == 2
    page = admin_client.get(change_url(rubric)).content.decode()
    assert "Every answer is scored under this version." in page


def test_prompt_action_rescores_the_selected_prompts(admin_client, rubric, student):
    submitted(student, rubric.prompt, PARTIAL)
    make_stale(rubric)
    response = admin_client.post(
        reverse("admin:catalog_prompt_changelist"),
        {"action": "rescore_stale", "_selected_action": [rubric.prompt.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_rescorejob_changelist")
    assert RescoreJob.objects.get().rescored == 1


def test_nothing_to_rescore_is_said_plainly(admin_client, rubric, student):
    submitted(student, rubric.prompt, PARTIAL)
    response = admin_client.post(
        reverse("admin:catalog_rubric_rescore", args=[rubric.pk]), follow=True
    )
    assert "every answer is up to date" in response.content.decode()
    assert not RescoreJob.objects.exists()


def test_job_list_polls_only_while_a_job_is_active(admin_client, rubric, student):
    from practice.answers.rescoring import create_job, run_to_completion

    submitted(student, rubric.prompt, PARTIAL)
    make_stale(rubric)
    job = create_job(prompt=rubric.prompt)
    page = admin_client.get(reverse("admin:catalog_rescorejob_changelist")).content.decode()
    assert 'data-hx-trigger="every 2s"' in page
    assert "0 of 1 (0%)" in page
    run_to_completion(job)
    page = admin_client.get(reverse("admin:catalog_rescorejob_changelist")).content.decode()
    assert 'data-hx-trigger="every 2s"' not in page
    assert "1 of 1 (100%)" in page


def test_concepts_are_searchable_but_edited_in_their_rubric(admin_client, rubric):
    concept = rubric.concepts.first()
    alias = concept.alias_list[0]
    response = admin_client.get(reverse("admin:catalog_concept_changelist"), {"q": alias})
    assert concept in response.context["cl"].result_list
    assert change_url(rubric) in response.content.decode()
    detail = admin_client.get(reverse("admin:catalog_concept_change", args=[concept.pk]))
    assert detail.context["has_change_permission"] is False


def test_a_rubric_can_be_added_to_a_prompt_without_one(admin_client, topic):
    from practice.catalog.models import Prompt

    prompt = Prompt.objects.create(
        topic=topic,
        slug="new-prompt",
        question="Examine the role of defence exports in India's foreign policy.",
        directive="examine",
        word_limit=150,
        marks=10,
        minutes=7,
    )
    add_url = reverse("admin:catalog_rubric_add")
    prompt_page = admin_client.get(reverse("admin:catalog_prompt_change", args=[prompt.pk]))
    assert f"{add_url}?prompt={prompt.pk}" in prompt_page.content.decode()
    form = admin_client.get(add_url, {"prompt": prompt.pk}).context["adminform"].form
    assert list(form.fields["prompt"].queryset) == [prompt]

    rubric = Rubric(pk=None)
    data = rubric_form(
        rubric,
        rows=[{"label": "Defence exports", "weight": 2, "aliases": "defence exports\nBrahMos"}],
        prompt=prompt.pk,
    )
    data["concepts-0-rubric"] = ""
    response = admin_client.post(add_url, data)
    assert response.status_code == 302
    created = Rubric.objects.get(prompt=prompt)
    assert created.version == 1
    assert created.content_hash
    assert [c.alias_list for c in created.concepts.all()] == [["defence exports", "BrahMos"]]


def test_rubrics_cannot_be_deleted_from_the_admin(admin_client, rubric):
    response = admin_client.get(reverse("admin:catalog_rubric_delete", args=[rubric.pk]))
    assert response.status_code == 403
    assert Rubric.objects.filter(pk=rubric.pk).exists()
