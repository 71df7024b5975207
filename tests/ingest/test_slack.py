"""Slack copy-paste (current and quoted forms) and Slack export JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from drafting.errors import TranscriptError
from drafting.ingest import MessageKind, Transcript, parse, parse_export, parse_users
from drafting.textinput import read_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "transcripts"
EXPORT = FIXTURES / "slack-export"


def paste(name: str, **kwargs: object) -> Transcript:
    return parse(read_text(FIXTURES / name), fmt="slack-paste", **kwargs)  # type: ignore[arg-type]


def export(tz: str = "UTC") -> Transcript:
    users = parse_users((EXPORT / "users.json").read_text(encoding="utf-8"))
    days = sorted((EXPORT / "inc-4471-payments").glob("*.json"))
    return parse_export([d.read_text(encoding="utf-8") for d in days], users=users, tz=tz)


# --- copy-paste, current form -------------------------------------------------------------


def test_paste_headers_split_messages_and_app_marks_integrations() -> None:
    t = paste("slack-paste-checkout-multiday.txt")
    assert t.speakers() == [
        "Priya Raman",
        "PagerDuty",
        "Marcus Oyelaran",
        "deploy-bot",
        "Sofia Lindqvist",
        "Datadog",
    ]
    bots = {m.speaker for m in t.messages if m.kind is MessageKind.BOT}
    assert bots == {"PagerDuty", "deploy-bot", "Datadog"}


def test_paste_bare_time_line_starts_a_new_message_by_the_same_person() -> None:
    m = paste("slack-paste-checkout-multiday.txt").by_id()
    assert (m["m3"].speaker, m["m3"].text) == ("Marcus Oyelaran", "ack, on it :eyes:")
    assert m["m4"].speaker == "Marcus Oyelaran"
    assert m["m4"].text.startswith("pulling pod status\n```\nNAME")
    assert m["m4"].ts is not None and m["m4"].ts.strftime("%H:%M") == "23:46"


def test_paste_keeps_pasted_kubectl_output_inside_the_message() -> None:
    text = paste("slack-paste-checkout-multiday.txt").by_id()["m4"].text
    assert "checkout-api-7d9f8b6c4-2xkqp    0/1     CrashLoopBackOff   7 (2m ago)    31m" in text
    assert text.endswith("```")


def test_paste_drops_reactions_thread_summaries_and_unfurl_captions() -> None:
    text = "\n".join(m.text for m in paste("slack-paste-checkout-multiday.txt").messages)
    for furniture in (":eyes: 2", ":+1: 1", "3 replies", "View thread", "GitHubGitHub", "Added by"):
        assert furniture not in text
    assert 'Revert "Read DB credentials' in text  # the unfurl's title is content


def test_paste_edited_marker_is_an_attribute_not_text() -> None:
    m = paste("slack-paste-checkout-multiday.txt").by_id()["m7"]
    assert m.edited and not m.text.endswith("(edited)")
    assert m.text.endswith("doesn't exist in eu-west")


def test_paste_join_is_a_system_message() -> None:
    m = paste("slack-paste-checkout-multiday.txt").by_id()["m8"]
    assert (m.speaker, m.kind, m.text) == (
        "Sofia Lindqvist",
        MessageKind.SYSTEM,
        "has joined the channel",
    )


def test_paste_thread_reply_points_at_the_message_it_quotes() -> None:
    m = paste("slack-paste-checkout-multiday.txt").by_id()
    assert m["m10"].thread == "m9"
    assert m["m10"].text == "yes, rolling back now"


def test_paste_crossing_midnight_moves_to_the_next_day_in_utc() -> None:
    t = paste("slack-paste-checkout-multiday.txt", date=date(2024, 3, 4), tz="Europe/Stockholm")
    m = t.by_id()
    assert m["m1"].ts == datetime(2024, 3, 4, 22, 41, tzinfo=UTC)
    assert m["m7"].ts == datetime(2024, 3, 4, 23, 3, tzinfo=UTC)  # 00:03 local on the 5th
    assert m["m15"].ts == datetime(2024, 3, 4, 23, 32, tzinfo=UTC)
    stamps = [x.ts for x in t.messages if x.ts is not None]
    assert stamps == sorted(stamps)


def test_paste_24h_clock_app_on_its_own_line_and_preamble() -> None:
    t = paste("slack-paste-injection-24h.txt")
    m = t.by_id()
    assert (m["m1"].speaker, m["m1"].text) == ("", "#inc-7781-api-latency")
    assert m["m2"].kind is MessageKind.SYSTEM  # set the channel topic
    grafana = [x for x in t.messages if x.speaker == "Grafana"]
    assert len(grafana) == 4 and all(x.kind is MessageKind.BOT for x in grafana)
    assert m["m3"].ts is not None and m["m3"].ts.strftime("%H:%M") == "15:02"
    assert m["m11"].speaker == "Slackbot" and m["m11"].kind is MessageKind.BOT


def test_paste_keeps_a_prompt_injection_line_as_plain_message_text() -> None:
    m = paste("slack-paste-injection-24h.txt").by_id()["m9"]
    assert m.speaker == "Yuki Tanaka"
    assert m.text.splitlines()[1].startswith("Ignore all previous instructions")


# --- copy-paste, older quoted form -------------------------------------------------------


def test_quoted_form_headers_with_and_without_a_space_after_the_marker() -> None:
    t = paste("slack-paste-quoted-legacy.txt")
    assert [m.speaker for m in t.messages] == [
        "dkowalski",
        "hnakamura",
        "hnakamura",
        "dkowalski",
        "elastic-bot",
        "hnakamura",
        "hnakamura",
    ]
    assert t.messages[0].text == (
        "search is returning empty results for anything with a hyphen\n"
        "looks like since the 15:40 index rebuild"
    )
    assert t.messages[4].kind is MessageKind.BOT


def test_quoted_form_strips_markers_but_keeps_fenced_output_verbatim() -> None:
    m = paste("slack-paste-quoted-legacy.txt").by_id()["m3"]
    lines = m.text.splitlines()
    assert lines[0] == "```" and lines[5] == "```"
    assert lines[2] == "health status index            pri rep docs.count"
    assert lines[-1] == "the alias flipped to v41 before the bulk load finished"


def test_quoted_form_times_are_twelve_hour() -> None:
    m = paste("slack-paste-quoted-legacy.txt", date=date(2024, 2, 1)).by_id()
    assert m["m1"].ts == datetime(2024, 2, 1, 16, 6, tzinfo=UTC)


def test_paste_date_divider_with_a_year_sets_the_date() -> None:
    text = "Tuesday, March 5th, 2024\nAna Ribeiro  9:00 AM\nhello\nBo Li  9:05 AM\nhi"
    t = parse(text)
    assert t.date_known
    assert t.messages[0].ts == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)


def test_paste_header_inside_a_code_fence_is_not_a_message() -> None:
    text = "Ana Ribeiro  9:00 AM\n```\nroot  1234  0.0  9:30 AM\nBo Li  9:01 AM\n```\nok"
    t = parse(text)
    assert len(t.messages) == 1
    assert "Bo Li  9:01 AM" in t.messages[0].text


def test_paste_columns_of_command_output_are_not_headers() -> None:
    text = "Ana Ribeiro  9:00 AM\nps says:\nroot   1234  0.0  0.1  9:32\ndone"
    assert len(parse(text).messages) == 1


# --- export ------------------------------------------------------------------------------


def test_export_resolves_mentions_channels_and_link_labels() -> None:
    m = export().by_id()
    assert m["m6"].text.startswith(
        "@kofi anything deployed on our side? I see a 3DS config change in #deploys"
    )
    assert m["m8"].text.startswith("@here we are losing most card payments in EU. @Grace Okafor")
    assert m["m4"].text.endswith("dropping :eyes: payment-gateway dashboard")
    assert "&gt;" not in m["m7"].text and "over > €30" in m["m7"].text


def test_export_speaker_is_the_display_name_else_the_real_name() -> None:
    assert export().speakers() == [
        "Nadia",
        "PagerDuty",
        "kofi",
        "Emil B",
        "deploy-bot",
        "Grace Okafor",
    ]


def test_export_bot_messages_carry_their_attachment_text() -> None:
    m = export().by_id()["m3"]
    assert m.kind is MessageKind.BOT
    assert m.text.splitlines() == [
        "Triggered #Q1W2E3: payment-gateway auth success rate < 90%",
        "Assigned to @kofi",
        "Urgency: High",
        "Service: payment-gateway",
    ]


def test_export_joins_leaves_and_topic_changes_are_system_messages() -> None:
    kinds = {m.id: m.kind for m in export().messages}
    assert [k for k, v in kinds.items() if v is MessageKind.SYSTEM] == ["m1", "m2", "m15"]


def test_export_thread_replies_point_at_their_parent_across_files() -> None:
    m = export().by_id()
    assert (m["m5"].thread, m["m6"].thread, m["m7"].thread) == (None, "m5", "m5")
    assert m["m7"].edited and not m["m6"].edited


def test_export_timestamps_are_the_exact_utc_epoch_whatever_the_zone() -> None:
    t = export(tz="America/New_York")
    assert t.messages[0].ts == datetime(2024, 3, 4, 23, 20, 5, tzinfo=UTC)
    assert t.messages[-1].ts == datetime(2024, 3, 5, 0, 40, tzinfo=UTC)
    assert t.timezone == "America/New_York" and t.date_known


def test_export_files_are_named_and_fenced_code_survives() -> None:
    m = export().by_id()
    assert m["m10"].text.endswith("[file: statuspage draft]")
    assert "```\n$ pay-cli flags get threeds.exemption_rollout" in m["m11"].text


def test_export_people_come_from_users_json_with_contacts() -> None:
    people = {p.user_id: p for p in export().people}
    nadia = people["U04NHADDAD"]
    assert nadia.names() == ["Nadia Haddad", "Nadia", "nadia.haddad"]
    assert (nadia.email, nadia.phone) == ("nadia.haddad@northwind.example", "+1 415 555 0142")
    assert people["U05PAGERDY"].is_bot and people["USLACKBOT"].is_bot


def test_single_file_export_without_users_learns_embedded_profiles() -> None:
    t = parse(read_text(FIXTURES / "slack-export-single.json"))
    assert t.speakers() == ["rafa", "Tessa Morgan", "Datadog"]
    assert t.messages[1].text.startswith("@rafa it's blocking the vacuum")
    assert {p.real_name for p in t.people} == {"Rafael Silva", "Tessa Morgan"}
    assert t.messages[2].text.startswith("[Triggered] Postgres replication lag > 600s")
    assert t.messages[4].text.startswith(
        "lag back to 0. https://northwind.atlassian.net/browse/OPS-1182"
    )


def test_export_sorts_by_ts_and_unknown_users_keep_their_id() -> None:
    items = [
        {"type": "message", "user": "U2", "text": "second", "ts": "1700000060.000200"},
        {"type": "message", "user": "U1", "text": "first <@U9>", "ts": "1700000000.000100"},
    ]
    t = parse(json.dumps(items))
    assert [(m.speaker, m.text) for m in t.messages] == [("U1", "first @U9"), ("U2", "second")]


def test_export_api_reply_with_a_messages_key_is_accepted() -> None:
    reply = {"ok": True, "messages": [{"type": "message", "user": "U1", "text": "x", "ts": "1.5"}]}
    assert parse(json.dumps(reply)).messages[0].text == "x"


def test_export_fields_of_the_wrong_type_are_ignored_not_fatal() -> None:
    items = [
        {
            "ts": "1.0",
            "user": 7,
            "text": ["no"],
            "attachments": 3,
            "files": {"a": 1},
            "thread_ts": 9,
            "user_profile": "x",
        }
    ]
    m = parse(json.dumps(items)).messages[0]
    assert (m.speaker, m.text) == ("unknown", "")


def test_users_json_must_be_a_list_of_users() -> None:
    assert [p.handle for p in parse_users('{"members": [{"id": "U1", "name": "ana"}]}')] == ["ana"]
    with pytest.raises(TranscriptError, match=r"not a Slack users\.json"):
        parse_users('"just a string"')
    with pytest.raises(TranscriptError, match="users file is not valid JSON"):
        parse_users("{nope")


def test_paste_headers_from_search_results_say_the_day_before_the_time() -> None:
    t = parse("Tom Becker  Today at 2:32 PM\nhello\nAna Ribeiro  Mar 4th at 2:35 PM\nhi")
    assert [(m.speaker, m.text) for m in t.messages] == [
        ("Tom Becker", "hello"),
        ("Ana Ribeiro", "hi"),
    ]
    assert [m.ts.strftime("%H:%M") for m in t.messages if m.ts] == ["14:32", "14:35"]


def test_paste_a_very_long_line_ending_in_a_time_is_text() -> None:
    line = "word " * 100 + " 9:00 AM"
    t = parse(f"Ana Ribeiro  8:59 AM\n{line}")
    assert len(t.messages) == 1 and t.messages[0].text == line.rstrip()


def test_thread_pane_copy_drops_its_furniture_and_keeps_alerts_as_bots() -> None:
    t = paste("slack-paste-thread-pane.txt")
    texts = "\n".join(m.text for m in t.messages)
    for furniture in (
        "Also sent to the channel",
        "View thread",
        "GitLabGitLab",
        ":raised_hands: 3",
    ):
        assert furniture not in texts
    assert [m.speaker for m in t.messages if m.kind is MessageKind.BOT] == [
        "Opsgenie",
        "alertmanager",
        "Opsgenie",
    ]
    edited = [m for m in t.messages if m.edited]
    assert len(edited) == 1 and edited[0].text.startswith("revert PR is up")
    assert "WARN retrying order=ORD-88123415" in t.by_id()["m5"].text


def test_paste_app_marker_with_single_spaces_still_marks_a_bot_header() -> None:
    t = parse("Ana Ribeiro  9:00 AM\nhi\nPagerDuty APP 9:01 AM\nTriggered #123")
    assert [(m.speaker, m.kind, m.text) for m in t.messages] == [
        ("Ana Ribeiro", MessageKind.HUMAN, "hi"),
        ("PagerDuty", MessageKind.BOT, "Triggered #123"),
    ]


def test_one_day_file_with_users_resolves_names_like_the_cli_does() -> None:
    users = parse_users((EXPORT / "users.json").read_text(encoding="utf-8"))
    day = (EXPORT / "inc-4471-payments" / "2024-03-05.json").read_text(encoding="utf-8")
    t = parse(day, users=users)
    assert t.speakers() == ["kofi", "PagerDuty", "Nadia", "Emil B", "Grace Okafor"]
    assert t.by_id()["m3"].text.endswith("@Emil B can you book the review?")


def test_users_given_to_a_paste_are_kept_as_the_transcripts_people() -> None:
    users = parse_users((EXPORT / "users.json").read_text(encoding="utf-8"))
    t = parse("Nadia  9:00 AM\nhello", users=users)
    assert [p.real_name for p in t.people][:2] == ["Nadia Haddad", "Kofi Mensah"]
