"""Parsing benchmark: every transcript format, 10,000 generated messages each.

The baseline, measured in the same run, is the floor any parser pays: validating the same number
of ``Message`` rows (already split, already timestamped) into a ``Transcript``. Each format prints
messages per second and its ratio to that floor (1.0x would mean parsing itself costs nothing).

    .venv/bin/python bench/transcript_formats.py [--messages N]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from drafting.ingest import Transcript, parse

START = datetime(2026, 3, 1, 21, 0, tzinfo=UTC)
TEXTS = [
    "looking at db-prod-{n} now",
    "p99 latency is {n}ms, error rate {n}%",
    "rolled back to v1.{n}.0, watching the graphs",
    "ack",
]


def _when(i: int) -> datetime:
    return START + timedelta(seconds=7 * i)


def _say(i: int) -> str:
    return TEXTS[i % len(TEXTS)].format(n=i % 97)


def irc(n: int) -> str:
    return "\n".join(f"[{_when(i):%H:%M}] <user{i % 7}> {_say(i)}" for i in range(n))


def slack_paste(n: int) -> str:
    return "\n".join(
        f"Person Number{i % 7}  {_when(i):%I:%M %p}\n{_say(i)}\nsecond line" for i in range(n)
    )


def teams(n: int) -> str:
    return "\n".join(f"[{_when(i):%I:%M %p}] Person Number{i % 7}\n{_say(i)}" for i in range(n))


def notes(n: int) -> str:
    return "\n".join(f"- {_when(i):%H:%M} {_say(i)}" for i in range(n))


def slack_export(n: int) -> str:
    rows = [
        {"type": "message", "user": f"U{i % 7}", "text": f"<@U{(i + 1) % 7}> {_say(i)}",
         "ts": f"{_when(i).timestamp():.0f}.000100"}
        for i in range(n)
    ]  # fmt: skip
    return json.dumps(rows)


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Print msg/s per format and the ratio against the model-building floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    n = parser.parse_args().messages
    rows = [
        {"id": f"m{i + 1}", "ts": _when(i), "speaker": f"user{i % 7}", "text": _say(i)}
        for i in range(n)
    ]
    floor = n / _best(lambda: Transcript.model_validate({"format": "irc", "messages": rows}))
    print(f"messages: {n}")
    print(f"baseline (build Message models only): {floor:>10,.0f} msg/s")
    for name, make in [("irc", irc), ("slack-paste", slack_paste), ("teams", teams),
                       ("notes", notes), ("slack-export", slack_export)]:  # fmt: skip
        text = make(n)
        assert parse(text).format == name, name
        rate = n / _best(lambda text=text: parse(text))  # type: ignore[misc]
        print(f"parse {name:<13}                 {rate:>10,.0f} msg/s  ({rate / floor:.2f}x)")


if __name__ == "__main__":
    main()
