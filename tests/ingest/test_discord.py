"""Discord: copy-paste headers (em dash, "Today at", the older form without a dash), grouped
follow-ups, reply previews, APP tags, DiscordChatExporter text exports, and the corpus files."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafting.errors import TranscriptError
from drafting.ingest import discord
from drafting.ingest.clock import Clock
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, assemble
from drafting.ingest.types import MessageKind

TESTS = Path(__file__).parents[1]
CORPUS = TESTS / "corpus"
FIXTURES = TESTS / "fixtures" / "transcripts"
OWN_FILES = (
    "discord-newstyle-bad-deploy.txt",
    "discord-today-at-disk-full.txt",
    "discord-chatexporter-ddos-game-servers.txt",
)


def corpus(name: str) -> tuple[str, int]:
    """A corpus file's text and the message count its truth file gives."""
    truth = json.loads((CORPUS / name).with_suffix(".truth.json").read_text(encoding="utf-8"))
    return (CORPUS / name).read_text(encoding="utf-8"), int(truth["messages"])


def counted(raws: list[Raw]) -> int:
    """The corpus test's rule: every message except system events."""
    return len([r for r in raws if r.kind != MessageKind.SYSTEM])


def other_format_lines() -> list[str]:
    """Every line of every corpus file and fixture that is not a Discord transcript."""
    paths = [p for p in CORPUS.iterdir() if not p.name.startswith("discord-")]
    paths += [p for p in FIXTURES.rglob("*") if p.is_file()]
    skip = (".truth.json", "README.md")
    texts = [
        p.read_text(encoding="utf-8", errors="replace") for p in paths if not p.name.endswith(skip)
    ]
    return [line for text in texts for line in text.split("\n")]


# --- copy-paste ------------------------------------------------------------------------------


def test_em_dash_header_with_a_date_starts_a_dated_message() -> None:
    (raw,) = discord.parse("mihai.p — 03/04/2025 10:02 AM\napi is 500ing\nweb seems fine")
    assert raw.speaker == "mihai.p"
    assert raw.lines == ["api is 500ing", "web seems fine"]
    assert raw.when == Clock(10, 2, 0, date(2025, 3, 4))


def test_slashed_dates_are_month_first_unless_that_cannot_be_and_dotted_day_first() -> None:
    raws = discord.parse("a — 25/03/2025 14:02\nx\nb — 4.3.2025 14:05\ny")
    assert [r.when.day if isinstance(r.when, Clock) else None for r in raws] == [
        date(2025, 3, 25),
        date(2025, 3, 4),
    ]


def test_today_at_header_has_a_time_and_no_date() -> None:
    (raw,) = discord.parse("Bolat | infra — Today at 3:26 AM\nhere.")
    assert (raw.speaker, raw.when) == ("Bolat | infra", Clock(3, 26))


def test_older_header_without_a_dash_is_a_header() -> None:
    raws = discord.parse("sio Today at 3:20 AM\nanyone awake?\nBolat Yesterday at 11:58 PM\nhere")
    assert [(r.speaker, r.text()) for r in raws] == [("sio", "anyone awake?"), ("Bolat", "here")]
    assert raws[1].when == Clock(23, 58)


def test_slack_search_header_with_two_spaces_is_not_discord() -> None:
    assert not discord.looks_like("Ana Ribeiro  Today at 2:32 PM")
    assert discord.parse("Ana Ribeiro  Today at 2:32 PM\nx")[0].speaker == UNKNOWN_SPEAKER


def test_yesterday_then_today_moves_to_the_next_day() -> None:
    text = "ana — Yesterday at 9:00 AM\nstart\nbo — Today at 3:00 PM\nnext day"
    t = assemble(discord.parse(text), discord.FORMAT)
    assert [m.ts for m in t.messages] == [
        datetime(1970, 1, 1, 9, 0, tzinfo=UTC),
        datetime(1970, 1, 2, 15, 0, tzinfo=UTC),
    ]


def test_bracketed_time_line_is_a_follow_up_by_the_same_author_on_the_same_day() -> None:
    text = "mihai.p — 03/04/2025 10:04 AM\nsentry has 14k events\n[10:04 AM]\nroll back?"
    raws = discord.parse(text)
    assert [(r.speaker, r.text()) for r in raws] == [
        ("mihai.p", "sentry has 14k events"),
        ("mihai.p", "roll back?"),
    ]
    assert raws[1].when == Clock(10, 4, 0, date(2025, 3, 4))


def test_app_and_bot_tags_mark_integrations_and_leave_the_name() -> None:
    text = (
        "GitHub ActionsAPP — Today at 10:02 AM\n✅ deploy\n"
        "Uptime Kuma APP — Today at 10:03 AM\n🔴 down\n"
        "statusBOT — Today at 10:04 AM\nup\n"
        "JAPP — Today at 10:05 AM\nhi"
    )
    raws = discord.parse(text)
    assert [(r.speaker, r.kind) for r in raws] == [
        ("GitHub Actions", MessageKind.BOT),
        ("Uptime Kuma", MessageKind.BOT),
        ("status", MessageKind.BOT),
        ("JAPP", None),
    ]


def test_reply_preview_above_a_header_is_dropped_and_links_the_parent() -> None:
    text = (
        "yusra — Today at 10:03 AM\nthat's the one. mobile sends the legacy header\n"
        "mihai.p — Today at 10:04 AM\nsentry has 14k events\n"
        "@yusra that's the one. mobile sends the legacy header\n"
        "kwame_a — Today at 10:05 AM\nyes roll back"
    )
    raws = discord.parse(text)
    assert [r.text() for r in raws] == [
        "that's the one. mobile sends the legacy header",
        "sentry has 14k events",
        "yes roll back",
    ]
    assert raws[2].parent == 0


def test_a_message_that_ends_with_a_mention_keeps_it() -> None:
    text = "mihai.p — Today at 10:17 AM\nrotate it please\n@yusra\nyusra — Today at 10:18 AM\nok"
    raws = discord.parse(text)
    assert raws[0].lines == ["rotate it please", "@yusra"]
    assert raws[1].parent is None


def test_edited_marks_and_reaction_counts_are_not_text() -> None:
    text = "eero — Today at 2:26 PM\nflag is off (edited)\n👍 3\n:eyes: 2 🎉 1\n👍"
    (raw,) = discord.parse(text)
    assert raw.edited
    assert raw.lines == ["flag is off", "👍"]  # a lone emoji is what someone wrote


def test_join_greeting_is_a_system_message() -> None:
    text = "ana — Today at 9:00 AM\nhi\nBloodRaven joined the party.\nbo — Today at 9:01 AM\nyo"
    raws = discord.parse(text)
    assert [(r.speaker, r.kind) for r in raws] == [
        ("ana", None),
        (UNKNOWN_SPEAKER, MessageKind.SYSTEM),
        ("bo", None),
    ]


def test_channel_welcome_before_the_first_header_is_dropped() -> None:
    text = "#incident-room\nWelcome to #incident-room!\nana — Today at 9:00 AM\nhi"
    assert [r.speaker for r in discord.parse(text)] == ["ana"]


def test_text_before_the_first_header_is_kept_without_a_speaker() -> None:
    raws = discord.parse("context: pasted from #ops\nana — Today at 9:00 AM\nhi")
    assert [(r.speaker, r.text()) for r in raws] == [
        (UNKNOWN_SPEAKER, "context: pasted from #ops"),
        ("ana", "hi"),
    ]


def test_code_fences_keep_header_like_lines_as_text() -> None:
    text = "ana — Today at 9:00 AM\n```\nbo — Today at 9:01 AM\n```\ndone"
    (raw,) = discord.parse(text)
    assert raw.lines == ["```", "bo — Today at 9:01 AM", "```", "done"]


# --- DiscordChatExporter ----------------------------------------------------------------------

EXPORT = """==============================================================
Guild: Tidewater Games
Channel: staff / incident-room
==============================================================

[04-Mar-25 07:12 PM] Tidewater Status#0000
{Embed}
Server Monitor
game-eu-1 unreachable

[04-Mar-25 07:14 PM] ines_carvalho
that's a DDoS
{Attachments}
https://cdn.example/bandwidth.png

{Reactions}
😬 (3)

[04-Mar-25 07:40 PM] BloodRaven
Joined the server.

==============================================================
Exported 3 message(s)
==============================================================
"""


def test_exporter_headers_are_dated_and_banner_footer_and_reactions_are_dropped() -> None:
    raws = discord.parse(EXPORT)
    assert [r.speaker for r in raws] == ["Tidewater Status#0000", "ines_carvalho", "BloodRaven"]
    assert raws[0].text() == "Server Monitor\ngame-eu-1 unreachable"
    assert raws[1].text() == "that's a DDoS\nhttps://cdn.example/bandwidth.png"
    assert raws[0].when == Clock(19, 12, 0, date(2025, 3, 4))


def test_exporter_system_entries_are_system_and_webhook_authors_are_bots() -> None:
    kinds = [r.kind for r in discord.parse(EXPORT)]
    assert kinds == [MessageKind.BOT, None, MessageKind.SYSTEM]


# --- corpus ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", OWN_FILES)
def test_corpus_file_parses_to_the_counted_messages(name: str) -> None:
    text, messages = corpus(name)
    assert counted(discord.parse(text)) == messages


def test_corpus_copy_paste_speakers_keep_names_as_written() -> None:
    raws = discord.parse(corpus("discord-newstyle-bad-deploy.txt")[0])
    assert [r.speaker for r in raws[:7]] == [
        "mihai.p",
        "GitHub Actions",
        "yusra",
        "mihai.p",
        "mihai.p",
        "kwame_a",
        "Lu 🧉",
    ]
    assert raws[5].parent == 2  # the "@yusra that's the one..." preview
    assert raws[20].speaker == "Kwame Asante"
    assert {r.speaker for r in raws if r.kind is MessageKind.BOT} == {"GitHub Actions"}


def test_corpus_today_at_speakers_and_reply_previews() -> None:
    raws = discord.parse(corpus("discord-today-at-disk-full.txt")[0])
    assert [r.speaker for r in raws[:5]] == [
        "Uptime Kuma",
        "Uptime Kuma",
        "sio 🌴",
        "Bolat | infra",
        "Bolat | infra",
    ]
    previews = [(i, r.parent) for i, r in enumerate(raws) if r.parent is not None]
    assert previews == [(8, 6), (24, 21)]
    assert not any(line.startswith("@") for r in raws for line in r.lines[-1:])


def test_corpus_exporter_counts_posts_not_the_join_entry() -> None:
    raws = discord.parse(corpus("discord-chatexporter-ddos-game-servers.txt")[0])
    assert len(raws) == 20  # what the exporter's footer says
    assert [(r.speaker, r.text()) for r in raws if r.kind is MessageKind.SYSTEM] == [
        ("BloodRaven", "Joined the server.")
    ]
    assert raws[5].speaker == "Nnamdi#4821"


def test_corpus_timestamps_assemble_on_their_stated_dates() -> None:
    dated = assemble(discord.parse(corpus(OWN_FILES[0])[0]), discord.FORMAT)
    assert dated.date_known
    assert dated.messages[0].ts == datetime(2025, 3, 4, 10, 2, tzinfo=UTC)
    assert dated.messages[-1].ts == datetime(2025, 3, 4, 10, 40, tzinfo=UTC)
    export = assemble(discord.parse(corpus(OWN_FILES[2])[0]), discord.FORMAT, tz="Europe/Berlin")
    assert export.messages[-1].ts == datetime(2025, 3, 4, 19, 31, tzinfo=UTC)


def test_corpus_today_at_times_stay_in_order_on_one_day() -> None:
    t = assemble(discord.parse(corpus(OWN_FILES[1])[0]), discord.FORMAT, start=date(2025, 3, 4))
    stamps = [m.ts for m in t.messages]
    assert stamps == sorted(s for s in stamps if s is not None)
    assert stamps[0] == datetime(2025, 3, 4, 3, 12, tzinfo=UTC)
    assert stamps[-1] == datetime(2025, 3, 4, 4, 45, tzinfo=UTC)


# --- detection ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", OWN_FILES)
def test_looks_like_fires_on_every_header_line_of_a_corpus_file_and_no_other(name: str) -> None:
    lines = corpus(name)[0].split("\n")
    headers = [line for line in lines if " — " in line or line.startswith("[04-Mar-25 ")]
    assert headers
    assert [line for line in lines if discord.looks_like(line)] == headers


def test_looks_like_fires_on_no_line_of_another_format() -> None:
    assert [line for line in other_format_lines() if discord.looks_like(line)] == []


@given(st.text())
def test_any_text_parses_and_assembles_or_holds_no_message(text: str) -> None:
    raws = discord.parse(text)
    try:
        assemble(raws, discord.FORMAT)
    except TranscriptError:
        assert raws == []
