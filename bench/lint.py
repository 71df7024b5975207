"""Lint benchmark: the blamelessness lint against proselint over the same corpus, in one run.

Lints every report in ``tests/fixtures/lint/corpus`` with the full rule set, then runs proselint
(the baseline, default checks, no cap on findings) over the same texts, and prints MB/s for both
and the ratio. Measured twice: in this process (rules loaded once, so lint speed alone), and as
whole processes (``postmortem lint FILES`` against ``proselint check FILES``, start-up included,
as a user or a CI job runs them), with each command's start-up time on a one-line file.
Targets: at least 2 MB/s and 10x proselint in process, by CPU time; start-up under 0.3 s.

Then a team's library: both command lines over libraries of several sizes (``--sizes``, in
reports), each built in a temporary folder from the corpus plus every Markdown and text file in a
local folder of real public postmortems (``--library``, default ``~/.cache/postmortem/
bench-library``; nothing is downloaded). Real libraries of hundreds of reports are rare in
public, so a library larger than those sources is made by cycling them: report k is a copy of
source k mod n, under its own file name. The table shows where start-up stops mattering and at
which size the whole-process ratio reaches 10x. To fill the folder once, clone a public
postmortem collection into it, e.g. the dfds/postmortems repository (its ``PM*`` reports).

    .venv/bin/python bench/lint.py [--repeat N] [--min-seconds S] [--runs R]
                                   [--sizes 10,50,...] [--library DIR] [--library-runs R]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from proselint.checks import __register__
from proselint.config import DEFAULT, Config
from proselint.registry import CheckRegistry
from proselint.tools import LintFile

from drafting.lint import lint_text

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lint" / "corpus"
LIBRARY = Path.home() / ".cache" / "postmortem" / "bench-library"
SIZES = "10,50,100,200,400,800"
REPORT_SUFFIXES = (".md", ".markdown", ".txt")
TARGET_MB_S = 2.0
TARGET_RATIO = 10.0
TARGET_STARTUP_S = 0.3


def corpus_files() -> list[Path]:
    """Every report in the corpus, sorted."""
    return [p for p in sorted(CORPUS.iterdir()) if p.suffix in (".md", ".txt")]


def measure(run: Callable[[], int], size: int, min_seconds: float) -> tuple[float, float, int]:
    """Throughput of ``run`` over ``size`` bytes, repeated for at least ``min_seconds``.

    Returns MB/s by wall clock, MB/s by this process's CPU time (steadier when other work
    shares the machine), and the number of findings of one pass.
    """
    run()  # warm-up: compiles and caches regexes on both sides
    rounds, findings = 0, 0
    wall, cpu = time.perf_counter(), time.process_time()
    while True:
        findings = run()
        rounds += 1
        elapsed = time.perf_counter() - wall
        if elapsed >= min_seconds:
            used = time.process_time() - cpu
            return size * rounds / elapsed / 1e6, size * rounds / used / 1e6, findings


def ours(texts: list[tuple[str, str]]) -> Callable[[], int]:
    """One pass of the blamelessness lint over every text."""
    return lambda: sum(len(lint_text(text, path=name)) for name, text in texts)


def proselint(texts: list[tuple[str, str]]) -> Callable[[], int]:
    """One pass of proselint's default checks over every text, with no cap on results."""
    CheckRegistry().register_many(__register__)
    config = Config(max_errors=10**9, checks=DEFAULT["checks"])
    return lambda: sum(len(LintFile(name, text).lint(config)) for name, text in texts)


def command(script: str, module: str) -> list[str]:
    """The installed console script next to this interpreter, else ``python -m module``."""
    path = Path(sys.executable).parent / script
    return [str(path)] if path.exists() else [sys.executable, "-m", module]


def time_process(argv: list[str], runs: int, cwd: str) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (user + system) of ``runs`` runs of ``argv``.

    One untimed run first, so every timed run finds the files and bytecode in the OS cache.
    """
    subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def whole_process(files: list[str], size: int, runs: int) -> list[tuple[str, float, float, float]]:
    """(name, start-up s, wall MB/s, CPU MB/s) for python itself, proselint and our lint.

    Run from an empty folder, so neither tool picks up a project's configuration.
    """
    rows = []
    with tempfile.TemporaryDirectory() as cwd:
        one_line = Path(cwd, "one-line.md")
        one_line.write_text("The deploy finished at 10:42 and traffic recovered.\n")
        for name, argv in (
            ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
            ("proselint check", [*command("proselint", "proselint"), "check"]),
            ("postmortem lint", [*command("postmortem", "drafting"), "lint"]),
        ):
            startup, _ = time_process([*argv, str(one_line)], runs, cwd)
            if name.startswith("python"):
                rows.append((name, startup, 0.0, 0.0))
                continue
            wall, cpu = time_process([*argv, *files], runs, cwd)
            rows.append((name, startup, size / wall / 1e6, size / cpu / 1e6))
    return rows


def report_in_process(texts: list[tuple[str, str]], size: int, min_seconds: float) -> bool:
    """Print in-process throughput of both linters; True when its targets are met."""
    base_wall, base_cpu, base_findings = measure(proselint(texts), size, min_seconds)
    wall, cpu, findings = measure(ours(texts), size, min_seconds)
    print(f"\n{'in process':23}{'wall MB/s':>10}{'CPU MB/s':>10}  findings")
    print(f"{'proselint (baseline)':23}{base_wall:10.3f}{base_cpu:10.3f}  {base_findings}")
    print(f"{'blameless-lint':23}{wall:10.3f}{cpu:10.3f}  {findings}")
    print(f"ratio vs proselint: {wall / base_wall:.1f}x (wall), {cpu / base_cpu:.1f}x (CPU)")
    return cpu >= TARGET_MB_S and cpu / base_cpu >= TARGET_RATIO


def report_whole_process(files: list[Path], size: int, runs: int) -> bool:
    """Print whole-process start-up and throughput of both commands; True when start-up is met."""
    rows = whole_process([str(p) for p in files], size, runs)
    title = f"whole process, median of {runs}"
    print(f"\n{title:27}{'start-up s':>11}{'wall MB/s':>11}{'CPU MB/s':>10}")
    for name, startup, mb_wall, mb_cpu in rows:
        figures = f"{mb_wall:11.3f}{mb_cpu:10.3f}" if mb_wall else ""
        print(f"{name:27}{startup:11.3f}{figures}")
    (_, base_start, base_wall, base_cpu), (_, start, wall, cpu) = rows[1], rows[2]
    print(
        f"ratio vs proselint: {wall / base_wall:.1f}x (wall), {cpu / base_cpu:.1f}x (CPU); "
        f"start-up {base_start / start:.1f}x shorter"
    )
    return start < TARGET_STARTUP_S


def library_sources(folder: Path) -> tuple[list[Path], int]:
    """The corpus and every report under ``folder`` (if it exists); and how many came from it."""
    public = sorted(
        p
        for p in (folder.rglob("*") if folder.is_dir() else [])
        if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and p.stat().st_size > 0
    )
    return corpus_files() + public, len(public)


def build_library(sources: list[Path], count: int, folder: Path) -> tuple[list[str], int]:
    """``count`` reports in ``folder``, cycling over ``sources``; their paths and total bytes."""
    paths, size = [], 0
    for k in range(count):
        data = sources[k % len(sources)].read_bytes()
        path = folder / f"{k:04d}-{sources[k % len(sources)].stem[:40]}.md"
        path.write_bytes(data)
        paths.append(str(path))
        size += len(data)
    return paths, size


def report_library(sizes: list[int], folder: Path, runs: int) -> int | None:
    """Print both commands over libraries of ``sizes`` reports; the first size reaching 10x."""
    sources, public = library_sources(folder)
    unique = sum(p.stat().st_size for p in sources)
    print(
        f"\nlibrary: built from {len(sources)} distinct reports ({unique / 1e3:.0f} kB: "
        f"{len(sources) - public} corpus, {public} from {folder}), cycled; median of {runs}"
    )
    head = f"{'reports':>8}{'MB':>7}{'proselint s':>13}{'lint s':>9}"
    print(f"{head}{'ratio wall':>12}{'ratio CPU':>11}")
    reached = None
    for count in sizes:
        with tempfile.TemporaryDirectory() as cwd:
            files, size = build_library(sources, count, Path(cwd))
            base = time_process([*command("proselint", "proselint"), "check", *files], runs, cwd)
            ours = time_process([*command("postmortem", "drafting"), "lint", *files], runs, cwd)
        ratio_wall, ratio_cpu = base[0] / ours[0], base[1] / ours[1]
        print(
            f"{count:8d}{size / 1e6:7.2f}{base[0]:13.2f}{ours[0]:9.2f}"
            f"{ratio_wall:11.1f}x{ratio_cpu:10.1f}x"
        )
        if reached is None and min(ratio_wall, ratio_cpu) >= TARGET_RATIO:
            reached = count
    return reached


def main() -> None:
    """Run both linters in process and as whole processes; print throughput and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="use the corpus N times over")
    parser.add_argument("--min-seconds", type=float, default=3.0, help="per in-process measure")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each process")
    parser.add_argument("--sizes", default=SIZES, help="library sizes in reports ('' to skip)")
    parser.add_argument("--library", type=Path, default=LIBRARY, help="local public reports")
    parser.add_argument("--library-runs", type=int, default=3, help="timed runs per size")
    args = parser.parse_args()
    files = corpus_files() * args.repeat
    texts = [(p.name, p.read_text()) for p in files]
    size = sum(len(t.encode()) for _, t in texts)
    print(f"corpus: {len(texts)} reports, {size / 1e3:.1f} kB")
    ok = report_in_process(texts, size, args.min_seconds)
    ok = report_whole_process(files, size, args.runs) and ok
    print(
        f"\ntargets (in process >= {TARGET_MB_S} MB/s and >= {TARGET_RATIO:.0f}x by CPU time; "
        f"start-up < {TARGET_STARTUP_S} s): {'met' if ok else 'NOT met'}"
    )
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    if sizes:
        reached = report_library(sizes, args.library, args.library_runs)
        print(
            f"whole process >= {TARGET_RATIO:.0f}x proselint (wall and CPU): "
            + (
                f"from {reached} reports on"
                if reached
                else f"NOT reached up to {sizes[-1]} reports"
            )
        )


if __name__ == "__main__":
    main()
