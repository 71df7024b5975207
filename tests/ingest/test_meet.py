"""Google Meet chat saved with a recording (.sbv cues)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.ingest import meet
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, assemble
from drafting.ingest.types import MessageKind
from drafting.textinput import read_text

CORPUS = Path(__file__).parents[1] / "corpus"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "transcripts"
EXPORT = "google-meet-chat-vpn-tunnel.sbv"


def corpus(name: str) -> tuple[str, int]:
    """A corpus file's text and the message count in its truth file."""
    truth = json.loads((CORPUS / f"{Path(name).stem}.truth.json").read_text(encoding="utf-8"))
    return read_text(CORPUS / name), int(truth["messages"])


def other_lines() -> Iterator[str]:
    """Every line of every other corpus file and transcript fixture."""
    paths = [*CORPUS.iterdir(), *FIXTURES.rglob("*")]
    for path in sorted(p for p in paths if p.is_file() and p.name != EXPORT):
        if not path.name.endswith(".truth.json") and path.name != "README.md":
            yield from read_text(path).split("\n")


def posts(raws: list[Raw]) -> list[Raw]:
    return [r for r in raws if r.kind != MessageKind.SYSTEM]


def test_each_cue_is_one_message_with_the_speaker_before_the_colon() -> None:
    raws = meet.parse(
        "0:00:41.208,0:00:41.208\n"
        "Kofi Boateng: Tracking doc: https://docs.example/d/1\n"
        "\n"
        "0:02:30.450,0:02:30.450\n"
        "Ilona Kertész: firewall log:\n"
        '"no proposal chosen" every 30s\n'
        "\n"
        "0:03:00.000,0:03:00.000\n"
        "https://example.net/runbook\n"
    )
    assert [(r.speaker, r.text(), r.kind) for r in raws] == [
        ("Kofi Boateng", "Tracking doc: https://docs.example/d/1", MessageKind.HUMAN),
        ("Ilona Kertész", 'firewall log:\n"no proposal chosen" every 30s', MessageKind.HUMAN),
        (UNKNOWN_SPEAKER, "https://example.net/runbook", None),
    ]


def test_cue_offsets_are_not_times_of_day_so_messages_have_no_timestamp() -> None:
    raws = meet.parse("00:14:30.050,00:14:30.050\nIlona: yes\n")
    assert raws[0].when is None
    assert assemble(raws, meet.FORMAT).messages[0].ts is None


def test_lines_before_the_first_cue_and_empty_cues_are_dropped() -> None:
    raws = meet.parse("Meeting chat\n\n0:00:01.000,0:00:01.000\n\n0:00:02.000,0:00:02.000\nA: hi\n")
    assert [(r.speaker, r.text()) for r in raws] == [("A", "hi")]


def test_corpus_file_has_one_message_per_cue() -> None:
    text, expected = corpus(EXPORT)
    raws = meet.parse(text)
    assert len(posts(raws)) == expected == 17
    assert [r.speaker for r in raws[:5]] == [
        "Kofi Boateng",
        "Kofi Boateng",
        "Ilona Kertész",
        "Pita Havili",
        "Ruth Abebe",
    ]
    assert raws[-1].text() == "ending the call, thanks all"
    assert "Nicolás Ferreira" not in {r.speaker for r in raws}


def test_looks_like_fires_on_cue_lines_only() -> None:
    assert sum(meet.looks_like(line) for line in corpus(EXPORT)[0].split("\n")) == 17
    assert not [line for line in other_lines() if meet.looks_like(line)]
    assert not meet.looks_like("00:00:41,208 --> 00:00:43,000")  # SRT, not Meet


NAMES = st.sampled_from(["Kofi Boateng", "Ilona Kertész", "Pita"])
TEXTS = st.from_regex(r"[a-z][A-Za-z0-9 .,:!?'-]{0,40}[A-Za-z0-9.!?]", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NAMES, TEXTS), min_size=1, max_size=8))
def test_rendered_cues_come_back_as_written(messages: list[tuple[str, str]]) -> None:
    cue = "0:00:{0:02d}.000,0:00:{0:02d}.000\n{1}: {2}\n"
    text = "\n".join(cue.format(i, name, said) for i, (name, said) in enumerate(messages))
    assert [(r.speaker, r.text()) for r in meet.parse(text)] == messages
