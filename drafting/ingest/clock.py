"""Turning wall-clock readings from a transcript into UTC timestamps.

Pasted transcripts mostly carry a time of day and no date. :class:`Roller` gives each reading a
date: the incident date if one is known (else a placeholder), rolled forward a day whenever the
time goes backwards by more than :data:`ROLL_BACK_MINUTES`, and normalised to UTC from the
transcript's time zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from drafting.errors import TranscriptError

# A clock reading as chats write it: 9:05, 09:05:30, 9:05 PM, 9:05p.m. (named groups h, m, s,
# ampm, which clock_from_parts takes).
CLOCK = r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s?(?P<ampm>[AaPp])\.?[Mm]\.?)?"

# Used when neither the source nor the caller gives a date; Transcript.date_known says so.
PLACEHOLDER_DATE = date(1970, 1, 1)

# A reading more than this far before the previous one starts a new day. Smaller steps back are
# out-of-order pastes (a thread reply pasted late), not midnight crossings.
ROLL_BACK_MINUTES = 60
_ONE_DAY = timedelta(days=1)

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


class Clock(NamedTuple):
    """A wall-clock reading as written in the source (a tuple: cheap to make per line).

    Attributes:
        hour: 0-23, or 1-12 when ``half_day`` (a 12-hour reading without AM/PM).
        minute: 0-59.
        second: 0-59.
        day: the date, when the source states it for this message.
        half_day: the hour is on a 12-hour clock and AM/PM is unknown.
        new_day: the source marked a day boundary before this message (a date divider).
        utc: the reading is explicitly UTC (``14:32 UTC``), whatever the transcript's zone.
    """

    hour: int
    minute: int
    second: int = 0
    day: date | None = None
    half_day: bool = False
    new_day: bool = False
    utc: bool = False


def clock_from_parts(
    hour: str,
    minute: str,
    second: str | None = None,
    ampm: str | None = None,
    *,
    day: date | None = None,
    new_day: bool = False,
    utc: bool = False,
) -> Clock | None:
    """Build a :class:`Clock` from regex groups; None when the numbers are not a valid time.

    A reading without AM/PM whose hour is 1-12 is not marked ``half_day`` here: only the parser
    knows whether its format is a 12-hour one (see ``half_day``).
    """
    h, m, s = int(hour), int(minute), int(second) if second else 0
    if m > 59 or s > 59:
        return None
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm[0] in "pP" else 0)
    elif h > 23:
        return None
    return Clock(h, m, s, day, False, new_day, utc)


@lru_cache(maxsize=1024)
def iso_date(text: str) -> date | None:
    """``YYYY-MM-DD`` as a date, or None when it is not a real date (``2024-02-31``)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def zone(tz: str) -> tzinfo:
    """The time zone named by ``tz``: an IANA name (``Europe/Berlin``) or an offset (``+02:00``).

    Raises:
        TranscriptError: the name is not a known time zone.
    """
    name = tz.strip()
    if name.upper() in ("UTC", "Z", "GMT", ""):
        return UTC
    match = _OFFSET.match(name)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
        if delta >= timedelta(hours=24):
            raise TranscriptError(f"The time zone offset {tz!r} is out of range.")
        return timezone(sign * delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise TranscriptError(
            f"Unknown time zone {tz!r}: use an IANA name like 'Europe/Berlin' or an offset "
            "like '+02:00'."
        ) from err


class Roller:
    """Assigns dates to successive readings and converts them to UTC.

    Args:
        start: the incident date (first message's local date); None means unknown.
        tz: the transcript's time zone name.
    """

    def __init__(self, start: date | None, tz: str) -> None:
        self.zone = zone(tz)
        self.day = start or PLACEHOLDER_DATE
        self.date_known = start is not None
        self._prev: int | None = None  # minutes since midnight of the previous reading

    def resolve(self, when: Clock | datetime | None) -> datetime | None:
        """The UTC timestamp of one reading, in source order; None stays None."""
        if when is None:
            return None
        if isinstance(when, datetime):
            return self._absolute(when)
        hour = self._hour(when) if when.half_day else when.hour
        minutes = hour * 60 + when.minute
        if when.day is not None:
            self.day = when.day
            self.date_known = True
        elif self._prev is not None and (when.new_day or minutes < self._prev - ROLL_BACK_MINUTES):
            self.day += _ONE_DAY
        self._prev = minutes
        day = self.day
        tz = UTC if when.utc else self.zone
        local = datetime(day.year, day.month, day.day, hour, when.minute, when.second, tzinfo=tz)
        return local if tz is UTC else local.astimezone(UTC)

    def _absolute(self, when: datetime) -> datetime:
        local = when if when.tzinfo else when.replace(tzinfo=self.zone)
        stamp = local.astimezone(UTC)
        in_zone = stamp.astimezone(self.zone)
        self.day = in_zone.date()
        self.date_known = True
        self._prev = in_zone.hour * 60 + in_zone.minute
        return stamp

    def _hour(self, when: Clock) -> int:
        """Pick AM or PM for a 12-hour reading: the first one not before the previous reading."""
        base = when.hour % 12
        if self._prev is None:
            return base
        for hour in (base, base + 12):
            if hour * 60 + when.minute >= self._prev - ROLL_BACK_MINUTES:
                return hour
        return base
