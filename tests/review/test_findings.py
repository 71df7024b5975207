"""Review rules (section editing, lint on drafts, approval gate) and session persistence."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from factories import sample_postmortem
from hypothesis import given
from hypothesis import strategies as st

from drafting.anonymise.prepare import Inputs
from drafting.anonymise.roster import Roster, RosterEntry, without_dismissed
from drafting.errors import InputError
from drafting.lint.types import Finding, Severity
from drafting.report import TEXT_SECTIONS, Origin, Phase, Postmortem, Section, Status
from drafting.review.findings import (
    SectionFinding,
    apply_rewrite,
    apply_suggestion,
    approval_blockers,
    can_export,
    draft_findings,
    finding_key,
    flagged_sentence_in,
    highlight,
)
from drafting.review.sections import (
    keep_human_edits,
    section_choices,
    section_rows,
    section_text,
    with_section_rows,
    with_section_text,
)
from drafting.review.session import approve, resume, save_roles, save_version, start_incident
from drafting.store import Store, VersionKind
from ui.state import Memo

BLAMEFUL = "The on-call engineer should have caught the empty variable."


def _with_summary(text: str) -> Postmortem:
    return with_section_text(sample_postmortem(), Section.SUMMARY, text)


# Editing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("section", TEXT_SECTIONS)
def test_every_text_section_round_trips_through_its_edit_text(section: Section) -> None:
    pm = sample_postmortem()
    again = with_section_text(pm, section, section_text(pm, section))
    assert section_text(again, section) == section_text(pm, section)


def test_an_edit_changes_only_its_section_and_marks_it_human() -> None:
    pm = sample_postmortem()
    edited = with_section_text(pm, Section.WENT_WELL, "- Paging worked\n- Rollback was quick")
    assert edited.went_well == ["Paging worked", "Rollback was quick"]
    assert edited.origins[Section.WENT_WELL] is Origin.HUMAN
    assert edited.went_wrong == pm.went_wrong
    assert edited.summary == pm.summary


def test_an_edit_after_approval_withdraws_the_approval() -> None:
    approved = sample_postmortem().approve("Reviewer One", datetime(2026, 3, 6, tzinfo=UTC))
    edited = with_section_text(approved, Section.SUMMARY, "A new summary.")
    assert edited.approval is None
    assert edited.status is Status.DRAFT
    assert not can_export(edited)


def test_root_cause_edit_keeps_evidence_and_demands_five_whys() -> None:
    pm = sample_postmortem()
    text = section_text(pm, Section.ROOT_CAUSE).replace("no config validation step", "no check")
    edited = with_section_text(pm, Section.ROOT_CAUSE, text)
    assert edited.root_cause is not None and pm.root_cause is not None
    assert edited.root_cause.whys[4].answer.endswith("no check.")
    assert [w.evidence for w in edited.root_cause.whys] == [w.evidence for w in pm.root_cause.whys]
    four = "\n".join(text.splitlines()[1:])
    with pytest.raises(InputError, match="exactly five whys"):
        with_section_text(pm, Section.ROOT_CAUSE, four)


def test_impact_edit_parses_labels_and_keeps_free_text() -> None:
    edited = with_section_text(
        sample_postmortem(),
        Section.IMPACT,
        "Users: all EU shoppers\nServices: A, B\nPrices were wrong.",
    )
    assert (edited.impact.users, edited.impact.services) == ("all EU shoppers", ["A", "B"])
    assert edited.impact.business == "Prices were wrong."


def test_table_rows_round_trip_and_blank_rows_are_ignored() -> None:
    pm = sample_postmortem()
    rows = section_rows(pm, Section.ACTION_ITEMS)
    rows[0]["action"] = "Add a schema check to the deploy pipeline"
    rows.append({k: None for k in rows[0]})
    edited = with_section_rows(pm, Section.ACTION_ITEMS, rows)
    assert len(edited.action_items) == len(pm.action_items)
    assert edited.action_items[0].action == "Add a schema check to the deploy pipeline"
    assert edited.action_items[0].evidence == pm.action_items[0].evidence
    assert edited.origins[Section.ACTION_ITEMS] is Origin.HUMAN


def test_an_invalid_table_row_is_one_sentence_naming_the_row() -> None:
    rows = section_rows(sample_postmortem(), Section.TIMELINE)
    rows[1]["phase"] = "lunch"
    with pytest.raises(InputError, match=r"Row 2: phase"):
        with_section_rows(sample_postmortem(), Section.TIMELINE, rows)


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n\r-* "),
                        min_size=1, max_size=20), max_size=6))  # fmt: skip
def test_list_sections_round_trip_any_bullets(items: list[str]) -> None:
    pm = sample_postmortem().model_copy(update={"lucky": items})
    again = with_section_text(pm, Section.LUCKY, section_text(pm, Section.LUCKY))
    assert again.lucky == [i.strip() for i in items if i.strip()]


def test_regenerating_one_section_keeps_human_edits_to_the_others() -> None:
    edited = with_section_text(sample_postmortem(), Section.WENT_WRONG, "- Paging was late")
    # The reflection stage rewrites went well, went wrong, lucky and lessons together.
    regenerated = edited.model_copy(
        update={"went_well": ["New well"], "went_wrong": ["Model text"], "lucky": ["New luck"]}
    )
    kept = keep_human_edits(edited, regenerated, Section.WENT_WELL)
    assert kept.went_well == ["New well"]
    assert kept.went_wrong == ["Paging was late"]
    assert kept.origins[Section.WENT_WRONG] is Origin.HUMAN


# Lint on drafts and the approval gate ----------------------------------------------------------


def test_draft_findings_locate_blame_in_its_section() -> None:
    found = draft_findings(_with_summary(BLAMEFUL))
    summary = [f for f in found if f.section is Section.SUMMARY]
    assert summary and summary[0].finding.severity == "error"
    assert summary[0].key == finding_key(Section.SUMMARY, summary[0].finding)


def test_the_sample_report_lints_clean_of_errors() -> None:
    assert [f for f in draft_findings(sample_postmortem()) if f.finding.severity == "error"] == []


def test_approval_needs_a_reviewer() -> None:
    assert approval_blockers(sample_postmortem(), [], {}, "  ") == ["Enter the reviewer's name."]
    assert approval_blockers(sample_postmortem(), [], {}, "Reviewer One") == []


def test_approval_needs_required_sections_filled() -> None:
    pm = sample_postmortem().model_copy(update={"summary": "", "action_items": []})
    blockers = approval_blockers(pm, [], {}, "Reviewer One")
    assert blockers == ["The Summary section is empty.", "The Action Items section is empty."]


def test_an_error_finding_blocks_until_acknowledged_with_a_reason() -> None:
    pm = _with_summary(BLAMEFUL)
    findings = draft_findings(pm)
    errors = [f for f in findings if f.finding.severity == "error"]
    assert approval_blockers(pm, findings, {}, "R")
    assert approval_blockers(pm, findings, {f.key: "  " for f in errors}, "R")
    assert approval_blockers(pm, findings, {f.key: "a direct quote" for f in errors}, "R") == []


def test_fixing_the_wording_clears_the_block() -> None:
    fixed = _with_summary("The empty variable was not checked by the deploy pipeline.")
    assert approval_blockers(fixed, draft_findings(fixed), {}, "R") == []


def _finding(suggestion: str, match: str = "blame", line: int = 1, column: int = 1) -> Finding:
    return Finding(
        path="summary", line=line, column=column, end_line=line, end_column=column + len(match),
        rule="BL-X01", category="test", severity=Severity.WARNING, message="m",
        match=match, suggestion=suggestion,
    )  # fmt: skip


def test_a_drop_in_suggestion_is_applied_in_place() -> None:
    pm = _with_summary("Second line is here.\nThe deploy was botched by the pipeline.")
    item = SectionFinding(
        section=Section.SUMMARY, finding=_finding("failed in", "was botched by", 2), key="k"
    )
    fixed = apply_suggestion(pm, item)
    assert fixed.summary == "Second line is here.\nThe deploy failed in the pipeline."


def test_advice_is_not_pasted_into_the_report() -> None:
    pm = _with_summary("The deploy was botched.")
    advice = _finding("Describe what happened: 'The deploy failed.'", "botched")
    with pytest.raises(InputError, match="advice"):
        apply_suggestion(pm, SectionFinding(section=Section.SUMMARY, finding=advice, key="k"))


def test_a_model_rewrite_replaces_the_whole_flagged_sentence_only() -> None:
    before, after = "Traffic dropped at 09:00.", "Then it recovered."
    pm = _with_summary(f"{before} The engineer forgot to check it. {after}")
    finding = next(f for f in draft_findings(pm) if f.section is Section.SUMMARY)
    sentence = flagged_sentence_in(pm, finding)
    assert sentence == "The engineer forgot to check it."
    fixed = apply_rewrite(pm, finding, sentence, "No check ran before the deploy.")
    assert fixed.summary == f"{before} No check ran before the deploy. {after}"
    with pytest.raises(InputError, match="changed"):
        apply_rewrite(fixed, finding, sentence, "again")


def test_highlight_marks_matches_and_escapes_html() -> None:
    html = highlight("<b>x</b> blame here", [_finding("y", "blame", column=10)])
    assert "&lt;b&gt;" in html and "<mark" in html and ">blame</mark>" in html


def test_dismissed_detected_names_leave_the_roster() -> None:
    roster = Roster(
        entries=[
            RosterEntry(pseudonym="Person 1", names=["Ana"], variants=["Ana"]),
            RosterEntry(
                pseudonym="Person 2", names=["Friday"], variants=["Friday"], source="detected"
            ),
        ]
    )
    kept = without_dismissed(roster, {"Friday": "dismissed"})
    assert [e.pseudonym for e in kept.entries] == ["Person 1"]
    assert len(without_dismissed(roster, {"Friday": "confirmed"}).entries) == 2


def test_memo_computes_once_per_key_and_forgets_old_keys() -> None:
    memo, calls = Memo(size=2), []

    def compute(x: int) -> int:
        calls.append(x)
        return x * 2

    got = [memo.get("f", k, partial(compute, k)) for k in (1, 1, 2, 1, 3, 1)]
    assert got == [2, 2, 4, 2, 6, 2]
    assert calls == [1, 2, 3, 1]


# Session persistence -------------------------------------------------------------------------


def test_session_round_trip_survives_a_new_store_instance(tmp_path: Path) -> None:
    db = tmp_path / "pm.sqlite3"
    store = Store(db)
    incident = start_incident(store, Inputs(transcript="[21:02] <a> hi", timezone="UTC"))
    save_roles(
        store, incident, {"Person 1": "On-call SRE"}, {"Friday": "dismissed"}, {"a": "Person 1"}
    )
    pm = with_section_text(sample_postmortem(), Section.SUMMARY, "Edited by a human.")
    version = save_version(store, incident, pm, VersionKind.EDIT, Section.SUMMARY)
    back = resume(Store(db), incident)
    assert back.inputs.transcript == "[21:02] <a> hi"
    assert back.roles == {"Person 1": "On-call SRE"}
    assert back.decisions == {"Friday": "dismissed"}
    assert back.version_id == version
    assert back.draft is not None and back.draft.summary == "Edited by a human."
    assert back.draft.origins[Section.SUMMARY] is Origin.HUMAN


def test_approve_records_reviewer_and_time_in_report_and_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "pm.sqlite3")
    incident = start_incident(store, Inputs(transcript="x"))
    when = datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
    approved, version = approve(
        store, incident, sample_postmortem(), " Reviewer One ", lambda: when
    )
    assert approved.approval is not None
    assert (approved.approval.reviewer, approved.approval.approved_at) == ("Reviewer One", when)
    assert can_export(approved)
    record = store.latest_approval(incident)
    assert record is not None and (record.reviewer, record.version_id) == ("Reviewer One", version)
    assert store.list_incidents()[0].approved


def test_resume_offers_the_finished_stages_of_a_failed_generation(tmp_path: Path) -> None:
    store = Store(tmp_path / "pm.sqlite3")
    incident = start_incident(store, Inputs(transcript="x"))
    first = save_version(store, incident, sample_postmortem(), VersionKind.GENERATION)
    partial = sample_postmortem().model_copy(update={"summary": "half done"})
    save_version(store, incident, partial, VersionKind.STAGE)
    back = resume(store, incident)
    assert back.version_id == first
    assert back.draft is not None and back.draft.summary == sample_postmortem().summary
    assert back.partial is not None and back.partial.summary == "half done"
    save_version(store, incident, sample_postmortem(), VersionKind.GENERATION)
    assert resume(store, incident).partial is None


def test_the_tables_offer_each_fixed_value_column_as_a_choice() -> None:
    assert section_choices(Section.TIMELINE) == {"phase": [p.value for p in Phase]}
    actions = section_choices(Section.ACTION_ITEMS)
    assert actions["priority"] == ["P0", "P1", "P2"] and set(actions) == {
        "priority",
        "type",
        "status",
    }
    # a phase chosen from the list is a valid row, and the metrics follow it
    pm = sample_postmortem()
    rows = section_rows(pm, Section.TIMELINE)
    rows[0]["phase"] = section_choices(Section.TIMELINE)["phase"][1]
    assert with_section_rows(pm, Section.TIMELINE, rows).timeline[0].phase is Phase.DETECTION
    with pytest.raises(InputError):
        section_choices(Section.SUMMARY)
