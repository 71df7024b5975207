"""Matrix: Element's plain-text export (locale date forms, room events, replies, emotes, the room
header) and the corpus file."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from drafting.errors import TranscriptError
from drafting.ingest import matrix
from drafting.ingest.clock import Clock
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, assemble
from drafting.ingest.types import MessageKind

TESTS = Path(__file__).parents[1]
CORPUS = TESTS / "corpus"
FIXTURES = TESTS / "fixtures" / "transcripts"
OWN_FILE = "matrix-element-export-synapse-media.txt"


def corpus(name: str) -> tuple[str, int]:
    """A corpus file's text and the message count its truth file gives."""
    truth = json.loads((CORPUS / name).with_suffix(".truth.json").read_text(encoding="utf-8"))
    return (CORPUS / name).read_text(encoding="utf-8"), int(truth["messages"])


def counted(raws: list[Raw]) -> int:
    """The corpus test's rule: every message except system events."""
    return len([r for r in raws if r.kind != MessageKind.SYSTEM])


def other_format_lines() -> list[str]:
    """Every line of every corpus file and fixture that is not a Matrix transcript."""
    paths = [p for p in CORPUS.iterdir() if not p.name.startswith("matrix-")]
    paths += [p for p in FIXTURES.rglob("*") if p.is_file()]
    skip = (".truth.json", "README.md")
    texts = [
        p.read_text(encoding="utf-8", errors="replace") for p in paths if not p.name.endswith(skip)
    ]
    return [line for text in texts for line in text.split("\n")]


def test_us_locale_line_is_a_dated_message_with_seconds() -> None:
    (raw,) = matrix.parse("3/4/2025, 1:02:58 PM - Paora Te Rangi: synapse is returning 502")
    assert (raw.speaker, raw.lines) == ("Paora Te Rangi", ["synapse is returning 502"])
    assert raw.when == Clock(13, 2, 58, date(2025, 3, 4))


def test_other_locales_write_the_date_day_first_or_year_first() -> None:
    text = (
        "04/03/2025, 13:02:14 - Kiri: en-GB\n"
        "4.3.2025, 13:02:15 - Kiri: de\n"
        "2025-03-04 13:02:16 - Kiri: sv\n"
        "3/4/2025, 1:02:17\u202fPM - Kiri: en-US with a narrow no-break space"
    )
    whens = [r.when for r in matrix.parse(text)]
    assert [w.day if isinstance(w, Clock) else None for w in whens] == [date(2025, 3, 4)] * 4
    assert [w.second if isinstance(w, Clock) else None for w in whens] == [14, 15, 16, 17]


def test_lines_without_a_timestamp_continue_the_message() -> None:
    text = "3/4/2025, 1:05:19 PM - Paora: log says\n```\nOSError: [Errno 28]\n```"
    (raw,) = matrix.parse(text)
    assert raw.lines == ["log says", "```", "OSError: [Errno 28]", "```"]


def test_room_events_are_system_messages_by_their_actor() -> None:
    text = (
        "3/4/2025, 1:02:14 PM - Paora Te Rangi created and configured the room.\n"
        "3/4/2025, 1:02:31 PM - Paora Te Rangi invited Kiri Hohaia\n"
        '3/4/2025, 1:02:40 PM - Paora Te Rangi changed the topic to "down: IC Kiri".\n'
        "3/4/2025, 1:03:40 PM - Kiri Hohaia joined the room\n"
        "3/4/2025, 1:04:02 PM - Kiri Hohaia: I invited nobody\n"
        "3/4/2025, 1:45:40 PM - @vik:kereru.example left the room"
    )
    raws = matrix.parse(text)
    assert [(r.speaker, r.kind) for r in raws] == [
        ("Paora Te Rangi", MessageKind.SYSTEM),
        ("Paora Te Rangi", MessageKind.SYSTEM),
        ("Paora Te Rangi", MessageKind.SYSTEM),
        ("Kiri Hohaia", MessageKind.SYSTEM),
        ("Kiri Hohaia", None),
        ("@vik:kereru.example", MessageKind.SYSTEM),
    ]


def test_a_matrix_id_sender_keeps_its_colon() -> None:
    (raw,) = matrix.parse("3/4/2025, 1:02:58 PM - @kiri:kereru.example: taking IC")
    assert (raw.speaker, raw.text()) == ("@kiri:kereru.example", "taking IC")


def test_element_reply_quote_is_dropped_and_links_the_parent() -> None:
    text = (
        "3/4/2025, 1:06:30 PM - Vikram Iyer: the media store is on the root volume?\n"
        '3/4/2025, 1:07:44 PM - Paora: <@vikram:kereru.example "the media store is on the ro...">'
        " we moved the uploads"
    )
    raws = matrix.parse(text)
    assert raws[1].lines == ["we moved the uploads"]
    assert raws[1].parent == 0


def test_in_reply_to_line_is_dropped_and_links_the_parent() -> None:
    text = (
        "3/4/2025, 1:06:30 PM - Vikram Iyer: the media store is on the root volume?\n"
        "3/4/2025, 1:07:00 PM - Kiri: hm\n"
        "3/4/2025, 1:07:44 PM - Paora: In reply to: Vikram Iyer: the media store is on the root"
        " volume?\nwe moved the uploads"
    )
    raws = matrix.parse(text)
    assert (raws[2].lines, raws[2].parent) == (["we moved the uploads"], 0)


def test_emote_is_a_message_by_its_sender() -> None:
    text = (
        "3/4/2025, 1:02:58 PM - Paora Te Rangi: hi\n3/4/2025, 1:03:00 PM - * Paora Te Rangi waves"
    )
    raws = matrix.parse(text)
    assert [(r.speaker, r.text(), r.kind) for r in raws] == [
        ("Paora Te Rangi", "hi", None),
        ("Paora Te Rangi", "waves", None),
    ]


def test_export_room_header_is_dropped_but_other_leading_text_is_kept() -> None:
    line = "3/4/2025, 1:02:58 PM - Paora: hi"
    header = "Incident room\nTopic: down\nExported by @kiri:kereru.example on 3/4/2025\n\n"
    assert [r.speaker for r in matrix.parse(header + line)] == ["Paora"]
    kept = matrix.parse("pasted from the war room:\n" + line)
    assert [(r.speaker, r.text()) for r in kept] == [
        (UNKNOWN_SPEAKER, "pasted from the war room:"),
        ("Paora", "hi"),
    ]


def test_corpus_file_parses_to_the_counted_messages() -> None:
    text, messages = corpus(OWN_FILE)
    raws = matrix.parse(text)
    assert counted(raws) == messages
    assert len([r for r in raws if r.kind is MessageKind.SYSTEM]) == 6


def test_corpus_speakers_and_the_reply() -> None:
    raws = [r for r in matrix.parse(corpus(OWN_FILE)[0]) if r.kind is None]
    assert [r.speaker for r in raws[:5]] == [
        "Paora Te Rangi",
        "Kiri Hohaia",
        "Paora Te Rangi",
        "Vikram Iyer",
        "Paora Te Rangi",
    ]
    reply = raws[4]
    assert reply.text().startswith("we moved the uploads.")
    assert reply.parent is not None


def test_corpus_timestamps_assemble_on_the_stated_date() -> None:
    t = assemble(matrix.parse(corpus(OWN_FILE)[0]), matrix.FORMAT, tz="Pacific/Auckland")
    assert t.date_known
    # 1:02:14 PM in Auckland (NZDT, UTC+13) on 4 March is 00:02:14 UTC the same day.
    assert t.messages[0].ts == datetime(2025, 3, 4, 0, 2, 14, tzinfo=UTC)
    stamps = [m.ts for m in t.messages]
    assert stamps == sorted(s for s in stamps if s is not None)


def test_looks_like_fires_on_every_event_line_of_the_corpus_file() -> None:
    lines = corpus(OWN_FILE)[0].split("\n")
    assert [line for line in lines if matrix.looks_like(line)] == [
        line for line in lines if line.startswith("3/4/2025, ")
    ]


def test_looks_like_fires_on_no_line_of_another_format() -> None:
    # WhatsApp Android's "3/4/25, 1:02 PM - Name: text" has no seconds: not Matrix.
    assert [line for line in other_format_lines() if matrix.looks_like(line)] == []
    assert not matrix.looks_like("3/4/25, 1:02 PM - Sione: on my way")


@given(st.text())
def test_any_text_parses_and_assembles_or_holds_no_message(text: str) -> None:
    raws = matrix.parse(text)
    try:
        assemble(raws, matrix.FORMAT)
    except TranscriptError:
        assert raws == []
