"""Format detection on short, realistic snippets, including the look-alikes."""

from __future__ import annotations

import pytest

from drafting.ingest import detect_format, parse
from drafting.ingest.detect import detect_blocks
from drafting.ingest.kinds import is_bot_name, is_system_text

CASES = {
    "slack current": ("Ana Ribeiro  8:31 AM\nold prices?\nTom Becker  9:30 AM\nack", "slack-paste"),
    "slack quoted": ("> dk [4:06 PM]\n> empty results\n>hn [4:09 PM]\n>checking", "slack-paste"),
    "slack 24h": ("Ben Carter  14:58\nlooking\nYuki Tanaka  15:07\npool maxed", "slack-paste"),
    "irc plain": ("[21:02] <monitor> ALERT\n[21:04] <rk> looking", "irc"),
    "irc dated": ("[2024-03-05 23:52:14] <a> x\n[2024-03-05 23:53:40] <b> y", "irc"),
    "irssi": ("22:43 < dns-monitor> CRIT\n22:44 <@tb> paging\n22:47 -!- x has joined #c", "irc"),
    "teams bracket": ("[10:32 AM] Tom Becker\n502s\n[10:35 AM] Li Na\nlooking", "teams"),
    "teams name": ("Olivia Chen 9:02 AM\ntimeouts\nWei Zhang 9:04 AM\nsame", "teams"),
    "notes dash": ("- 06:00 ETL started\n- 06:12 disk full\n- 07:40 noticed", "notes"),
    "notes utc": ("14:32 UTC paged\n14:40 UTC rolled back", "notes"),
    "export list": ('[{"ts": "1.0", "text": "x"}]', "slack-export"),
    "export object": ('{"messages": []}', "slack-export"),
    "export indented": ('[\n  {\n    "ts": "1.0"\n  }\n]', "slack-export"),
    "prose": ("We had an outage.\n\nIt was bad, then it was fixed.", "fallback"),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_detect_format(text: str, expected: str) -> None:
    assert detect_format(text) == expected


def test_a_few_stray_times_in_prose_do_not_beat_real_headers() -> None:
    text = (
        "Ana Ribeiro  8:31 AM\nat 14:32 UTC it broke\nTom Becker  9:30 AM\nack\nLi Na  9:31 AM\nok"
    )
    assert detect_format(text) == "slack-paste"


@pytest.mark.parametrize(
    "name",
    [
        "PagerDuty",
        "Datadog",
        "Opsgenie",
        "monitor",
        "alertmanager",
        "Grafana",
        "deploy-bot",
        "GitHub",
        "Jenkins",
        "deploybot",
        "dependabot[bot]",
        "Datadog Alerts",
        "dns-monitor",
    ],
)
def test_integrations_are_bots(name: str) -> None:
    assert is_bot_name(name)


@pytest.mark.parametrize("name", ["Ann Talbot", "talbot", "Robot Smith", "jdiaz", "Li Na", ""])
def test_people_are_not_bots(name: str) -> None:
    assert not is_bot_name(name)


@pytest.mark.parametrize(
    "text",
    [
        "has joined the channel",
        "has left the channel",
        "set the channel topic: SEV2",
        "Li Na was added to #inc-42",
        "Marta Novak joined the meeting",
        "renamed the channel",
    ],
)
def test_channel_events_are_system_text(text: str) -> None:
    assert is_system_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "added retries to the client",
        "joining. checking logs",
        "I left the pods running",
        "has joined the channel\nand then said something",
    ],
)
def test_ordinary_messages_are_not_system_text(text: str) -> None:
    assert not is_system_text(text)


SLACK_THEN_TEAMS = """\
Ana Ribeiro  10:41 AM
checkout errors on eu-west
Tom Becker  10:43 AM
looking
--- pasted from the Teams chat with the vendor ---
[3/4/2024 10:50 AM] Kowalczyk, Agnieszka
we see the failover on our side
[3/4/2024 10:52 AM] Ribeiro, Ana
thanks, rolling back now
"""


def test_two_formats_pasted_one_after_the_other_each_go_to_their_parser() -> None:
    blocks = detect_blocks(SLACK_THEN_TEAMS)
    assert [fmt for fmt, _ in blocks] == ["slack-paste", "teams"]
    t = parse(SLACK_THEN_TEAMS)
    assert t.format == "slack-paste+teams"
    assert [m.speaker for m in t.messages] == [
        "Ana Ribeiro", "Tom Becker", "Kowalczyk, Agnieszka", "Ribeiro, Ana",
    ]  # fmt: skip


def test_a_log_pasted_inside_a_message_does_not_split_the_transcript() -> None:
    text = (
        "Lars Jensen  4:03 AM\nretries are piling up\n"
        "2024-07-09T04:04:51Z WARN retrying order=1\n2024-07-09T04:04:52Z WARN retrying order=2\n"
        "2024-07-09T04:04:53Z WARN retrying order=3\n"
        "Amara Nwosu  4:11 AM\nseen, scaling the workers\n"
    )
    assert [fmt for fmt, _ in detect_blocks(text)] == ["slack-paste"]
    assert len(parse(text).messages) == 2


def test_a_markdown_document_with_a_chat_inside_is_one_chat_block() -> None:
    text = "# INC-0317 draft\n\nSome context first.\n\n" + SLACK_THEN_TEAMS.split("---")[0]
    assert [fmt for fmt, _ in detect_blocks(text)] == ["slack-paste"]


def test_a_chat_pasted_inside_a_code_fence_of_a_markdown_document_is_read_as_chat() -> None:
    text = (
        "# Postmortem draft\n\nSome prose.\n\n## Timeline\n\n```\n"
        + SLACK_THEN_TEAMS.split("---")[0]
        + "```\n\n## Follow-ups\n"
    )
    t = parse(text)
    assert [m.speaker for m in t.messages if m.speaker] == ["Ana Ribeiro", "Tom Becker"]


def test_a_fenced_chat_is_read_even_beside_a_fenced_commit_and_a_timeline_table() -> None:
    text = (
        "# Postmortem\n\n## What was in the commit\n\n"
        "```\ncommit 7b2c9d0\n+LOG_LEVEL=debug\n```\n\n"
        "## Timeline\n\n| time | event |\n|---|---|\n| 10:49 | commit pushed |\n\n"
        "## Chat\n\n```\nAnika Sharma [10:59 AM]\nthat's one of ours\n\n"
        "Eoin Gallagher [11:00 AM]\nrevoking the PAT now\n```\n"
    )
    t = parse(text)
    assert [m.speaker for m in t.messages if m.speaker] == ["Anika Sharma", "Eoin Gallagher"]
    assert any("+LOG_LEVEL=debug" in m.text for m in t.messages)  # the commit stays as text


def test_the_document_after_a_fenced_chat_is_no_part_of_its_last_message() -> None:
    text = (
        "# Postmortem\n\n## Chat\n\n```\nAnika Sharma [10:59 AM]\nthat's one of ours\n\n"
        "Eoin Gallagher [11:00 AM]\nrevoking the PAT now\n```\n\n## Root cause\n\n"
        "1. Secrets in a plain .env file\n"
    )
    t = parse(text)
    last_chat = [m for m in t.messages if m.speaker][-1]
    assert last_chat.text == "revoking the PAT now"
    assert any("Secrets in a plain .env file" in m.text for m in t.messages if not m.speaker)
