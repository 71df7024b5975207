"""A whole Slack export (zip or folder): one channel's day files, merged, with users.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafting.errors import TranscriptError
from drafting.ingest import parse, parse_users
from drafting.ingest.slack_archive import channels, read_channel

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts" / "slack-export"


def _files(root: Path = EXPORT) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.json")}


def test_one_channel_is_read_with_its_days_in_order_and_the_users() -> None:
    chosen = read_channel(_files())
    assert chosen.name == "inc-4471-payments" and chosen.users_json
    t = parse(chosen.messages_json, users=parse_users(chosen.users_json))
    assert t.format == "slack-export"
    stamps = [m.ts for m in t.messages if m.ts]
    assert stamps == sorted(stamps) and stamps[0].date() < stamps[-1].date()  # two day files


def test_an_export_inside_a_top_folder_and_with_two_channels_asks_which() -> None:
    files = {f"export/{k}": v for k, v in _files().items()}
    files["export/general/2024-03-04.json"] = json.dumps([{"ts": "1.0", "text": "hi"}]).encode()
    assert sorted(channels(files)) == ["general", "inc-4471-payments"]
    with pytest.raises(TranscriptError, match=r"several channels .*general, inc-4471-payments"):
        read_channel(files)
    assert read_channel(files, "general").name == "general"
    with pytest.raises(TranscriptError, match="no channel 'random'"):
        read_channel(files, "random")


def test_files_without_channel_folders_are_not_an_export() -> None:
    with pytest.raises(TranscriptError, match="not a Slack export"):
        read_channel({"notes.json": b"{}"})
