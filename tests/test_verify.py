"""verify: citations, grounded numbers, the 5 Whys ending and completeness."""

from __future__ import annotations

from datetime import UTC, datetime

from factories import sample_postmortem, sample_whys

from drafting.ingest.types import Message, Transcript
from drafting.report import (
    FlagSeverity,
    Impact,
    Phase,
    Postmortem,
    ReviewFlag,
    RootCause,
    Section,
    TimelineEntry,
    Why,
)
from drafting.verify import source_numbers, ungrounded_numbers, verify


def _at(h: int, m: int) -> datetime:
    return datetime(2026, 3, 5, h, m, tzinfo=UTC)


TRANSCRIPT = Transcript(
    format="test",
    messages=[
        Message(id="m1", ts=_at(9, 30), speaker="Responder A", text="ProductService ~3h stale"),
        Message(id="m2", ts=_at(9, 45), speaker="Responder A", text="cache hit rate is 99.8%"),
        Message(id="m3", ts=_at(11, 15), speaker="Responder B", text="~15% of EU users, 2h15m"),
    ],
)


def _pm(**update: object) -> Postmortem:
    base = Postmortem(
        title="Stale prices",
        summary="Prices were about 3h stale for ~15% of EU users.",
        timeline=[
            TimelineEntry(
                time=_at(9, 30), phase=Phase.DETECTION, event="Staleness seen.", evidence=["m1"]
            ),
        ],
    )
    return base.model_copy(update=update)


def _messages(flags: list[ReviewFlag], section: Section) -> list[str]:
    return [f.message for f in flags if f.section == section]


def test_numbers_from_the_source_pass_and_invented_ones_are_flagged() -> None:
    known = source_numbers(["cache hit rate is 99.8%", "~15% of users, 2h15m", "1,200 orders"])
    assert ungrounded_numbers("hit rate 99.8%, 15% of users for 2h, 1200 orders", known) == []
    assert ungrounded_numbers("412 customers, resolved within 3 hours", known) == ["412", "3"]


def test_citation_ids_and_version_like_tokens_are_not_numbers() -> None:
    assert ungrounded_numbers("see m12 and P0, db-prod-3, v2", set()) == []


def test_clock_times_match_regardless_of_a_leading_zero() -> None:
    assert ungrounded_numbers("at 9:30", source_numbers(["09:30"])) == []


def test_verify_flags_an_invented_number_in_its_section_as_a_warning() -> None:
    pm = _pm(impact=Impact(users="412 customers", evidence=["m3"]))
    flags = verify(pm, TRANSCRIPT)
    impact = [f for f in flags if f.section == Section.IMPACT]
    assert len(impact) == 1 and "412" in impact[0].message
    assert impact[0].severity == FlagSeverity.WARNING
    assert not [m for m in _messages(flags, Section.SUMMARY) if "Numbers" in m]


def test_verify_flags_a_citation_of_a_message_that_does_not_exist() -> None:
    pm = _pm(impact=Impact(users="EU users", evidence=["m99"]))
    assert any("m99" in m for m in _messages(verify(pm, TRANSCRIPT), Section.IMPACT))


def test_verify_flags_a_timeline_time_that_differs_from_its_cited_message() -> None:
    entry = TimelineEntry(time=_at(10, 0), phase=Phase.DIAGNOSIS, event="Hit rate checked.",
                          evidence=["m2"])  # fmt: skip
    flags = _messages(verify(_pm(timeline=[entry]), TRANSCRIPT), Section.TIMELINE)
    assert any("differs from the cited message" in m for m in flags)


def test_verify_flags_an_event_naming_a_time_its_message_does_not_have() -> None:
    entry = TimelineEntry(time=_at(9, 45), phase=Phase.DIAGNOSIS,
                          event="At 10:15 the hit rate was checked.", evidence=["m2"])  # fmt: skip
    flags = _messages(verify(_pm(timeline=[entry]), TRANSCRIPT), Section.TIMELINE)
    assert any("says 10:15" in m for m in flags)
    ok = entry.model_copy(update={"event": "At 9:45 the hit rate was checked."})
    assert not any("says" in m for m in _messages(verify(_pm(timeline=[ok]), TRANSCRIPT),
                                                  Section.TIMELINE))  # fmt: skip


def test_verify_flags_a_whys_chain_that_ends_at_a_person() -> None:
    whys = [*sample_whys()[:4], Why(question="Why?", answer="Responder B forgot it.")]
    pm = _pm(root_cause=RootCause(whys=whys, systemic_cause="x"))
    flags = [f for f in verify(pm, TRANSCRIPT, labels=["Responder B"]) if "5 Whys" in f.message]
    assert flags and flags[0].section == Section.ROOT_CAUSE


def test_verify_flags_every_empty_required_section_and_none_when_complete() -> None:
    sparse = [f.section for f in verify(_pm(), TRANSCRIPT) if "section is empty" in f.message]
    assert Section.ROOT_CAUSE in sparse and Section.ACTION_ITEMS in sparse
    assert Section.SUMMARY not in sparse and Section.TIMELINE not in sparse
    full = sample_postmortem()
    assert not [f for f in verify(full, TRANSCRIPT) if "section is empty" in f.message]


def test_verify_never_changes_the_draft() -> None:
    pm = _pm(impact=Impact(users="412 customers", evidence=["m99"]))
    before = pm.model_dump()
    verify(pm, TRANSCRIPT)
    assert pm.model_dump() == before
