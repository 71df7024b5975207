"""JSON export and the action items CSV for issue-tracker import."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from factories import postmortems, sample_postmortem
from hypothesis import given, settings

from drafting.errors import InputError
from drafting.export.data import CSV_COLUMNS, action_items_csv, from_json, to_json
from drafting.report import ActionItem, Postmortem, Status


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_json_round_trip_is_lossless() -> None:
    pm = sample_postmortem()
    assert from_json(to_json(pm)) == pm


def test_json_round_trip_keeps_the_approval() -> None:
    at = datetime(2026, 3, 6, 9, 30, tzinfo=UTC)
    pm = sample_postmortem().approve("Head of SRE", at)
    back = from_json(to_json(pm))
    assert back.status is Status.APPROVED and back.approval == pm.approval


def test_json_carries_computed_metrics_for_readers() -> None:
    data = json.loads(to_json(sample_postmortem()))
    assert data["metrics"]["time_to_detect"] == "PT59M"
    assert len(data["root_cause"]["whys"]) == 5


def test_json_metrics_cannot_be_forged() -> None:
    data = json.loads(to_json(sample_postmortem()))
    data["metrics"]["time_to_detect"] = "PT1S"
    assert from_json(json.dumps(data)).metrics.time_to_detect is not None
    assert from_json(json.dumps(data)).metrics.time_to_detect.total_seconds() == 59 * 60


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("not json", "the document"),
        ('{"title": ""}', "title"),
        ('{"title": "x", "root_cause": {"whys": [], "systemic_cause": "y"}}', "root_cause.whys"),
    ],
)
def test_invalid_json_is_one_clear_sentence(text: str, where: str) -> None:
    with pytest.raises(InputError) as info:
        from_json(text)
    message = str(info.value)
    assert message.startswith("This is not a valid postmortem JSON (" + where)
    assert message.endswith(".") and "\n" not in message


def test_csv_has_tracker_columns_and_one_row_per_item() -> None:
    pm = sample_postmortem()
    text = action_items_csv(pm)
    assert text.splitlines()[0].split(",") == list(CSV_COLUMNS)
    rows = _rows(text)
    assert [r["Summary"] for r in rows] == [a.action for a in pm.action_items]
    first = rows[0]
    assert first["Priority"] == "Highest"
    assert first["Owner Role"] == "Platform team lead"
    assert first["Due Date"] == "2026-03-20"
    assert first["Labels"] == "postmortem preventive P0"
    assert first["Issue Type"] == "Task"
    assert "INC-2026-031" in first["Description"] and "Evidence: m7." in first["Description"]
    assert rows[2]["Due Date"] == ""


def test_csv_quotes_commas_quotes_and_newlines() -> None:
    pm = sample_postmortem()
    pm.action_items = [
        ActionItem(action='Rotate keys, then "verify"\nall', owner_role="SRE", description="a,b")
    ]
    rows = _rows(action_items_csv(pm))
    assert rows[0]["Summary"] == 'Rotate keys, then "verify"\nall'
    assert rows[0]["Description"].startswith("a,b")


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_neutralises_spreadsheet_formulas(start: str) -> None:
    pm = sample_postmortem()
    pm.action_items = [ActionItem(action=start + "HYPERLINK(1)", owner_role=start + "cmd")]
    row = _rows(action_items_csv(pm))[0]
    assert row["Summary"] == "'" + start + "HYPERLINK(1)"
    assert row["Owner Role"] == "'" + start + "cmd"


def test_csv_without_action_items_is_just_the_header() -> None:
    assert _rows(action_items_csv(Postmortem(title="Outage"))) == []


@settings(max_examples=60, deadline=None)
@given(postmortems())
def test_any_report_round_trips_through_json_and_csv(pm: Postmortem) -> None:
    assert from_json(to_json(pm)) == pm
    rows = _rows(action_items_csv(pm))
    assert len(rows) == len(pm.action_items)
    for row, item in zip(rows, pm.action_items, strict=True):
        assert row["Summary"] in (item.action, "'" + item.action)
