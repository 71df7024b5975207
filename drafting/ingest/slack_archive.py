"""A whole Slack export (a zip, or its unpacked folder): channel folders of daily JSON files,
plus ``users.json`` for real names.

Pure: it works on a mapping of the archive's file names to their bytes; the caller reads the zip
or the folder (:func:`drafting.textinput.read_archive`). One channel becomes one transcript: its
day files merged, oldest first, into the JSON list of messages the Slack-export parser reads,
with ``users.json`` alongside, so the rest of the product sees an ordinary export.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from drafting.errors import TranscriptError
from drafting.ingest.slack_export import message_list

_DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")


@dataclass(frozen=True)
class Channel:
    """One channel of an export, ready for :func:`drafting.ingest.parse`."""

    name: str
    messages_json: str
    users_json: str | None


def channels(files: Mapping[str, bytes]) -> dict[str, list[str]]:
    """Channel name -> its day files (paths in the archive), in date order."""
    found: dict[str, list[str]] = {}
    for path in sorted(files):
        parts = PurePosixPath(path).parts
        if len(parts) >= 2 and _DAY_FILE.match(parts[-1]):
            found.setdefault(parts[-2], []).append(path)
    return found


def read_channel(files: Mapping[str, bytes], channel: str | None = None) -> Channel:
    """The messages of one channel and the export's ``users.json``.

    Args:
        files: archive path -> bytes.
        channel: which channel; may be left out when the export holds only one.

    Raises:
        TranscriptError: no channel folder, an unknown channel, several channels and none chosen,
            or a day file that is not Slack JSON.
    """
    found = channels(files)
    if not found:
        raise TranscriptError(
            "This is not a Slack export: it has no channel folders of daily JSON files."
        )
    if channel is None:
        if len(found) > 1:
            names = ", ".join(sorted(found))
            raise TranscriptError(
                f"This Slack export holds several channels ({names}); choose one."
            )
        channel = next(iter(found))
    if channel not in found:
        names = ", ".join(sorted(found))
        raise TranscriptError(f"This Slack export has no channel {channel!r}; it has {names}.")
    messages = []
    for path in found[channel]:
        messages += message_list(_text(files[path], path))
    users = next((p for p in sorted(files) if PurePosixPath(p).name == "users.json"), None)
    return Channel(
        name=channel,
        messages_json=json.dumps(messages, ensure_ascii=False),
        users_json=_text(files[users], users) if users else None,
    )


def _text(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TranscriptError(f"{path} in the Slack export is not UTF-8 text.") from None
