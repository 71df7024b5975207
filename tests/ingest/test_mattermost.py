"""Mattermost copy-paste: name / BOT / time lines, follow-up posts, thread context, date
separators, edit marks, and the corpus file."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from drafting.errors import TranscriptError
from drafting.ingest import mattermost
from drafting.ingest.clock import Clock
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, assemble
from drafting.ingest.types import MessageKind

TESTS = Path(__file__).parents[1]
CORPUS = TESTS / "corpus"
FIXTURES = TESTS / "fixtures" / "transcripts"
OWN_FILE = "mattermost-paste-redis-eviction.txt"
# New Teams copy also puts the time on a line of its own ("Mahmood, Tariq" / "7:42 AM"): one line
# cannot tell the two apart, so that file is the one other format looks_like fires on.
SAME_TIME_LINES = "teams-paste-sftp-host-key.txt"


def corpus(name: str) -> tuple[str, int]:
    """A corpus file's text and the message count its truth file gives."""
    truth = json.loads((CORPUS / name).with_suffix(".truth.json").read_text(encoding="utf-8"))
    return (CORPUS / name).read_text(encoding="utf-8"), int(truth["messages"])


def counted(raws: list[Raw]) -> int:
    """The corpus test's rule: every message except system events."""
    return len([r for r in raws if r.kind != MessageKind.SYSTEM])


def firing_files() -> set[str]:
    """Corpus files and fixtures of other formats with a line looks_like fires on."""
    paths = [p for p in CORPUS.iterdir() if not p.name.startswith("mattermost-")]
    paths += [p for p in FIXTURES.rglob("*") if p.is_file()]
    fired = set()
    for path in paths:
        if path.name.endswith((".truth.json", "README.md")):
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        if any(mattermost.looks_like(line) for line in lines):
            fired.add(path.name)
    return fired


def test_name_then_time_line_starts_a_post() -> None:
    (raw,) = mattermost.parse("fatou.diallo\n2:19 PM\nsupport has 30+ tickets\nweb and app")
    assert (raw.speaker, raw.lines) == ("fatou.diallo", ["support has 30+ tickets", "web and app"])
    assert raw.when == Clock(14, 19)


def test_bot_line_between_name_and_time_marks_an_integration() -> None:
    (raw,) = mattermost.parse("alertmanager\nBOT\n2:17 PM\n[FIRING:1] RedisEvictionsHigh")
    assert (raw.speaker, raw.kind, raw.text()) == (
        "alertmanager",
        MessageKind.BOT,
        "[FIRING:1] RedisEvictionsHigh",
    )


def test_time_line_without_a_name_is_a_follow_up_by_the_same_author() -> None:
    text = "fatou.diallo\n2:19 PM\nsupport has 30+ tickets. web and app\n2:19 PM\nstarted ~14:05"
    raws = mattermost.parse(text)
    assert [(r.speaker, r.text()) for r in raws] == [
        ("fatou.diallo", "support has 30+ tickets. web and app"),
        ("fatou.diallo", "started ~14:05"),
    ]


def test_a_one_word_post_above_a_time_line_stays_text() -> None:
    raws = mattermost.parse("eero\n2:28 PM\nack\n2:30 PM\nflipping it")
    assert [(r.speaker, r.text()) for r in raws] == [("eero", "ack"), ("eero", "flipping it")]


def test_display_names_and_24_hour_times() -> None:
    raws = mattermost.parse("Soo-ah Park\n14:47\n(mobile) SMS got hammered\ndvolkov\n14:48\nok")
    assert [(r.speaker, r.when) for r in raws] == [
        ("Soo-ah Park", Clock(14, 47)),
        ("dvolkov", Clock(14, 48)),
    ]


def test_a_short_post_then_a_name_line_splits_at_the_name() -> None:
    text = "eero\n2:26 PM\nbigkeys scan\nsoo-ah.park\n2:27 PM\nok\neero\n2:28 PM\nyes"
    assert [r.speaker for r in mattermost.parse(text)] == ["eero", "soo-ah.park", "eero"]


def test_commented_on_line_is_thread_context_that_links_the_parent() -> None:
    text = (
        "eero\n2:26 PM\nit shares the session redis because the config default points there\n"
        "soo-ah.park\n2:27 PM\n"
        "Commented on eero's message: it shares the session redis because the config default\n"
        "ok, I'm IC"
    )
    raws = mattermost.parse(text)
    assert (raws[1].lines, raws[1].parent) == (["ok, I'm IC"], 0)


def test_deleted_post_placeholder_is_a_post() -> None:
    raws = mattermost.parse("dvolkov\n2:48 PM\n(message deleted)\ndvolkov\n2:49 PM\nrotating")
    assert [r.text() for r in raws] == ["(message deleted)", "rotating"]


def test_edit_marks_and_reaction_counts_are_not_text() -> None:
    (raw,) = mattermost.parse("eero\n2:28 PM\nflag flipped (edited)\n:+1: 2\n👀 1")
    assert raw.edited and raw.lines == ["flag flipped"]


def test_breadcrumb_is_dropped_and_other_leading_text_kept() -> None:
    post = "eero\n2:28 PM\nyes"
    assert [r.speaker for r in mattermost.parse("Town Square > ~incident-42\n" + post)] == ["eero"]
    kept = mattermost.parse("from the incident channel:\n" + post)
    assert [(r.speaker, r.text()) for r in kept] == [
        (UNKNOWN_SPEAKER, "from the incident channel:"),
        ("eero", "yes"),
    ]


def test_date_separators_date_the_posts_after_them() -> None:
    text = "Tue, Mar 04, 2025\neero\n11:58 PM\nlate\nToday\neero\n12:03 AM\nearly"
    raws = mattermost.parse(text)
    assert raws[0].when == Clock(23, 58, 0, date(2025, 3, 4))
    t = assemble(raws, mattermost.FORMAT)
    assert [m.ts for m in t.messages] == [
        datetime(2025, 3, 4, 23, 58, tzinfo=UTC),
        datetime(2025, 3, 5, 0, 3, tzinfo=UTC),
    ]


def test_corpus_file_parses_to_the_counted_messages() -> None:
    text, messages = corpus(OWN_FILE)
    assert counted(mattermost.parse(text)) == messages


def test_corpus_speakers_bots_and_the_thread_reply() -> None:
    raws = mattermost.parse(corpus(OWN_FILE)[0])
    assert [r.speaker for r in raws[:6]] == [
        "alertmanager",
        "fatou.diallo",
        "fatou.diallo",
        "dvolkov",
        "dvolkov",
        "soo-ah.park",
    ]
    assert [i for i, r in enumerate(raws) if r.kind is MessageKind.BOT] == [0, 15]
    assert raws[19].speaker == "Soo-ah Park"
    assert (raws[8].speaker, raws[8].parent) == ("soo-ah.park", 7)
    assert raws[8].text() == "ok, I'm IC. @eero can we turn the reco cache off without a deploy?"


def test_corpus_timestamps_assemble_in_order() -> None:
    t = assemble(mattermost.parse(corpus(OWN_FILE)[0]), mattermost.FORMAT, start=date(2025, 3, 4))
    stamps = [m.ts for m in t.messages]
    assert stamps[0] == datetime(2025, 3, 4, 14, 17, tzinfo=UTC)
    assert stamps[-1] == datetime(2025, 3, 4, 14, 56, tzinfo=UTC)
    assert stamps == sorted(s for s in stamps if s is not None)


def test_looks_like_fires_on_every_time_line_of_the_corpus_file() -> None:
    lines = corpus(OWN_FILE)[0].split("\n")
    fired = [line for line in lines if mattermost.looks_like(line)]
    assert fired == [line for line in lines if line.endswith(" PM")]
    assert len(fired) == corpus(OWN_FILE)[1]


def test_looks_like_fires_on_other_formats_only_where_new_teams_has_the_same_time_lines() -> None:
    # New Teams and Google Chat put bare time lines under a name line too, and Rocket.Chat's
    # copy is a name, an @username and a time line: this parser reads it.
    assert firing_files() == {
        SAME_TIME_LINES,
        "google-chat-holdout-oauth-secret-expired.txt",
        "rocketchat-holdout-runaway-cron.txt",
        "teams-holdout-apns-cert-expired.txt",
    }
    assert not mattermost.looks_like("9:57")  # Slack's bare 24-hour follow-up
    assert not mattermost.looks_like("[10:04 AM]")  # Discord's grouped follow-up


@given(st.text())
def test_any_text_parses_and_assembles_or_holds_no_message(text: str) -> None:
    raws = mattermost.parse(text)
    try:
        assemble(raws, mattermost.FORMAT)
    except TranscriptError:
        assert raws == []
