"""Optimistic concurrency: a save against an older version is kept, never made current."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from drafting.errors import VersionConflict
from drafting.store import Store, VersionKind

OpenStore = Callable[..., Store]


def _drafted(store: Store) -> tuple[int, int]:
    incident = store.create_incident("A", "text")
    return incident, store.add_version(incident, VersionKind.GENERATION, '{"v": "generated"}')


def test_every_save_moves_the_head_and_the_first_has_none_before_it(store: Store) -> None:
    incident = store.create_incident("A", "text")
    assert store.head_version(incident) is None
    first = store.add_version(incident, VersionKind.STAGE, "{}")
    assert store.head_version(incident) == first
    second = store.add_version(incident, VersionKind.GENERATION, "{}", expected_head=first)
    assert store.head_version(incident) == second
    assert store.head_version(incident + 1) is None


def test_a_save_against_an_older_head_is_kept_as_a_conflict_and_reported(store: Store) -> None:
    incident, base = _drafted(store)
    mine = store.add_version(incident, VersionKind.EDIT, '{"v": "mine"}', expected_head=base)
    with pytest.raises(VersionConflict) as conflict:
        store.add_version(incident, VersionKind.EDIT, '{"v": "theirs"}', expected_head=base)
    kept = conflict.value.kept_version_id
    assert conflict.value.current_version_id == mine
    assert str(conflict.value) == (
        f"Someone else saved a newer version of this draft (version {mine}) while you edited;"
        f" your text is kept as version {kept} and the draft now shows theirs."
    )
    assert store.head_version(incident) == mine
    latest = store.latest_version(incident)
    assert latest is not None and latest.id == mine
    by_id = {v.id: v for v in store.versions(incident)}
    assert by_id[kept].kind is VersionKind.CONFLICT
    assert by_id[kept].postmortem_json == '{"v": "theirs"}'


def test_a_save_without_an_expected_head_always_becomes_current(store: Store) -> None:
    incident, base = _drafted(store)
    store.add_version(incident, VersionKind.EDIT, "{}", expected_head=base)
    forced = store.add_version(incident, VersionKind.RELABEL, "{}")
    assert store.head_version(incident) == forced


def test_a_save_on_the_version_now_current_goes_through_after_a_conflict(store: Store) -> None:
    incident, base = _drafted(store)
    mine = store.add_version(incident, VersionKind.EDIT, "{}", expected_head=base)
    with pytest.raises(VersionConflict):
        store.add_version(incident, VersionKind.EDIT, "{}", expected_head=base)
    again = store.add_version(incident, VersionKind.EDIT, "{}", expected_head=mine)
    assert store.head_version(incident) == again


def test_two_stores_saving_on_the_same_head_one_wins_and_both_texts_are_kept(
    store_url: str, open_store: OpenStore
) -> None:
    one, two = open_store(store_url), open_store(store_url)
    incident, base = _drafted(one)
    won = two.add_version(incident, VersionKind.EDIT, '{"v": "two"}', expected_head=base)
    with pytest.raises(VersionConflict) as lost:
        one.add_version(incident, VersionKind.EDIT, '{"v": "one"}', expected_head=base)
    assert lost.value.current_version_id == won
    texts = {v.postmortem_json: v.kind for v in one.versions(incident)}
    assert texts['{"v": "two"}'] is VersionKind.EDIT
    assert texts['{"v": "one"}'] is VersionKind.CONFLICT
    assert one.head_version(incident) == two.head_version(incident) == won


ROUNDS = 8


def test_concurrent_saves_from_threads_let_exactly_one_win_each_round(
    store_url: str, open_store: OpenStore
) -> None:
    """Two threads, each with its own store, save on the same head at once, round after round."""
    stores = [open_store(store_url), open_store(store_url)]
    incident, head = _drafted(stores[0])
    for round_ in range(ROUNDS):
        results = _race(stores, incident, head, round_)
        winners = [r for r in results if isinstance(r, int)]
        losers = [r for r in results if isinstance(r, VersionConflict)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert losers[0].current_version_id == winners[0]
        head = winners[0]
        assert stores[1].head_version(incident) == head
    versions = stores[0].versions(incident)
    texts = [v.postmortem_json for v in versions]
    for round_ in range(ROUNDS):
        assert {f'{{"t": 0, "r": {round_}}}', f'{{"t": 1, "r": {round_}}}'} <= set(texts)
    assert sum(v.kind is VersionKind.CONFLICT for v in versions) == ROUNDS


def _race(
    stores: list[Store], incident: int, head: int, round_: int
) -> list[int | BaseException | None]:
    """Each store saves on ``head`` from its own thread, released together; their outcomes."""
    start = threading.Barrier(len(stores))
    results: list[int | BaseException | None] = [None] * len(stores)

    def save(n: int) -> None:
        text = f'{{"t": {n}, "r": {round_}}}'
        start.wait()
        try:
            results[n] = stores[n].add_version(incident, VersionKind.EDIT, text, expected_head=head)
        except BaseException as err:  # reported by the test, whatever it is
            results[n] = err

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
