"""prepare: the one parse -> roster -> anonymise -> notes sequence the CLI and the app share."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import pytest

from drafting.anonymise import names, render_lines
from drafting.anonymise.prepare import Inputs, parse_inputs, prepare
from drafting.anonymise.redact import RedactOptions
from drafting.anonymise.roster import DISMISSED

SLACK = """\
Ana Ribeiro  8:31 AM
checkout is slow, @Tom Becker can you look? ping Dana if needed
Tom Becker  8:34 AM
on it. db at 10.0.3.17 is at 100% cpu
"""


class CountingCache:
    """A cache that records how often each step really ran."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, Hashable], Any] = {}
        self.runs: dict[str, int] = {}

    def get(self, name: str, key: Hashable, compute: Callable[[], Any]) -> Any:
        if (name, key) not in self.store:
            self.runs[name] = self.runs.get(name, 0) + 1
            self.store[(name, key)] = compute()
        return self.store[(name, key)]


def test_prepare_labels_every_person_in_the_transcript_and_the_notes() -> None:
    prepared = prepare(Inputs(transcript=SLACK, notes="Tom Becker restarted the db."))
    text = render_lines(prepared.anonymised) + (prepared.notes or "")
    assert "Tom" not in text and "Ana" not in text and "Ribeiro" not in text
    assert "Responder B restarted" in (prepared.notes or "")


def test_roles_apply_by_real_name_and_change_labels_not_who_was_found() -> None:
    inputs = Inputs(transcript=SLACK)
    base = prepare(inputs)
    prepared = prepare(inputs, roles={"Tom Becker": "On-call SRE"})
    assert "On-call SRE: on it." in render_lines(prepared.anonymised)
    assert prepared.found == base.found


@pytest.mark.skipif(not names.available(), reason="the 'ner' extra is not installed")
def test_a_dismissed_detected_name_leaves_the_roster_but_stays_found() -> None:
    inputs = Inputs(transcript=SLACK)
    detected = prepare(inputs, detect_names=True)
    dana = [e for e in detected.roster.entries if "Dana" in e.names]
    assert dana and dana[0].source == "detected"
    kept = prepare(inputs, detect_names=True, decisions={"Dana": DISMISSED})
    assert not [e for e in kept.roster.entries if "Dana" in e.names]
    assert kept.found == detected.found


def test_a_utc_offset_time_zone_shows_local_times_in_the_rendered_lines() -> None:
    inputs = Inputs(transcript=SLACK, incident_date=None, timezone="+02:00")
    lines = render_lines(prepare(inputs).anonymised).splitlines()
    assert lines[0].startswith("[08:31] ")


def test_extra_redaction_options_reach_the_anonymised_text() -> None:
    plain = prepare(Inputs(transcript=SLACK))
    strict = prepare(Inputs(transcript=SLACK), options=RedactOptions(ips=True))
    assert "10.0.3.17" in render_lines(plain.anonymised)
    assert "10.0.3.17" not in render_lines(strict.anonymised)
    assert strict.options == RedactOptions(ips=True)


def test_the_cache_keeps_parse_and_roster_when_only_roles_change() -> None:
    cache = CountingCache()
    inputs = Inputs(transcript=SLACK)
    prepare(inputs, cache=cache)
    prepare(inputs, roles={"Responder A": "Support lead"}, cache=cache)
    parse_inputs(inputs, cache)
    assert cache.runs == {"parse": 1, "roster": 1, "anonymise": 2}


def test_a_changed_transcript_is_parsed_again() -> None:
    cache = CountingCache()
    prepare(Inputs(transcript=SLACK), cache=cache)
    prepare(Inputs(transcript=SLACK + "Ana Ribeiro  8:40 AM\nthanks\n"), cache=cache)
    assert cache.runs["parse"] == 2


@pytest.mark.parametrize("forced", ["slack-paste"])
def test_a_forced_format_is_part_of_the_inputs(forced: str) -> None:
    assert Inputs(transcript=SLACK, fmt=forced).key() != Inputs(transcript=SLACK).key()
