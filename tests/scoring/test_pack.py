"""Packs: the whole file validated in one place, errors naming file, prompt and field."""

import json

import pytest

from practice.scoring import PackError, load_pack

from .conftest import CALIBRATION, prompt_entry


def pack(*prompts, topic=None):
    return {"topic": topic or {"slug": "monsoon", "title": "Monsoon"}, "prompts": list(prompts)}


def test_the_calibration_pack_loads():
    topic, prompts = load_pack(CALIBRATION / "pack.yaml")
    assert topic == {"slug": "calibration-act-east-nsp", "title": topic["title"]}
    assert [p.slug for p in prompts] == ["calibration-aep-nsp"]
    assert prompts[0].word_limit == 250 and prompts[0].marks == 15


def test_json_packs_load_and_round_trip(tmp_path):
    data = pack(prompt_entry(), topic={"slug": "m", "title": "M", "summary": "About rain."})
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    topic, prompts = load_pack(path)
    assert topic["summary"] == "About rain."
    again = {"topic": topic, "prompts": [p.to_dict() for p in prompts]}
    assert load_pack(again) == (topic, prompts)


def test_errors_name_the_prompt_by_index_and_slug():
    bad = prompt_entry(slug="second", word_limit=-5)
    with pytest.raises(PackError) as raised:
        load_pack(pack(prompt_entry(), bad))
    assert str(raised.value).startswith("prompts[1] (second): word_limit: must be a positive")


def test_duplicate_prompt_slugs_are_rejected():
    with pytest.raises(PackError, match=r"prompts\[1\] \(monsoon-agriculture\): slug repeats"):
        load_pack(pack(prompt_entry(), prompt_entry()))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "pack: must be a mapping"),
        ({"prompts": [prompt_entry()]}, "topic: is required"),
        (pack(topic={"slug": "x"}), "topic.title: is required"),
        (
            {"topic": {"slug": "x", "title": "X"}, "prompts": []},
            "prompts: must be a non-empty list",
        ),
        (
            {"topic": {"slug": "x", "title": "X"}, "prompts": ["oops"]},
            "prompts[0]: prompt: must be",
        ),
    ],
)
def test_invalid_packs(data, message):
    with pytest.raises(PackError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_pack(data)


def test_unreadable_and_invalid_files_give_one_line(tmp_path):
    with pytest.raises(PackError, match="cannot read pack .*missing.yaml: No such file"):
        load_pack(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("topic: [\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"broken.yaml: invalid YAML at line 2"):
        load_pack(broken)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PackError, match="is not UTF-8 text"):
        load_pack(binary)
