"""Detection and response metrics, from timestamps only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from factories import sample_timeline

from drafting.metrics import compute, format_duration
from drafting.report import Phase, TimelineEntry


def _entry(hour: int, minute: int, phase: Phase, *ids: str) -> TimelineEntry:
    at = datetime(2026, 3, 5, hour, minute, tzinfo=UTC)
    return TimelineEntry(time=at, phase=phase, event="x", evidence=list(ids))


def test_sample_incident_metrics() -> None:
    m = compute(sample_timeline())
    assert m.time_to_detect == timedelta(minutes=59)  # 08:31 -> 09:30
    assert m.time_to_acknowledge == timedelta(minutes=15)  # 09:30 -> 09:45 diagnosis
    assert m.time_to_mitigate == timedelta(minutes=95)  # 09:30 -> 11:05
    assert m.time_to_resolve == timedelta(hours=1, minutes=45)  # 09:30 -> 11:15
    assert m.total_duration == timedelta(hours=2, minutes=44)  # 08:31 -> 11:15


def test_order_of_entries_does_not_matter() -> None:
    assert compute(list(reversed(sample_timeline()))) == compute(sample_timeline())


def test_first_entry_of_a_phase_is_the_milestone() -> None:
    m = compute(
        [
            _entry(10, 0, Phase.RESOLUTION),
            _entry(9, 0, Phase.DETECTION),
            _entry(9, 40, Phase.RESOLUTION),
        ]
    )
    assert m.time_to_resolve == timedelta(minutes=40)


def test_unknown_trigger_leaves_detect_and_total_unknown() -> None:
    m = compute([_entry(9, 0, Phase.DETECTION), _entry(9, 30, Phase.RESOLUTION)])
    assert m.time_to_detect is None and m.total_duration is None
    assert m.time_to_resolve == timedelta(minutes=30)


def test_entries_without_time_are_ignored() -> None:
    untimed = TimelineEntry(time=None, phase=Phase.DETECTION, event="paged")
    m = compute([_entry(9, 0, Phase.TRIGGER), untimed])
    assert m.detected_at is None and m.time_to_detect is None


def test_negative_span_is_unknown_not_wrong() -> None:
    m = compute([_entry(10, 0, Phase.TRIGGER), _entry(9, 0, Phase.DETECTION)])
    assert m.time_to_detect is None


def test_acknowledgement_is_the_first_response_after_detection() -> None:
    m = compute(
        [
            _entry(8, 0, Phase.DIAGNOSIS),
            _entry(9, 0, Phase.DETECTION),
            _entry(9, 7, Phase.ESCALATION),
        ]
    )
    assert m.time_to_acknowledge == timedelta(minutes=7)


def test_only_human_messages_acknowledge_when_known() -> None:
    timeline = [
        _entry(9, 0, Phase.DETECTION, "m1"),
        _entry(9, 1, Phase.ESCALATION, "m2"),  # the paging bot escalating
        _entry(9, 12, Phase.DIAGNOSIS, "m3"),
    ]
    assert compute(timeline).time_to_acknowledge == timedelta(minutes=1)
    assert compute(timeline, human_ids={"m3"}).time_to_acknowledge == timedelta(minutes=12)


def test_naive_times_are_taken_as_utc() -> None:
    naive = TimelineEntry(time=datetime(2026, 3, 5, 9, 30), phase=Phase.DETECTION, event="x")
    m = compute([_entry(9, 0, Phase.TRIGGER), naive])
    assert m.time_to_detect == timedelta(minutes=30)


def test_empty_timeline_knows_nothing() -> None:
    m = compute([])
    assert all(value is None for value in m.model_dump().values())


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (None, "unknown"),
        (timedelta(seconds=45), "45 s"),
        (timedelta(minutes=47), "47 min"),
        (timedelta(hours=4, minutes=23), "4 h 23 min"),
        (timedelta(hours=2), "2 h"),
        (timedelta(days=1, hours=3, minutes=5), "1 d 3 h"),
        (timedelta(days=2), "2 d"),
    ],
)
def test_format_duration(span: timedelta | None, text: str) -> None:
    assert format_duration(span) == text
