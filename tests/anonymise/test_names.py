"""Name detection for people who never speak: prefilter, span cleaning, the real offline model."""

from __future__ import annotations

import os

import pytest

from drafting.anonymise import anonymise, build_roster, names
from drafting.anonymise.egress import leaks
from drafting.anonymise.names import context_names, dataset_names, first_names
from drafting.ingest.types import Message, Transcript

needs_ner = pytest.mark.skipif(not names.available(), reason="the 'ner' extra is not installed")


@pytest.mark.parametrize(
    "text",
    ["Lisa from support says hi", "thanks Dana!", "analyst (Mei) saw it", "ask Priya Raman"],
)
def test_prefilter_keeps_lines_with_an_unknown_capitalised_word(text: str) -> None:
    assert names.is_candidate(text, known=set())


@pytest.mark.parametrize(
    "text",
    [
        "db-prod-3 is down, ProductService stale",
        "Restarting the pod on db-prod-3 now",
        "The Kafka lag on eu-west is back to normal",
        "ALERT api.example.net NXDOMAIN",
        "thanks Tom",  # already in the roster
        "all good, nothing to see",
        "found the slow query\nRestarting the writer now",
    ],
)
def test_prefilter_skips_lines_with_only_known_words_hosts_and_code(text: str) -> None:
    assert not names.is_candidate(text, known={"tom"})


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("Lisa", "Lisa"),
        ("Dana's", "Dana"),
        ("@Priya Raman", "Priya Raman"),
        ("db-prod-3", None),
        ("ProductService", None),
        ("ALERT", None),
        ("[12:04", None),
        ("Kafka", None),
        ("Tom", None),
        ("McKay", "McKay"),
        ("Pieter van Dijk", "Pieter van Dijk"),
        ("van", None),
        ("Forbidden", None),
    ],
)
def test_clean_name_drops_hosts_code_and_known_words(span: str, expected: str | None) -> None:
    assert names.clean_name(span, known={"tom"}) == expected


def test_missing_ner_extra_gives_one_clear_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names, "available", lambda: False)
    names._batch_analyzer.cache_clear()
    try:
        with pytest.raises(names.NameDetectionUnavailableError, match="'ner' extra"):
            names.detect(["thanks Dana"])
    finally:
        names._batch_analyzer.cache_clear()


@needs_ner
def test_detect_skips_the_model_when_no_line_is_a_candidate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(texts: list[str]) -> list[list[str]]:
        raise AssertionError(f"the model was asked about {texts}")

    monkeypatch.setattr(names, "_person_spans", fail)
    assert names.detect(["all good", "thanks Tom", "db-prod-3 is down"], known={"tom"}) == []


@needs_ner
def test_offline_model_finds_people_who_never_speak_and_not_hosts() -> None:
    texts = [
        "Lisa from support says customers are angry",
        "thanks Dana!",
        "I asked Priya Raman to check db-prod-3",
        "db-prod-3 flapping, ProductService stale in eu-west",
    ]
    found = names.detect(texts, known={"tom"})
    assert {"Lisa", "Dana", "Priya Raman"} <= set(found)
    assert not {"db-prod-3", "ProductService"} & set(found)
    assert os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] == ""


@needs_ner
def test_build_roster_with_detection_hides_a_name_nobody_mentions_with_at() -> None:
    messages = [
        Message(id="m1", speaker="Tom Becker", text="Lisa from support escalated it"),
        Message(id="m2", speaker="Ana", text="thanks Tom, and Lisa"),
    ]
    t = Transcript(format="test", messages=messages)
    roster = build_roster(t, detect_names=True)
    assert [e.source for e in roster.entries] == ["speaker", "detected", "speaker"]
    out = anonymise(t, roster)
    assert [m.text for m in out.messages] == [
        "Responder B from support escalated it",
        "thanks Responder A, and Responder B",
    ]
    assert leaks("\n".join(m.text for m in out.messages), roster) == []


def test_chat_phrases_find_first_names_the_model_misses() -> None:
    lines = [
        "Marcus from support says customers see errors",
        "checked with Tomasz, the billing job is paused",
        "thanks Dana!",
        "checked with Kafka and with Will, deployed by Tom, ping db-prod-3",
        "synced with Okta.example and with Terraform",
    ]
    assert names.context_names(lines, known={"tom"}) == ["Marcus", "Tomasz", "Dana"]


def test_the_english_model_is_not_asked_about_text_in_another_language() -> None:
    german = ["Das Zertifikat wurde heute Nacht erneuert", "Danke! ca. 25 Minuten Ausfall"]
    english = ["the cert was renewed last night", "thanks, it is fixed"]
    assert not names.looks_english(german)
    assert names.looks_english(english)


def test_first_names_from_the_dataset_are_found_where_the_model_misses_them() -> None:
    lines = [
        "no worries Marek, that's a trap in the playbook",
        "this is Priya's PR from yesterday",
        "Kwabena, you have the other key?",
        "Will you check the deploy?",  # a word first, a name second: not from the dataset
        "Summer traffic peaked at 09:00",
    ]
    assert dataset_names(lines) == ["Marek", "Priya", "Kwabena"]


def test_the_first_name_dataset_leaves_out_ordinary_words() -> None:
    names = first_names()
    assert {"marek", "ngozi", "sigrún", "tomasz"} <= names
    assert not {"will", "may", "mark", "the", "can", "page", "dev"} & names


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("IC is me. Seun, can you check the old cert?", "Seun"),
        ("ugh. rotating after this. Gurpreet thanks for the quick key", "Gurpreet"),
        ("Responder C@Keonis-MacBook-Pro ~ % gh run view", "Keonis"),
        ("Sent from Ngozi's iPhone", "Ngozi"),
    ],
)
def test_names_are_found_from_how_chat_addresses_people_and_names_devices(
    line: str, name: str
) -> None:
    assert context_names([line]) == [name]


def test_a_name_that_is_no_english_word_counts_at_the_start_of_a_sentence_too() -> None:
    assert dataset_names(["Beatriz declares SEV1, takes IC."]) == ["Beatriz"]
    assert dataset_names(["Grant access to the bucket."]) == []  # an English word first
