"""First come, first served: one draft at a time on the embedded model, the others wait in line.

The embedded server answers one request at a time, and two drafts sent at once interleave their
stages: each evicts the other's transcript from the model's context, so both crawl. Here a whole
draft (or one regenerated section) holds a slot, and the others wait for it in arrival order,
told their place in the line whenever it changes.

The line is a folder of ticket files in the model cache directory, so threads (Streamlit
sessions in one process) and processes (the CLI next to the app) share it. A ticket is numbered
one past the highest ticket present and held with ``flock`` for as long as its owner waits or
drafts; the kernel drops the lock when the owner exits, however it exits, so a ticket nobody
holds any more is stale and removed by the next reader. Endpoints that serve several requests
at once themselves (OpenAI, vLLM) get no queue: see :func:`draft_slot`.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from drafting.model import server
from drafting.settings import Settings, load_settings

OnWait = Callable[[int], None]
"""Called with the 1-based place in the line while waiting (2 = next), again when it changes."""

POLL_S = 0.25
SUFFIX = ".ticket"
MUTEX = "queue.lock"

_held = threading.local()  # folders whose slot this thread holds (a nested request re-enters)


@dataclass(frozen=True)
class Slot:
    """A held slot: where its holder started in the line and how long it waited."""

    place: int
    waited_s: float


@dataclass(frozen=True)
class _Ticket:
    number: int
    path: Path
    handle: IO[bytes]


class TicketQueue:
    """A FIFO line of tickets in ``directory``, shared by every thread and process using it."""

    def __init__(self, directory: Path, *, poll_s: float = POLL_S) -> None:
        self.directory = directory
        self._poll_s = poll_s

    @contextmanager
    def slot(self, on_wait: OnWait | None = None) -> Iterator[Slot]:
        """Wait for this caller's turn, then hold the slot until the block ends.

        ``on_wait`` is called with the caller's place (2 or more) while it waits, and again
        whenever the place changes; not at all when the slot is free at once. The ticket is
        given back however the block ends (return, exception, KeyboardInterrupt); a caller that
        already holds this queue's slot in this thread re-enters without queueing again.
        """
        held: set[Path] = _held.__dict__.setdefault("folders", set())
        key = self.directory.resolve()
        if key in held:
            yield Slot(place=1, waited_s=0.0)
            return
        ticket = self._take()
        try:
            started = time.monotonic()
            place = self._wait(ticket, on_wait)
            held.add(key)
            try:
                yield Slot(place=place, waited_s=time.monotonic() - started)
            finally:
                held.discard(key)
        finally:
            self._give_back(ticket)

    def place(self, number: int) -> int:
        """The 1-based place of ticket ``number`` among the live tickets (1: it holds the slot)."""
        with self._mutex():
            return 1 + sum(1 for n in self._live() if n < number)

    def waiting(self) -> int:
        """How many live tickets there are (the holder and those waiting)."""
        with self._mutex():
            return len(self._live())

    def _take(self) -> _Ticket:
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._mutex():
            number = max(self._numbers(), default=0) + 1
            path = self.directory / f"{number:012d}-{os.getpid()}{SUFFIX}"
            handle = path.open("wb")
            # Locked before the mutex is released, so no reader ever sees it unheld (stale).
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return _Ticket(number, path, handle)

    def _wait(self, ticket: _Ticket, on_wait: OnWait | None) -> int:
        """Block until ``ticket`` is first; return the place it had when it started waiting."""
        first = shown = self.place(ticket.number)
        while shown > 1:
            if on_wait is not None:
                on_wait(shown)
            place = shown
            while place == shown:
                time.sleep(self._poll_s)  # another process's exit has no event to wait on
                place = self.place(ticket.number)
            shown = place
        return first

    def _give_back(self, ticket: _Ticket) -> None:
        ticket.path.unlink(missing_ok=True)
        ticket.handle.close()  # closing drops the lock

    @contextmanager
    def _mutex(self) -> Iterator[None]:
        """Numbering, and telling live tickets from stale ones, happen one caller at a time."""
        with (self.directory / MUTEX).open("ab") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _numbers(self) -> list[int]:
        return sorted(n for n, _ in self._tickets())

    def _tickets(self) -> list[tuple[int, Path]]:
        found = []
        for path in self.directory.glob(f"*{SUFFIX}"):
            with suppress(ValueError):
                found.append((int(path.name.split("-", 1)[0]), path))
        return sorted(found)

    def _live(self) -> list[int]:
        """Numbers of tickets someone still holds; stale ones (their owner died) are removed."""
        live = []
        for number, path in self._tickets():
            if _held_by_someone(path):
                live.append(number)
            else:
                path.unlink(missing_ok=True)
        return live


def _held_by_someone(path: Path) -> bool:
    """True when another open file holds ``path``'s lock (its owner is alive and queued)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also drops the lock just taken, if it was taken
    return False


@contextmanager
def draft_slot(
    settings: Settings | None = None, *, on_wait: OnWait | None = None
) -> Iterator[Slot]:
    """Hold the model for one draft or one regenerated section, queueing behind earlier ones.

    Only the embedded model queues (one line per model cache directory, shared by both sizes:
    they share the CPU); any other endpoint is entered at once. With the slot held, no draft is
    running, so the embedded server is restarted here when its memory has grown past
    ``POSTMORTEM_SERVER_MAX_RSS_MB`` (see :func:`drafting.model.server.recycle`).
    """
    s = settings or load_settings()
    if s.backend != "embedded":
        yield Slot(place=1, waited_s=0.0)
        return
    with TicketQueue(queue_dir(s.postmortem_model_cache)).slot(on_wait) as slot:
        if s.postmortem_server_max_rss_mb:
            server.recycle(s.postmortem_embedded_size, directory=s.postmortem_model_cache,
                           max_rss_mb=s.postmortem_server_max_rss_mb)  # fmt: skip
        yield slot


def queue_dir(cache: Path) -> Path:
    """The folder of the embedded model's line of tickets."""
    return cache / "queue"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``22nd``..."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def waiting_message(place: int) -> str:
    """What a waiting user is told: ``Waiting for the model: 2nd in the queue…``."""
    return f"Waiting for the model: {ordinal(place)} in the queue…"
