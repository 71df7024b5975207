"""Timed chat logs in no product's own format: "[14:02] Name: text" and "Kofi (09:12): text"."""

from __future__ import annotations

from drafting.ingest import MessageKind, parse
from drafting.ingest.chatlog import looks_like

ELEMENT_COPY = """#sre-oncall:kelpie.chat
Topic: on-call room

[14:02] Dániel Kovács: sessions-eu is flapping
[14:03] Noa Ben-David joined the room
[14:03] Noa Ben-David: here. looking at sentinel
[14:05] * Yosef Mizrahi is pulling INFO replication
[14:08] Yosef Mizrahi: > <@noa.bd:kelpie.chat> two masters.

confirmed:
role:master
[14:11] Eilidh MacLeod changed their display name to Eilidh MacLeod (IC)
[14:12] Eilidh MacLeod (IC): I'll take IC.
"""

EMAILED = """From: Hamish Mackenzie <hm@example.org>
Subject: INC-0412 raw log

Hi all, here's the log.
------------------------------------------------------------------
Kofi (09:12): customers reporting broken images
Hami [09:13]: confirmed, and it's not just listings
Kofi (09:34): writing a script:
    export AWS_REGION=eu-west-2

Thanks,
Hamish
"""


def test_bracketed_time_lines_with_emotes_events_and_multi_line_messages() -> None:
    t = parse(ELEMENT_COPY)
    assert t.format == "chat-log"
    people = [(m.speaker, m.kind) for m in t.messages if m.speaker]
    assert people == [
        ("Dániel Kovács", MessageKind.HUMAN),
        ("Noa Ben-David", MessageKind.SYSTEM),
        ("Noa Ben-David", MessageKind.HUMAN),
        ("Yosef Mizrahi", MessageKind.HUMAN),
        ("Yosef Mizrahi", MessageKind.HUMAN),
        ("Eilidh MacLeod", MessageKind.SYSTEM),
        ("Eilidh MacLeod (IC)", MessageKind.HUMAN),
    ]
    assert "role:master" in t.messages[5].text
    assert t.messages[0].text.startswith("#sre-oncall")  # the room header is context


def test_a_log_tidied_by_hand_in_an_email_keeps_its_headers_as_context() -> None:
    t = parse(EMAILED)
    timed = [(m.speaker, m.ts.strftime("%H:%M")) for m in t.messages if m.ts]
    assert timed == [("Kofi", "09:12"), ("Hami", "09:13"), ("Kofi", "09:34")]
    assert "export AWS_REGION" in t.messages[-1].text
    assert t.messages[0].speaker == "" and "Subject: INC-0412" in t.messages[0].text


def test_looks_like_wants_a_sender_and_not_irc_or_notes() -> None:
    assert looks_like("[14:02] Dániel Kovács: flapping") and looks_like("Kofi (09:12): hi")
    for line in (
        "[22:41] <nick> text",
        "[10:02] restarted pods",
        "- 09:17 — Duc: status",
        "[10:32 AM] Tom Becker",
        "[22:41] -!- nick quit",
        "14:02 Duc: azure",
    ):
        assert not looks_like(line), line
