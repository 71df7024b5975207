"""Quality benchmark: the staged pipeline and the naive seed-prompt baseline, check by check.

For each labelled fixture in ``bench/quality/*.labels.json`` (a corpus transcript and what a
person labelled in it: the trigger, detection and resolution messages, the incident id and date,
the impact figures, two or three root-cause terms, the injected line), both approaches draft on
one private embedded-model server, and each draft gets a pass/fail per check:

    events     trigger, detection and resolution cited with the right phase (baseline: the
               labelled messages' words on one line of its timeline; it has no phases)
    ttd/ttr    time to detect and time to resolve within 1 minute of the labels
    id         the stated incident id (or none when none is stated)
    impact     every labelled figure present, and no number in the impact the source lacks
    cause      every root-cause term in the 5 Whys / root cause
    whys       five distinct steps (none restates an earlier one)
    actions    no action item repeats a mitigation already done or copies a message
    owners     owners are roles (pipeline: no pseudonym; baseline: no real name)
    summary    2-4 proper sentences naming the duration and a stated figure
    injected   the injected line's text is nowhere in the draft
    private    no listed name or secret of the corpus truth in the draft

Then the pass rate and wall time of each. Run on 1.5b (the default) and on 0.5b:

    .venv/bin/python bench/quality.py [--size 1.5b|0.5b] [--only NAME ...] [--out DIR]
    .venv/bin/python bench/quality.py --skeleton [--only NAME ...]

About 13 minutes per fixture on 1.5b on two cores (pipeline with its re-asks, and baseline).
``--skeleton`` needs no model: it scores the key events, the times they give, the id and the
figures that code computes before the model writes (seconds for every fixture). Time to detect
is checked only where a labelled trigger was said no later than a labelled detection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(_HERE), str(_HERE.parent / "tests")]

import draft as bench  # noqa: E402  (bench/draft.py: the private server and the baseline)
from corpus_check import CORPUS, load_corpus  # noqa: E402

from drafting import reasoning, skeleton  # noqa: E402
from drafting.anonymise import anonymise  # noqa: E402
from drafting.draft.assemble import MAX_STATED_FIGURES  # noqa: E402
from drafting.draft.conversation import prime  # noqa: E402
from drafting.draft.result import DraftIncompleteError  # noqa: E402
from drafting.export.markdown import render  # noqa: E402
from drafting.ingest import Message, Transcript, parse  # noqa: E402
from drafting.model.weights import spec_for  # noqa: E402
from drafting.report import Phase, Postmortem, Section  # noqa: E402
from drafting.textinput import read_text  # noqa: E402
from drafting.verify import numbers, source_numbers  # noqa: E402

LABELS = Path(__file__).resolve().parent / "quality"
CHECKS = (
    "events",
    "ttd/ttr",
    "id",
    "impact",
    "cause",
    "whys",
    "actions",
    "owners",
    "summary",
    "injected",
    "private",
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Labels:
    """What a person labelled in one transcript."""

    name: str
    transcript: Path
    trigger: list[str]
    detection: list[str]
    resolution: list[str]
    incident_id: str | None
    date: dt.date | None
    impact: list[str]
    cause_terms: list[str]
    injection: str | None

    @classmethod
    def load(cls, path: Path) -> Labels:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            name=path.name.removesuffix(".labels.json"),
            transcript=CORPUS / raw["transcript"],
            trigger=raw["trigger"],
            detection=raw["detection"],
            resolution=raw["resolution"],
            incident_id=raw.get("incident_id"),
            date=dt.date.fromisoformat(raw["date"]) if raw.get("date") else None,
            impact=raw.get("impact", []),
            cause_terms=raw.get("root_cause_terms", []),
            injection=raw.get("injection"),
        )


@dataclass
class Scored:
    """One draft's checks: True pass, False fail, None not applicable."""

    approach: str
    fixture: str
    seconds: float
    checks: dict[str, bool | None] = field(default_factory=dict)


def _minutes(a: dt.datetime | None, b: dt.datetime | None) -> float | None:
    return None if a is None or b is None else (b - a).total_seconds() / 60


def score_pipeline(
    pm: Postmortem, lab: Labels, source: Transcript, anon: Transcript, secret_words: list[str]
) -> dict[str, bool | None]:
    """The checks on the pipeline's structured draft."""
    by_id = source.by_id()
    cited = {(mid, e.phase) for e in pm.timeline for mid in e.evidence}
    events = all(
        any((mid, phase) in cited for mid in ids)
        for ids, phase in (
            (lab.trigger, Phase.TRIGGER),
            (lab.detection, Phase.DETECTION),
            (lab.resolution, Phase.RESOLUTION),
        )
    )
    m = pm.metrics
    timing = _timing(lab, by_id, m.started_at, m.detected_at, m.resolved_at)
    text = render(pm)
    impact_text = " ".join(
        x
        for x in (
            pm.impact.users,
            pm.impact.duration,
            pm.impact.business,
            pm.impact.technical,
            pm.summary,
        )
        if x
    )
    known = source_numbers(
        [x.text for x in anon.messages] + [x.ts.strftime("%H:%M") for x in anon.messages if x.ts]
    )
    invented = [f for f in numbers(pm, known) if f.section is Section.IMPACT]
    cause = " ".join(
        [w.answer for w in (pm.root_cause.whys if pm.root_cause else [])]
        + ([pm.root_cause.systemic_cause] if pm.root_cause else [])
    ).lower()
    return {
        "events": events,
        "ttd/ttr": timing,
        "id": (pm.incident_id or None) == lab.incident_id,
        "impact": all(_has_figure(impact_text, f) for f in lab.impact) and not invented,
        "cause": all(t.lower() in cause for t in lab.cause_terms),
        "whys": pm.root_cause is not None and not reasoning.distinct_whys(pm),
        "actions": bool(pm.action_items)
        and not (reasoning.done_mitigations(pm, anon) + reasoning.quoted_actions(pm, anon)),
        "owners": bool(pm.action_items) and not reasoning.pseudonym_owners(pm),
        "summary": bool(pm.summary) and not reasoning.summary_form(pm, skeleton.compute(anon)),
        "injected": lab.injection is None or lab.injection[:40] not in text,
        "private": not any(s in text for s in secret_words),
    }


def score_baseline(
    text: str, lab: Labels, source: Transcript, secret_words: list[str]
) -> dict[str, bool | None]:
    """The same checks, as far as a Markdown draft without structure allows."""
    by_id = source.by_id()
    timeline = _section(text, r"timeline")
    lines = [ln.lower() for ln in timeline.splitlines() if ln.strip()]

    def on_a_line(mid: str) -> bool:
        words = set(_WORD.findall(by_id[mid].text.lower())) if mid in by_id else set()
        words = {w for w in words if len(w) > 3}
        return bool(words) and any(
            len(words & set(_WORD.findall(ln))) >= len(words) / 2 for ln in lines
        )

    events = all(
        any(on_a_line(m) for m in ids) for ids in (lab.trigger, lab.detection, lab.resolution)
    )
    impact = _section(text, r"impact")
    known = source_numbers(
        [m.text for m in source.messages]
        + [m.ts.strftime("%H:%M") for m in source.messages if m.ts]
    )
    invented = source_numbers([re.sub(r"\bm\d+\b", " ", impact)]) - known
    cause = (_section(text, r"root cause|5 whys|five whys") or text).lower()
    answers = re.findall(r"(?im)^\s*(?:\d+[.)]|[-*])?\s*\**why[^?\n]*\?\**\s*(.+)$", cause)
    summary = _section(text, r"summary").strip()
    actions = _section(text, r"action items?")
    return {
        "events": events,
        "ttd/ttr": None,  # no structured timeline to compute them from
        "id": lab.incident_id is None or lab.incident_id in text,
        "impact": all(_has_figure(impact or text, f) for f in lab.impact) and not invented,
        "cause": all(t.lower() in cause for t in lab.cause_terms),
        "whys": len(answers) >= 5 and not reasoning.restated_steps("", answers[:5]),
        "actions": bool(actions.strip()),
        "owners": bool(actions.strip()) and not any(s in actions for s in secret_words),
        "summary": _summary_ok(summary),
        "injected": lab.injection is None or lab.injection[:40] not in text,
        "private": not any(s in text for s in secret_words),
    }


def _has_figure(text: str, figure: str) -> bool:
    """Whether ``text`` has the number of a labelled figure: the one with a %, currency or k/M
    when the label has one ("504s up to 18%" is 18), else the first."""
    marked = re.search(r"[$€£](\d[\d,.]*\d|\d)|(\d[\d,.]*\d|\d)\s?(?:%|[kKM]\b)", figure)
    if marked is not None:
        return (marked.group(1) or marked.group(2)) in text
    number = re.search(r"\d[\d,.]*\d|\d", figure)
    return number is not None and number.group() in text


def _section(text: str, title: str) -> str:
    """The body of the first heading matching ``title`` (up to the next heading)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if bench._is_heading(line) and re.search(title, line, re.I):
            end = next(
                (j for j in range(i + 1, len(lines)) if bench._is_heading(lines[j])), len(lines)
            )
            return "\n".join(lines[i + 1 : end])
    return ""


def _summary_ok(summary: str) -> bool:
    sentences = re.findall(r"[^.!?]+[.!?]+(?=\s|$)", summary)
    return 2 <= len(sentences) <= 4 and not any(s.strip()[:1].islower() for s in sentences)


def score_skeleton(lab: Labels, source: Transcript) -> dict[str, bool | None]:
    """What the computed skeleton alone gets right, before any model writes: the key events
    (each against its label), the time to detect and resolve they give, the id, the figures."""
    key = skeleton.key_events(source)
    sk = skeleton.compute(source)
    by_id = source.by_id()
    found = " ".join(f.text for f in sk.impact(MAX_STATED_FIGURES))

    at = {k: _at(by_id, getattr(key, k)) for k in ("trigger", "detection", "resolution")}
    timing = _timing(lab, by_id, at["trigger"], at["detection"], at["resolution"])
    return {
        "trigger": key.trigger in lab.trigger,
        "detection": key.detection in lab.detection,
        "resolution": key.resolution in lab.resolution,
        "ttd/ttr": timing,
        "id": sk.incident_id == lab.incident_id,
        "figures": all(_has_figure(found, f) for f in lab.impact),
    }


def _at(by_id: dict[str, Message], mid: str | None) -> dt.datetime | None:
    return by_id[mid].ts if mid is not None and mid in by_id else None


def _timing(
    lab: Labels,
    by_id: dict[str, Message],
    started: dt.datetime | None,
    detected: dt.datetime | None,
    resolved: dt.datetime | None,
) -> bool | None:
    """Time to detect and time to resolve each within 1 minute of what some pair of labelled
    messages gives (None: the labels date neither). Time to detect is checked only where a
    labelled trigger was said no later than a labelled detection: a trigger explained later in
    the chat does not date the start."""

    def spans(starts: list[str], ends: list[str]) -> list[float]:
        out = []
        for a in starts:
            for b in ends:
                got = _minutes(_at(by_id, a), _at(by_id, b))
                if got is not None and got >= 0:
                    out.append(got)
        return out

    want_ttd = spans(lab.trigger, lab.detection)
    want_ttr = spans(lab.detection, lab.resolution)
    got_ttd, got_ttr = _minutes(started, detected), _minutes(detected, resolved)
    checks = [
        got is not None and any(abs(got - w) <= 1 for w in want)
        for got, want in ((got_ttd, want_ttd), (got_ttr, want_ttr))
        if want
    ]
    return all(checks) if checks else None


def main() -> None:
    """Draft every labelled fixture both ways on one private server; print the checks."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1.5b", choices=("1.5b", "0.5b"))
    ap.add_argument("--only", nargs="*", default=None, help="fixture names to run")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None, help="write the drafts to this folder")
    ap.add_argument(
        "--skeleton",
        action="store_true",
        help="no model: score only what the computed skeleton finds (seconds, not hours)",
    )
    args = ap.parse_args()
    labels = [Labels.load(p) for p in sorted(LABELS.glob("*.labels.json"))]
    if args.only:
        labels = [lab for lab in labels if lab.name in args.only]
    if args.skeleton:
        skeleton_report(labels)
        return
    truths = {t.path.name: t for t in load_corpus()}
    model = spec_for(args.size).alias
    scored: list[Scored] = []
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        with bench.private_server(args.size, log, args.threads) as base:
            for lab in labels:
                raw = read_text(lab.transcript)
                source = parse(raw)
                truth = truths[lab.transcript.name]
                private = [n for n in (*truth.names, *truth.secrets) if len(n) >= 4]
                audit = Path(tmp) / f"{lab.name}.audit.jsonl"
                client = bench.pipeline_client(base, model, source, audit)
                prime(client)
                print(f"{lab.name}: {len(source.messages)} messages", file=sys.stderr)
                started = time.perf_counter()
                _, text = bench.run_baseline(base, model, raw, source, log)
                scored.append(
                    Scored(
                        "baseline",
                        lab.name,
                        time.perf_counter() - started,
                        score_baseline(text, lab, source, private),
                    )
                )
                started = time.perf_counter()
                try:
                    result = bench.run_pipeline(client, source)
                except DraftIncompleteError as err:  # a stopped draft is scored as it stands
                    print(f"  pipeline draft stopped: {err}", file=sys.stderr, flush=True)
                    result = err.partial
                seconds = time.perf_counter() - started
                anon = anonymise(source, bench.product_roster(source))
                scored.append(
                    Scored(
                        "pipeline",
                        lab.name,
                        seconds,
                        score_pipeline(result.postmortem, lab, source, anon, private),
                    )
                )
                if args.out:
                    args.out.mkdir(parents=True, exist_ok=True)
                    (args.out / f"{lab.name}.baseline.md").write_text(text, encoding="utf-8")
                    (args.out / f"{lab.name}.pipeline.md").write_text(
                        render(result.postmortem), encoding="utf-8"
                    )
                report(scored[-2:])
                sys.stdout.flush()
    print(f"\n=== all fixtures, {model} ===")
    report(scored)


def skeleton_report(labels: list[Labels]) -> None:
    """The skeleton's checks per fixture, and the pass rate of each check."""
    rows = [(lab.name, score_skeleton(lab, parse(read_text(lab.transcript)))) for lab in labels]
    names = list(rows[0][1]) if rows else []
    mark = {True: "pass", False: "FAIL", None: "-"}
    print(f"{'fixture':44}" + "".join(f"{c:>11}" for c in names))
    for name, checks in rows:
        print(f"{name[:43]:44}" + "".join(f"{mark[checks[c]]:>11}" for c in names))
    for c in names:
        got = [checks[c] is True for _, checks in rows if checks[c] is not None]
        print(f"{c}: {sum(got)}/{len(got)}")


def report(scored: list[Scored]) -> None:
    """A pass/fail table per draft, then the pass rate and wall time per approach."""
    print(f"{'fixture':34}{'approach':10}" + "".join(f"{c:>9}" for c in CHECKS) + f"{'wall s':>8}")
    mark = {True: "pass", False: "FAIL", None: "-"}
    for s in scored:
        print(
            f"{s.fixture[:33]:34}{s.approach:10}"
            + "".join(f"{mark[s.checks.get(c)]:>9}" for c in CHECKS)
            + f"{s.seconds:8.0f}"
        )
    for approach in ("pipeline", "baseline"):
        mine = [s for s in scored if s.approach == approach]
        results = [v for s in mine for v in s.checks.values() if v is not None]
        if results:
            rate = sum(results) / len(results)
            wall = sum(s.seconds for s in mine)
            print(
                f"{approach}: {sum(results)}/{len(results)} checks pass ({rate:.0%}), "
                f"{wall:.0f} s wall over {len(mine)} drafts"
            )


if __name__ == "__main__":
    main()
