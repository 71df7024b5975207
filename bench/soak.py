"""Soak benchmark: many drafts in a row on the embedded model; does the server's memory level off?

Every draft goes the app's way: ``client_from_settings`` starts (or reuses) the embedded server
as the app does, ``pipeline.draft`` runs the stages holding the queue slot (where the restart
policy applies), after the app's warm-up primed the server once. Each draft adds a numbered
note, so no two drafts send the same requests and the prefix cache keeps filling as it would
with different incidents (the same transcript keeps the figures comparable).

After each draft: its number, wall seconds, the server's resident memory and peak (``VmRSS`` and
``VmHWM`` from ``/proc``) and its pid (a new pid is a restart). At the end, per configuration:
the largest RSS over the middle and the last third of the drafts (levelled off when the last
third's is no more than 10% above the middle third's). The baseline, run first in the same
process when ``--baseline N`` > 0, is the configuration before the bound: the stock
``llama_cpp.server`` with its default 2 GiB cache limit and no restart policy; it is stopped
early once its RSS passes ``--baseline-cap-mb`` to protect the machine.

    .venv/bin/python bench/soak.py [--size 0.5b|1.5b] [--drafts 30] [--baseline 0]
                                   [--transcript FILE] [--max-rss-mb MB]

Ctrl-C ends the soak after the draft in progress is abandoned, and still prints the verdict.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from drafting.anonymise.prepare import Inputs, Prepared, prepare
from drafting.draft.pipeline import StageEvent, draft
from drafting.errors import DraftingError
from drafting.model import process, server, warmup
from drafting.model.connect import client_from_settings
from drafting.model.weights import ModelSpec, is_prepared, model_path, spec_for
from drafting.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRANSCRIPT = ROOT / "tests" / "corpus" / "google-chat-paste-cdn-purge.txt"
LEVEL_TOLERANCE = 1.10


@dataclass(frozen=True)
class Row:
    """One draft of the soak."""

    number: int
    seconds: float
    rss_mb: int
    peak_mb: int
    pid: int
    ok: bool


@dataclass(frozen=True)
class Config:
    """A server configuration to soak."""

    name: str
    stock: bool  # the unbounded server as it was: stock module, default cache size
    max_rss_mb: int


def stock_command(spec: ModelSpec, path: Path, port: int, threads: int | None = None) -> list[str]:
    """The server command as it was before the bound: stock module, no ``--cache_size``."""
    command = process.server_command(spec, path, port, threads)
    command[command.index("drafting.model.llama_server")] = "llama_cpp.server"
    at = command.index("--cache_size")
    del command[at : at + 2]
    return command


@contextmanager
def private_cache(size: str, config: Config) -> Iterator[Path]:
    """A model cache directory of this run's own (the weights linked in): its own server, state
    file and queue, stopped at the end; the app's server, if any, is left alone."""
    spec = spec_for(size)
    if not is_prepared(spec):
        sys.exit(f"bench/soak.py: the {size} model is not prepared; run `{spec.make_target}`.")
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        cache = Path(tmp)
        weights = model_path(spec)
        (cache / weights.name).symlink_to(weights)
        marker = weights.with_suffix(".sha256")
        (cache / marker.name).write_text(marker.read_text())
        original = server.server_command
        if config.stock:
            server.server_command = stock_command
        try:
            yield cache
        finally:
            server.server_command = original
            server.stop_server(size, directory=cache)


def memory(pid: int) -> tuple[int, int]:
    """Resident and peak resident MB of ``pid`` (0, 0 when it is gone)."""
    values = {"VmRSS": 0, "VmHWM": 0}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0, 0
    for line in text.splitlines():
        key = line.split(":", 1)[0]
        if key in values:
            values[key] = int(line.split()[1]) // 1024
    return values["VmRSS"], values["VmHWM"]


def one_draft(settings: Settings, prepared: Prepared, number: int) -> bool:
    """Draft once the app's way; False when the draft stopped early (still counted)."""
    client = client_from_settings(prepared.roster, settings, redact=prepared.options)
    notes = f"Soak draft {number}: no new facts."
    try:
        draft(prepared.anonymised, notes=notes, client=client, roster=prepared.roster,
              on_progress=_quiet, on_wait=_waiting)  # fmt: skip
    except DraftingError as err:
        print(f"  draft {number} stopped: {err}", file=sys.stderr, flush=True)
        return False
    return True


def _quiet(event: StageEvent) -> None:
    """Stages are not printed: one line per draft."""


def _waiting(place: int) -> None:
    print(f"  queued: place {place}", file=sys.stderr, flush=True)


def soak(config: Config, size: str, prepared: Prepared, drafts: int, cap_mb: int) -> list[Row]:
    """``drafts`` drafts on a fresh server in ``config``; one printed line each."""
    rows: list[Row] = []
    with private_cache(size, config) as cache:
        settings = load_settings().model_copy(update={
            "postmortem_model_cache": cache, "postmortem_embedded_size": size,
            "postmortem_server_max_rss_mb": config.max_rss_mb,
        })  # fmt: skip
        warmup.warm(settings)
        print(f"\n{config.name}")
        print(f"{'draft':>5} {'wall s':>8} {'rss MB':>8} {'peak MB':>8} {'pid':>8}  ok")
        for number in range(1, drafts + 1):
            started = time.perf_counter()
            try:
                ok = one_draft(settings, prepared, number)
            except KeyboardInterrupt:  # Ctrl-C ends the soak early, with the verdict so far
                print("interrupted: the summary covers the drafts above", flush=True)
                break
            seconds = time.perf_counter() - started
            handle = server.running_server(size, directory=cache)
            pid = handle.pid if handle else 0
            rss, peak = memory(pid)
            rows.append(Row(number, seconds, rss, peak, pid, ok))
            mark = "yes" if ok else "NO"
            print(f"{number:5d} {seconds:8.1f} {rss:8d} {peak:8d} {pid:8d}  {mark}", flush=True)
            if cap_mb and rss > cap_mb:
                print(f"stopped: {rss} MB is past the cap of {cap_mb} MB", flush=True)
                break
    return rows


def thirds(rows: list[Row]) -> tuple[int, int]:
    """Largest RSS over the middle and over the last third of ``rows``."""
    n = len(rows)
    middle = rows[n // 3 : 2 * n // 3] or rows
    last = rows[2 * n // 3 :] or rows
    return max(r.rss_mb for r in middle), max(r.rss_mb for r in last)


def summary(name: str, rows: list[Row]) -> str:
    """One line: thirds, whether it levelled off, restarts, mean wall seconds."""
    if not rows:
        return f"{name}: no drafts"
    middle, last = thirds(rows)
    level = last <= middle * LEVEL_TOLERANCE
    restarts = len({r.pid for r in rows}) - 1
    wall = sum(r.seconds for r in rows) / len(rows)
    verdict = "levelled off" if level else "STILL GROWING"
    peak = max(r.peak_mb for r in rows)
    return (f"{name}: {len(rows)} drafts, {sum(r.ok for r in rows)} complete; max RSS middle "
            f"third {middle} MB, last third {last} MB: {verdict}; peak {peak} MB; "
            f"{restarts} restart(s); mean {wall:.1f} s/draft")  # fmt: skip


def main() -> None:
    """Soak the baseline (if asked) and the bounded configuration; print rows and the verdict."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="0.5b", choices=("0.5b", "1.5b"))
    ap.add_argument("--drafts", type=int, default=30, help="drafts in the bounded configuration")
    ap.add_argument("--baseline", type=int, default=0, metavar="N",
                    help="first run N drafts unbounded, as the baseline")  # fmt: skip
    ap.add_argument("--baseline-cap-mb", type=int, default=10_000,
                    help="stop the baseline once its server passes this RSS")  # fmt: skip
    ap.add_argument("--max-rss-mb", type=int, default=None,
                    help="restart limit of the bounded run (default: the setting's)")  # fmt: skip
    ap.add_argument("--transcript", type=Path, default=DEFAULT_TRANSCRIPT)
    args = ap.parse_args()
    prepared = prepare(Inputs(transcript=args.transcript.read_text(encoding="utf-8")))
    limit = (
        load_settings().postmortem_server_max_rss_mb if args.max_rss_mb is None else args.max_rss_mb
    )
    spec = spec_for(args.size)
    print(f"{args.transcript.name}: {len(prepared.transcript.messages)} messages; model "
          f"{spec.alias}; cache limit {process.cache_bytes(spec) / 1e6:.0f} MB; restart above "
          f"{limit} MB")  # fmt: skip
    results: list[tuple[str, list[Row]]] = []
    if args.baseline:
        base = Config("baseline: stock server, default cache size, no restart", True, 0)
        results.append((base.name, soak(base, args.size, prepared, args.baseline,
                                        args.baseline_cap_mb)))  # fmt: skip
    bounded = Config("bounded: counted cache limit and restart policy", False, limit)
    results.append((bounded.name, soak(bounded, args.size, prepared, args.drafts, 0)))
    print()
    for name, rows in results:
        print(summary(name, rows))
    if len(results) == 2 and results[0][1] and results[1][1]:
        (_, base_rows), (_, ours) = results
        k = min(len(base_rows), len(ours))
        rss = ours[k - 1].rss_mb / base_rows[k - 1].rss_mb
        wall = sum(r.seconds for r in ours[:k]) / sum(r.seconds for r in base_rows[:k])
        print(f"after {k} drafts: RSS bounded/baseline {rss:.2f}x, wall {wall:.2f}x")


if __name__ == "__main__":
    main()
