"""Dating clock-only times: rolling over midnight, AM/PM guessing, zones, explicit dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from drafting.errors import TranscriptError
from drafting.ingest import parse
from drafting.ingest.clock import PLACEHOLDER_DATE, Clock, Roller, clock_from_parts, zone


def stamps(text: str, **kwargs: object) -> list[datetime | None]:
    return [m.ts for m in parse(text, **kwargs).messages]  # type: ignore[arg-type]


def test_time_going_backwards_rolls_the_date_forward_each_midnight() -> None:
    log = "[23:10] <a> x\n[23:55] <a> y\n[00:20] <a> z\n[22:00] <a> w\n[01:00] <a> v"
    got = stamps(log, date=date(2024, 12, 31))
    assert [s.date() for s in got if s] == [
        date(2024, 12, 31),
        date(2024, 12, 31),
        date(2025, 1, 1),
        date(2025, 1, 1),
        date(2025, 1, 2),
    ]


def test_a_small_step_back_is_out_of_order_not_a_new_day() -> None:
    got = stamps("[10:30] <a> x\n[10:05] <b> late paste\n[10:40] <a> y", date=date(2024, 1, 9))
    assert [s.date() for s in got if s] == [date(2024, 1, 9)] * 3


def test_local_times_are_normalised_to_utc_across_a_dst_change() -> None:
    # Europe/Berlin moved to summer time at 02:00 on 2024-03-31.
    got = stamps("[23:30] <a> x\n[09:00] <a> y", date=date(2024, 3, 30), tz="Europe/Berlin")
    assert got == [
        datetime(2024, 3, 30, 22, 30, tzinfo=UTC),
        datetime(2024, 3, 31, 7, 0, tzinfo=UTC),
    ]


def test_without_a_date_times_sit_on_the_placeholder_and_date_known_is_false() -> None:
    t = parse("[09:00] <a> x")
    assert not t.date_known
    assert t.messages[0].ts == datetime.combine(PLACEHOLDER_DATE, datetime.min.time(), UTC) + (
        timedelta(hours=9)
    )


def test_offset_zones_are_accepted() -> None:
    assert zone("+05:30") == timezone(timedelta(hours=5, minutes=30))
    assert zone("UTC-3") == timezone(timedelta(hours=-3))
    assert zone("utc") is UTC
    with pytest.raises(TranscriptError, match="out of range"):
        zone("+25:00")
    with pytest.raises(TranscriptError, match="Unknown time zone"):
        zone("Not/AZone")


def test_twelve_hour_reading_without_am_pm_takes_the_half_that_follows() -> None:
    text = "Ana Ribeiro  11:58 AM\nfirst\n12:01\nsecond\n1:15\nthird"
    assert [s.strftime("%H:%M") for s in stamps(text) if s] == ["11:58", "12:01", "13:15"]
    evening = "Ana Ribeiro  8:31 PM\nfirst\n8:32\nsecond"
    assert [s.strftime("%H:%M") for s in stamps(evening) if s] == ["20:31", "20:32"]


def test_clock_from_parts_rejects_impossible_times() -> None:
    assert clock_from_parts("12", "00", None, "AM") == Clock(0, 0)
    assert clock_from_parts("12", "30", None, "pm") == Clock(12, 30)
    assert clock_from_parts("24", "00") is None
    assert clock_from_parts("9", "60") is None
    assert clock_from_parts("13", "00", None, "PM") is None


def test_explicit_day_overrides_rolling_and_utc_readings_ignore_the_zone() -> None:
    roller = Roller(date(2024, 1, 1), "Asia/Tokyo")
    first = roller.resolve(Clock(23, 0))
    second = roller.resolve(Clock(8, 0, day=date(2024, 1, 1)))
    third = roller.resolve(Clock(8, 0, utc=True))
    assert first == datetime(2024, 1, 1, 14, 0, tzinfo=UTC)
    assert second == datetime(2023, 12, 31, 23, 0, tzinfo=UTC)
    assert third == datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    assert roller.resolve(None) is None


def test_a_day_divider_advances_the_date_even_when_time_goes_forward() -> None:
    roller = Roller(date(2024, 6, 1), "UTC")
    roller.resolve(Clock(9, 0))
    assert roller.resolve(Clock(10, 0, new_day=True)) == datetime(2024, 6, 2, 10, 0, tzinfo=UTC)


def test_naive_datetimes_are_read_in_the_transcript_zone() -> None:
    roller = Roller(None, "America/New_York")
    assert roller.resolve(datetime(2024, 7, 4, 12, 0)) == datetime(2024, 7, 4, 16, 0, tzinfo=UTC)
    assert roller.date_known
    # A clock-only reading afterwards continues on that local date.
    assert roller.resolve(Clock(13, 0)) == datetime(2024, 7, 4, 17, 0, tzinfo=UTC)
