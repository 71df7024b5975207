"""Rocket.Chat copy-paste: ``Full Name @username 8:01 AM`` headers, bot tags, event lines."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from drafting.ingest import rocketchat
from drafting.ingest.raw import UNKNOWN_SPEAKER, assemble
from drafting.ingest.types import MessageKind
from drafting.textinput import read_text

TESTS = Path(__file__).parents[1]
CORPUS_FILE = TESTS / "corpus" / "rocketchat-paste-ldap-bind-expired.txt"
TRUTH = json.loads(CORPUS_FILE.with_suffix(".truth.json").read_text(encoding="utf-8"))

PASTE = """\
#inc-db
Started a call
zabbix Bot 7:58 AM
PROBLEM - db-01: disk 95%
Ana Lima @ana.lima 8:01 AM
looking
```
Not A Header @nobody 8:02 AM
```
Ana Lima @ana.lima Admin 8:03 PM
df says 95%
Message pinned
hkarimi Moderator 20:04
on it"""


def other_files() -> list[Path]:
    corpus = [p for p in (TESTS / "corpus").iterdir() if not p.name.endswith(".truth.json")]
    fixtures = [p for p in (TESTS / "fixtures" / "transcripts").iterdir() if p.is_file()]
    return sorted(p for p in corpus + fixtures if p != CORPUS_FILE)


def test_rocketchat_headers_tags_and_events() -> None:
    raws = rocketchat.parse(PASTE)
    assert [(r.speaker, r.kind) for r in raws] == [
        (UNKNOWN_SPEAKER, MessageKind.SYSTEM),
        ("zabbix", MessageKind.BOT),
        ("Ana Lima", MessageKind.HUMAN),
        ("Ana Lima", MessageKind.HUMAN),
        (UNKNOWN_SPEAKER, MessageKind.SYSTEM),
        ("hkarimi", MessageKind.HUMAN),
    ]
    assert raws[0].text() == "Started a call" and raws[4].text() == "Message pinned"
    assert raws[2].text() == "looking\n```\nNot A Header @nobody 8:02 AM\n```"
    assert all("#inc-db" not in r.text() for r in raws)


def test_rocketchat_times_are_twelve_or_twenty_four_hour() -> None:
    t = assemble(rocketchat.parse(PASTE), rocketchat.FORMAT, start=date(2025, 3, 4))
    stamps = [m.ts.strftime("%H:%M") if m.ts else "-" for m in t.messages]
    assert stamps == ["-", "07:58", "08:01", "20:03", "-", "20:04"]


def test_rocketchat_date_dividers_date_the_times_after_them() -> None:
    text = (
        "March 3, 2025\nAna Lima @ana 11:58 PM\nstill down\n"
        "Tue, Mar 4, 2025\nAna Lima @ana 12:03 AM\nup"
    )
    t = assemble(rocketchat.parse(text), rocketchat.FORMAT, tz="Europe/Berlin")
    assert [m.ts for m in t.messages] == [
        datetime(2025, 3, 3, 22, 58, tzinfo=UTC),
        datetime(2025, 3, 3, 23, 3, tzinfo=UTC),
    ]
    assert t.date_known


def test_rocketchat_looks_like_needs_a_username_or_a_tag_after_one_token() -> None:
    yes = ["Amaru Quispe @amaru.quispe 8:01 AM", "rocket.cat Bot 7:58 AM", "ana Admin 08:01  "]
    no = [
        "Tom Becker 10:32 AM",
        "restart the Bot 9:30",
        "Ana Lima  10:02 AM",
        "[10:02 AM] Ana Lima",
        "[10:02] <ana> hi",
        "- 10:02 failover started",
        "Ana Lima: hi",
        "Ana Lima @ana 25:61",
    ]
    assert all(rocketchat.looks_like(line) for line in yes)
    assert not any(rocketchat.looks_like(line) for line in no)


def test_rocketchat_corpus_file_parses_to_the_counted_messages() -> None:
    raws = rocketchat.parse(read_text(CORPUS_FILE))
    counted = [r for r in raws if r.kind != MessageKind.SYSTEM]
    assert len(counted) == TRUTH["messages"]
    assert [r.text() for r in raws if r.kind is MessageKind.SYSTEM] == [
        "Started a call",
        "Message pinned",
    ]
    assert [r.speaker for r in counted[:4]] == [
        "rocket.cat",
        "Amaru Quispe",
        "Sigrún Jónsdóttir",
        "Hamid Karimi",
    ]
    assert [r.speaker for r in counted if r.kind is MessageKind.BOT] == ["rocket.cat"] * 2
    assert counted[-1].speaker == "Amaru Quispe" and counted[-1].text() == "banner removed"
    t = assemble(raws, rocketchat.FORMAT, start=date(2025, 3, 4))
    dated = [m for m in t.messages if m.ts is not None]
    assert dated[0].ts == datetime(2025, 3, 4, 7, 58, tzinfo=UTC)
    assert dated[-1].ts == datetime(2025, 3, 4, 8, 40, tzinfo=UTC)


def test_rocketchat_looks_like_its_headers_and_no_line_of_other_files() -> None:
    lines = read_text(CORPUS_FILE).split("\n")
    assert sum(map(rocketchat.looks_like, lines)) == TRUTH["messages"]
    for path in other_files():
        lines = read_text(path).split("\n")
        assert not any(map(rocketchat.looks_like, lines)), path.name


@given(st.lists(st.sampled_from(["Ana @ana ", "9:05 AM", "99:99", "\n", "x", "```"])).map("".join))
def test_rocketchat_every_message_has_a_time_or_text(text: str) -> None:
    for raw in rocketchat.parse(text):
        assert raw.kind is MessageKind.SYSTEM or raw.lines or raw.when is not None
