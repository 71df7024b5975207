"""Roster, pseudonyms, roles and anonymisation on transcripts built in the test."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.anonymise import anonymise, build_roster, relabel, render_lines, scrub
from drafting.anonymise.egress import leaks
from drafting.anonymise.names import available, ordinary_word
from drafting.anonymise.roster import Roster, name_variants, pseudonym
from drafting.anonymise.wordlists import AMBIGUOUS_NAMES, NOT_NAMES
from drafting.ingest import parse, parse_users
from drafting.ingest.types import Message, MessageKind, Person, Transcript
from drafting.textinput import read_text


def make(rows: list[tuple[str, str]], people: list[Person] | None = None) -> Transcript:
    """A transcript from (speaker, text) rows; speakers named like bots are bots."""
    bots = {"monitor", "PagerDuty"}
    messages = [
        Message(
            id=f"m{i + 1}",
            ts=datetime(2026, 3, 1, 8, i, tzinfo=UTC),
            speaker=speaker,
            text=text,
            kind=MessageKind.BOT if speaker in bots else MessageKind.HUMAN,
        )
        for i, (speaker, text) in enumerate(rows)
    ]
    return Transcript(format="test", messages=messages, people=people or [])


STALE_CACHE = make(
    [
        ("Ana Ribeiro", "customers are reporting old prices, anyone else?"),
        ("Ana Ribeiro", "@Tom Becker you're on call this week right?"),
        ("PagerDuty", "Paged Tom Becker: product_data_freshness_check"),
        ("Tom Becker", "ack, looking. tomorrow I'll write it up; atom feed is fine"),
        ("Li Na", "joining. Tom's theory holds, TOM was right"),
        ("Ana Ribeiro", "thanks both! my number: 020 7946 0321, mail ana.ribeiro@example.com"),
    ]
)


def text_of(t: Transcript) -> str:
    return "\n".join(f"{m.speaker}: {m.text}" for m in t.messages)


def test_pseudonyms_follow_first_appearance_and_bots_keep_their_names() -> None:
    roster = build_roster(STALE_CACHE)
    assert [(e.names, e.pseudonym) for e in roster.entries] == [
        (["Ana Ribeiro"], "Responder A"),
        (["Tom Becker"], "Responder B"),
        (["Li Na"], "Responder C"),
    ]
    out = anonymise(STALE_CACHE, roster)
    assert [m.speaker for m in out.messages] == [
        "Responder A",
        "Responder A",
        "PagerDuty",
        "Responder B",
        "Responder C",
        "Responder A",
    ]


def test_anonymise_maps_every_variant_of_a_name_to_one_label() -> None:
    out = anonymise(STALE_CACHE, build_roster(STALE_CACHE))
    texts = [m.text for m in out.messages]
    assert texts[1] == "Responder B you're on call this week right?"
    assert texts[2] == "Paged Responder B: product_data_freshness_check"
    assert texts[4] == "joining. Responder B's theory holds, Responder B was right"


def test_names_match_on_word_boundaries_only() -> None:
    out = anonymise(STALE_CACHE, build_roster(STALE_CACHE))
    assert out.messages[3].text == "ack, looking. tomorrow I'll write it up; atom feed is fine"


def test_contact_details_are_redacted_and_ids_times_kinds_kept() -> None:
    out = anonymise(STALE_CACHE, build_roster(STALE_CACHE))
    assert out.messages[5].text == "thanks both! my number: [PHONE], mail [EMAIL]"
    for before, after in zip(STALE_CACHE.messages, out.messages, strict=True):
        assert (after.id, after.ts, after.kind, after.thread) == (
            before.id,
            before.ts,
            before.kind,
            before.thread,
        )


def test_anonymised_transcript_holds_no_real_name_anywhere() -> None:
    roster = build_roster(STALE_CACHE)
    out = anonymise(STALE_CACHE, roster)
    assert leaks(text_of(out), roster) == []
    assert all(n not in out.model_dump_json() for e in roster.entries for n in e.names)


def test_users_json_names_handles_and_display_names_join_one_person() -> None:
    people = [Person(user_id="U01ALEX", handle="alex.kim", real_name="Alex Kim", display_name="AK")]
    t = make([("alex.kim", "on it"), ("Sam Ode", "thanks Alex, and @AK too; kim said so")], people)
    roster = build_roster(t)
    assert len(roster.entries) == 2
    alex = roster.entries[0]
    assert alex.source == "users" and alex.message_count == 1
    assert {"Alex Kim", "alex.kim", "AK"} <= set(alex.names)
    out = anonymise(t, roster)
    assert out.messages[0].speaker == "Responder A"
    assert out.messages[1].text == "thanks Responder A, and Responder A too; Responder A said so"


def test_mentions_of_people_who_never_speak_get_a_pseudonym() -> None:
    t = make([("Ana", "asking @mike_j and @Dana Scully; @here please look")])
    roster = build_roster(t)
    assert [e.names for e in roster.entries] == [["Ana"], ["mike_j"], ["Dana Scully"]]
    out = anonymise(t, roster)
    assert out.messages[0].text == "asking Responder B and Responder C; @here please look"
    assert anonymise(make([("Bo", "Scully and Dana agree, mike too")]), roster).messages[
        0
    ].text == ("Responder C and Responder C agree, Responder B too")


def test_names_that_are_words_are_replaced_only_when_written_as_names() -> None:
    people = [Person(real_name="Will Smith"), Person(real_name="Mark Green")]
    t = make(
        [
            ("Ana", "I will ask Will. Will restarted it? ok"),
            ("Ana", "mark it done; the check is green. ping @will and Mark"),
            ("Ana", "will: can you look?"),
        ],
        people,
    )
    out = anonymise(t, build_roster(t))
    texts = [m.text for m in out.messages]
    assert texts[0] == "I will ask Responder B. Will restarted it? ok"
    assert texts[1] == "mark it done; the check is green. ping Responder B and Responder C"
    assert texts[2] == "Responder B: can you look?"


def test_a_first_name_shared_by_two_people_names_both() -> None:
    t = make([("Alex Kim", "hi"), ("Alex Ross", "hello"), ("Bo", "thanks Alex")])
    out = anonymise(t, build_roster(t))
    assert out.messages[2].text == "thanks Responder A or Responder B"


def test_roles_replace_pseudonyms_by_name_or_pseudonym() -> None:
    roster = build_roster(STALE_CACHE, roles={"tom becker": "On-call SRE", "Responder C": "DBA"})
    assert [e.label for e in roster.entries] == ["Responder A", "On-call SRE", "DBA"]
    out = anonymise(STALE_CACHE, roster)
    assert out.messages[3].speaker == "On-call SRE"
    assert out.messages[1].text == "On-call SRE you're on call this week right?"
    assert roster.mapping() == {
        "Ana Ribeiro": "Responder A",
        "Tom Becker": "On-call SRE",
        "Li Na": "DBA",
    }


def test_two_people_with_the_same_role_stay_distinct() -> None:
    roster = build_roster(STALE_CACHE, roles={"Ana Ribeiro": "SRE", "Li Na": "SRE"})
    assert [e.label for e in roster.entries] == [
        "SRE (Responder A)",
        "Responder B",
        "SRE (Responder C)",
    ]


def test_relabel_turns_pseudonyms_into_confirmed_roles() -> None:
    roster = build_roster(STALE_CACHE).with_roles({"Responder B": "Incident commander"})
    text = "Responder B paged Responder A; Responder AB is someone else."
    assert relabel(text, roster) == (
        "Incident commander paged Responder A; Responder AB is someone else."
    )


def test_render_lines_prints_one_line_per_message_in_the_transcript_zone() -> None:
    t = make([("Ana", "first line\nsecond line"), ("monitor", "ALERT")])
    t = t.model_copy(update={"timezone": "Europe/Lisbon"})
    out = render_lines(anonymise(t, build_roster(t)))
    assert out == "[08:00] Responder A: first line / second line\n[08:01] monitor: ALERT\n"


def test_detected_names_join_the_roster_after_everyone_else_seen_earlier() -> None:
    seen: list[Sequence[str]] = []

    def detector(texts: Sequence[str], known: Collection[str]) -> list[str]:
        seen.append(texts)
        assert "ana" in known and "monitor" in known
        return ["Lisa", "Ana"]

    t = make([("monitor", "ALERT"), ("Ana", "Lisa from support says hi, mail lisa@x.io")])
    roster = build_roster(t, detector=detector)
    assert [(e.names, e.source) for e in roster.entries] == [
        (["Ana"], "speaker"),
        (["Lisa"], "detected"),
    ]
    assert seen == [["ALERT", "Lisa from support says hi, mail [EMAIL]"]]
    assert anonymise(t, roster).messages[1].text == "Responder B from support says hi, mail [EMAIL]"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Tom Becker"], {"Tom Becker", "Tom", "Becker", "tom.becker", "tom_becker", "tbecker"}),
        (["mike_j"], {"mike_j", "mike"}),
        (["@tom"], {"tom"}),
    ],
)
def test_name_variants_cover_parts_and_handle_shapes(names: list[str], expected: set[str]) -> None:
    assert expected <= set(name_variants(names))


def test_last_comma_first_and_initial_surname_handles_are_the_same_person() -> None:
    t = make(
        [
            ("Olivia Chen", "joining"),
            ("Chen, Olivia", "back on my laptop"),
            ("aferreira", "hi, it's me"),
            ("Bo", "was that @Ana Ferreira?"),
            ("Bo", "thanks Olivia and Ana"),
        ]
    )
    roster = build_roster(t)
    assert [e.names for e in roster.entries] == [
        ["Olivia Chen", "Chen, Olivia"],
        ["aferreira", "Ana Ferreira"],
        ["Bo"],
    ]
    out = anonymise(t, roster)
    assert out.messages[4].text == "thanks Responder A and Responder B"


def test_group_mentions_and_long_handles_do_not_turn_words_into_names() -> None:
    t = make([("Ana", "@slack-inc-orders @db-oncall-eu the orders db is slow, cc @sre-team")])
    roster = build_roster(t)
    assert [e.names for e in roster.entries] == [["Ana"]]
    assert name_variants(["slack_inc_orders"]) == ["slack_inc_orders"]


def test_pseudonyms_continue_past_z() -> None:
    assert [pseudonym(i) for i in (0, 25, 26, 27)] == [
        "Responder A",
        "Responder Z",
        "Responder AA",
        "Responder AB",
    ]


def test_scrub_replaces_names_in_free_text_such_as_notes() -> None:
    roster = build_roster(STALE_CACHE)
    assert scrub("Notes: Li Na and Ana fixed it (ana@x.io)", roster) == (
        "Notes: Responder C and Responder A fixed it ([EMAIL])"
    )


# --- Every fixture transcript: nothing listed in NAMES.json survives. ---------------------------

FIXTURES = Path(__file__).parents[1] / "fixtures" / "transcripts"
NAMES = json.loads((FIXTURES / "NAMES.json").read_text(encoding="utf-8"))
TRANSCRIPTS = sorted(k for k in NAMES if not k.endswith("users.json"))
needs_ner = pytest.mark.skipif(not available(), reason="the 'ner' extra is not installed")


def fixture_output(rel: str, *, detect: bool) -> tuple[str, Roster]:
    """The rendered anonymised fixture, parsed the way the CLI does (users.json for exports)."""
    users = None
    if rel.startswith("slack-export/"):
        users = parse_users((FIXTURES / "slack-export" / "users.json").read_text(encoding="utf-8"))
    transcript = parse(read_text(FIXTURES / rel), users=users)
    roster = build_roster(transcript, detect_names=detect)
    return render_lines(anonymise(transcript, roster)), roster


def survivors(text: str, values: list[str]) -> list[str]:
    return [v for v in values if re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text, re.IGNORECASE)]


@pytest.mark.parametrize("rel", TRANSCRIPTS)
def test_fixture_keeps_no_contact_detail_secret_or_handle(rel: str) -> None:
    expected = NAMES[rel]
    out, roster = fixture_output(rel, detect=False)
    assert survivors(out, expected["emails"] + expected["phones"] + expected["secrets"]) == []
    assert survivors(out, expected["handles"]) == []
    assert leaks(out, roster) == []


@needs_ner
@pytest.mark.parametrize("rel", TRANSCRIPTS)
def test_fixture_keeps_no_name_at_all_with_name_detection(rel: str) -> None:
    expected = NAMES[rel]
    out, roster = fixture_output(rel, detect=True)
    assert survivors(out, [v for values in expected.values() for v in values]) == []
    assert leaks(out, roster) == []


_WORDS = st.sampled_from(["the", "db", "restarted", "tomorrow", "atom", "ok,", "eu-west", "12:04"])
# Names that are also common English words ("Yea", "Mark") count only when written like a name,
# by design: the lower-case forms below would rightly stay.
_NAME = st.from_regex(r"[A-Z][a-z]{2,7}", fullmatch=True).filter(
    lambda n: (
        n.lower() not in AMBIGUOUS_NAMES
        and n.lower() not in NOT_NAMES
        and not ordinary_word(n.lower())
    )
)
_FORMS = [
    lambda f, last: f,
    lambda f, last: f.lower(),
    lambda f, last: f"{f} {last}".upper(),
    lambda f, last: f"{last}'s",
    lambda f, last: f"@{f.lower()}.{last.lower()}",
    lambda f, last: f"{f[0].lower()}{last.lower()}",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_NAME, _NAME), min_size=1, max_size=4, unique_by=lambda p: p[0]),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), _WORDS), min_size=1, max_size=12),
)
def test_no_form_of_any_speakers_name_survives(
    people: list[tuple[str, str]], mentions: list[tuple[int, int, str]]
) -> None:
    rows = [(f"{first} {last}", "joining") for first, last in people]
    for who, form, filler in mentions:
        first, last = people[who % len(people)]
        rows.append((rows[0][0], f"{filler} {_FORMS[form](first, last)} {filler}"))
    t = make(rows)
    roster = build_roster(t)
    out = text_of(anonymise(t, roster))
    assert leaks(out, roster) == []
    for first, last in people:
        assert survivors(out, [first, last]) == []


def test_a_nick_that_is_an_ordinary_word_is_replaced_only_as_a_name() -> None:
    t = make([("admin", "restarting"), ("Bo", "admin: thanks. the admin console is fine, @admin")])
    out = anonymise(t, build_roster(t))
    assert out.messages[1].text == "Responder A: thanks. the admin console is fine, Responder A"


def test_a_roster_of_only_ambiguous_names_still_matches() -> None:
    t = make([("Will", "hi"), ("Bo", "thanks Will, I will")])
    roster = build_roster(t, roles={"Bo": "IC"})
    assert anonymise(t, roster).messages[1].text == "thanks Responder A, I will"


def test_accent_free_spellings_and_url_handles_are_replaced_too() -> None:
    t = make([("José Peña", "hola"), ("Bo", "thanks Jose Pena, see github.com/jose-pena/x")])
    out = anonymise(t, build_roster(t))
    assert out.messages[1].text == "thanks Responder A, see github.com/Responder A/x"


def test_a_detected_first_name_joins_the_detected_full_name() -> None:
    t = make([("Bo", "thanks Harriet"), ("Bo", "Harriet Lowe fixed it")])
    roster = build_roster(t, detector=lambda texts, known: ["Harriet", "Harriet Lowe"])
    assert [e.names for e in roster.entries] == [["Bo"], ["Harriet Lowe", "Harriet"]]


@pytest.mark.parametrize(
    ("text", "leaked"),
    [
        ("ssh tbecker@build-07 then tail the log", "tbecker"),
        ("it is on /home/tbecker/logs/app.log", "tbecker"),
        ("host tbecker-dev-01 is the canary", "tbecker"),
        ("see https://github.com/anaribeiro/fix-pool/pull/12", "anaribeiro"),
        ("the ana.ribeiro_test account", "ana.ribeiro"),
        ("mkdir /tmp/Becker-notes", "Becker"),
    ],
)
def test_a_name_inside_a_hostname_prompt_path_or_url_is_replaced(text: str, leaked: str) -> None:
    t = Transcript(
        format="test",
        messages=[
            Message(id="m1", speaker="Tom Becker", text="on it"),
            Message(id="m2", speaker="Ana Ribeiro", text=text),
        ],
    )
    roster = build_roster(t)
    out = render_lines(anonymise(t, roster))
    assert leaked not in out
    assert leaks(text, roster)  # the egress check looks in the same places


def test_a_name_that_is_also_a_word_is_not_replaced_inside_a_token() -> None:
    t = Transcript(
        format="test",
        messages=[
            Message(id="m1", speaker="Will", text="on it"),
            Message(id="m2", speaker="Ana", text="the will-be-retired flag and tomorrow's atom"),
        ],
    )
    out = render_lines(anonymise(t, build_roster(t)))
    assert "the will-be-retired flag and tomorrow's atom" in out


def test_a_nickname_of_someone_who_speaks_is_their_label_but_not_a_word_in_a_path() -> None:
    t = Transcript(
        format="test",
        messages=[
            Message(id="m1", speaker="Robert Jones", text="on it"),
            Message(id="m2", speaker="Elizabeth Chen", text="thanks Bob! Liz here, see /usr/lib"),
        ],
    )
    roster = build_roster(t)
    out = render_lines(anonymise(t, roster))
    assert "thanks Responder A! Responder B here, see /usr/lib" in out
    assert leaks("ask Bobby", roster) and not leaks("the lib folder", roster)


def test_a_nickname_that_is_another_persons_name_stays_theirs() -> None:
    t = Transcript(
        format="test",
        messages=[
            Message(id="m1", speaker="Robert Jones", text="on it"),
            Message(id="m2", speaker="Bob Marley", text="hi"),
            Message(id="m3", speaker="Ana", text="Bob Marley and Robert, thanks"),
        ],
    )
    out = render_lines(anonymise(t, build_roster(t)))
    assert "Responder B and Responder A, thanks" in out


def test_an_irc_nick_change_keeps_the_same_person() -> None:
    t = parse(
        "[00:01] <lizm> restarting memcached-02\n"
        "[00:06] -!- lizm is now known as liz_afk\n"
        "[00:09] <rjones> thanks liz_afk, ping me when back\n"
    )
    roster = build_roster(t)
    out = render_lines(anonymise(t, roster))
    assert "liz_afk" not in out and "lizm" not in out
    assert len([e for e in roster.entries if e.source == "speaker"]) == 2


def test_a_clipped_first_name_is_its_person_and_a_name_addressed_mid_message_too() -> None:
    t = make(
        [
            ("Olumide Adebayo", "ran the cleanup"),
            ("Jun Hasegawa", "on it"),
            ("Ana", "I'm IC. Jun: can we scale origin? Olu was on his own, the june release"),
        ]
    )
    out = render_lines(anonymise(t, build_roster(t)))
    assert "IC. Responder B: can we scale origin? Responder A was on his own, the june" in out


def test_accents_match_either_way_and_a_person_in_a_room_event_is_known() -> None:
    t = parse(
        "[14:02] Malia Toleafoa: on it. (it's Mālia btw)\n"
        "[14:03] José Peña: ack, Jose here\n"
        "[14:11] Eilidh MacLeod joined the room\n"
        "[14:12] Ana Ribeiro: welcome Eilidh MacLeod\n"
    )
    roster = build_roster(t)
    out = render_lines(anonymise(t, roster))
    for name in ("Mālia", "Malia", "José", "Jose", "Eilidh", "MacLeod"):
        assert name not in out, name
    assert leaks("Mālia and Peña", roster)
