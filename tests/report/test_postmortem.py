"""The report model: its invariants and the JSON schema it exposes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from factories import sample_postmortem, sample_whys
from pydantic import ValidationError

from drafting.metrics import compute
from drafting.report import (
    Phase,
    Postmortem,
    RootCause,
    Severity,
    Status,
    TimelineEntry,
)


def test_root_cause_schema_pins_exactly_five_whys() -> None:
    schema = RootCause.model_json_schema()["properties"]["whys"]
    assert (schema["minItems"], schema["maxItems"]) == (5, 5)


@pytest.mark.parametrize("count", [0, 4, 6])
def test_root_cause_rejects_any_number_of_whys_but_five(count: int) -> None:
    whys = (sample_whys() * 2)[:count]
    with pytest.raises(ValidationError):
        RootCause(whys=whys, systemic_cause="No config validation.")


def test_metrics_are_computed_from_the_timeline() -> None:
    pm = sample_postmortem()
    assert pm.metrics == compute(pm.timeline)
    assert pm.metrics.time_to_detect is not None


def test_metrics_in_input_are_ignored_not_trusted() -> None:
    data = sample_postmortem().model_dump(mode="json")
    data["metrics"] = {"time_to_detect": "PT1S", "total_duration": "PT9999H"}
    pm = Postmortem.model_validate(data)
    assert pm.metrics == compute(pm.timeline)
    assert pm.metrics.total_duration is not None
    assert pm.metrics.total_duration.total_seconds() != 1


def test_validation_schema_offers_no_metrics_field_to_write() -> None:
    props = Postmortem.model_json_schema(mode="validation")["properties"]
    assert "metrics" not in props
    assert "metrics" in Postmortem.model_json_schema(mode="serialization")["properties"]


def test_metrics_follow_an_edited_timeline() -> None:
    pm = sample_postmortem()
    before = pm.metrics.time_to_resolve
    later = TimelineEntry(
        time=datetime(2026, 3, 5, 9, 0, tzinfo=UTC), phase=Phase.DETECTION, event="Page."
    )
    pm.timeline = [later, *pm.timeline]
    assert pm.metrics.time_to_resolve is not None and before is not None
    assert pm.metrics.time_to_resolve > before


def test_approved_status_needs_an_approval() -> None:
    with pytest.raises(ValidationError, match="named reviewer"):
        Postmortem(title="Outage", status=Status.APPROVED)


def test_approve_records_reviewer_and_time() -> None:
    at = datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
    pm = sample_postmortem().approve("Head of SRE", at)
    assert pm.status is Status.APPROVED
    assert pm.approval is not None
    assert (pm.approval.reviewer, pm.approval.approved_at) == ("Head of SRE", at)


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Postmortem.model_validate({"title": "Outage", "blame": "someone"})


def test_edits_are_validated() -> None:
    pm = sample_postmortem()
    with pytest.raises(ValidationError):
        pm.title = ""


def test_evidence_ids_are_unique_in_citation_order() -> None:
    ids = sample_postmortem().evidence_ids()
    assert ids[:3] == ["m9", "m1", "m3"]
    assert len(ids) == len(set(ids))
    assert "m7" in ids and "m6" in ids


def test_severity_label_names_its_scale() -> None:
    label = Severity(level="P1", scale="P0 (worst) to P3").label()
    assert label == "P1 (scale: P0 (worst) to P3)"
