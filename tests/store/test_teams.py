"""Teams, authors and verified approvals in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from drafting.errors import StoreError
from drafting.store import Store, VersionKind


def test_an_incident_keeps_its_author_and_team(store: Store) -> None:
    incident = store.create_incident("A", "text", author="pat@example.com", team="payments")
    got = store.get_incident(incident, team="payments")
    assert (got.author, got.team) == ("pat@example.com", "payments")
    [summary] = store.list_incidents(team="payments")
    assert (summary.id, summary.author, summary.team) == (incident, "pat@example.com", "payments")


def test_without_a_team_every_incident_is_visible(store: Store) -> None:
    mine = store.create_incident("Mine", "text", team="payments")
    theirs = store.create_incident("Theirs", "text", team="platform")
    local = store.create_incident("Local", "text")
    assert {i.id for i in store.list_incidents()} == {mine, theirs, local}
    assert store.get_incident(theirs).team == "platform"


def test_a_team_sees_only_its_own_incidents(store: Store) -> None:
    mine = store.create_incident("Mine", "text", team="payments")
    store.create_incident("Theirs", "text", team="platform")
    store.create_incident("Local", "text")
    assert [i.id for i in store.list_incidents(team="payments")] == [mine]
    assert store.list_incidents(team="nobody") == []


@pytest.mark.parametrize("owner", ["platform", None])
def test_another_teams_incident_is_not_found_exactly_like_a_missing_one(
    store: Store, owner: str | None
) -> None:
    incident = store.create_incident("Theirs", "text", team=owner)
    with pytest.raises(StoreError) as hidden:
        store.get_incident(incident, team="payments")
    with pytest.raises(StoreError) as missing:
        store.get_incident(incident + 1000, team="payments")
    assert str(hidden.value) == f"There is no stored incident {incident}."
    assert str(missing.value) == f"There is no stored incident {incident + 1000}."


def test_a_signed_in_approval_keeps_the_reviewers_identity_and_is_verified(store: Store) -> None:
    incident = store.create_incident("A", "text", author="pat@example.com", team="payments")
    version = store.add_version(incident, VersionKind.APPROVAL, "{}")
    record = store.record_approval(
        incident, version, "Cy Reviewer", reviewer_id="cy@example.com", verified=True
    )
    latest = store.latest_approval(incident)
    assert latest == record
    assert (latest.reviewer, latest.reviewer_id, latest.verified) == (
        "Cy Reviewer",
        "cy@example.com",
        True,
    )
    assert store.list_incidents(team="payments")[0].approved
