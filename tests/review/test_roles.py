"""Roles confirmed or changed after drafting are written into every section of the draft."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from factories import sample_whys

from drafting.anonymise.roster import Roster, RosterEntry, pseudonym
from drafting.report import (
    ActionItem,
    Approval,
    ContributingFactor,
    GlossaryEntry,
    Impact,
    Lesson,
    Origin,
    Participant,
    Phase,
    Postmortem,
    ReviewFlag,
    RootCause,
    Section,
    Status,
    TimelineEntry,
    Why,
)
from drafting.review.roles import apply_roles, label_changes, roster_with_roles
from drafting.review.session import apply_confirmed_roles, save_version
from drafting.store import Store, VersionKind

A, B, C = pseudonym(0), pseudonym(1), pseudonym(2)
AT = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)


def _roster(roles: dict[str, str] | None = None) -> Roster:
    entries = [
        RosterEntry(pseudonym=p, names=[n], variants=[n])
        for p, n in zip((A, B, C), "XYZ", strict=True)
    ]
    return roster_with_roles(Roster(entries=entries), roles or {})


def _labelled(who: str, other: str) -> Postmortem:
    """A draft naming ``who`` (and ``other``) in every prose field a label can appear in."""
    whys = sample_whys()
    whys[0] = Why(question=f"Why did {who} get paged?", answer=f"{other} saw it.", evidence=["m3"])
    return Postmortem(
        title=f"Stale prices ({who} on call)",
        summary=f"{who} found the empty variable; {other} redeployed.",
        impact=Impact(users=f"reported by {who}", business=f"{other}'s team", evidence=["m1"]),
        timeline=[TimelineEntry(time=AT, phase=Phase.DETECTION, event=f"{who} acks.")],
        how_detected=f"The freshness check paged {who}.",
        root_cause=RootCause(
            whys=whys,
            systemic_cause="No check on the manifest.",
            why_not_caught=f"Nothing told {other}.",
        ),
        contributing_factors=[ContributingFactor(title=f"{who} alone", description=f"{other} off")],
        went_well=[f"{who} escalated fast"],
        went_wrong=[f"{other} had no runbook"],
        lucky=[f"{who} was awake"],
        action_items=[ActionItem(action=f"Brief {other}", owner_role=who, evidence=["m8"])],
        lessons=[Lesson(text=f"{other} needs the runbook")],
        follow_up=[f"{who} to check in"],
        open_questions=[f"Did {other} know?"],
        participants=[Participant(role=who, messages=3), Participant(role=other, messages=2)],
        authors=[who],
        glossary=[GlossaryEntry(term="TTL", definition=f"as {who} set it")],
        links=[f"https://example.test/{who}"],
        flags=[ReviewFlag(section=Section.SUMMARY, message=f"Check {who}'s claim.")],
        origins={Section.SUMMARY: Origin.HUMAN, Section.TIMELINE: Origin.MODEL},
    )


def test_every_prose_field_gets_the_new_label_and_nothing_else_changes() -> None:
    old, new = _roster(), _roster({A: "On-call SRE"})
    pm = _labelled(A, B)
    out = apply_roles(pm, old, new)
    assert out == _labelled("On-call SRE", B).model_copy(update={"links": pm.links})
    assert out.links == [f"https://example.test/{A}"]  # a link is not prose
    assert out.timeline[0].time == AT and out.timeline[0].phase is Phase.DETECTION
    assert out.origins == pm.origins
    assert out.evidence_ids() == pm.evidence_ids()


def test_swapped_roles_swap_in_one_pass() -> None:
    old = _roster({A: "Incident commander", B: "On-call SRE"})
    new = _roster({A: "On-call SRE", B: "Incident commander"})
    out = apply_roles(_labelled("Incident commander", "On-call SRE"), old, new)
    assert out.summary == "On-call SRE found the empty variable; Incident commander redeployed."


def test_a_new_role_equal_to_anothers_old_label_and_a_removed_role() -> None:
    # A loses the role, B takes it over: 'SRE' -> A's pseudonym, B's pseudonym -> 'SRE'.
    old, new = _roster({A: "SRE"}), _roster({B: "SRE"})
    assert label_changes(old, new) == {"SRE": A, B: "SRE", C: C}
    out = apply_roles(_labelled("SRE", B), old, new)
    assert out.summary == f"{A} found the empty variable; SRE redeployed."
    assert [p.role for p in out.participants] == [A, "SRE"]


def test_an_unchanged_label_containing_a_changed_one_stays_whole() -> None:
    old = _roster({B: f"Shadow of {A}"})
    new = _roster({A: "IC", B: f"Shadow of {A}"})
    out = apply_roles(_labelled(A, f"Shadow of {A}"), old, new)
    assert out.summary == f"IC found the empty variable; Shadow of {A} redeployed."


def test_two_sres_are_told_apart_and_renaming_one_keeps_the_other() -> None:
    old = _roster({A: "SRE", B: "SRE"})
    new = _roster({A: "SRE", B: "Scribe"})  # A is the only SRE now: no pseudonym needed
    out = apply_roles(_labelled(f"SRE ({A})", f"SRE ({B})"), old, new)
    assert out.summary == "SRE found the empty variable; Scribe redeployed."


def test_whole_words_only() -> None:
    old, new = _roster(), _roster({A: "IC"})
    pm = _labelled(B, C).model_copy(update={"summary": f"{A}B and X{A} are not {A}."})
    assert apply_roles(pm, old, new).summary == f"{A}B and X{A} are not IC."


def test_nothing_to_change_returns_the_same_object() -> None:
    pm = _labelled(A, B)
    assert apply_roles(pm, _roster({A: "IC"}), _roster({A: "IC"})) is pm
    assert apply_roles(pm, _roster(), _roster({C: "Scribe"})) is pm  # C is not in the text


def test_a_relabelled_approved_draft_needs_approval_again() -> None:
    approved = _labelled(A, B).approve("Reviewer One", AT)
    out = apply_roles(approved, _roster(), _roster({A: "IC"}))
    assert out.approval is None and out.status is Status.DRAFT
    assert isinstance(approved.approval, Approval)


def test_apply_confirmed_roles_stores_a_relabel_version_with_its_roles(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    incident = store.create_incident("t", "raw")
    pm = _labelled(A, B)
    first = save_version(store, incident, pm, VersionKind.GENERATION, roles={})
    edit = save_version(store, incident, pm, VersionKind.EDIT, Section.SUMMARY)
    assert store.labelled_roles(incident, edit) == {}  # an edit keeps the generation's labels
    out, version = apply_confirmed_roles(store, incident, pm, edit, _roster(), {A: "IC"})
    assert out.summary.startswith("IC found") and version > edit > first
    latest = store.versions(incident)[-1]
    assert latest.kind is VersionKind.RELABEL and latest.roles == {A: "IC"}
    assert latest.provenance == {"summary": "human", "timeline": "model"}
    again = apply_confirmed_roles(store, incident, out, version, _roster(), {A: "IC"})
    assert again == (out, version)


def test_a_version_stored_without_roles_is_left_as_it_is(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    incident = store.create_incident("t", "raw")
    pm = _labelled(A, B)
    version = save_version(store, incident, pm, VersionKind.GENERATION)
    assert store.labelled_roles(incident, version) is None
    assert apply_confirmed_roles(store, incident, pm, version, _roster(), {A: "IC"}) == (
        pm,
        version,
    )
