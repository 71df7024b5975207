"""Zulip copy-paste: ``Sender Name: text`` headers, recipient bars, no timestamps."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from drafting.ingest import zulip
from drafting.ingest.raw import UNKNOWN_SPEAKER, assemble
from drafting.ingest.types import MessageKind
from drafting.textinput import read_text

TESTS = Path(__file__).parents[1]
CORPUS_FILE = TESTS / "corpus" / "zulip-paste-kafka-consumer-lag.txt"
TRUTH = json.loads(CORPUS_FILE.with_suffix(".truth.json").read_text(encoding="utf-8"))
# Google Meet's saved chat writes each cue as "Sender: text" too: only its cue lines tell it apart.
SAME_SHAPE = {"google-meet-chat-vpn-tunnel.sbv"}

PASTE = """\
platform > kafka lag    Mar 4
Ana Lima: lag is growing on orders-events
Note: it started at 08:37
Zaid Haddad: ```
GROUP: fulfilment-sync
Ana Lima: inside a code block
```
no consumer ids
Ana Lima: thanks
Zaid: can you check the alert too?"""


def other_files() -> list[Path]:
    corpus = [p for p in (TESTS / "corpus").iterdir() if not p.name.endswith(".truth.json")]
    fixtures = [p for p in (TESTS / "fixtures" / "transcripts").iterdir() if p.is_file()]
    return sorted(p for p in corpus + fixtures if p != CORPUS_FILE and p.suffix != ".json")


def test_zulip_headers_start_messages_and_other_lines_continue_them() -> None:
    raws = zulip.parse(PASTE)
    assert [r.speaker for r in raws] == ["Ana Lima", "Zaid Haddad", "Ana Lima"]
    assert raws[0].text() == "lag is growing on orders-events\nNote: it started at 08:37"
    assert raws[1].lines[0] == "```" and raws[1].lines[-1] == "no consumer ids"
    assert "Ana Lima: inside a code block" in raws[1].text()
    assert raws[2].text() == "thanks\nZaid: can you check the alert too?"


def test_zulip_paste_has_no_timestamps_and_the_recipient_bar_is_not_a_message() -> None:
    t = assemble(zulip.parse(PASTE), zulip.FORMAT)
    assert all(m.ts is None for m in t.messages)
    assert all("kafka lag" not in m.text for m in t.messages)


def test_zulip_blank_line_separated_paste_only_takes_headers_after_a_blank_line() -> None:
    text = (
        "ops > db failover\n\nAna Lima: primary is down\n\n"
        "Zaid Haddad: quoting the runbook:\nAna Lima: fail over first\n\nUpdate: done\n\n"
        "Zaid Haddad: failing over now"
    )
    raws = zulip.parse(text)
    assert [r.speaker for r in raws] == ["Ana Lima", "Zaid Haddad", "Zaid Haddad"]
    assert raws[1].text() == "quoting the runbook:\nAna Lima: fail over first\n\nUpdate: done"


def test_zulip_dated_bar_mid_paste_changes_topic_but_plain_comparisons_stay_text() -> None:
    text = (
        "ops > db    Mar 4\nAna Lima: load > 80% on db-1\nload > 90% now\n"
        "ops > cache    Mar 4\nZaid Haddad: cache is fine"
    )
    raws = zulip.parse(text)
    assert [r.text() for r in raws] == ["load > 80% on db-1\nload > 90% now", "cache is fine"]


def test_zulip_bots_by_name_and_text_before_any_header() -> None:
    raws = zulip.parse("some preamble\nNotification Bot: This topic was moved here.")
    assert (raws[0].speaker, raws[1].speaker) == (UNKNOWN_SPEAKER, "Notification Bot")
    assert raws[1].kind is MessageKind.BOT


def test_zulip_looks_like_fires_on_full_name_headers_and_dated_bars_only() -> None:
    yes = ["Björn Åkesson: ack", "Ann de Vries: on it", "platform > kafka lag    Mar 4"]
    no = [
        "Note: restart first",
        "Zabbix: PROBLEM - disk full",
        "Assigned to: Ana",
        "I'm IC. Jun: can we scale?",
        "load > 80% on db-1",
        "Ana Lima  10:02 AM",
        "[10:02 AM] Ana Lima",
        "[10:02] <ana> hi",
        "- 10:02 failover started",
        "04/03/2025, 10:02 - Ana Lima: hi",
    ]
    assert all(zulip.looks_like(line) for line in yes)
    assert not any(zulip.looks_like(line) for line in no)


def test_zulip_corpus_file_parses_to_the_counted_messages() -> None:
    raws = zulip.parse(read_text(CORPUS_FILE))
    assert len([r for r in raws if r.kind != MessageKind.SYSTEM]) == TRUTH["messages"]
    assert raws[0].speaker == "Björn Åkesson" and raws[-1].speaker == "Björn Åkesson"
    assert {r.speaker for r in raws} == {
        "Björn Åkesson",
        "Zaid Haddad",
        "Anahera Tane",
        "Ochieng Otieno",
    }
    assert raws[12].speaker == "Ochieng Otieno"
    # "@**Björn Åkesson** you're IC?" continues Zaid's message.
    assert raws[5].lines[-1].startswith("@**Björn")
    assert all(m.ts is None for m in assemble(raws, zulip.FORMAT).messages)


def test_zulip_looks_like_most_lines_of_its_corpus_file_and_few_of_others() -> None:
    lines = [x for x in read_text(CORPUS_FILE).split("\n") if x.strip()]
    assert sum(map(zulip.looks_like, lines)) == TRUTH["messages"] + 1  # and the recipient bar
    for path in other_files():
        lines = [x for x in read_text(path).split("\n") if x.strip()]
        hits = sum(map(zulip.looks_like, lines))
        if path.name in SAME_SHAPE:
            cues = [x for x in lines if x[:1].isdigit()]
            assert cues and not any(map(zulip.looks_like, cues)), path.name
        else:
            assert hits * 20 < len(lines), (path.name, hits)


@given(st.text())
def test_zulip_parse_takes_any_text(text: str) -> None:
    for raw in zulip.parse(text):
        assert raw.speaker == UNKNOWN_SPEAKER or ": " not in raw.speaker
