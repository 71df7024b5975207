"""Fuzz: whatever schema-valid JSON the model answers, drafting ends in a draft or a DraftingError.

A stand-in OpenAI-compatible server answers every stage with JSON drawn from that stage's own
JSON schema (hypothesis-jsonschema): empty strings, empty lists, unknown message ids, maximal
lists, odd characters. Drafting runs through the real client and SDK; no traceback may escape.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from stage_server import DNS_SAMPLE, StageServer, running

from drafting.anonymise import anonymise, build_roster
from drafting.draft.pipeline import DraftResult, draft, regenerate_section
from drafting.draft.stages import STAGES
from drafting.errors import DraftingError
from drafting.export import data, markdown
from drafting.ingest import parse

ORIGINAL = parse(DNS_SAMPLE.read_text())
ROSTER = build_roster(ORIGINAL)
ANON = anonymise(ORIGINAL, ROSTER)
# Bounded text keeps examples small: the schema alone allows strings of any length.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def _schema(stage: Any) -> dict[str, Any]:
    return json.loads(json.dumps(stage.schema_.model_json_schema()))


ANSWERS = st.fixed_dictionaries(
    {stage.schema_.__name__: from_schema(_schema(stage)) for stage in STAGES}
)


@pytest.fixture(scope="module")
def server() -> Any:
    with running() as fake:
        yield fake


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(answers=ANSWERS)
def test_any_schema_valid_answers_give_a_draft_or_one_drafting_error(
    server: StageServer, answers: dict[str, Any]
) -> None:
    server.answers = answers
    try:
        result = draft(ANON, client=server.client(ROSTER), roster=ROSTER)
    except DraftingError as err:
        assert str(err).strip() and "\n" not in str(err).strip()
        return
    _usable(result)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(answers=ANSWERS, section=st.sampled_from(["five_whys", "summary", "impact", "timeline"]))
def test_regenerating_a_section_from_any_answers_gives_a_draft_or_a_drafting_error(
    server: StageServer, answers: dict[str, Any], section: str
) -> None:
    server.answers = json.loads(json.dumps(answers))
    try:
        first = draft(ANON, client=server.client(ROSTER), roster=ROSTER)
        result = regenerate_section(first, section, transcript_anon=ANON,
                                    client=server.client(ROSTER), roster=ROSTER)  # fmt: skip
    except DraftingError:
        return
    _usable(result)


def _usable(result: DraftResult) -> None:
    """Everything a user does next with a draft works: render, export, read it back."""
    pm = result.postmortem
    for name in markdown.TEMPLATES:
        assert markdown.render(pm, name).startswith("# Postmortem: ")
    assert data.from_json(data.to_json(pm)) == pm
    data.action_items_csv(pm)
