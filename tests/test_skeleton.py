"""The skeleton: what the transcript states, computed before the model writes anything."""

from __future__ import annotations

import datetime as dt

from drafting.ingest import parse
from drafting.skeleton import Cue, KeyEvents, compute, key_events

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


def test_key_events_a_change_before_the_alert_is_the_trigger() -> None:
    key = key_events(parse(POOL))
    assert key == KeyEvents(trigger="m1", detection="m2", mitigation="m5", resolution="m6")


def test_key_events_a_cause_stated_after_the_alert_and_a_recovery_that_is_not_yet_one() -> None:
    text = (
        "[03:12] Uptime Kuma: [DOWN] social.example 502 Bad Gateway\n"
        "[03:20] sio: anyone awake? site's throwing 502s\n"
        "[03:44] emma: the B2 application key expired on the 1st, so archiving failed\n"
        "[04:02] bolat: uploads errors down to 0.3%, reads still failing\n"
        "[04:14] Uptime Kuma: [UP] social.example 200 OK\n"
    )
    key = key_events(parse(text))
    assert (key.detection, key.trigger, key.resolution) == ("m1", "m3", "m5")


def test_a_recovery_alert_is_not_a_new_alert_and_an_untimed_title_is_no_event() -> None:
    text = (
        "Incident notes - blob storage errors\n\n"
        "[10:01] Alert: upload failures above 2% (ours: 14%)\n"
        "[10:40] monitor: [RESOLVED] upload failures\n"
    )
    key = key_events(parse(text))
    assert (key.detection, key.resolution) == ("m2", "m3")


def test_the_message_a_channel_opens_with_is_its_report_whatever_its_words() -> None:
    text = (
        "[07:58] * amaia_ has joined #billing-ops\n"
        "[08:00] deploy-bot: deployed settle-eur v3.2 (schedule changed from 01:00 to 12:00)\n"
        "[08:01] hinemoa: morning all\n"
        "[08:02] settlebot: [WARN] settlement EUR: 12,118 txns, 7d avg 24,310 (-50.2%)\n"
        "[08:05] vuk: the job failed at noon\n"
    )
    key = key_events(parse(text))
    # not the join, the deploy notice (the trigger) or the greeting: the bot's warning, though
    # no alert word is in it, and earlier than the first message that has one (m5)
    assert (key.trigger, key.detection) == ("m2", "m4")


def test_recovery_in_everyday_words_and_what_only_looks_like_it() -> None:
    said = {
        "node-07 back to 61%, pressure condition cleared": True,
        "node-09 ok too. evicted pods rescheduling": True,
        "log volume back to ~20MB/min": True,
        "Stripe status green now": True,
        "test order went through via the fallback provider": True,
        "group stable, 0 rebalances in 5 min": True,
        "read errors 0.8%, mostly 404s": False,  # lower, not gone
        "rolling back to 2.30.4": False,
        "I cleared the cache on web-3": False,  # an action, not a recovery
        "the bad deploy went through at 14:00": False,
    }
    for text, recovers in said.items():
        sk = compute(parse(f"[10:00] pager: checkout down\n[10:05] Ana: {text}\n"))
        assert (sk.first(Cue.RESOLVED) == "m2") is recovers, text


def test_figures_of_parts_sizes_readings_and_latencies_and_the_telling_ones_first() -> None:
    text = (
        "[09:01] Ana: 3 of 5 data nodes read-only, backlog 210M docs, threads_running 412\n"
        "[09:02] Tom: homepage takes 20s+, p95 14.2s, 9k SMS sent, 12 pods restarted\n"
        "[09:30] Ana: delayed up to 19h for some; 57 tickets and ~$4,000 refunded\n"
    )
    sk = compute(parse(text))
    kinds = {f.text: f.what for f in sk.figures}
    assert kinds["3 of 5 data nodes"] == "part"
    assert kinds["210M docs"] == "docs"
    assert kinds["threads_running 412"] == "reading"
    assert kinds["20s+"] == kinds["p95 14.2s"] == "latency"
    assert kinds["delayed up to 19h"] == "duration"
    ranked = [f.text for f in sk.impact(4)]
    assert ranked == ["~$4,000", "210M docs", "9k SMS", "57 tickets"]
