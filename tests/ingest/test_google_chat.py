"""Google Chat copied from the browser: headers, app badges and furniture."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.ingest import google_chat
from drafting.ingest.raw import Raw, assemble
from drafting.ingest.types import MessageKind
from drafting.textinput import read_text

CORPUS = Path(__file__).parents[1] / "corpus"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "transcripts"
EXPORT = "google-chat-paste-cdn-purge.txt"


def corpus(name: str) -> tuple[str, int]:
    """A corpus file's text and the message count in its truth file."""
    truth = json.loads((CORPUS / f"{Path(name).stem}.truth.json").read_text(encoding="utf-8"))
    return read_text(CORPUS / name), int(truth["messages"])


def other_lines() -> Iterator[str]:
    """Every line of every other corpus file and transcript fixture."""
    paths = [*CORPUS.iterdir(), *FIXTURES.rglob("*")]
    for path in sorted(p for p in paths if p.is_file() and not p.name.startswith("google-chat")):
        if not path.name.endswith(".truth.json") and path.name != "README.md":
            yield from read_text(path).split("\n")


def posts(raws: list[Raw]) -> list[Raw]:
    return [r for r in raws if r.kind != MessageKind.SYSTEM]


def stamps(raws: list[Raw]) -> list[datetime | None]:
    return [m.ts for m in assemble(raws, google_chat.FORMAT).messages]


def test_headers_split_messages_and_times_are_read_with_am_pm() -> None:
    raws = google_chat.parse(
        "SEV2 - site slow\nSpace · 6 members\n\n"
        "Nomvula Dube, 10:03 PM\norigin CPU is pinned\nall 12 nodes\n\n"
        "Jun Hasegawa, 22:04\nhit ratio 3%\n"
    )
    assert [(r.speaker, r.text(), r.kind) for r in raws] == [
        ("Nomvula Dube", "origin CPU is pinned\nall 12 nodes", MessageKind.HUMAN),
        ("Jun Hasegawa", "hit ratio 3%", MessageKind.HUMAN),
    ]
    assert stamps(raws) == [
        datetime(1970, 1, 1, 22, 3, tzinfo=UTC),
        datetime(1970, 1, 1, 22, 4, tzinfo=UTC),
    ]


def test_app_badge_marks_a_bot_and_its_card_buttons_are_dropped() -> None:
    raws = google_chat.parse(
        "Cloud Monitoring App, 10:01 AM\nIncident opened\nView incident\n\n"
        "Jun Hasegawa, 10:04 AM\nView incident page is blank\n"
    )
    assert [(r.speaker, r.text(), r.kind) for r in raws] == [
        ("Cloud Monitoring", "Incident opened", MessageKind.BOT),
        ("Jun Hasegawa", "View incident page is blank", MessageKind.HUMAN),
    ]


def test_edited_reactions_and_reply_counts_are_furniture() -> None:
    raws = google_chat.parse(
        "You, 10:06 AM\nI'm IC\nEdited\n👀 2\n❤️ 3\n2 replies\n\nJun, 10:07 AM\n+1\n"
    )
    assert [(r.speaker, r.text(), r.edited) for r in raws] == [
        ("You", "I'm IC", True),
        ("Jun", "+1", False),
    ]


def test_a_header_shaped_line_inside_a_message_is_text_unless_its_name_has_spoken() -> None:
    raws = google_chat.parse(
        "Ana Ruiz, 10:00 AM\nplan:\nDeploy, 10:30 AM\n\n"
        "Bo Li, 10:01 AM\nok\nAna Ruiz, 10:02 AM\ngo\n"
    )
    assert [(r.speaker, r.text()) for r in raws] == [
        ("Ana Ruiz", "plan:\nDeploy, 10:30 AM"),
        ("Bo Li", "ok"),
        ("Ana Ruiz", "go"),
    ]


def test_a_stated_date_is_kept_and_a_new_day_label_moves_the_date() -> None:
    dated = google_chat.parse("Ana, Mar 4, 2025, 11:50 PM\nlate\n\nAna, 12:10 AM\nearly\n")
    assert stamps(dated)[0] == datetime(2025, 3, 4, 23, 50, tzinfo=UTC)
    labelled = google_chat.parse("Ana, Yesterday 9:00 AM\na\n\nAna, 9:30 AM\nb\n")
    assert stamps(labelled) == [
        datetime(1970, 1, 1, 9, 0, tzinfo=UTC),
        datetime(1970, 1, 2, 9, 30, tzinfo=UTC),
    ]


def test_corpus_file_counts_messages_not_furniture() -> None:
    text, expected = corpus(EXPORT)
    raws = google_chat.parse(text)
    assert len(posts(raws)) == expected == 19
    assert [r.speaker for r in raws[:5]] == [
        "Cloud Monitoring",
        "Nomvula Dube",
        "Jun Hasegawa",
        "Nomvula Dube",
        "You",
    ]
    assert raws[6].speaker == "Ruairí Ó Súilleabháin"
    assert sum(r.kind is MessageKind.BOT for r in raws) == 2
    assert raws[4].edited and raws[0].text().endswith("Threshold 2 regions.")
    assert not any(line.startswith(("👀", "❤️", "2 replies")) for r in raws for line in r.lines)
    assert stamps(raws)[-1] == datetime(1970, 1, 1, 10, 41, tzinfo=UTC)


def test_looks_like_fires_on_google_chat_headers_only() -> None:
    assert sum(google_chat.looks_like(line) for line in corpus(EXPORT)[0].split("\n")) == 19
    assert not [line for line in other_lines() if google_chat.looks_like(line)]
    for line in ("Olga Petrenko, [04.03.2025 21:14]", "Priya Raman  10:02 AM", "ok. at 10:30"):
        assert not google_chat.looks_like(line), line


NAMES = st.sampled_from(["You", "Nomvula Dube", "Ruairí Ó Súilleabháin", "Jun"])
TEXTS = st.from_regex(r"[a-z][A-Za-z0-9 .,:!?'-]{0,40}[A-Za-z0-9.!?]", fullmatch=True).filter(
    lambda text: not google_chat.looks_like(text)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NAMES, TEXTS), min_size=1, max_size=8))
def test_rendered_messages_come_back_as_written(messages: list[tuple[str, str]]) -> None:
    text = "\n\n".join(f"{name}, 10:{i:02d} AM\n{said}" for i, (name, said) in enumerate(messages))
    assert [(r.speaker, r.text()) for r in google_chat.parse(text)] == messages
