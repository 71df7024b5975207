"""Reusable report builders for tests: a realistic sample and a hypothesis strategy.

Import from any test module (pytest puts ``tests/`` on ``sys.path``)::

    from factories import sample_postmortem, postmortems
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import strategies as st

from drafting.report import (
    ActionItem,
    ActionType,
    ContributingFactor,
    FlagSeverity,
    GlossaryEntry,
    Impact,
    Lesson,
    LessonCategory,
    Origin,
    Participant,
    Phase,
    Postmortem,
    Priority,
    ReviewFlag,
    RootCause,
    Section,
    Severity,
    Status,
    TimelineEntry,
    Why,
)


def _at(hour: int, minute: int) -> datetime:
    return datetime(2026, 3, 5, hour, minute, tzinfo=UTC)


def sample_timeline() -> list[TimelineEntry]:
    """The stale-cache incident (``samples/stale-cache-slack.txt``), one entry per phase."""
    rows = [
        (_at(8, 31), Phase.TRIGGER, "Customers report old prices on product pages.", ["m1"]),
        (_at(9, 30), Phase.DETECTION, "Freshness check pages the on-call engineer.", ["m3"]),
        (_at(9, 45), Phase.DIAGNOSIS, "No invalidation messages reach the consumer.", ["m4"]),
        (_at(10, 0), Phase.ESCALATION, "Inventory engineer joins the investigation.", ["m5"]),
        (_at(11, 0), Phase.DIAGNOSIS, "Invalidation topic is empty in the manifest.", ["m7"]),
        (_at(11, 5), Phase.MITIGATION, "Variable fixed; InventoryService redeployed.", ["m8"]),
        (_at(11, 15), Phase.RESOLUTION, "Cache flushed; freshness check green.", ["m9"]),
        (None, Phase.FOLLOW_UP, "Support told the incident is over.", ["m10"]),
    ]
    return [TimelineEntry(time=t, phase=p, event=e, evidence=ev) for t, p, e, ev in rows]


def sample_whys() -> list[Why]:
    """Five links from the symptom to a systemic cause."""
    qa = [
        ("Why did customers see old prices?", "The product cache was never invalidated.", "m4"),
        ("Why was it never invalidated?", "InventoryService published no messages.", "m6"),
        ("Why did it publish none?", "Its invalidation topic variable was empty.", "m7"),
        ("Why was the variable empty?", "The new manifest omitted it; nothing checked it.", "m7"),
        ("Why did nothing check it?", "The pipeline has no config validation step.", "m7"),
    ]
    return [Why(question=q, answer=a, evidence=[mid]) for q, a, mid in qa]


def sample_postmortem() -> Postmortem:
    """A complete, realistic report (roles only) exercising every section."""
    return Postmortem(
        title="Stale product prices in the EU",
        incident_id="INC-2026-031",
        date=date(2026, 3, 5),
        severity=Severity(level="SEV-2"),
        status=Status.IN_REVIEW,
        authors=["On-call engineer"],
        summary=(
            "Product pages in the EU showed stale prices for about two hours. "
            "A deployment left the cache invalidation topic empty. "
            "Fixing the variable and flushing the cache restored fresh data."
        ),
        impact=Impact(
            users="~15% of EU users",
            duration="about 2h15m",
            services=["ProductService", "InventoryService"],
            evidence=["m9"],
        ),
        timeline=sample_timeline(),
        how_detected="A data freshness check paged the on-call engineer.",
        root_cause=RootCause(
            whys=sample_whys(),
            systemic_cause="Deployment manifests are not validated for required variables.",
            why_not_caught="Staging does not run the freshness check.",
        ),
        contributing_factors=[
            ContributingFactor(
                title="No publish-side alert",
                description="Nothing alerts when invalidation messages stop.",
                evidence=["m6"],
            )
        ],
        went_well=["The freshness check paged within minutes of its schedule."],
        went_wrong=["Customer reports came an hour before the page."],
        lucky=["Only the EU region used the new manifest."],
        action_items=[
            ActionItem(
                action="Validate required environment variables in the deploy pipeline",
                owner_role="Platform team lead",
                due_date=date(2026, 3, 20),
                priority=Priority.P0,
                type=ActionType.PREVENTIVE,
                evidence=["m7"],
            ),
            ActionItem(
                action="Alert when invalidation messages drop to zero for 5 minutes",
                owner_role="SRE on-call lead",
                due_date=date(2026, 3, 27),
                priority=Priority.P1,
                type=ActionType.DETECTIVE,
            ),
            ActionItem(
                action="Add a config checklist to the deployment runbook",
                owner_role="Engineering manager",
                priority=Priority.P2,
                type=ActionType.PROCESS,
            ),
        ],
        lessons=[
            Lesson(
                text="Silent publishers need their own alerts.", category=LessonCategory.TECHNICAL
            ),
            Lesson(text="Config changes deserve the same review as code."),
        ],
        follow_up=["Review other services' manifests for empty variables."],
        open_questions=["How many orders were placed at stale prices?"],
        participants=[
            Participant(role="Support lead", messages=3),
            Participant(role="On-call engineer", messages=4),
            Participant(role="Inventory engineer", messages=3),
        ],
        glossary=[GlossaryEntry(term="Invalidation", definition="Telling a cache to drop data.")],
        flags=[
            ReviewFlag(
                section=Section.IMPACT,
                message="The figure '15%' is not in the transcript.",
                severity=FlagSeverity.WARNING,
            )
        ],
        origins={Section.SUMMARY: Origin.MODEL, Section.ACTION_ITEMS: Origin.HUMAN},
    )


# --- hypothesis -----------------------------------------------------------------------------

# Any text, including the characters Markdown and CSV care about, surrogates excluded.
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
nonempty = texts.filter(lambda s: s.strip() != "")
_tricky = st.sampled_from(
    ["a | b", "line\nbreak", "## Heading", "```", "<script>", "\\", "\\|", "&lt;", "---", "=x"]
)
messy = st.one_of(texts, _tricky, st.lists(_tricky, max_size=3).map("\n".join))
messy_nonempty = st.one_of(nonempty, _tricky)
ids = st.lists(st.from_regex(r"m[0-9]{1,3}", fullmatch=True), max_size=3)
times = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
)

timeline_entries = st.builds(
    TimelineEntry, time=times, phase=st.sampled_from(Phase), event=messy_nonempty, evidence=ids
)
action_items = st.builds(
    ActionItem,
    action=messy_nonempty,
    owner_role=messy_nonempty,
    due_date=st.one_of(st.none(), st.dates()),
    priority=st.sampled_from(Priority),
    type=st.sampled_from(ActionType),
    description=messy,
    evidence=ids,
)
whys = st.builds(Why, question=messy_nonempty, answer=messy_nonempty, evidence=ids)
root_causes = st.builds(
    RootCause,
    whys=st.lists(whys, min_size=5, max_size=5),
    systemic_cause=messy_nonempty,
    why_not_caught=messy,
)


@st.composite
def postmortems(draw: st.DrawFn) -> Postmortem:
    """Random but valid reports, with hostile text in every free-text field."""
    return Postmortem(
        title=draw(messy_nonempty),
        incident_id=draw(st.one_of(st.none(), messy)),
        severity=draw(st.one_of(st.none(), st.builds(Severity, level=messy_nonempty))),
        summary=draw(messy),
        impact=Impact(users=draw(st.one_of(st.none(), messy)), services=draw(st.lists(messy))),
        timeline=draw(st.lists(timeline_entries, max_size=6)),
        how_detected=draw(messy),
        root_cause=draw(st.one_of(st.none(), root_causes)),
        contributing_factors=draw(
            st.lists(st.builds(ContributingFactor, title=messy_nonempty, description=messy))
        ),
        went_well=draw(st.lists(messy, max_size=3)),
        went_wrong=draw(st.lists(messy, max_size=3)),
        lucky=draw(st.lists(messy, max_size=2)),
        action_items=draw(st.lists(action_items, max_size=5)),
        lessons=draw(st.lists(st.builds(Lesson, text=messy_nonempty), max_size=3)),
        open_questions=draw(st.lists(messy, max_size=2)),
        participants=draw(st.lists(st.builds(Participant, role=messy_nonempty), max_size=3)),
    )
