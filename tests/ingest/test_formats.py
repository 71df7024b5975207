"""IRC logs, Teams copy-paste, timestamped notes and the paragraph fallback."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from drafting.ingest import UNKNOWN_SPEAKER, MessageKind, Transcript, parse
from drafting.textinput import read_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "transcripts"


def load(name: str, **kwargs: object) -> Transcript:
    return parse(read_text(FIXTURES / name), **kwargs)  # type: ignore[arg-type]


def hhmm(t: Transcript) -> list[str]:
    return [m.ts.strftime("%H:%M") if m.ts else "-" for m in t.messages]


# --- IRC ---------------------------------------------------------------------------------


def test_irc_dated_lines_cross_midnight_on_their_stated_dates() -> None:
    t = load("irc-znc-dated.log", tz="Europe/Warsaw")
    m = t.by_id()
    assert m["m2"].ts == datetime(2024, 3, 5, 22, 52, 14, tzinfo=UTC)
    assert m["m8"].ts == datetime(2024, 3, 5, 23, 1, 12, tzinfo=UTC)
    assert t.date_known


def test_irc_mode_prefixes_are_not_part_of_the_nick() -> None:
    t = load("irc-znc-dated.log")
    assert t.speakers() == ["oleksandr", "alertbot", "mwojcik", "deploybot", "ewa_k"]


def test_irc_bots_actions_and_joins() -> None:
    m = load("irc-znc-dated.log").by_id()
    assert m["m2"].kind is MessageKind.BOT and m["m9"].kind is MessageKind.BOT
    assert (m["m8"].speaker, m["m8"].text, m["m8"].kind) == (
        "mwojcik",
        "rolls back billing-worker to 2.7.4",
        MessageKind.HUMAN,
    )
    assert (m["m1"].text, m["m1"].kind) == ("oleksandr has joined", MessageKind.SYSTEM)
    assert m["m13"].kind is MessageKind.SYSTEM


def test_irc_join_lines_lose_their_host_masks() -> None:
    text = "\n".join(m.text for m in load("irc-irssi-daychange.log").messages)
    assert "10.8.1.22" not in text and "~ana@" not in text and "vpn-gw.corp" not in text
    assert "aferreira has joined #inc-dns" in text


def test_irc_day_changed_line_moves_the_date() -> None:
    t = load("irc-irssi-daychange.log")
    m = t.by_id()
    assert m["m1"].ts == datetime(2024, 3, 14, 22, 41, tzinfo=UTC)
    assert m["m12"].ts == datetime(2024, 3, 14, 23, 59, tzinfo=UTC)
    assert m["m13"].ts == datetime(2024, 3, 15, 0, 3, tzinfo=UTC)


def test_irc_topic_lines_have_no_speaker_and_padded_nicks_are_trimmed() -> None:
    m = load("irc-irssi-daychange.log").by_id()
    assert (m["m2"].speaker, m["m2"].kind) == (UNKNOWN_SPEAKER, MessageKind.SYSTEM)
    assert (m["m3"].speaker, m["m3"].kind) == ("dns-monitor", MessageKind.BOT)
    assert m["m4"].speaker == "tbaptiste"


def test_irc_weechat_tab_separated_lines() -> None:
    text = (
        "2024-03-05 21:02:11\t-->\tjdiaz (~j@h) has joined #ops\n"
        "2024-03-05 21:02:40\t@jdiaz\tdns looks broken\n"
        "2024-03-05 21:03:00\t *\tjdiaz digs\n"
    )
    t = parse(text)
    assert t.format == "irc"
    assert [(m.speaker, m.text, m.kind.value) for m in t.messages] == [
        ("jdiaz", "jdiaz has joined #ops", "system"),
        ("jdiaz", "dns looks broken", "human"),
        ("jdiaz", "digs", "human"),
    ]


def test_irc_wrapped_lines_continue_the_previous_message() -> None:
    t = parse("[10:00] <ana> first line\n  continued here\n[10:01] <bo> ok")
    assert [m.text for m in t.messages] == ["first line\n  continued here", "ok"]


# --- Teams -------------------------------------------------------------------------------


def test_teams_bracket_headers_with_dates() -> None:
    t = load("teams-bracket.txt", tz="Europe/Berlin")
    m = t.by_id()
    assert t.speakers()[:3] == ["Hannah Schulz", "Rahul Iyer", UNKNOWN_SPEAKER]
    assert m["m1"].ts == datetime(2024, 3, 12, 13, 5, tzinfo=UTC)
    assert m["m3"].edited and "Edited" not in m["m3"].text
    assert (m["m5"].kind, m["m5"].text) == (
        MessageKind.SYSTEM,
        "Rahul Iyer added Diego Alvarez to the chat.",
    )
    assert m["m8"].speaker == "Azure DevOps" and m["m8"].kind is MessageKind.BOT
    assert "😬" in m["m1"].text


def test_teams_classic_name_then_time_headers() -> None:
    t = load("teams-classic.txt")
    assert [m.speaker for m in t.messages if m.kind is MessageKind.HUMAN] == [
        "Olivia Chen",
        "Wei Zhang",
        "Wei Zhang",
        "Chen, Olivia",
        "Marta Novak",
        "Marta Novak",
        "Wei Zhang",
        "Olivia Chen",
    ]
    assert hhmm(t)[:3] == ["-", "09:02", "09:04"]
    assert [m.text for m in t.messages if m.kind is MessageKind.SYSTEM] == [
        "Meeting started",
        "Marta Novak joined the meeting",
    ]


def test_teams_sentence_ending_in_a_time_is_not_a_header() -> None:
    m = load("teams-classic.txt").by_id()["m7"]
    assert m.text.endswith("Restart completed 9:15 AM on the auth pods too")
    assert m.speaker == "Marta Novak"


def test_teams_day_first_dates_when_month_first_is_impossible() -> None:
    t = parse("[25/3/2024 14:05] Hannah Schulz\nhello\n[25/3/2024 14:07] Rahul Iyer\nhi")
    assert t.format == "teams"
    assert t.messages[0].ts == datetime(2024, 3, 25, 14, 5, tzinfo=UTC)


# --- notes -------------------------------------------------------------------------------


def test_notes_explicit_utc_entries_ignore_the_transcript_zone() -> None:
    t = load("notes-utc-multiday.md", tz="America/New_York")
    m = t.by_id()
    assert m["m2"].ts == datetime(2024, 4, 18, 22, 40, tzinfo=UTC)
    assert m["m5"].ts == datetime(2024, 4, 19, 0, 35, tzinfo=UTC)


def test_notes_markdown_table_rows_are_entries_and_layout_rows_are_dropped() -> None:
    t = load("notes-utc-multiday.md")
    texts = [m.text for m in t.messages]
    assert "vendor replaced the shelf backplane" in texts
    assert not any(x.startswith("|") for x in texts)
    assert t.by_id()["m9"].ts == datetime(2024, 4, 19, 9, 30, tzinfo=UTC)


def test_notes_indented_lines_continue_an_entry_and_bullets_without_time_stand_alone() -> None:
    m = load("notes-utc-multiday.md").by_id()
    assert m["m3"].text.splitlines() == [
        "drained node, started rebuild onto the hot spare",
        "rebuild ETA 6h according to the controller",
    ]
    assert m["m1"].text.startswith("INC-5120 storage node rebuild") and m["m1"].ts is None
    assert m["m10"].text.startswith("impact: 2 tenants") and m["m10"].ts is None


def test_notes_times_under_impact_and_follow_ups_are_ranges_not_timeline_entries() -> None:
    text = (
        "## Timeline\n- 09:12 alert fired\n- 09:40 rolled back\n\n"
        "## Impact\n- 09:10–09:31: ~14% of uploads failed\n\n"
        "## Follow-ups\n1. 10:00 standup: review alerts (Duc)\n\n"
        "## Notes\n- 10:05 bridge closed\n"
    )
    t = parse(text, fmt="notes")
    timed = [m.text for m in t.messages if m.ts is not None]
    assert timed == ["alert fired", "rolled back", "bridge closed"]
    assert "09:10–09:31: ~14% of uploads failed" in [m.text for m in t.messages]


def test_notes_variants_of_entry_markup() -> None:
    text = (
        "**14:32** - paged on-call\n"
        "* 14:40: rollback started\n"
        "14:45Z rollback done\n"
        "1. 2024-05-02 14:50 UTC all clear\n"
        "[14:55] wrote summary\n"
    )
    t = parse(text, date=date(2024, 5, 2), tz="+02:00")
    assert t.format == "notes"
    assert [m.text for m in t.messages] == [
        "paged on-call",
        "rollback started",
        "rollback done",
        "all clear",
        "wrote summary",
    ]
    assert hhmm(t) == ["12:32", "12:40", "14:45", "14:50", "12:55"]


# --- fallback ----------------------------------------------------------------------------


def test_fallback_makes_one_untimed_message_per_paragraph() -> None:
    t = load("fallback-email-thread.txt")
    assert len(t.messages) == 6
    assert all(m.ts is None and m.speaker == UNKNOWN_SPEAKER for m in t.messages)
    assert t.messages[1].text == "Hi all,"
    assert t.messages[-1].text == "Thanks,\nLaura\n+39 02 5550 1234"


def test_irc_log_saved_without_timestamps_still_has_speakers() -> None:
    t = parse("<rkovacs> looking\n<jdiaz> ok\n* rkovacs waves\n*** jdiaz has quit")
    assert t.format == "irc"
    assert [(m.speaker, m.text, m.kind.value, m.ts) for m in t.messages] == [
        ("rkovacs", "looking", "human", None),
        ("jdiaz", "ok", "human", None),
        ("rkovacs", "waves", "human", None),
        ("jdiaz", "jdiaz has quit", "system", None),
    ]


def test_weechat_log_file_with_tabs_bots_and_quits() -> None:
    t = load("irc-weechat.log", tz="America/Los_Angeles")
    m = t.by_id()
    assert t.speakers() == ["nkoroma", "cibot", "pmurphy"]
    assert m["m2"].kind is MessageKind.BOT
    assert (m["m7"].speaker, m["m7"].text) == ("pmurphy", "deploys hotfix 4.11.2")
    assert m["m9"].kind is MessageKind.SYSTEM and "172.16.4.31" not in m["m9"].text
    assert m["m8"].ts == datetime(2024, 8, 21, 0, 5, 9, tzinfo=UTC)


def test_teams_german_dotted_dates_and_event_lines() -> None:
    t = load("teams-de-24h.txt", tz="Europe/Berlin")
    m = t.by_id()
    assert m["m1"].ts == datetime(2024, 3, 14, 8, 12, tzinfo=UTC)
    assert m["m4"].kind is MessageKind.SYSTEM and m["m4"].speaker == UNKNOWN_SPEAKER
    assert m["m5"].speaker == "Mehmet Yilmaz"


def test_notes_twelve_hour_times_in_a_pacific_timeline() -> None:
    t = load("notes-gdoc-ampm.txt", date=date(2024, 7, 9), tz="America/Los_Angeles")
    m = t.by_id()
    assert m["m2"].ts == datetime(2024, 7, 9, 21, 5, tzinfo=UTC)
    assert m["m7"].ts == datetime(2024, 7, 9, 22, 15, tzinfo=UTC)
    assert m["m8"].text.startswith("Impact:") and m["m8"].ts is None


NEW_TEAMS = """\
Payroll transfer failure - 4 March
Mahmood, Tariq
7:42 AM
The payroll transfer failed.
de Vries, Ilse
7:48 AM
Could that be a MITM?
Edited
Meeting started
Demir, Ayşe (External)
7:51 AM
Replying to Mahmood, Tariq: The payroll transfer failed.
I'd rather not accept the new key.
👍 2
"""


def test_new_teams_copy_reads_author_and_time_lines_and_drops_quotes_and_reactions() -> None:
    t = parse(NEW_TEAMS)
    assert t.format == "teams"
    people = [m for m in t.messages if m.speaker]
    assert [(m.speaker, m.text) for m in people] == [
        ("Mahmood, Tariq", "The payroll transfer failed."),
        ("de Vries, Ilse", "Could that be a MITM?"),
        ("Demir, Ayşe", "I'd rather not accept the new key."),
    ]
    assert people[1].edited
    assert [m.text for m in t.messages if m.kind.value == "system"] == ["Meeting started"]


def test_google_chat_copied_without_blank_lines_and_with_bare_time_lines() -> None:
    text = (
        "Kwabena Asante, 9:58 AM\nportal login is failing\n"
        "Thiruvengadam Ramasamy, 9:59 AM\nnot me\n"
        "Ama Owusu-Ansah\n10:02 AM\nyep just got in\nEdited\nView 3 replies\n"
        "10:06 AM\nalso 40+ tickets\n"
        "Done, 10:45\n"
    )
    t = parse(text, fmt="google-chat")
    assert [(m.speaker, m.text) for m in t.messages] == [
        ("Kwabena Asante", "portal login is failing"),
        ("Thiruvengadam Ramasamy", "not me"),
        ("Ama Owusu-Ansah", "yep just got in"),
        ("Ama Owusu-Ansah", "also 40+ tickets\nDone, 10:45"),
    ]


def test_a_display_name_over_a_username_is_one_person_linked_to_both() -> None:
    text = (
        "Aleksandr Volkov\n@a.volkov\n2:14 AM\nPagerDuty woke me up\n\n"
        "Ravi Subramanian\n@ravi.s\n2:26 AM\nHas joined the channel.\n\n"
        "Aleksandr Volkov\n@a.volkov\n2:29 AM\nchecking the mail side\n"
    )
    t = parse(text, fmt="mattermost")
    assert [(m.speaker, m.kind) for m in t.messages] == [
        ("Aleksandr Volkov", MessageKind.HUMAN),
        ("Ravi Subramanian", MessageKind.SYSTEM),
        ("Aleksandr Volkov", MessageKind.HUMAN),
    ]
    assert {(p.display_name, p.handle) for p in t.people} == {
        ("Aleksandr Volkov", "@a.volkov"),
        ("Ravi Subramanian", "@ravi.s"),
    }


def test_slack_headers_with_a_status_emoji_and_text_and_huddle_lines() -> None:
    text = (
        "Haruka Sato  :flag-jp:  9:14 AM\nautoscaler says quota\n"
        "Sanjay Gupta  :speech_balloon: In a meeting  9:21 AM\nugh yes\n"
        "Karthikeyan Selvaraj  9:30 AM\nA huddle started\n"
    )
    t = parse(text)
    assert [(m.speaker, m.kind, m.text) for m in t.messages] == [
        ("Haruka Sato", MessageKind.HUMAN, "autoscaler says quota"),
        ("Sanjay Gupta", MessageKind.HUMAN, "ugh yes"),
        ("Karthikeyan Selvaraj", MessageKind.SYSTEM, "A huddle started"),
    ]


def test_a_bots_one_line_post_inside_a_discord_copy_is_its_own_message() -> None:
    text = (
        "Can Öztürk — Today at 10:43 PM\nsame on the Galaxy A14\n"
        "[10:52 PM] Sentry: Issue ANDROID-APP-7K2 event rate dropping\n"
        "jiahao — Today at 10:55 PM\nwriting the postmortem now\n"
    )
    t = parse(text)
    assert [(m.speaker, m.text) for m in t.messages] == [
        ("Can Öztürk", "same on the Galaxy A14"),
        ("Sentry", "Issue ANDROID-APP-7K2 event rate dropping"),
        ("jiahao", "writing the postmortem now"),
    ]


def test_a_discord_header_copied_over_three_lines_is_one_bot_post() -> None:
    text = (
        "Alertmanager\nAPP\n — Today at 22:38\n[FIRING:2] KafkaUnderReplicatedPartitions\n"
        "Ifeoma Okonkwo — Today at 22:40\nkafka-3 is spewing I/O errors\n"
    )
    t = parse(text)
    assert [(m.speaker, m.kind, m.text) for m in t.messages] == [
        ("Alertmanager", MessageKind.BOT, "[FIRING:2] KafkaUnderReplicatedPartitions"),
        ("Ifeoma Okonkwo", MessageKind.HUMAN, "kafka-3 is spewing I/O errors"),
    ]


def test_a_timeline_heading_with_commas_ends_the_impact_section() -> None:
    text = (
        "## Impact\n- 1h52m with no log ingestion\n\n"
        "## Timeline (all times UTC, 2026-03-11)\n"
        "- 13:41 — v7.3.0 deployed\n- 14:06 — monitor fires\n"
    )
    t = parse(text, fmt="notes")
    assert [m.text for m in t.messages if m.ts] == ["v7.3.0 deployed", "monitor fires"]


def test_a_machine_log_pasted_in_a_slack_message_stays_in_it() -> None:
    text = (
        "Adébáyọ̀ Ọlápádé  9:54 AM\nhere's the bit:\n"
        "2024-03-14T09:41:07.1180312Z ##[group]Run ./scripts/publish.sh\n"
        "2024-03-14T09:41:07.1181190Z + set -x\n"
        "2024-03-14T09:41:07.2043311Z + npm config set registry\n"
        "Seo Ji-woo  9:56 AM\noh no\n"
    )
    t = parse(text)
    assert [m.speaker for m in t.messages] == ["Adébáyọ̀ Ọlápádé", "Seo Ji-woo"]
    assert "+ set -x" in t.messages[0].text


def test_a_discord_follow_up_glued_to_its_time_and_decomposed_accents() -> None:
    text = "kawika — Today at 8:22 AM\nandroid is fine\n[08:23]can we put the old cert back?\n"
    t = parse(text)
    assert [(m.speaker, m.text) for m in t.messages] == [
        ("kawika", "android is fine"),
        ("kawika", "can we put the old cert back?"),
    ]
    decomposed = "[14:02] Fu\u0301nmi: ok\n[14:03] Ana: ty"
    assert parse(decomposed).messages[0].speaker == "Fúnmi"  # composed (NFC)


def test_a_new_teams_reply_drops_the_quoted_author_time_and_text() -> None:
    text = (
        "[9:20 AM] Virtanen, Aino\nYusuf can you patch the configmap and roll it?\n"
        "[9:21 AM] Al-Farsi, Yusuf\nVirtanen, Aino 9:20 AM\nYusuf can you patch the configm...\n"
        "doing it now\n"
        "[9:24 AM] Al-Farsi, Yusuf\nrestarted\n"
    )
    t = parse(text)
    assert [(m.speaker, m.text) for m in t.messages] == [
        ("Virtanen, Aino", "Yusuf can you patch the configmap and roll it?"),
        ("Al-Farsi, Yusuf", "doing it now"),
        ("Al-Farsi, Yusuf", "restarted"),
    ]


def test_a_guest_marked_external_in_a_teams_header_is_still_an_author() -> None:
    t = parse("[3/4/2025 2:18 PM] Lindahl, Johan\nscaling\n"
              "[3/4/2025 2:19 PM] Petrov, Nikolai (External)\nwe see no invoices\n")  # fmt: skip
    assert [m.speaker for m in t.messages] == ["Lindahl, Johan", "Petrov, Nikolai"]
