"""Reasoning checks code can see, on the draft issue 11 describes (a v2.31.0 deploy cut the DB
pool from 100 to 10; resolved by a rollback) and on a good draft of the same incident."""

from __future__ import annotations

from factories import sample_postmortem

from drafting.ingest import parse
from drafting.reasoning import check
from drafting.report import ActionItem, Impact, RootCause, Section, Why
from drafting.review.sections import cited_messages

POOL = parse(
    "[2025-03-04 14:02] deploy-bot: deployed checkout-api v2.31.0 (pool size from 100 to 10)\n"
    "[2025-03-04 14:05] alertmanager: FIRING checkout-api 5xx error rate 12%\n"
    "[2025-03-04 14:13] Responder A: support: 142 tickets. opening incident INC-2025-014\n"
    "[2025-03-04 14:20] Responder B: rolling back to v2.30.4 and restarting the checkout API pool\n"
    "[2025-03-04 14:31] Responder B: rollback complete, error rate back to normal\n"
    "[2025-03-04 14:40] Responder A: ~$23,000 in lost orders. resolved.\n"
)


def whys(*answers: str) -> RootCause:
    return RootCause(
        whys=[
            Why(question=f"Why {i}?", answer=a, evidence=["m1"]) for i, a in enumerate(answers, 1)
        ],
        systemic_cause="Config changes ship without a load test.",
    )


BAD = sample_postmortem().model_copy(
    update={
        "summary": "the team resolved the incident by increasing the pool size and reloading "
        "the config and things were fine",
        "impact": Impact(users="All users", duration="1 hour"),
        "root_cause": whys(
            "The pool size of 100 was too high for the load.",
            "The review missed the pool change.",
            "Nobody load-tested the release.",
            "The review missed the pool change in the diff.",
            "There is no load test in the pipeline.",
        ),
        "action_items": [
            ActionItem(action="Restart the checkout API pool", owner_role="Responder D"),
            ActionItem(action="Increase the pool size to 10", owner_role="SRE lead"),
            ActionItem(action="Responder A: support: 142 tickets.", owner_role="Support lead"),
            ActionItem(action="rollback complete, error rate back to normal", owner_role="SRE"),
        ],
    }
)
GOOD = BAD.model_copy(
    update={
        "summary": "A deploy cut the checkout database pool from 100 to 10 connections. "
        "Checkouts failed for 35 min, 142 tickets were opened and about $23,000 of orders lost. "
        "Rolling back restored service.",
        "impact": Impact(users="customers checking out", duration="35 min"),
        "root_cause": whys(
            "The new release set the connection pool to 10, too low for peak checkout load.",
            "The pool size came from a default copied into the v2.31.0 config.",
            "Config diffs are not highlighted in release review.",
            "The release checklist has no step for capacity settings.",
            "Capacity settings have no owner or automated bound check.",
        ),
        "action_items": [
            ActionItem(action="Add a lower bound check for pool sizes in CI", owner_role="SRE lead")
        ],
    }
)


def messages(flags: list, section: Section) -> list[str]:
    return [f.message for f in flags if f.section is section]


def test_the_draft_the_issue_describes_fails_each_check_code_can_see() -> None:
    flags = check(BAD, POOL)
    root = messages(flags, Section.ROOT_CAUSE)
    assert any("Why 4 restates" in m for m in root)
    assert any("from 100 to 10 backwards" in m for m in root)
    actions = messages(flags, Section.ACTION_ITEMS)
    assert any("already done" in m and "(m4)" in m and "Restart the checkout" in m for m in actions)
    assert any("Responder D" in m for m in actions)
    assert any("backwards" in m and "Increase the pool" in m for m in actions)
    copies = [m for m in actions if "copies a" in m]
    assert any("142 tickets" in m for m in copies)  # a "Responder A: ..." line
    assert any("rollback complete" in m and "(m5)" in m for m in copies)
    (summary,) = messages(flags, Section.SUMMARY)
    assert "1 sentence" in summary and "lower case" in summary and "impact figures" in summary
    assert messages(flags, Section.IMPACT)


def test_a_good_draft_of_the_same_incident_passes() -> None:
    assert check(GOOD, POOL) == []


def test_a_flagged_section_cites_the_messages_its_flags_name_then_its_evidence() -> None:
    flagged = BAD.model_copy(
        update={
            "flags": check(BAD, POOL),
            "action_items": [a.model_copy(update={"evidence": ["m6"]}) for a in BAD.action_items],
        }
    )
    cited = cited_messages(flagged, Section.ACTION_ITEMS)
    assert cited[:2] == ["m4", "m5"] and cited[-1] == "m6" and len(cited) == len(set(cited))
    assert cited_messages(flagged, Section.LESSONS) == []


def test_whys_without_a_cited_message_and_went_well_copied_from_the_chat_are_flagged() -> None:
    bare = GOOD.model_copy(
        update={
            "root_cause": GOOD.root_cause.model_copy(  # type: ignore[union-attr]
                update={
                    "whys": [w.model_copy(update={"evidence": []}) for w in GOOD.root_cause.whys][
                        :2
                    ]
                }  # type: ignore[union-attr]
            ),
            "went_well": [
                "rollback complete, error rate back to normal",
                "The rollback was quick.",
            ],
        }
    )
    flags = check(bare, POOL)
    assert any("Why 1, 2 cite(s) no message" in m for m in messages(flags, Section.ROOT_CAUSE))
    (well,) = messages(flags, Section.WENT_WELL)
    assert "restates a message (m5)" in well
