"""Drafting benchmark: the staged pipeline against the naive one-prompt baseline, in one run.

Both run on the same transcript and the same embedded model, served by a private llama.cpp server
started here (so no other client evicts its prompt cache). The baseline is the seed prompt
(``../shared/seeds/004_*``, its "Prompt" text with ``[incident_summary]`` replaced by the raw
transcript) sent as one plain chat completion. Printed for each: wall time, prompt tokens sent,
prompt tokens processed (sent minus the server's prefix-cache hits, read from its log),
completion tokens, and a completeness score (sections filled, five whys, citations valid,
numbers grounded, each 0..1). Targets: every section filled and verified where the baseline
leaves gaps; wall time no worse than the baseline's; prompt tokens processed at most 1.3x the
condensed transcript's tokens.

    .venv/bin/python bench/draft.py [--size 1.5b|0.5b] [--transcript FILE] [--threads N] [--log F]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from openai import OpenAI

from drafting.anonymise import anonymise, build_roster, names
from drafting.anonymise.roster import Roster
from drafting.condense import condense
from drafting.draft.conversation import prime
from drafting.draft.pipeline import DraftResult, StageEvent, draft
from drafting.export.markdown import render
from drafting.ingest import Transcript, parse
from drafting.lint import ends_at_person
from drafting.model import process as local_model
from drafting.model.client import SEED, ModelClient
from drafting.model.weights import is_prepared, model_path, spec_for
from drafting.report import Postmortem
from drafting.verify import completeness, prose_by_section, source_numbers

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_TRANSCRIPT = ROOT / "tests" / "fixtures" / "draft" / "stale-cache-slack.txt"
BASELINE_MAX_TOKENS = 1500
PREFIX_HIT = re.compile(r"Llama\.generate: (\d+) prefix-match hit")
REQUIRED = 9  # DESIGN's required sections
SECTION_WORDS = {
    "summary": r"summary", "impact": r"impact", "timeline": r"timeline",
    "root cause": r"root cause|5 whys|five whys", "factors": r"contributing",
    "went well": r"went well", "went wrong": r"went wrong", "actions": r"action items?",
    "lessons": r"lessons",
}  # fmt: skip


@dataclass
class Run:
    """What one approach cost and produced."""

    name: str
    seconds: float
    prompt_tokens: int
    processed_tokens: int
    completion_tokens: int
    sections: float
    whys: float
    citations: float
    numbers: float
    names_sent: int

    @property
    def score(self) -> float:
        return (self.sections + self.whys + self.citations + self.numbers) / 4


def seed_prompt() -> str:
    """The seed's "Prompt" text, with its ``[incident_summary]`` placeholder."""
    path = next(iter(sorted(SEEDS.glob("004_*"))), None)
    if path is None:
        sys.exit(f"bench/draft.py: the seed prompt {SEEDS}/004_* is missing.")
    text = path.read_text(encoding="utf-8")
    body = text.split("\nPrompt\n", 1)[1].split("Customise this prompt", 1)[0]
    return body.strip()


@contextmanager
def private_server(size: str, log: Path, threads: int | None) -> Iterator[str]:
    """A llama.cpp server of our own on a free port; yields its base URL.

    ``threads`` overrides the thread counts (generation and prompt reading): on a machine shared
    with other model servers, fewer threads than cores avoids llama.cpp's spinning threads slowing
    each other down.
    """
    spec = spec_for(size)
    if not is_prepared(spec):
        sys.exit(f"bench/draft.py: the {size} model is not prepared; run `{spec.make_target}`.")
    port = local_model.free_port()
    command = local_model.server_command(spec, model_path(spec), port, threads)
    with log.open("ab") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 300
        while not _healthy(base):
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"bench/draft.py: the model server did not start; see {log}.")
            time.sleep(0.5)  # polling a child process start-up; there is no event to wait on
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/models", timeout=2):
            return True
    except OSError:
        return False


def count_tokens(base: str, text: str) -> int:
    """Tokens of ``text`` by the served model's own tokenizer."""
    url = base.removesuffix("/v1") + "/extras/tokenize/count"
    req = urllib.request.Request(url, data=json.dumps({"input": text}).encode(),
                                 headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(req, timeout=60) as resp:
        return int(json.loads(resp.read())["count"])


def cache_hits(log: Path, start: int) -> int:
    """Prompt tokens the server reused from its prefix cache since byte ``start`` of its log."""
    text = log.read_bytes()[start:].decode("utf-8", "replace")
    return sum(int(k) for k in PREFIX_HIT.findall(text))


def run_baseline(base: str, model: str, raw: str, source: Transcript, log: Path) -> tuple[Run, str]:
    """The seed prompt with the raw transcript pasted in, one plain completion."""
    prompt = seed_prompt().replace("[incident_summary]", raw)
    sdk = OpenAI(api_key="local", base_url=base, max_retries=0, timeout=1800)
    mark = log.stat().st_size
    started = time.perf_counter()
    reply = sdk.chat.completions.create(
        model=model, messages=[{"role": "user", "content": prompt}], temperature=0, seed=SEED,
        max_tokens=BASELINE_MAX_TOKENS,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    text = reply.choices[0].message.content or ""
    usage = reply.usage
    sent_prompt = usage.prompt_tokens if usage else 0
    return Run(
        name="baseline (seed prompt)", seconds=seconds, prompt_tokens=sent_prompt,
        processed_tokens=sent_prompt - cache_hits(log, mark),
        completion_tokens=usage.completion_tokens if usage else 0,
        sections=_baseline_sections(text), whys=_baseline_whys(text), citations=0.0,
        numbers=_grounded(text, source), names_sent=_names_in(prompt, source),
    ), text  # fmt: skip


def product_roster(source: Transcript) -> Roster:
    """The roster as the CLI and the app build it: name detection on where it is installed."""
    return build_roster(source, detect_names=names.available())


def pipeline_client(base: str, model: str, source: Transcript, audit: Path) -> ModelClient:
    """The real client, guard and audit, as the CLI builds them for the embedded model."""
    sdk = OpenAI(api_key="local", base_url=base, max_retries=0, timeout=1800)
    return ModelClient(sdk, model, backend="embedded", dialect="json_object",
                       roster=product_roster(source), audit_path=audit)  # fmt: skip


def run_pipeline(client: ModelClient, source: Transcript) -> DraftResult:
    """The staged pipeline."""
    roster = product_roster(source)
    return draft(anonymise(source, roster), client=client, roster=roster, on_progress=_show)


def _show(event: StageEvent) -> None:
    if event.status != "start":
        print(f"  {event.line()}", file=sys.stderr, flush=True)


def pipeline_run(result: DraftResult, seconds: float, hits: int, source: Transcript,
                 audit: Path) -> Run:  # fmt: skip
    pm, u = result.postmortem, result.usage
    return Run(
        name="pipeline (staged)", seconds=seconds, prompt_tokens=u.prompt_tokens,
        processed_tokens=u.prompt_tokens - hits, completion_tokens=u.completion_tokens,
        sections=(REQUIRED - len(completeness(pm))) / REQUIRED, whys=_pipeline_whys(pm),
        citations=_citations(pm, source), numbers=_grounded(_model_text(pm), source),
        names_sent=_names_in(audit.read_text(encoding="utf-8"), source),
    )  # fmt: skip


def _model_text(pm: Postmortem) -> str:
    """Everything the model wrote (not the computed metrics or template text)."""
    return "\n".join(t for texts in prose_by_section(pm).values() for t in texts)


def _baseline_sections(text: str) -> float:
    heads = [(i, ln) for i, ln in enumerate(text.splitlines()) if _is_heading(ln)]
    lines = text.splitlines()
    filled = 0
    for pattern in SECTION_WORDS.values():
        for n, (i, head) in enumerate(heads):
            if re.search(pattern, head, re.I):
                end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
                if len(" ".join(lines[i + 1 : end]).strip()) >= 20:
                    filled += 1
                break
    return filled / REQUIRED


def _is_heading(line: str) -> bool:
    return bool(
        re.match(r"^\s*(#{1,6}\s|\*\*[^*]+\*\*\s*$|\d+\.\s+\*\*|\d+\.\s+[A-Z][\w ]+$)", line)
    )


def _baseline_whys(text: str) -> float:
    asked = len(re.findall(r"\bwhy\b[^?\n]*\?", text, re.I))
    return min(asked, 5) / 5


def _pipeline_whys(pm: Postmortem) -> float:
    if pm.root_cause is None:
        return 0.0
    whys = pm.root_cause.whys
    return (len(whys) == 5 and not ends_at_person(whys[-1].answer, [])) * 1.0


def _citations(pm: Postmortem, source: Transcript) -> float:
    cited = pm.evidence_ids()
    ids = source.by_id()
    return sum(c in ids for c in cited) / len(cited) if cited else 0.0


def _grounded(text: str, source: Transcript) -> float:
    """Share of the distinct numbers in ``text`` that occur in the source."""
    text = re.sub(r"\bm\d+\b", " ", text)
    known = source_numbers([m.text for m in source.messages]
                           + [m.ts.strftime("%H:%M") for m in source.messages if m.ts])  # fmt: skip
    found = source_numbers([text])
    return len(found & known) / len(found) if found else 1.0


def _names_in(text: str, source: Transcript) -> int:
    names = {n for p in product_roster(source).entries for n in p.names if len(n) >= 3}
    return sum(1 for n in names if n.lower() in text.lower())


def report(base: Run, ours: Run, condensed_tokens: int) -> None:
    """The table, the ratios and the targets."""
    print(f"{'':24}{'wall s':>8}{'prompt':>8}{'processed':>10}{'compl':>7}{'sections':>9}"
          f"{'whys':>6}{'cites':>7}{'numbers':>8}{'score':>7}{'names':>6}")  # fmt: skip
    for r in (base, ours):
        print(f"{r.name:24}{r.seconds:8.1f}{r.prompt_tokens:8d}{r.processed_tokens:10d}"
              f"{r.completion_tokens:7d}{r.sections:9.2f}{r.whys:6.2f}{r.citations:7.2f}"
              f"{r.numbers:8.2f}{r.score:7.2f}{r.names_sent:6d}")  # fmt: skip
    ratio = ours.processed_tokens / condensed_tokens
    print(f"\ncondensed transcript: {condensed_tokens} tokens; pipeline processed "
          f"{ratio:.2f}x of it (target <= 1.3x)")  # fmt: skip
    print(f"wall time pipeline/baseline: {ours.seconds / base.seconds:.2f}x (target <= 1.0x)")
    print(f"completeness pipeline vs baseline: {ours.score:.2f} vs {base.score:.2f}")


def main() -> None:
    """Run the baseline, then the pipeline, on one private server; print the comparison."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1.5b", choices=("1.5b", "0.5b"))
    ap.add_argument("--transcript", type=Path, default=DEFAULT_TRANSCRIPT)
    ap.add_argument("--threads", type=int, default=None, help="model server threads")
    ap.add_argument("--log", type=Path, default=None, help="keep the model server's log here")
    ap.add_argument("--out", type=Path, default=None, help="write both drafts to this folder")
    args = ap.parse_args()
    raw = args.transcript.read_text(encoding="utf-8")
    source = parse(raw)
    model = spec_for(args.size).alias
    with tempfile.TemporaryDirectory() as tmp:
        log, audit = args.log or Path(tmp) / "server.log", Path(tmp) / "audit.jsonl"
        with private_server(args.size, log, args.threads) as base:
            print(f"{args.transcript.name}: {len(source.messages)} messages, model {model}",
                  file=sys.stderr)  # fmt: skip
            client = pipeline_client(base, model, source, audit)
            # As the app does when it starts the model server: read the system prompt, which is
            # the same for every draft, once per server. The baseline's constant prefix (the seed
            # text before the transcript) is about 25 tokens: it has nothing to prime.
            primed = prime(client)
            print(f"primed the system prompt, once per server: {primed.prompt_tokens} tokens, "
                  f"{primed.seconds:.1f}s", file=sys.stderr)  # fmt: skip
            baseline, text = run_baseline(base, model, raw, source, log)
            mark, started = log.stat().st_size, time.perf_counter()
            result = run_pipeline(client, source)
            seconds = time.perf_counter() - started
            ours = pipeline_run(result, seconds, cache_hits(log, mark), source, audit)
            condensed = condense(anonymise(source, product_roster(source)), budget_tokens=10**6)
            report(baseline, ours, count_tokens(base, condensed.text))
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / "baseline.md").write_text(text, encoding="utf-8")
                (args.out / "pipeline.md").write_text(render(result.postmortem), encoding="utf-8")
                (args.out / "pipeline.json").write_text(result.model_dump_json(indent=2),
                                                        encoding="utf-8")  # fmt: skip


if __name__ == "__main__":
    main()
