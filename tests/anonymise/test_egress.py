"""The leak check on every text about to leave the process."""

from __future__ import annotations

import json

import pytest

from drafting.anonymise import anonymise, build_roster, render_lines
from drafting.anonymise.egress import check, leaks, make_guard
from drafting.anonymise.redact import RedactOptions
from drafting.errors import LeakError
from drafting.ingest.types import Message, Person, Transcript

TRANSCRIPT = Transcript(
    format="test",
    messages=[
        Message(id="m1", speaker="Tom Becker", text="paging @mike_j, cc Mark"),
        Message(id="m2", speaker="mike_j", text="on it, thanks Tom"),
    ],
    people=[Person(real_name="Mark Stone", handle="mstone")],
)
ROSTER = build_roster(TRANSCRIPT)


@pytest.mark.parametrize(
    "text",
    [
        "Tom restarted the pod",
        "ask tom.becker",
        "TOM BECKER approved",
        "Becker's change",
        "ping @mike_j",
        "as mike said",
        "then mstone looked",
        "and then Mark looked",
    ],
)
def test_check_refuses_any_roster_variant(text: str) -> None:
    with pytest.raises(LeakError, match="a person's name") as err:
        check(text, ROSTER)
    assert "Tom" not in str(err.value) and "mike" not in str(err.value)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("write to ops@example.com", "an email address"),
        ("call 020 7946 0321", "a phone number"),
        ("key sk-live-4eC39HqLyjWDarjtT1zdp7dc", "a secret"),
        ("postgres://u:pw1234@db:5432", "a password in a URL"),
    ],
)
def test_check_names_the_kind_that_leaked_but_not_the_value(text: str, kind: str) -> None:
    with pytest.raises(LeakError) as err:
        check(text, ROSTER)
    message = str(err.value)
    assert kind in message
    assert text.split()[-1] not in message


def test_check_lists_every_kind_found() -> None:
    assert leaks("Tom: ops@example.com, 020 7946 0321", ROSTER) == [
        "a person's name",
        "email address",
        "phone number",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "tomorrow the atom feed is fine",
        "Mark the ticket done. the check is green",
        "db-prod-3 at 10.0.3.17 via api.example.net",
        "Responder A paged Responder B at [08:31]",
    ],
)
def test_check_lets_safe_text_through(text: str) -> None:
    check(text, ROSTER)


def test_anonymised_output_always_passes_the_check() -> None:
    out = render_lines(anonymise(TRANSCRIPT, ROSTER))
    check(out, ROSTER)
    assert "Responder" in out


def test_guard_applies_extra_redaction_options() -> None:
    guard = make_guard(ROSTER, RedactOptions(ips=True))
    guard("db-prod-3 is down")
    with pytest.raises(LeakError, match="IP address"):
        guard("10.0.3.17 is down")


def test_quoting_an_anonymised_message_never_turns_it_into_a_leak() -> None:
    t = Transcript(
        format="test",
        messages=[
            Message(id="m1", speaker="Will Smith", text="hi"),
            Message(id="m2", speaker="Li Na", text="Will restarted it"),
            Message(id="m3", speaker="Bo", text="Li is on it. Mark it done\nWill do"),
        ],
    )
    roster = build_roster(t)
    anon = anonymise(t, roster)
    assert [m.text for m in anon.messages][1:] == [
        "Will restarted it",
        "Responder B is on it. Mark it done\nWill do",
    ]
    check(render_lines(anon), roster)
    check(json.dumps([{"id": m.id, "text": m.text} for m in anon.messages]), roster)
    lines = [f"{m.id} 08:31 {m.speaker}: {m.text.replace(chr(10), ' / ')}" for m in anon.messages]
    check("\n".join(lines), roster)


def test_names_hidden_by_json_escapes_are_still_found() -> None:
    t = Transcript(format="test", messages=[Message(id="m1", speaker="Renée Dubois", text="hi")])
    roster = build_roster(t)
    assert leaks(json.dumps({"content": "ok\nDubois said so"}), roster) == ["a person's name"]
    assert leaks(json.dumps({"content": "thanks Renée"}), roster) == ["a person's name"]
    assert leaks(json.dumps({"content": "thanks Responder A\nall good"}), roster) == []
