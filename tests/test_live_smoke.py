"""Live smoke test: one sample transcript end to end on the real embedded 0.5B model.

Runs in ``make test`` when the model is prepared (CI prepares it); skips cleanly otherwise.
Kept to the shortest sample so the whole run stays within a few minutes on two cores.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openai import OpenAI
from stage_server import DNS_SAMPLE

from drafting.anonymise import anonymise, build_roster
from drafting.draft.pipeline import draft
from drafting.draft.stages import STAGE_NAMES
from drafting.export import data as export
from drafting.export import markdown
from drafting.ingest import parse
from drafting.model import server as local_model
from drafting.model.client import ModelClient
from drafting.report import Postmortem

pytestmark = pytest.mark.live

REAL_NAMES = ("rkovacs", "jdiaz")


def test_embedded_model_drafts_a_complete_schema_valid_postmortem_without_leaking_names(
    embedded_server: local_model.ServerHandle, tmp_path: Path
) -> None:
    original = parse(DNS_SAMPLE.read_text())
    roster = build_roster(original)
    audit = tmp_path / "audit.jsonl"
    sdk = OpenAI(api_key="local", base_url=embedded_server.base_url, max_retries=0, timeout=900)
    client = ModelClient(sdk, embedded_server.model, backend="the embedded model",
                         dialect="json_object", roster=roster, audit_path=audit)  # fmt: skip
    result = draft(anonymise(original, roster), client=client, roster=roster)

    assert result.completed == list(STAGE_NAMES)
    pm = Postmortem.model_validate_json(export.to_json(result.postmortem))
    assert pm.timeline and pm.action_items and pm.contributing_factors
    assert pm.root_cause is not None and len(pm.root_cause.whys) == 5
    assert all(e.time is not None for e in pm.timeline if e.evidence[0] in original.by_id())
    rendered = markdown.render(pm)
    assert all(f"## {h}" in rendered for h in markdown.REQUIRED_HEADINGS)
    sent = audit.read_text(encoding="utf-8")
    assert sent.count("\n") >= len(STAGE_NAMES)
    assert not [n for n in REAL_NAMES if n.lower() in sent.lower()]
