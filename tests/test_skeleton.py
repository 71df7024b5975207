"""The skeleton: what the transcript states, computed before the model writes anything."""

from __future__ import annotations

import datetime as dt

from drafting.ingest import parse
from drafting.skeleton import Cue, compute

POOL = """\
[2025-03-04 14:02] deploy-bot: deployed checkout-api v2.31.0 (db pool size changed from 100 to 10)
[2025-03-04 14:05] alertmanager: FIRING checkout-api 5xx error rate 12% -> #payments-alerts
[2025-03-04 14:13] Ana Ribeiro: support: 142 tickets. opening incident INC-2025-014
[2025-03-04 14:14] Tom Becker: ack, looking
[2025-03-04 14:20] Tom Becker: pool exhausted, 10 connections. rolling back to v2.30.4
[2025-03-04 14:31] Tom Becker: rollback complete, error rate back to normal
[2025-03-04 14:40] Ana Ribeiro: ~$23,000 in lost orders over the 35 min outage. resolved.
"""


def test_incident_id_date_figures_and_key_event_candidates_come_from_the_text() -> None:
    t = parse(POOL)
    sk = compute(t)
    assert (sk.incident_id, sk.incident_id_message) == ("INC-2025-014", "m3")
    assert sk.date == dt.date(2025, 3, 4)
    stated = {(f.text, f.what) for f in sk.figures}
    assert {("142 tickets", "tickets"), ("~$23,000", "money"), ("12%", "percent")} <= stated
    assert ("35 min", "duration") in stated
    assert not any(f.text.startswith(("2.31", "100", "10 ")) for f in sk.figures)
    assert sk.first(Cue.DEPLOY) == "m1"
    assert sk.first(Cue.CONFIG) == "m1"
    assert sk.first(Cue.ALERT) == "m2"
    assert sk.first(Cue.ACK) == "m4"
    assert sk.first(Cue.ROLLBACK) == "m5"
    assert sk.first(Cue.RESOLVED) == "m6"


def test_no_id_or_date_stated_means_none_not_a_guess() -> None:
    sk = compute(parse("[14:02] Ana: checkout is down\n[14:05] Tom: looking, 3 pods crashlooping"))
    assert sk.incident_id is None and sk.date is None
    assert [(f.text, f.what) for f in sk.figures] == [("3 pods", "pods")]


def test_a_date_written_in_words_and_an_incident_number() -> None:
    sk = compute(parse("[09:01] Ana: declaring incident #4471 for the 4 March 2025 outage"))
    assert (sk.incident_id, sk.date) == ("#4471", dt.date(2025, 3, 4))


def test_numbers_that_count_nothing_and_dates_inside_tokens_are_not_taken() -> None:
    text = (
        "[09:01] Ana: 412 switched the records, 30, new nodes up, 502 for index files\n"
        "[09:02] Tom: SAS url ?sv=2022-11-02&sig=x, 7 lost uploads"
    )
    sk = compute(parse(text))
    assert [f.text for f in sk.figures] == ["7 lost uploads"]
    assert sk.date is None


def test_an_incident_channels_name_gives_the_id_when_no_message_states_one() -> None:
    sk = compute(parse("#inc-2291-checkout-db-pool\n\n[09:01] Ana: checkout is down"))
    assert (sk.incident_id, sk.incident_id_message) == ("INC-2291", "m1")
