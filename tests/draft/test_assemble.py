"""Stage answers -> report: quotes resolved to message ids, derived questions, bounded summary."""

from __future__ import annotations

from datetime import UTC, datetime

from drafting.draft.assemble import (
    answers_from,
    build,
    cited,
    completed_summary,
    event_text,
    resolve,
)
from drafting.draft.stages import (
    ActionsStage,
    ImpactStage,
    RolesStage,
    SummaryStage,
    TimelineItem,
    TimelineStage,
    WhysStage,
)
from drafting.ingest import Message, Transcript
from drafting.report import Phase
from drafting.skeleton import compute

AT = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
T = Transcript(
    format="test",
    messages=[
        Message(id="m1", ts=AT, speaker="monitor", text="ALERT checkout p99 latency 4.2s"),
        Message(id="m2", ts=AT.replace(minute=5), speaker="Responder A",
                text="found it: PRODUCT_CACHE_INVALIDATION_TOPIC is an empty string"),
        Message(id="m3", ts=AT.replace(minute=9), speaker="Responder B",
                text="redeployed + cache flushed. freshness check green"),
    ]
)  # fmt: skip
EMPTY = {p.name.lower(): [] for p in Phase}


def _same(text: str) -> str:
    return text


def test_an_id_resolves_to_itself_and_a_quote_to_the_message_it_copies() -> None:
    assert resolve("m2", T) == "m2"
    assert resolve("PRODUCT_CACHE_INVALIDATION_TOPIC is an empty string", T) == "m2"
    assert resolve("Redeployed + cache flushed.", T) == "m3"  # case and final stop ignored
    assert resolve("redeployed and the cache was flushed, freshness check green", T) == "m3"
    assert resolve("m9", T) is None
    assert resolve("the database ran out of connections", T) is None


def test_cited_keeps_an_unresolvable_reference_for_verify_to_flag_and_drops_repeats() -> None:
    assert cited(["m1", "ALERT checkout p99 latency 4.2s", "m7", " "], T) == ["m1", "m7"]


def test_the_timeline_quotes_its_messages_whatever_form_the_model_cited_them_in() -> None:
    answer = TimelineStage.model_validate(
        {**EMPTY, "detection": ["m1"], "diagnosis": ["is an empty string"],
         "resolution": ["freshness check green", "m3"], "follow_up": ["no such message here"]}
    )  # fmt: skip
    pm = build({"timeline": answer}, T, _same)
    assert [(e.evidence, e.phase, e.time) for e in pm.timeline] == [
        (["m1"], Phase.DETECTION, AT),
        (["m2"], Phase.DIAGNOSIS, AT.replace(minute=5)),
        (["m3"], Phase.RESOLUTION, AT.replace(minute=9)),
    ]
    assert pm.timeline[1].event == (
        "Responder A: found it: PRODUCT_CACHE_INVALIDATION_TOPIC is an empty string"
    )


def test_a_long_message_is_cut_at_a_word_limit() -> None:
    assert event_text("SRE", "one two three four", max_words=3) == "SRE: one two three …"
    assert event_text("", "a  b\nc") == "a b c"
    assert event_text("B", "pod status\n```\nNAME READY\nx 0/1\n```\nall down") == (
        "B: pod status [pasted output] all down"
    )


def test_timeline_answer_round_trips_through_items() -> None:
    items = [TimelineItem(message_id="m3", phase=Phase.RESOLUTION),
             TimelineItem(message_id="m1", phase=Phase.DETECTION)]  # fmt: skip
    answer = TimelineStage.from_items(items)
    assert answer.resolution == ["m3"] and answer.detection == ["m1"] and answer.trigger == []
    assert [(i.message_id, i.phase) for i in answer.entries] == [
        ("m1", Phase.DETECTION),
        ("m3", Phase.RESOLUTION),
    ]


def test_five_whys_questions_are_derived_from_the_problem_and_each_answer() -> None:
    answer = WhysStage.model_validate(
        {"problem": "Customers saw stale prices.",
         "whys": [{"answer": f"Cause {n}.", "evidence": ["m2"]} for n in range(1, 6)]}
    )  # fmt: skip
    assert answer.questions() == [
        "Why did this happen: customers saw stale prices?",
        "Why did this happen: cause 1?",
        "Why did this happen: cause 2?",
        "Why did this happen: cause 3?",
        "Why did this happen: cause 4?",
    ]
    pm = build({"five_whys": answer}, T, _same)
    assert pm.root_cause is not None and pm.root_cause.systemic_cause == "Cause 5."
    back = answers_from(pm)["five_whys"]
    assert isinstance(back, WhysStage) and back.problem == "customers saw stale prices"


def test_the_summary_is_the_three_sentences_in_order() -> None:
    answer = SummaryStage(title="t", what_happened="A failed.", impact=" ", resolution="B fixed.")
    assert answer.summary == "A failed. B fixed."
    assert build({"summary": answer}, T, _same).summary == "A failed. B fixed."


def test_the_report_carries_the_incident_id_and_date_the_transcript_states() -> None:
    said = Message(id="m4", speaker="Responder A", text="opening incident INC-2025-014 for this")
    dated = T.model_copy(update={"messages": [*T.messages, said], "date_known": True})
    pm = build({}, dated, _same)
    assert (pm.incident_id, pm.date) == ("INC-2025-014", AT.date())
    assert build({}, T, _same).incident_id is None


def test_the_transcripts_own_key_events_stay_on_the_timeline() -> None:
    t = Transcript(
        format="test",
        messages=[
            Message(id="m1", ts=AT, speaker="deploy-bot", text="deployed checkout-api v2.31.0"),
            Message(id="m2", ts=AT.replace(minute=3), speaker="alertmanager",
                    text="FIRING checkout 5xx error rate 12%"),
            Message(id="m3", ts=AT.replace(minute=9), speaker="Responder A",
                    text="rolling back to v2.30.4"),
            Message(id="m4", ts=AT.replace(minute=20), speaker="Responder A",
                    text="error rate back to normal, resolved"),
        ],
    )  # fmt: skip
    model = TimelineStage.model_construct(None, **{**EMPTY, "diagnosis": ["m3"]})
    pm = build({"timeline": model}, t, _same)
    assert [(e.evidence, e.phase) for e in pm.timeline] == [
        (["m1"], Phase.TRIGGER),
        (["m2"], Phase.DETECTION),
        (["m3"], Phase.DIAGNOSIS),  # the model placed it: kept as the model said
        (["m4"], Phase.RESOLUTION),
    ]


def test_the_first_alert_joins_a_timeline_whose_detection_the_model_gave_to_a_later_message() -> (
    None
):
    model = TimelineStage.model_construct(None, **{**EMPTY, "detection": ["m2"]})
    pm = build({"timeline": model}, T, _same)
    assert [(e.evidence, e.phase) for e in pm.timeline][:2] == [
        (["m1"], Phase.DETECTION),
        (["m2"], Phase.DETECTION),
    ]
    assert pm.metrics.detected_at == AT


def test_the_impact_keeps_the_figures_the_transcript_states_that_the_model_left_out() -> None:
    text = "support has 142 tickets and finance says ~$23,000 in lost orders"
    said = Message(id="m4", ts=AT.replace(minute=30), speaker="Responder A", text=text)
    t = T.model_copy(update={"messages": [*T.messages, said]})
    answer = ImpactStage(users="EU shoppers", services=["checkout"], effect="slow pages for 142 "
                         "tickets' worth of users", duration="", evidence=["m1"])  # fmt: skip
    impact = build({"impact": answer}, t, _same).impact
    # The 142 tickets the model kept are not repeated; money comes first, the alert's latency last.
    assert impact.business == "Stated in the transcript: ~$23,000 (m4); 4.2s (m1)."
    assert impact.evidence == ["m1", "m4"]


def test_summary_fragments_become_sentences_and_owners_become_proposed_roles() -> None:
    summary = SummaryStage(title="DNS records deleted", what_happened="the zone lost records",
                           impact="new clients failed", resolution="Restored.")  # fmt: skip
    actions = ActionsStage.model_validate(
        {"items": [{"action": "Guard empty workspace variables", "owner_role": "Responder A",
                    "priority": "P1"},
                   {"action": "Alert on zone deletes", "owner_role": "Platform team",
                    "priority": "P2"}]}
    )  # fmt: skip
    roles = RolesStage.model_validate({"roles": [{"participant": "Responder A", "role": "SRE"}]})
    pm = build({"roles": roles, "actions": actions, "summary": summary}, T, _same)
    assert pm.summary == ("The zone lost records. New clients failed. Restored.")
    assert [a.owner_role for a in pm.action_items] == ["SRE", "Platform team"]


def test_a_summary_without_duration_or_figures_gets_them_from_code_and_a_good_one_is_kept() -> None:
    said = Message(id="m4", ts=AT.replace(minute=30), speaker="Responder A",
                   text="support has 142 tickets and ~$23,000 in lost orders")  # fmt: skip
    t = T.model_copy(update={"messages": [*T.messages, said]})
    phases = {**EMPTY, "trigger": ["m1"], "resolution": ["m3"]}
    model = TimelineStage.model_construct(None, **phases)
    summary = SummaryStage(title="t", what_happened="A cache topic was empty.", impact="",
                           resolution="It was redeployed.")  # fmt: skip
    pm = build({"timeline": model, "summary": summary}, t, _same)
    completed = completed_summary(pm, compute(t))
    assert completed == (
        "A cache topic was empty. It was redeployed. It lasted 9 min; the transcript states "
        "~$23,000 and 142 tickets."
    )
    done = pm.model_copy(update={"summary": completed})
    assert completed_summary(done, compute(t)) is None
