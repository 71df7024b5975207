"""How long the app takes to rerun for an interaction that does not call the model.

Loads a synthetic 2,000-message IRC transcript into the app (through AppTest, headless),
anonymises it, generates a draft against the local replay server (recorded embedded-model
answers, matched by stage), then times two interactions that must stay fast:

- a plain rerun (what switching tabs or any widget change costs), and
- editing a section (a new draft version is stored and the draft re-linted).

Baseline, measured in the same run: the same interactions with the session cache emptied
first, i.e. what each rerun would cost if parsing, anonymisation, condensing and lint were
recomputed every time. Prints milliseconds (median of N) and the ratio to the baseline.

Run: ``.venv/bin/python bench/app_rerun.py [--messages 2000] [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from replay_server import ReplayServer  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.state import Keys, Memo  # noqa: E402

CASSETTES = sorted((ROOT / "cassettes").glob("app_*.yaml"))
NICKS = ["rkovacs", "jdiaz", "mei_l", "ops-bot", "sam.k", "priya", "tomasz", "ana_r"]
LINES = [
    "looking at the {svc} dashboards, p99 latency is {n}ms",
    "@{other} can you check the {svc} deploy from {n} minutes ago?",
    "rolled back {svc} to the previous release, watching error rate",
    "error rate on {svc} is {n}% and falling",
    "ack, I'll page the {svc} owners",
    "the cache hit ratio for {svc} dropped to {n}%",
]
SERVICES = ["api", "checkout", "search", "billing", "auth"]


def transcript(count: int) -> str:
    """A deterministic IRC log of ``count`` messages, one every 20 seconds from 08:00."""
    out = []
    for i in range(count):
        minute = 8 * 60 + i // 3
        nick = NICKS[i % len(NICKS)]
        text = LINES[(i * 7) % len(LINES)].format(
            svc=SERVICES[i % len(SERVICES)], n=(i * 13) % 97, other=NICKS[(i + 3) % len(NICKS)]
        )
        out.append(f"[{minute // 60 % 24:02d}:{minute % 60:02d}] <{nick}> {text}")
    return "\n".join(out) + "\n"


def timed(action: Callable[[], object], repeat: int, before: Callable[[], None]) -> float:
    """Median milliseconds of ``action`` over ``repeat`` runs, calling ``before`` untimed."""
    samples = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not CASSETTES:
        sys.exit("no cassettes/app_*.yaml to replay; record one first")
    tmp = Path(tempfile.mkdtemp(prefix="bench-app-"))
    with ReplayServer(CASSETTES) as url:
        os.environ.update(
            POSTMORTEM_DB=str(tmp / "bench.sqlite3"), OPENAI_BASE_URL=url, OPENAI_API_KEY="local",
            POSTMORTEM_MODEL="qwen2.5-coder-0.5b-instruct", POSTMORTEM_SCHEMA_DIALECT="json_object",
            POSTMORTEM_MAX_RETRIES="0",
        )  # fmt: skip
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()
        start = time.perf_counter()
        at.text_area(key=Keys.TRANSCRIPT).set_value(transcript(args.messages)).run()
        paste_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        _button(at, "Anonymise").click().run()
        anonymise_ms = (time.perf_counter() - start) * 1000
        _button(at, "Generate draft").click().run()
        if at.exception or Keys.DRAFT not in at.session_state or at.error:
            sys.exit(f"generation failed: {[e.value for e in at.error]} {at.exception}")
        report(at, args, paste_ms, anonymise_ms)


def report(at: AppTest, args: argparse.Namespace, paste_ms: float, anonymise_ms: float) -> None:
    """Time the interactions warm and cold and print the comparison."""
    edits = iter(range(10_000))

    def edit() -> None:
        widget = next(t for t in at.text_area if t.key and t.key.startswith("text-summary-"))
        widget.set_value(f"Summary edit {next(edits)}: the api release was rolled back.").run()

    def warm() -> None:
        pass

    def cold() -> None:
        at.session_state[Keys.MEMO] = Memo()

    rows = []
    for name, action in (("rerun (tab switch)", at.run), ("edit a section", edit)):
        fast = timed(action, args.repeat, warm)
        slow = timed(action, args.repeat, cold)
        rows.append((name, fast, slow))
    print(f"app rerun benchmark: {args.messages} messages, median of {args.repeat}")
    print(f"  first paste (parse):            {paste_ms:8.1f} ms")
    print(f"  anonymise (roster, condense):   {anonymise_ms:8.1f} ms")
    for name, fast, slow in rows:
        verdict = "under" if fast < 200 else "OVER"
        print(
            f"  {name:<22} cached {fast:8.1f} ms | uncached baseline {slow:8.1f} ms | "
            f"ratio {fast / slow:5.2f} ({verdict} 200 ms)"
        )


if __name__ == "__main__":
    main()
