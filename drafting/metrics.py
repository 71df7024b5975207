"""Detection and response metrics, computed from timeline timestamps and nothing else.

Milestones are the first timestamped entry of a phase: started (trigger), detected (detection),
acknowledged (the first escalation, diagnosis or mitigation entry at or after detection, i.e. the
first human response), mitigated (mitigation), resolved (resolution). Durations:

- time to detect: started -> detected
- time to acknowledge: detected -> acknowledged
- time to mitigate, time to resolve: detected -> mitigated / resolved
- total duration: started -> resolved

Anything that cannot be computed is ``None``: a missing milestone, or a negative span (clock or
date confusion in the source is reported as unknown rather than as a wrong number).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta

from drafting.report import Metrics, Phase, TimelineEntry

_RESPONSE_PHASES = (Phase.ESCALATION, Phase.DIAGNOSIS, Phase.MITIGATION)


def compute(
    timeline: Sequence[TimelineEntry], *, human_ids: Collection[str] | None = None
) -> Metrics:
    """Compute the metrics of a timeline.

    Args:
        timeline: Entries in any order; entries without a time are ignored.
        human_ids: Ids of messages written by humans. When given, only a response entry citing
            at least one of them counts as the acknowledgement (a bot's auto-escalation does not).

    Returns:
        The milestones and the durations between them; ``None`` where unknown.
    """
    timed = sorted(
        ((as_utc(e.time), e) for e in timeline if e.time is not None), key=lambda pair: pair[0]
    )
    started = _first(timed, (Phase.TRIGGER,))
    detected = _first(timed, (Phase.DETECTION,))
    acknowledged = _first(timed, _RESPONSE_PHASES, after=detected, human_ids=human_ids)
    mitigated = _first(timed, (Phase.MITIGATION,))
    resolved = _first(timed, (Phase.RESOLUTION,))
    return Metrics(
        started_at=started,
        detected_at=detected,
        acknowledged_at=acknowledged,
        mitigated_at=mitigated,
        resolved_at=resolved,
        time_to_detect=_span(started, detected),
        time_to_acknowledge=_span(detected, acknowledged),
        time_to_mitigate=_span(detected, mitigated),
        time_to_resolve=_span(detected, resolved),
        total_duration=_span(started, resolved),
    )


def format_duration(span: timedelta | None) -> str:
    """Human-readable duration: ``45 s``, ``47 min``, ``4 h 23 min``, ``2 d 3 h``; ``unknown``."""
    if span is None:
        return "unknown"
    seconds = int(span.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


def as_utc(moment: datetime) -> datetime:
    """The same instant as an aware UTC datetime (naive values are taken as UTC)."""
    # Parsers give UTC; a naive value is taken as UTC so naive and aware times can be compared.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _first(
    timed: list[tuple[datetime, TimelineEntry]],
    phases: tuple[Phase, ...],
    *,
    after: datetime | None = None,
    human_ids: Collection[str] | None = None,
) -> datetime | None:
    for moment, entry in timed:
        if entry.phase not in phases or (after is not None and moment < after):
            continue
        if human_ids is not None and not any(mid in human_ids for mid in entry.evidence):
            continue
        return moment
    return None


def _span(start: datetime | None, end: datetime | None) -> timedelta | None:
    if start is None or end is None or end < start:
        return None
    return end - start
