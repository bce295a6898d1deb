import pytest
import yaml
from django.core.management import CommandError, call_command

from practice.catalog.models import Concept, Prompt
from practice.scoring import load_pack
from tests.conftest import SHIPPED_PACK

pytestmark = pytest.mark.django_db


def test_shipped_pack_meets_the_mains_format():
    topic, specs = load_pack(SHIPPED_PACK)
    assert topic["slug"] == "india-south-korea-defence"
    assert len(specs) >= 8
    assert len({spec.directive for spec in specs}) >= 5
    formats = {(spec.marks, spec.word_limit, spec.minutes) for spec in specs}
    assert formats == {(10, 150, 7), (15, 250, 11)}
    for spec in specs:
        assert 6 <= len(spec.rubric.concepts) <= 12, spec.slug
        assert all(concept.hint for concept in spec.rubric.concepts), spec.slug
        assert spec.model_answer
        assert len(spec.model_answer.split()) <= spec.word_limit, spec.slug


def test_shipped_pack_keeps_the_corrected_facts():
    # The source article has these wrong; the shipped prompts, hints and answers must not.
    text = yaml.safe_dump(yaml.safe_load(SHIPPED_PACK.read_text(encoding="utf-8")))
    assert "Hanwha Land Systems" not in text
    assert "1963" not in text
    assert "2020 agreements" not in text


def test_import_creates_then_updates_by_slug(tmp_path, capsys):
    call_command("import_pack", str(SHIPPED_PACK))
    count = Prompt.objects.count()
    data = yaml.safe_load(SHIPPED_PACK.read_text(encoding="utf-8"))
    data["prompts"][0]["question"] = "An edited question?"
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    call_command("import_pack", str(edited))
    assert Prompt.objects.count() == count
    assert Prompt.objects.get(slug=data["prompts"][0]["slug"]).question == "An edited question?"
    assert "0 prompt(s) created" in capsys.readouterr().out


def test_round_trip_is_lossless(tmp_path, capsys):
    call_command("import_pack", str(SHIPPED_PACK))
    out = tmp_path / "out.yaml"
    call_command("export_pack", "india-south-korea-defence", "-o", str(out))
    _, original = load_pack(SHIPPED_PACK)
    _, exported = load_pack(out)
    assert exported == original

    capsys.readouterr()
    call_command("export_pack", "india-south-korea-defence")
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed == yaml.safe_load(out.read_text(encoding="utf-8"))


def test_reimporting_an_unchanged_pack_keeps_rubric_versions():
    call_command("import_pack", str(SHIPPED_PACK))
    versions = dict(Prompt.objects.values_list("slug", "rubric__version"))
    call_command("import_pack", str(SHIPPED_PACK))
    assert dict(Prompt.objects.values_list("slug", "rubric__version")) == versions


def test_invalid_pack_is_refused_with_a_clear_error_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("topic: {slug: t, title: T}\nprompts:\n  - slug: p\n", encoding="utf-8")
    with pytest.raises(CommandError, match="bad.yaml"):
        call_command("import_pack", str(bad))
    assert not Prompt.objects.exists()
    assert not Concept.objects.exists()


def test_missing_file_and_unknown_topic_are_clear_errors(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_pack", str(tmp_path / "nope.yaml"))
    with pytest.raises(CommandError, match="No topic"):
        call_command("export_pack", "nope")


def test_an_unpublished_prompt_stays_unpublished_through_the_round_trip(tmp_path):
    call_command("import_pack", str(SHIPPED_PACK))
    hidden = Prompt.objects.order_by("position").first()
    hidden.published = False
    hidden.save()
    out = tmp_path / "out.yaml"
    call_command("export_pack", "india-south-korea-defence", "-o", str(out))
    exported = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert exported["prompts"][0]["published"] is False
    assert "published" not in exported["prompts"][1]

    Prompt.objects.filter(pk=hidden.pk).update(published=True)
    call_command("import_pack", str(out))
    assert not Prompt.objects.get(pk=hidden.pk).published
