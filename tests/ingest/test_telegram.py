"""Telegram: the Desktop copy and the JSON export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.errors import TranscriptError
from drafting.ingest import telegram
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, assemble
from drafting.ingest.types import MessageKind
from drafting.textinput import read_text

CORPUS = Path(__file__).parents[1] / "corpus"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "transcripts"
COPY = "telegram-desktop-copy-public-bucket.txt"
EXPORT = "telegram-json-export-etcd-latency.json"


def corpus(name: str) -> tuple[str, int]:
    """A corpus file's text and the message count in its truth file."""
    truth = json.loads((CORPUS / f"{Path(name).stem}.truth.json").read_text(encoding="utf-8"))
    return read_text(CORPUS / name), int(truth["messages"])


def other_files() -> Iterator[tuple[str, str]]:
    """The name and text of every other corpus file and transcript fixture."""
    paths = [*CORPUS.iterdir(), *FIXTURES.rglob("*")]
    own = (COPY, EXPORT)
    for path in sorted(
        p for p in paths if p.is_file() and p.name not in own and "telegram" not in p.name
    ):
        if not path.name.endswith(".truth.json") and path.name != "README.md":
            yield path.name, read_text(path)


def posts(raws: list[Raw]) -> list[Raw]:
    return [r for r in raws if r.kind != MessageKind.SYSTEM]


def stamps(raws: list[Raw], tz: str = "UTC") -> list[datetime | None]:
    return [m.ts for m in assemble(raws, telegram.FORMAT, tz=tz).messages]


def export(*messages: dict[str, object]) -> str:
    return json.dumps({"name": "ops", "type": "private_group", "id": 1, "messages": messages})


# --- Desktop copy ------------------------------------------------------------------------------


def test_copy_header_gives_speaker_and_the_dotted_date_read_day_first() -> None:
    raws = telegram.parse("Olga Petrenko, [04.03.2025 21:14]\nbucket is public\n\n")
    assert [(r.speaker, r.text(), r.kind) for r in raws] == [
        ("Olga Petrenko", "bucket is public", MessageKind.HUMAN)
    ]
    assert stamps(raws) == [datetime(2025, 3, 4, 21, 14, tzinfo=UTC)]


def test_copy_slashed_dates_are_month_first_and_dates_may_be_left_out() -> None:
    raws = telegram.parse("Ana, [3/4/2025 9:14 PM]\nhi\n\nAna, [21:20]\nstill here\n")
    assert [r.speaker for r in raws] == ["Ana", "Ana"]
    assert stamps(raws) == [
        datetime(2025, 3, 4, 21, 14, tzinfo=UTC),
        datetime(2025, 3, 4, 21, 20, tzinfo=UTC),
    ]


def test_copy_reply_and_forward_lines_stay_with_the_message_below_the_header() -> None:
    raws = telegram.parse(
        "Yerlan Abenov, [04.03.2025 21:20]\n[In reply to Hamza Benali]\nit was the CDN change\n\n"
        "Hamza Benali, [04.03.2025 21:44]\n[Forwarded from FG Alerts Bot]\nCOMPLIANT\n"
    )
    assert [r.text() for r in raws] == [
        "[In reply to Hamza Benali]\nit was the CDN change",
        "[Forwarded from FG Alerts Bot]\nCOMPLIANT",
    ]


def test_copy_corpus_file_counts_every_message() -> None:
    text, expected = corpus(COPY)
    raws = telegram.parse(text)
    assert len(posts(raws)) == expected == 19
    assert [r.speaker for r in raws[:4]] == [
        "Olga Petrenko",
        "Hamza Benali",
        "Hamza Benali",
        "Yerlan Abenov",
    ]
    assert raws[12].speaker == "Unknown" and raws[12].text().startswith("[Forwarded from Unknown]")
    assert stamps(raws)[-1] == datetime(2025, 3, 4, 22, 9, tzinfo=UTC)


def test_looks_like_fires_on_copy_headers_only() -> None:
    lines = corpus(COPY)[0].split("\n")
    assert sum(telegram.looks_like(line) for line in lines) == 19
    for name, text in other_files():
        assert not [line for line in text.split("\n") if telegram.looks_like(line)], name
    for line in ("[3/4/2024 10:02 AM] Becker, Tom", "> ana [4:06 PM]", "Nomvula Dube, 10:03 AM"):
        assert not telegram.looks_like(line), line


# --- JSON export -------------------------------------------------------------------------------


def test_json_posts_and_service_entries_with_entity_text() -> None:
    raws = telegram.parse_json(
        export(
            {
                "id": 1,
                "type": "service",
                "date": "2025-03-04T02:11:05",
                "actor": "Zhou Yiming",
                "action": "invite_members",
                "members": ["Ikenna Nwosu"],
            },
            {
                "id": 2,
                "type": "message",
                "date": "2025-03-04T02:12:30",
                "from": "Zhou Yiming",
                "text": ["paging ", {"type": "mention", "text": "@kasia"}, " now"],
            },
            {
                "id": 3,
                "type": "message",
                "date": "2025-03-04T02:13:00",
                "from": "Katarzyna Nowak",
                "reply_to_message_id": 2,
                "edited": "2025-03-04T02:14:00",
                "text": [{"type": "code", "text": "etcdctl status"}, " ok"],
            },
        )
    )
    assert [(r.speaker, r.text(), r.kind) for r in raws] == [
        (UNKNOWN_SPEAKER, "Zhou Yiming added Ikenna Nwosu", MessageKind.SYSTEM),
        ("Zhou Yiming", "paging @kasia now", MessageKind.HUMAN),
        ("Katarzyna Nowak", "`etcdctl status` ok", MessageKind.HUMAN),
    ]
    assert (raws[2].edited, raws[2].parent, raws[1].edited) == (True, 1, False)
    # Without date_unixtime the local "date" is read in the transcript's zone.
    assert stamps(raws, tz="+08:00")[1] == datetime(2025, 3, 3, 18, 12, 30, tzinfo=UTC)


def test_json_corpus_file_counts_messages_not_service_entries() -> None:
    text, expected = corpus(EXPORT)
    raws = telegram.parse_json(text)
    assert len(posts(raws)) == expected == 18
    assert len(raws) == 20 and raws[0].kind is raws[-1].kind is MessageKind.SYSTEM
    assert [r.speaker for r in raws[1:4]] == ["Zhou Yiming", "Zhou Yiming", "Katarzyna Nowak"]
    assert raws[13].speaker == "Deleted Account"
    assert raws[6].text().startswith("```\nkasia@etcd-2:~$ sudo etcdctl")
    # date_unixtime is absolute: 02:11:40 at UTC+8 is 18:11:40 UTC the day before.
    assert stamps(raws)[1] == datetime(2025, 3, 3, 18, 11, 40, tzinfo=UTC)


def test_sniff_recognises_the_export_and_nothing_else() -> None:
    assert telegram.sniff(corpus(EXPORT)[0])
    assert not [name for name, text in other_files() if telegram.sniff(text)]
    assert not telegram.sniff('{"messages": [{"type": "message", "ts": "1709546400.000100"}]}')


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"messages": [', "not valid JSON"),
        ("[1, 2]", "not a Telegram chat export"),
        ('{"messages": [{"ts": "1"}]}', "not a Telegram chat export"),
    ],
)
def test_json_that_is_not_an_export_raises_one_sentence(text: str, says: str) -> None:
    with pytest.raises(TranscriptError, match=says) as err:
        telegram.parse_json(text)
    assert str(err.value).endswith(".") and "\n" not in str(err.value)


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.integers() | st.text(max_size=6), st.lists, max_leaves=10))
def test_any_text_field_gives_a_message_or_the_projects_error(value: object) -> None:
    item = {"id": 1, "type": "message", "date": "x", "from": value, "text": value}
    try:
        raws = telegram.parse_json(export(item, {"type": "service", "members": value}))
    except TranscriptError:
        return
    assert len(raws) == 2
