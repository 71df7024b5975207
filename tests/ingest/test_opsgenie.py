"""Opsgenie alert JSON: notes and activity-log entries as messages, oldest first."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafting.errors import TranscriptError
from drafting.ingest import opsgenie
from drafting.ingest.raw import assemble
from drafting.ingest.types import MessageKind
from drafting.textinput import read_text

TESTS = Path(__file__).parents[1]
CORPUS_FILE = TESTS / "corpus" / "opsgenie-alert-ingress-drain.json"
TRUTH = json.loads(CORPUS_FILE.with_suffix(".truth.json").read_text(encoding="utf-8"))

NOTES = [
    {"note": "Freed 20 GB.\nWatching.", "owner": "ana@x.example", "createdAt": "T2"},
    {"note": "On it.", "owner": "ana@x.example", "createdAt": "T1"},
]
LOGS = [
    {"log": "Alert created", "owner": "System", "type": "system", "createdAt": "T0"},
    {"log": "Alert closed via web", "owner": "bo@x.example", "createdAt": "T3"},
]
ALERT_BODY = {"data": {"tinyId": "7", "message": "disk full", "owner": "ana@x.example"}}
ALERT = {"alert": ALERT_BODY, "notes": {"data": NOTES}, "logs": {"data": LOGS}}
STAMPS = {f"T{i}": f"2025-03-04T04:2{i}:44.118Z" for i in range(4)}


def alert_json(data: object = ALERT) -> str:
    text = json.dumps(data)
    for key, stamp in STAMPS.items():
        text = text.replace(f'"{key}"', f'"{stamp}"')
    return text


def other_files() -> list[Path]:
    corpus = [p for p in (TESTS / "corpus").iterdir() if not p.name.endswith(".truth.json")]
    fixtures = [p for p in (TESTS / "fixtures" / "transcripts").rglob("*") if p.is_file()]
    return sorted(p for p in corpus + fixtures if p != CORPUS_FILE)


def test_opsgenie_notes_and_log_entries_merge_oldest_first() -> None:
    raws = opsgenie.parse(alert_json())
    assert [(r.speaker, r.text()) for r in raws] == [
        (opsgenie.OPSGENIE, "Alert created"),
        ("ana@x.example", "On it."),
        ("ana@x.example", "Freed 20 GB.\nWatching."),
        ("bo@x.example", "Alert closed via web"),
    ]
    assert [r.kind for r in raws] == [MessageKind.BOT] + [MessageKind.HUMAN] * 3


def test_opsgenie_timestamps_are_utc() -> None:
    t = assemble(opsgenie.parse(alert_json()), opsgenie.FORMAT, tz="Australia/Sydney")
    assert t.messages[0].ts == datetime(2025, 3, 4, 4, 20, 44, 118000, tzinfo=UTC)
    assert t.date_known


def test_opsgenie_one_api_reply_alone_is_enough() -> None:
    raws = opsgenie.parse(alert_json({"data": NOTES}))
    assert [r.text() for r in raws] == ["On it.", "Freed 20 GB.\nWatching."]
    assert len(opsgenie.parse(alert_json(LOGS))) == 2


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"alert": {"data": {"tinyId": "7"}', "not valid JSON"),
        (json.dumps({"alert": ALERT_BODY}), "not an Opsgenie alert export"),
        ("[1, 2, 3]", "not an Opsgenie alert export"),
        ('"just a string"', "not an Opsgenie alert export"),
        (json.dumps({"notes": {"data": [{"note": 5, "owner": "x"}]}}), "not an Opsgenie"),
    ],
)
def test_opsgenie_malformed_or_unexpected_json_is_one_clear_sentence(text: str, words: str) -> None:
    with pytest.raises(TranscriptError, match=words) as caught:
        opsgenie.parse(text)
    assert str(caught.value).count(". ") == 0 and str(caught.value).endswith(".")


def test_opsgenie_corpus_file_parses_to_the_counted_messages() -> None:
    raws = opsgenie.parse(read_text(CORPUS_FILE))
    assert len([r for r in raws if r.kind != MessageKind.SYSTEM]) == TRUTH["messages"]
    assert [r.speaker for r in raws].count(opsgenie.OPSGENIE) == 5
    assert raws[0].text().startswith("Alert created via Prometheus")
    assert raws[4].speaker == "oyuna.batbayar@wattle.example"
    assert raws[8].speaker == "rasmus.kjaer@wattle.example"
    assert raws[14].speaker == "unknown@external.example"
    assert raws[-1].text() == "Alert closed via web with note: recovered, see notes"
    t = assemble(raws, opsgenie.FORMAT)
    assert t.messages[0].ts == datetime(2025, 3, 4, 4, 21, 44, 201000, tzinfo=UTC)
    assert t.messages[-1].ts == datetime(2025, 3, 4, 5, 18, 7, 551000, tzinfo=UTC)


def test_opsgenie_sniff_knows_its_json_and_no_other_file() -> None:
    assert opsgenie.sniff(read_text(CORPUS_FILE))
    assert opsgenie.sniff(alert_json({"data": NOTES}))
    for path in other_files():
        assert not opsgenie.sniff(read_text(path)), path.name


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["alert", "notes", "logs", "data", "note", "log", "owner", "createdAt"]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@given(JSONISH)
def test_opsgenie_parse_takes_any_json(data: object) -> None:
    try:
        raws = opsgenie.parse(json.dumps(data))
    except TranscriptError:
        return
    assert raws and all(raw.speaker and raw.lines for raw in raws)
