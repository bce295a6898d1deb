"""Importing and exporting prompt packs from the admin."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practice.catalog.models import Concept, Prompt, Rubric, Topic
from practice.catalog.packs import dump_yaml, export_pack
from practice.scoring import load_pack
from tests.conftest import SHIPPED_PACK

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:catalog_topic_import"


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/yaml")


def shipped() -> dict:
    return yaml.safe_load(SHIPPED_PACK.read_text(encoding="utf-8"))


def test_topic_list_links_to_the_import_page(admin_client):
    page = admin_client.get(reverse("admin:catalog_topic_changelist")).content.decode()
    assert reverse(IMPORT_URL) in page
    form = admin_client.get(reverse(IMPORT_URL)).content.decode()
    assert 'type="file"' in form
    assert '<label class="required" for="id_file">' in form


def test_importing_a_pack_creates_the_topic_and_prompts(admin_client):
    response = admin_client.post(
        reverse(IMPORT_URL), {"file": upload("pack.yaml", SHIPPED_PACK.read_text())}, follow=True
    )
    topic = Topic.objects.get(slug="india-south-korea-defence")
    assert response.redirect_chain[-1][0] == reverse("admin:catalog_topic_change", args=[topic.pk])
    assert topic.prompts.count() == len(shipped()["prompts"])
    assert f"{topic.prompts.count()} prompt(s) created, 0 updated, 0 rubric(s) changed" in (
        response.content.decode()
    )


def test_importing_a_changed_rubric_bumps_its_version_and_warns_of_stale_answers(
    admin_client, topic, prompt, student_client
):
    from tests.answers.helpers import submit

    submit(student_client, prompt, prompt.model_answer)
    data = shipped()
    data["prompts"][0]["rubric"]["concepts"][0]["weight"] = 5
    response = admin_client.post(
        reverse(IMPORT_URL), {"file": upload("pack.json", yaml.safe_dump(data))}, follow=True
    )
    page = response.content.decode()
    assert "0 prompt(s) created" in page and "1 rubric(s) changed" in page
    assert "1 answer of this topic is scored under an older rubric" in page
    assert Rubric.objects.get(prompt=prompt).version == 2


def test_invalid_yaml_is_refused_with_its_line_and_nothing_is_written(admin_client):
    response = admin_client.post(
        reverse(IMPORT_URL), {"file": upload("bad.yaml", "topic: {slug: t\nprompts: [")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file is not valid YAML at line" in page
    assert not Topic.objects.exists()


def test_an_invalid_pack_names_the_field_and_nothing_is_written(admin_client):
    data = shipped()
    data["prompts"][2]["rubric"]["concepts"][0]["weight"] = -1
    response = admin_client.post(
        reverse(IMPORT_URL), {"file": upload("pack.yaml", yaml.safe_dump(data))}
    )
    page = response.content.decode()
    assert "Nothing was imported: prompts[2]" in page
    assert "weight: must be positive (got -1)" in page
    assert not Topic.objects.exists()
    assert not Concept.objects.exists()


def test_a_file_that_is_not_text_is_refused(admin_client):
    response = admin_client.post(
        reverse(IMPORT_URL),
        {"file": SimpleUploadedFile("x.yaml", b"\xff\xfe\x00bad", content_type="text/yaml")},
    )
    assert "The file is not UTF-8 text." in response.content.decode()


def test_import_is_for_staff_only(mentor_client):
    response = mentor_client.get(reverse(IMPORT_URL))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_topic_page_exports_the_pack_as_yaml_that_round_trips(admin_client, topic):
    url = reverse("admin:catalog_topic_export", args=[topic.pk])
    assert (
        url
        in admin_client.get(reverse("admin:catalog_topic_change", args=[topic.pk])).content.decode()
    )
    response = admin_client.get(url)
    assert response["Content-Type"].startswith("application/yaml")
    assert f'filename="{topic.slug}.yaml"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text == dump_yaml(export_pack(topic))
    _, exported = load_pack(yaml.safe_load(text))
    _, original = load_pack(SHIPPED_PACK)
    assert exported == original


def test_export_action_needs_exactly_one_topic(admin_client, topic):
    Topic.objects.create(slug="other", title="Other")
    changelist = reverse("admin:catalog_topic_changelist")
    one = admin_client.post(
        changelist, {"action": "export_selected", "_selected_action": [topic.pk]}
    )
    assert one["Content-Disposition"].startswith("attachment")
    both = admin_client.post(
        changelist,
        {
            "action": "export_selected",
            "_selected_action": list(Topic.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert "Choose exactly one topic to export" in both.content.decode()
    assert Prompt.objects.count() == 10
