"""PagerDuty incident log-entries CSV: one message per row, agents as speakers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafting.errors import TranscriptError
from drafting.ingest import pagerduty
from drafting.ingest.raw import assemble
from drafting.ingest.types import MessageKind
from drafting.textinput import read_text

TESTS = Path(__file__).parents[1]
CORPUS_FILE = TESTS / "corpus" / "pagerduty-log-entries-es-disk-watermark.csv"
TRUTH = json.loads(CORPUS_FILE.with_suffix(".truth.json").read_text(encoding="utf-8"))
HEADER = "Created At,Type,Summary,Agent,Agent Email,Channel,Incident Number,Note\n"

CSV = HEADER + (
    "2025-03-04T02:47:13Z,trigger_log_entry,Triggered through the API.,Datadog,,api,7,\n"
    "2025-03-04T02:47:13Z,notify_log_entry,Notified Ana Lima via SMS.,,,auto,7,\n"
    "2025-03-04T02:55:02Z,acknowledge_log_entry,Acknowledged by Ana Lima.,Ana Lima,"
    "ana@x.example,mobile,7,\n"
    '2025-03-04T03:01:40Z,annotate_log_entry,Note added.,Ana Lima,ana@x.example,website,7,"disk'
    ' 95%, read-only.\nran: curl -d \'{""index"": null}\'"\n'
    "2025-03-04T03:05:00Z,resolve_log_entry,,Ana Lima,ana@x.example,website,7,fixed\n"
)


def other_files() -> list[Path]:
    corpus = [p for p in (TESTS / "corpus").iterdir() if not p.name.endswith(".truth.json")]
    fixtures = [p for p in (TESTS / "fixtures" / "transcripts").iterdir() if p.is_file()]
    return sorted(p for p in corpus + fixtures if p != CORPUS_FILE)


def test_pagerduty_rows_become_messages_by_their_agents() -> None:
    raws = pagerduty.parse(CSV)
    assert [(r.speaker, r.kind) for r in raws] == [
        ("Datadog", MessageKind.BOT),
        (pagerduty.PAGERDUTY, MessageKind.BOT),
        ("Ana Lima", MessageKind.HUMAN),
        ("Ana Lima", MessageKind.HUMAN),
        ("Ana Lima", MessageKind.HUMAN),
    ]
    assert raws[2].text() == "Acknowledged by Ana Lima."


def test_pagerduty_notes_keep_their_lines_and_quotes() -> None:
    raws = pagerduty.parse(CSV)
    assert raws[3].lines == ["disk 95%, read-only.", "ran: curl -d '{\"index\": null}'"]
    assert raws[4].lines == ["Resolve", "fixed"]  # no summary: the entry's type says what


def test_pagerduty_timestamps_are_absolute_and_naive_ones_are_in_the_transcript_zone() -> None:
    t = assemble(pagerduty.parse(CSV), pagerduty.FORMAT, tz="Pacific/Auckland")
    assert t.messages[0].ts == datetime(2025, 3, 4, 2, 47, 13, tzinfo=UTC)
    naive = HEADER + "2025-03-04 15:47:13,trigger_log_entry,Triggered.,Datadog,,api,7,\n"
    t = assemble(pagerduty.parse(naive), pagerduty.FORMAT, tz="Pacific/Auckland")
    assert t.messages[0].ts == datetime(2025, 3, 4, 2, 47, 13, tzinfo=UTC)


def test_pagerduty_newest_first_exports_come_out_oldest_first() -> None:
    head, *rows = CSV.rstrip("\n").split("\n")
    note = rows[3] + "\n" + rows[4]  # the quoted note spans two lines
    newest_first = "\n".join([head, rows[5], note, rows[2], rows[1], rows[0]])
    raws = pagerduty.parse(newest_first)
    assert [r.lines for r in raws] == [r.lines for r in pagerduty.parse(CSV)]


def test_pagerduty_agent_type_column_decides_person_or_integration() -> None:
    text = "created_at,type,summary,agent,agent_type\n2025-03-04T02:47:13Z,trigger,Up.,es-api,"
    assert pagerduty.parse(text + "service_reference")[0].kind is MessageKind.BOT
    assert pagerduty.parse(text + "user_reference")[0].kind is MessageKind.HUMAN


def test_pagerduty_csv_without_its_columns_is_refused_in_one_sentence() -> None:
    with pytest.raises(TranscriptError, match="not a PagerDuty log-entries export"):
        pagerduty.parse("Incident Number,Title,Status\n7,Disk full,resolved\n")


def test_pagerduty_corpus_file_parses_to_the_counted_messages() -> None:
    raws = pagerduty.parse(read_text(CORPUS_FILE))
    assert len([r for r in raws if r.kind != MessageKind.SYSTEM]) == TRUTH["messages"]
    assert (raws[0].speaker, raws[0].kind) == ("Prometheus Alertmanager", MessageKind.BOT)
    assert (raws[1].speaker, raws[1].kind) == (pagerduty.PAGERDUTY, MessageKind.BOT)
    assert (raws[4].speaker, raws[4].kind) == ("Aroha Wihongi", MessageKind.HUMAN)
    assert raws[-1].speaker == "Benedikt Huber"
    annotations = [r for r in raws if r.kind is MessageKind.HUMAN and "\n" in r.text()]
    assert [r.speaker for r in annotations] == ["Emre Aydın", "Emre Aydın"]
    assert annotations[0].lines[1].startswith("Plan: delete app-logs-*")
    t = assemble(raws, pagerduty.FORMAT, tz="Europe/Istanbul")
    assert t.messages[0].ts == datetime(2025, 3, 4, 2, 47, 13, tzinfo=UTC)
    assert t.messages[-1].ts == datetime(2025, 3, 4, 8, 5, 9, tzinfo=UTC)
    assert t.date_known


def test_pagerduty_sniff_knows_its_header_and_no_other_file() -> None:
    assert pagerduty.sniff(read_text(CORPUS_FILE))
    assert pagerduty.sniff("\ufeff" + CSV)
    for path in other_files():
        assert not pagerduty.sniff(read_text(path)), path.name


@given(st.text())
def test_pagerduty_parse_takes_any_rows_under_its_header(rows: str) -> None:
    try:
        raws = pagerduty.parse(HEADER + rows)
    except TranscriptError:
        return  # malformed CSV: refused in one sentence
    assert all(raw.speaker and raw.lines for raw in raws)
