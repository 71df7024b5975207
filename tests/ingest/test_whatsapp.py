"""WhatsApp exports: iOS and Android headers, system lines, placeholders, dates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.ingest import whatsapp
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, assemble
from drafting.ingest.types import MessageKind, Transcript
from drafting.textinput import read_text

CORPUS = Path(__file__).parents[1] / "corpus"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "transcripts"
MIXED = "mixed-whatsapp-then-zoom-clock-skew.txt"
# WhatsApp's own files: every corpus file named for it, and the mixed one it begins.
OWN = (*(p.name for p in CORPUS.glob("whatsapp-*") if ".truth." not in p.name), MIXED)


def corpus(name: str) -> tuple[str, int]:
    """A corpus file's text and the message count in its truth file."""
    truth = json.loads((CORPUS / f"{Path(name).stem}.truth.json").read_text(encoding="utf-8"))
    return read_text(CORPUS / name), int(truth["messages"])


def mixed_halves() -> tuple[str, str]:
    """The WhatsApp half of the mixed file, and the rest (from its "---- zoom" separator on)."""
    text = read_text(CORPUS / MIXED)
    cut = text.index("\n---- zoom")
    return text[:cut], text[cut:]


def other_lines() -> Iterator[str]:
    """Every line of every other corpus file and transcript fixture."""
    paths = [*CORPUS.iterdir(), *FIXTURES.rglob("*")]
    for path in sorted(p for p in paths if p.is_file() and p.name not in OWN):
        if not path.name.endswith(".truth.json") and path.name != "README.md":
            yield from read_text(path).split("\n")
    yield from mixed_halves()[1].split("\n")


def posts(raws: list[Raw]) -> list[Raw]:
    return [r for r in raws if r.kind != MessageKind.SYSTEM]


def stamps(raws: list[Raw]) -> list[datetime | None]:
    return [m.ts for m in assemble(raws, whatsapp.FORMAT).messages]


def transcript(text: str) -> Transcript:
    return assemble(whatsapp.parse(text), whatsapp.FORMAT)


# --- header forms ------------------------------------------------------------------------------


def test_ios_header_gives_speaker_text_and_the_stated_date_and_seconds() -> None:
    (raw,) = whatsapp.parse("[25/03/2025, 10:02:11] Ana Ribeiro: dns is down\n")
    assert (raw.speaker, raw.lines, raw.kind) == ("Ana Ribeiro", ["dns is down"], MessageKind.HUMAN)
    assert stamps([raw]) == [datetime(2025, 3, 25, 10, 2, 11, tzinfo=UTC)]


def test_ios_group_lines_with_a_direction_mark_are_system_messages_without_a_speaker() -> None:
    raws = whatsapp.parse(
        "\u200e[04/03/2025, 06:58:02] Ops: \u200eEmeka added Lerato and "
        "\u202a+44 7700 900412\u202c\n"
        "[04/03/2025, 06:59:15] Emeka: \u200eimage omitted\n"
        "[04/03/2025, 06:59:20] Emeka: I added 60 handhelds to the pool\n"
    )
    assert [(r.speaker, r.text(), r.kind) for r in raws] == [
        (UNKNOWN_SPEAKER, "Emeka added Lerato and +44 7700 900412", MessageKind.SYSTEM),
        ("Emeka", "image omitted", MessageKind.HUMAN),
        ("Emeka", "I added 60 handhelds to the pool", MessageKind.HUMAN),
    ]


def test_android_24h_lines_without_a_name_are_system_and_dates_read_day_first() -> None:
    raws = whatsapp.parse(
        '04/03/2025, 18:02 - Bao created group "Ops: night"\n'
        "04/03/2025, 18:03 - Bao: site is down\n"
        "04/03/2025, 18:04 - Messages and calls are end-to-end encrypted. Tap to learn more.\n"
    )
    assert [(r.speaker, r.kind) for r in raws] == [
        (UNKNOWN_SPEAKER, MessageKind.SYSTEM),
        ("Bao", MessageKind.HUMAN),
        (UNKNOWN_SPEAKER, MessageKind.SYSTEM),
    ]
    assert raws[0].text() == 'Bao created group "Ops: night"'
    assert stamps(raws)[1] == datetime(2025, 3, 4, 18, 3, tzinfo=UTC)


def test_android_us_12h_lines_read_month_first_with_am_pm() -> None:
    raws = whatsapp.parse("3/4/25, 6:02 PM - Marisol Quintero: portal login fails\n")
    assert raws[0].speaker == "Marisol Quintero"
    assert stamps(raws) == [datetime(2025, 3, 4, 18, 2, tzinfo=UTC)]


def test_a_day_above_twelve_anywhere_in_the_file_decides_the_date_order() -> None:
    day_first = "03/04/2025, 6:02 PM - A: one\n25/04/2025, 6:03 PM - A: two\n"
    month_first = "03/04/2025, 18:02 - A: one\n04/13/2025, 18:03 - A: two\n"
    assert stamps(whatsapp.parse(day_first))[0] == datetime(2025, 4, 3, 18, 2, tzinfo=UTC)
    assert stamps(whatsapp.parse(month_first))[0] == datetime(2025, 3, 4, 18, 2, tzinfo=UTC)


def test_dotted_dates_are_day_first() -> None:
    raws = whatsapp.parse("[04.03.25, 10:02:11] Jonas: moin\n")
    assert stamps(raws) == [datetime(2025, 3, 4, 10, 2, 11, tzinfo=UTC)]


def test_multi_line_messages_keep_their_lines_and_text_before_any_header_is_dropped() -> None:
    raws = whatsapp.parse(
        "pasted from my phone\n"
        "[04/03/2025, 07:12:40] Sanjay: admin / hunter2\n"
        "same for the router\n"
        "[04/03/2025, 07:13:05] Emeka: ok\n"
    )
    assert [(r.speaker, r.text()) for r in raws] == [
        ("Sanjay", "admin / hunter2\nsame for the router"),
        ("Emeka", "ok"),
    ]


def test_placeholders_are_posts_and_the_edited_tail_becomes_the_flag() -> None:
    raws = whatsapp.parse(
        "04/03/2025, 18:11 - Nadia: <Media omitted>\n"
        "04/03/2025, 18:12 - Bao: This message was deleted\n"
        "04/03/2025, 18:13 - Bao: null\n"
        "04/03/2025, 18:14 - Bao: back at 18:29 <This message was edited>\n"
    )
    assert [r.kind for r in raws] == [MessageKind.HUMAN] * 4
    assert (raws[3].text(), raws[3].edited, raws[0].edited) == ("back at 18:29", True, False)


# --- corpus --------------------------------------------------------------------------------------


def test_android_corpus_file_counts_every_post_and_no_system_line() -> None:
    text, expected = corpus("whatsapp-android-domain-lapsed.txt")
    raws = whatsapp.parse(text)
    assert len(posts(raws)) == expected == 23
    assert [r.speaker for r in raws[3:7]] == ["Bao", "Nadia (ops)", "Alex Varela", "Peggy O'Neill"]
    assert posts(raws)[-1].text() == "null"
    t = transcript(text)
    assert t.messages[3].ts == datetime(2025, 3, 4, 18, 3, tzinfo=UTC) and t.date_known


def test_ios_corpus_file_counts_placeholders_but_not_group_events() -> None:
    text, expected = corpus("whatsapp-ios-dhcp-pool-exhausted.txt")
    raws = whatsapp.parse(text)
    assert len(posts(raws)) == expected == 27
    assert sum(r.kind == MessageKind.SYSTEM for r in raws) == 4
    speakers = {r.speaker for r in posts(raws)}
    assert speakers == {"Emeka", "Lerato Mahlangu", "Sanjay Pillai", "+44 7700 900412"}
    two_lines = next(r for r in raws if r.text().startswith("admin / "))
    assert two_lines.text().endswith("I'll change both after")
    assert "\u200e" not in "".join(r.text() for r in raws)
    assert transcript(text).messages[3].ts == datetime(2025, 3, 4, 6, 59, 15, tzinfo=UTC)


def test_mixed_file_whatsapp_half_reads_us_dates() -> None:
    half, _ = mixed_halves()
    raws = whatsapp.parse(half)
    # The truth notes: 11 WhatsApp messages, then 11 Zoom ones.
    assert len(posts(raws)) == 11
    assert raws[0].speaker == "Marisol Quintero" and raws[1].speaker == "Kenji Watanabe"
    assert stamps(raws)[-1] == datetime(2025, 3, 4, 6, 17, tzinfo=UTC)


# --- detection ---------------------------------------------------------------------------------


def test_looks_like_fires_on_every_header_of_the_whatsapp_files() -> None:
    for name, headers in (
        ("whatsapp-android-domain-lapsed.txt", 26),
        ("whatsapp-ios-dhcp-pool-exhausted.txt", 31),
    ):
        lines = corpus(name)[0].split("\n")
        assert (
            sum(whatsapp.looks_like(line) for line in lines)
            == headers
            == len(whatsapp.parse("\n".join(lines)))
        )
    assert sum(whatsapp.looks_like(line) for line in mixed_halves()[0].split("\n")) == 11


def test_looks_like_does_not_fire_on_other_formats() -> None:
    assert not [line for line in other_lines() if whatsapp.looks_like(line)]
    for line in (
        "[3/4/2024 10:02 AM] Becker, Tom",
        "[10:02 AM] Tom Becker",
        "3/4/2025, 1:02:14 PM - Paora Te Rangi: synapse is down",  # Element export
        "Priya Raman  10:02 AM",
        "[10:02] <nick> hello",
    ):
        assert not whatsapp.looks_like(line), line


# --- property ----------------------------------------------------------------------------------

NAMES = st.sampled_from(
    ["Bao", "Nadia (ops)", "Peggy O'Neill", "Ruairí Ó Súilleabháin", "+44 7700"]
)
TEXTS = st.from_regex(r"[A-Za-z][A-Za-z0-9 .,:!?'-]{0,40}[A-Za-z0-9.!?]", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NAMES, TEXTS), min_size=1, max_size=8), st.booleans())
def test_rendered_messages_come_back_as_written(messages: list[tuple[str, str]], ios: bool) -> None:
    head = "[04/03/2025, 10:02:{:02d}] " if ios else "04/03/2025, 10:{:02d} - "
    text = "\n".join(head.format(i) + f"{name}: {said}" for i, (name, said) in enumerate(messages))
    raws = whatsapp.parse(text)
    assert [(r.speaker, r.text(), r.kind) for r in raws] == [
        (name, said, MessageKind.HUMAN) for name, said in messages
    ]
