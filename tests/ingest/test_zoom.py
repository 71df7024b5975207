"""Zoom saved meeting chat: current and legacy headers, direct messages, reactions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.ingest import zoom
from drafting.ingest.raw import Raw, assemble
from drafting.ingest.types import MessageKind
from drafting.textinput import read_text

CORPUS = Path(__file__).parents[1] / "corpus"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "transcripts"
EXPORT = "zoom-chat-export-payment-latency.txt"
MIXED = "mixed-whatsapp-then-zoom-clock-skew.txt"


def corpus(name: str) -> tuple[str, int]:
    """A corpus file's text and the message count in its truth file."""
    truth = json.loads((CORPUS / f"{Path(name).stem}.truth.json").read_text(encoding="utf-8"))
    return read_text(CORPUS / name), int(truth["messages"])


def mixed_halves() -> tuple[str, str]:
    """The WhatsApp half of the mixed file, and the Zoom half (from its separator on)."""
    text = read_text(CORPUS / MIXED)
    cut = text.index("\n---- zoom")
    return text[:cut], text[cut:]


def other_lines() -> Iterator[str]:
    """Every line of every other corpus file and transcript fixture."""
    paths = [*CORPUS.iterdir(), *FIXTURES.rglob("*")]
    own = (EXPORT, MIXED)
    for path in sorted(
        p for p in paths if p.is_file() and p.name not in own and "zoom" not in p.name
    ):
        if not path.name.endswith(".truth.json") and path.name != "README.md":
            yield from read_text(path).split("\n")
    yield from mixed_halves()[0].split("\n")


def posts(raws: list[Raw]) -> list[Raw]:
    return [r for r in raws if r.kind != MessageKind.SYSTEM]


def stamps(raws: list[Raw]) -> list[datetime | None]:
    return [m.ts for m in assemble(raws, zoom.FORMAT).messages]


def test_current_form_takes_the_text_from_the_tab_indented_lines_below() -> None:
    raws = zoom.parse(
        "09:44:40 From Xiadani López to Everyone:\n"
        '\tReplying to "Provider status...":\n'
        "\tok so it's upstream\n"
        "09:51:44 From Thandiwe Mokoena to Xiadani López(direct message):\n"
        "\tfyi: costs 0.3% more\n"
    )
    assert [(r.speaker, r.text(), r.kind) for r in raws] == [
        (
            "Xiadani López",
            'Replying to "Provider status...":\nok so it\'s upstream',
            MessageKind.HUMAN,
        ),
        ("Thandiwe Mokoena", "fyi: costs 0.3% more", MessageKind.HUMAN),
    ]
    assert stamps(raws) == [
        datetime(1970, 1, 1, 9, 44, 40, tzinfo=UTC),
        datetime(1970, 1, 1, 9, 51, 44, tzinfo=UTC),
    ]


def test_text_on_the_header_line_in_the_older_and_legacy_tab_forms() -> None:
    raws = zoom.parse(
        "10:02:11 From Ana Ribeiro to Everyone : db: failover done\n"
        "06:19:44\t From  Kenji W (he/him) : IC: me\n"
        "06:23:55\t From  Priscila Andrade  to  Kenji W (he/him)(Direct Message) : fyi\n"
    )
    assert [(r.speaker, r.text()) for r in raws] == [
        ("Ana Ribeiro", "db: failover done"),
        ("Kenji W (he/him)", "IC: me"),
        ("Priscila Andrade", "fyi"),
    ]


def test_reactions_are_not_messages_and_lines_before_the_first_header_are_dropped() -> None:
    raws = zoom.parse(
        "Chat saved by Mehmet\n"
        "09:46:51 From Xiadani López to Everyone:\n\ttake the 93%\n"
        "09:47:03 From Mehmet Yıldız to Everyone:\n"
        '\tReacted to "take the 93%..." with 👍\n'
        '09:47:09 From Mehmet Yıldız to Everyone : Removed a 👍 reaction from "take the 93%..."\n'
        "09:49:36 From Mehmet Yıldız to Everyone:\n\tflag on\n"
    )
    assert [(r.speaker, r.text()) for r in raws] == [
        ("Xiadani López", "take the 93%"),
        ("Mehmet Yıldız", "flag on"),
    ]


def test_corpus_file_counts_messages_but_not_reactions() -> None:
    text, expected = corpus(EXPORT)
    raws = zoom.parse(text)
    assert len(posts(raws)) == expected == 23
    assert [r.speaker for r in raws[:4]] == [
        "Xiadani López",
        "Mehmet Yıldız",
        "Mehmet Yıldız",
        "Sione's iPhone",
    ]
    assert raws[17].speaker == "Sione Tupou"
    assert stamps(raws)[-1] == datetime(1970, 1, 1, 10, 45, 30, tzinfo=UTC)


def test_mixed_file_zoom_half() -> None:
    raws = zoom.parse(mixed_halves()[1])
    # The truth notes: 11 WhatsApp messages, then 11 Zoom ones.
    assert len(posts(raws)) == 11
    assert [r.speaker for r in raws[:3]] == [
        "Kenji W (he/him)",
        "Priscila Andrade",
        "DeShawn Ellis",
    ]
    assert raws[6].speaker == "Marisol's Pixel 8"
    assert raws[4].text().startswith("fyi the ansible vault pass")
    assert stamps(raws)[0] == datetime(1970, 1, 1, 6, 19, 44, tzinfo=UTC)


def test_looks_like_fires_on_zoom_headers_only() -> None:
    assert sum(zoom.looks_like(line) for line in corpus(EXPORT)[0].split("\n")) == 25
    assert sum(zoom.looks_like(line) for line in mixed_halves()[1].split("\n")) == 11
    assert not [line for line in other_lines() if zoom.looks_like(line)]
    for line in ("21:02:11 <jdiaz> from db to cache: moved", "[10:02] <nick> From x to y: z"):
        assert not zoom.looks_like(line), line


NAMES = st.sampled_from(["Ana", "Mehmet Yıldız", "Sione's iPhone", "Kenji W (he/him)"])
TEXTS = st.from_regex(r"[a-z][A-Za-z0-9 .,:!?'-]{0,40}[A-Za-z0-9.!?]", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NAMES, TEXTS), min_size=1, max_size=8), st.booleans())
def test_rendered_messages_come_back_as_written(
    messages: list[tuple[str, str]], legacy: bool
) -> None:
    form = "10:00:{:02d}\t From  {} : {}" if legacy else "10:00:{:02d} From {} to Everyone:\n\t{}"
    text = "\n".join(form.format(i, name, said) for i, (name, said) in enumerate(messages))
    assert [(r.speaker, r.text()) for r in zoom.parse(text)] == messages
