"""The embedded model's queue: one holder at a time, first come first served, places reported.

No model is needed: these use the queue alone, with threads (Streamlit sessions in one process)
and child processes (the CLI next to the app).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafting.model.queue import TicketQueue, draft_slot, ordinal, queue_dir, waiting_message
from drafting.settings import Settings

POLL_S = 0.005
TIMEOUT_S = 30.0
ROOT = Path(__file__).resolve().parents[2]


class Waiter(threading.Thread):
    """A thread that queues, records the places it is told, and holds the slot until released."""

    def __init__(self, queue: TicketQueue, name: str, log: list[str]) -> None:
        super().__init__(name=name, daemon=True)
        self.queue, self.log = queue, log
        self.places: list[int] = []
        self.told = threading.Event()  # set whenever a place is reported
        self.entered = threading.Event()
        self.release = threading.Event()

    def on_wait(self, place: int) -> None:
        self.places.append(place)
        self.told.set()

    def run(self) -> None:
        with self.queue.slot(self.on_wait):
            self.log.append(self.name)
            self.entered.set()
            assert self.release.wait(TIMEOUT_S)

    def wait_for_place(self, place: int) -> None:
        while place not in self.places:
            assert self.told.wait(TIMEOUT_S), f"{self.name} was never told place {place}"
            self.told.clear()


@pytest.fixture
def queue(tmp_path: Path) -> TicketQueue:
    return TicketQueue(tmp_path / "queue", poll_s=POLL_S)


def test_requests_wait_in_arrival_order_and_are_told_their_place(queue: TicketQueue) -> None:
    log: list[str] = []
    with queue.slot() as mine:
        assert mine.place == 1
        second, third = Waiter(queue, "second", log), Waiter(queue, "third", log)
        second.start()
        second.wait_for_place(2)
        third.start()
        third.wait_for_place(3)
        assert not second.entered.is_set() and not third.entered.is_set()
    assert second.entered.wait(TIMEOUT_S)
    third.wait_for_place(2)  # moved up when the first one left
    assert not third.entered.is_set()
    second.release.set()
    assert third.entered.wait(TIMEOUT_S)
    third.release.set()
    for waiter in (second, third):
        waiter.join(TIMEOUT_S)
    assert log == ["second", "third"]
    assert second.places == [2]
    assert third.places == [3, 2]
    assert queue.waiting() == 0


def test_many_threads_never_hold_the_slot_at_once(queue: TicketQueue) -> None:
    holders: list[int] = []
    overlaps: list[int] = []
    start = threading.Barrier(8)

    def work() -> None:
        start.wait(TIMEOUT_S)
        for _ in range(5):
            with queue.slot():
                holders.append(threading.get_ident())
                if len(holders) > 1:
                    overlaps.append(len(holders))
                for _ in range(50):
                    os.sched_yield()  # give another thread every chance to barge in
                holders.remove(threading.get_ident())

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    assert overlaps == []
    assert queue.waiting() == 0


def test_a_free_slot_is_entered_without_reporting_a_place(queue: TicketQueue) -> None:
    places: list[int] = []
    with queue.slot(places.append) as slot:
        assert slot.place == 1
    assert places == []


def test_the_ticket_is_given_back_when_the_holder_fails(queue: TicketQueue) -> None:
    with pytest.raises(RuntimeError), queue.slot():
        assert queue.waiting() == 1
        raise RuntimeError("the draft failed")
    assert queue.waiting() == 0
    assert list(queue.directory.glob("*.ticket")) == []


def test_a_waiter_that_gives_up_leaves_the_line(queue: TicketQueue) -> None:
    outcome: list[str] = []

    def leave(place: int) -> None:
        raise KeyboardInterrupt  # as Ctrl-C, or a closed Streamlit session, ends the wait

    def request() -> None:
        try:
            with queue.slot(leave):
                outcome.append("entered")
        except KeyboardInterrupt:
            outcome.append("left")

    with queue.slot():
        thread = threading.Thread(target=request)
        thread.start()
        thread.join(TIMEOUT_S)
        assert outcome == ["left"]
        assert queue.waiting() == 1  # only the holder's ticket is left


def test_a_nested_request_in_the_same_thread_reenters(queue: TicketQueue) -> None:
    with queue.slot(), queue.slot() as inner:
        assert inner.place == 1
        assert queue.waiting() == 1


HOLDER = """
import sys
from pathlib import Path
from drafting.model.queue import TicketQueue
with TicketQueue(Path(sys.argv[1])).slot():
    print("held", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def other_process(queue: TicketQueue) -> Iterator[subprocess.Popen[str]]:
    """Another process (a CLI draft) holding the slot until told to stop."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(queue.directory)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(TIMEOUT_S)
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            stream.close()


def test_another_process_holding_the_slot_makes_this_one_wait(
    queue: TicketQueue, other_process: subprocess.Popen[str]
) -> None:
    waiter = Waiter(queue, "app", [])
    waiter.start()
    waiter.wait_for_place(2)
    assert not waiter.entered.is_set()
    assert other_process.stdin is not None
    other_process.stdin.write("done\n")
    other_process.stdin.flush()
    assert waiter.entered.wait(TIMEOUT_S)
    waiter.release.set()
    waiter.join(TIMEOUT_S)
    assert other_process.wait(TIMEOUT_S) == 0


def test_the_ticket_of_a_process_that_died_is_ignored(
    queue: TicketQueue, other_process: subprocess.Popen[str]
) -> None:
    assert queue.waiting() == 1
    other_process.kill()  # no finally runs: only the kernel drops its lock
    other_process.wait(TIMEOUT_S)
    assert len(list(queue.directory.glob("*.ticket"))) == 1
    with queue.slot() as slot:
        assert slot.place == 1
    assert list(queue.directory.glob("*.ticket")) == []


def test_only_the_embedded_model_queues(tmp_path: Path) -> None:
    remote = Settings(openai_base_url="http://127.0.0.1:9/v1", postmortem_model_cache=tmp_path)
    with draft_slot(remote) as slot:
        assert slot.place == 1
    assert not queue_dir(tmp_path).exists()
    local = Settings(postmortem_model_cache=tmp_path, postmortem_server_max_rss_mb=0)
    with draft_slot(local):
        assert TicketQueue(queue_dir(tmp_path)).waiting() == 1


def test_the_waiting_message_names_the_place() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
    ]  # fmt: skip
    assert waiting_message(2) == "Waiting for the model: 2nd in the queue…"
