"""draft: stages in order over one shared prefix, facts from the parser, partial results kept.

The model endpoint is a scripted HTTP server (tests/stage_server.py); everything else is real.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from stage_server import ANSWERS, DNS_SAMPLE, StageServer, running, schema_title

from drafting.anonymise import anonymise, build_roster
from drafting.anonymise.roster import Roster
from drafting.condense import condense
from drafting.draft.conversation import prime, system_prompt
from drafting.draft.pipeline import (
    DraftIncompleteError,
    StageEvent,
    draft,
    regenerate_section,
    transcript_budget,
)
from drafting.draft.stages import STAGE_NAMES
from drafting.errors import InputError, LeakError
from drafting.export import markdown
from drafting.ingest import Message, Transcript, parse
from drafting.model.client import ModelClient
from drafting.report import Section
from drafting.verify import verify

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
RECORDING = os.environ.get("POSTMORTEM_RECORD") == "1"
ORDER = ["TimelineStage", "RolesStage", "ImpactStage", "WhysStage", "FactorsStage",
         "ReflectionStage", "ActionsStage", "SummaryStage"]  # fmt: skip
BLAME = {"answer": "Responder B made a mistake.", "evidence": []}
BAD_WHYS = {"problem": "The API stopped resolving.",
            "whys": [*ANSWERS["WhysStage"]["whys"][:4], BLAME]}  # fmt: skip
TIMELINE_PHASES = ["trigger", "detection", "escalation", "diagnosis", "mitigation",
                   "resolution", "follow_up"]  # fmt: skip


Dns = tuple[Transcript, Transcript, Roster]


@pytest.fixture
def server() -> Iterator[StageServer]:
    with running() as fake:
        yield fake


@pytest.fixture
def dns() -> Dns:
    original = parse(DNS_SAMPLE.read_text())
    roster = build_roster(original)
    return original, anonymise(original, roster), roster


def test_draft_runs_every_stage_in_order_and_fills_every_section(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    result = draft(anon, client=server.client(roster), roster=roster)
    assert server.stages() == ORDER
    assert result.completed == ["timeline", "roles", "impact", "five_whys", "factors",
                                "reflection", "actions", "summary"]  # fmt: skip
    pm = result.postmortem
    assert pm.title == "DNS records deleted by cleanup pipeline"
    assert len(pm.root_cause.whys) == 5  # type: ignore[union-attr]
    assert pm.action_items[0].owner_role == "Platform team"
    assert not [f for f in result.flags if "section is empty" in f.message]
    assert pm.flags == result.flags


def test_every_stage_sends_the_same_system_and_transcript_messages_first(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    draft(anon, client=server.client(roster), roster=roster)
    heads = [r["messages"][:2] for r in server.requests]
    assert all(h == heads[0] for h in heads)
    assert heads[0][0]["role"] == "system" and "untrusted data" in heads[0][0]["content"]
    assert "m3 21:06 Responder A: last terraform apply was 20:58" in heads[0][1]["content"]
    # Later stages see earlier answers after the shared prefix, and their own task last.
    summary = server.requests[-1]["messages"]
    assert [m["role"] for m in summary[2:]] == ["user", "assistant"] * 7 + ["user"]
    assert summary[-1]["content"] == "Section: summary"
    # Every section's task and fields are in the system prompt, the same for every draft, so a
    # server with a prefix cache reads them once (see prime); the cue only names the section.
    system = heads[0][0]["content"]
    assert all(f"## {name}: " in system for name in STAGE_NAMES)
    assert "- what_happened: one sentence" in system
    assert system == system_prompt()


def test_prime_sends_the_system_prompt_alone_for_a_one_token_reply(
    server: StageServer, tmp_path: Path
) -> None:
    audit = tmp_path / "audit.jsonl"
    usage = prime(server.client(Roster(entries=[]), audit_path=audit))
    sent = server.requests[-1]
    assert sent["messages"] == [{"role": "system", "content": system_prompt()}]
    assert sent["max_tokens"] == 1 and "response_format" not in sent
    assert usage.calls == 1
    assert json.loads(audit.read_text().splitlines()[0])["messages"] == sent["messages"]


def test_timeline_times_come_from_the_cited_messages_not_the_model(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    pm = draft(anon, client=server.client(roster), roster=roster).postmortem
    by_id = anon.by_id()
    assert [(e.time, e.evidence) for e in pm.timeline] == [
        (by_id[mid].ts, [mid]) for mid in ("m1", "m3", "m5", "m7")
    ]
    assert pm.metrics.time_to_resolve is not None


def test_progress_reports_each_stage_with_tokens_and_seconds(server: StageServer, dns: Dns) -> None:
    _, anon, roster = dns
    events: list[StageEvent] = []
    draft(anon, client=server.client(roster), roster=roster, on_progress=events.append)
    assert [(e.index, e.status) for e in events][:4] == [(1, "start"), (1, "done"), (2, "start"),
                                                         (2, "done")]  # fmt: skip
    line = next(e for e in events if e.stage == "five_whys" and e.status == "done").line()
    assert re.fullmatch(r"\[4/8\] five_whys  100\+20 tokens  \d+\.\ds", line)


def test_a_failed_stage_keeps_the_finished_ones_and_resume_continues(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    server.fail = {"WhysStage"}
    with pytest.raises(DraftIncompleteError, match="five_whys stage") as info:
        draft(anon, client=server.client(roster), roster=roster)
    partial = info.value.partial
    assert partial.completed == ["timeline", "roles", "impact"]
    assert partial.postmortem.timeline and partial.postmortem.impact.users == "new clients"
    assert any(f.section == Section.ROOT_CAUSE for f in partial.flags)
    server.fail, server.requests = set(), []
    result = draft(anon, client=server.client(roster), roster=roster, resume=partial)
    assert server.stages() == ORDER[3:]
    assert len(result.completed) == 8


def test_resume_from_an_edited_report_keeps_its_sections(server: StageServer, dns: Dns) -> None:
    _, anon, roster = dns
    first = draft(anon, client=server.client(roster), roster=roster).postmortem
    edited = first.model_copy(update={"summary": "Edited by a human.", "action_items": []})
    server.requests = []
    result = draft(anon, client=server.client(roster), roster=roster, resume=edited)
    assert server.stages() == ["RolesStage", "ActionsStage"]
    assert result.postmortem.summary == "Edited by a human."


def test_whys_ending_at_a_person_are_reasked_once_then_flagged(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    server.queued["WhysStage"] = [BAD_WHYS, BAD_WHYS]
    result = draft(anon, client=server.client(roster), roster=roster)
    whys_requests = [
        r for r in server.requests if r["response_format"]["schema"]["title"] == "WhysStage"
    ]
    assert len(whys_requests) == 2
    assert "5 Whys end at a person" in whys_requests[1]["messages"][-1]["content"]
    assert any("5 Whys end at a person" in f.message for f in result.flags)
    assert result.postmortem.root_cause.whys[-1].answer == "Responder B made a mistake."  # type: ignore[union-attr]


def test_whys_fixed_on_the_reask_are_kept_without_a_flag(server: StageServer, dns: Dns) -> None:
    _, anon, roster = dns
    server.queued["WhysStage"] = [BAD_WHYS]
    result = draft(anon, client=server.client(roster), roster=roster)
    assert not any("5 Whys" in f.message for f in result.flags)
    assert "not checked for missing inputs" in result.postmortem.root_cause.whys[-1].answer  # type: ignore[union-attr]


def test_an_invented_number_stays_in_the_draft_with_a_review_note(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    server.answers["SummaryStage"]["what_happened"] = "412 customers lost DNS for 7 hours."
    result = draft(anon, client=server.client(roster), roster=roster)
    assert result.postmortem.summary == "412 customers lost DNS for 7 hours."
    note = next(f for f in result.flags if f.section == Section.SUMMARY)
    assert "412, 7" in note.message


def test_a_checked_stage_is_reasked_once_naming_each_problem(server: StageServer, dns: Dns) -> None:
    _, anon, roster = dns
    good = server.answers["SummaryStage"]
    server.queued["SummaryStage"] = [{**good, "what_happened": "the records were restored"}]
    result = draft(anon, client=server.client(roster), roster=roster)
    summaries = [r for r in server.requests if schema_title(r) == "SummaryStage"]
    assert len(summaries) == 2
    reask = summaries[1]["messages"][-1]["content"]
    assert "1 sentence(s), not 2-4" in reask and "no duration" in reask
    assert summaries[1]["messages"][-2]["role"] == "assistant"  # its own first answer, shown
    assert result.postmortem.summary.startswith("A cleanup pipeline deleted")
    assert not [f for f in result.flags if f.section is Section.SUMMARY]


def test_a_reask_that_makes_it_worse_keeps_the_first_answer_and_its_flag(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    good = server.answers["SummaryStage"]
    first = {**good, "what_happened": "The records were restored."}
    worse = {**good, "what_happened": "the records came back for 412 users"}
    server.queued["SummaryStage"] = [first, worse]
    result = draft(anon, client=server.client(roster), roster=roster)
    # The first answer is kept, completed with the duration code computed, and said so.
    assert result.postmortem.summary == "The records were restored. It lasted 22 min."
    assert any("added to the model's summary" in f.message for f in result.flags)


def test_a_clean_answer_is_not_reasked(server: StageServer, dns: Dns) -> None:
    _, anon, roster = dns
    draft(anon, client=server.client(roster), roster=roster)
    assert server.stages() == ORDER


def test_roles_are_proposed_and_confirmed_roles_replace_pseudonyms(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    result = draft(anon, client=server.client(roster), roster=roster)
    assert result.proposed_roles == {
        "Responder A": "On-call SRE",
        "Responder B": "Platform engineer",
    }
    confirmed = roster.with_roles({"Responder A": "On-call SRE"})
    server.requests = []
    again = draft(anonymise(dns[0], confirmed), client=server.client(roster), roster=confirmed)
    assert "On-call SRE restored" in again.postmortem.summary
    roles_prompt = server.requests[1]["messages"][-1]["content"]
    assert "Responder B" in roles_prompt and "Responder A" not in roles_prompt


def test_a_name_that_would_leave_the_machine_stops_the_draft_before_sending(
    server: StageServer, dns: Dns
) -> None:
    original, _, roster = dns
    with pytest.raises(DraftIncompleteError) as info:
        draft(original, client=server.client(roster), roster=roster)
    assert isinstance(info.value.__cause__, LeakError)
    assert server.requests == []


def test_the_audit_file_holds_every_request_and_no_real_name(
    server: StageServer, dns: Dns, tmp_path: Path
) -> None:
    _, anon, roster = dns
    audit = tmp_path / "audit.jsonl"
    draft(anon, client=server.client(roster, audit_path=audit), roster=roster)
    lines = audit.read_text().splitlines()
    assert [json.loads(x) for x in lines] == server.requests
    assert "rkovacs" not in audit.read_text() and "jdiaz" not in audit.read_text()


# The long transcripts below are written anonymised already: there is no real name to guard.
NO_NAMES = Roster(entries=[])


def _long_transcript(n: int) -> Transcript:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    msgs = [Message(id=f"m{i}", ts=start + timedelta(minutes=i), speaker="Responder A",
                    text=f"checked shard {i}: replica lag normal, moving on")
            for i in range(1, n + 1)]  # fmt: skip
    return Transcript(format="test", messages=msgs)


def test_a_transcript_longer_than_the_context_is_chunked_and_merged(server: StageServer) -> None:
    anon = _long_transcript(150)
    roster = build_roster(anon)
    chunks = condense(anon, budget_tokens=transcript_budget(4800)).chunks
    assert len(chunks) >= 2
    empty = {p: [] for p in TIMELINE_PHASES}
    server.queued["TimelineStage"] = [
        {**empty, "detection": ["m2"]},
        *[{**empty, "mitigation": ["m2"], "resolution": ["m120"]}] * (len(chunks) - 1),
    ]
    result = draft(anon, client=server.client(NO_NAMES), roster=roster, context_tokens=4800)
    assert server.stages().count("TimelineStage") == len(chunks)
    by_id = anon.by_id()
    assert [(e.evidence, e.phase.value, e.event) for e in result.postmortem.timeline] == [
        # m1 is added by code: the message a channel opens with is taken as its report
        (["m1"], "detection", f"{by_id['m1'].speaker}: {by_id['m1'].text}"),
        (["m2"], "detection", f"{by_id['m2'].speaker}: {by_id['m2'].text}"),
        (["m120"], "resolution", f"{by_id['m120'].speaker}: {by_id['m120'].text}"),
    ]
    sent = [r["messages"][1]["content"] for r in server.requests[: len(chunks)]]
    assert "m1 09:01" in sent[0] and "m150 " in sent[-1] and "m150 " not in sent[0]
    digest = server.requests[len(chunks)]["messages"][1]["content"]
    assert "m2 09:02" in digest and "m120 " in digest and "m3 09:03" not in digest


def test_regenerate_section_redoes_one_stage_and_keeps_human_edits(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    pm = draft(anon, client=server.client(NO_NAMES), roster=roster).postmortem
    edited = pm.model_copy(update={"summary": "Human summary."})
    server.requests = []
    server.answers["FactorsStage"] = {"factors": ["Backups were manual"]}
    result = regenerate_section(edited, Section.CONTRIBUTING_FACTORS.value, transcript_anon=anon,
                                client=server.client(NO_NAMES), roster=roster)  # fmt: skip
    assert server.stages() == ["FactorsStage"]
    assert [f.title for f in result.postmortem.contributing_factors] == ["Backups were manual"]
    assert result.postmortem.summary == "Human summary."


def test_a_recorded_embedded_model_draft_replays_complete_and_verified(
    model_vcr: Any, cassette_client: Callable[..., ModelClient], dns: Dns
) -> None:
    """Replays cassettes/draft_dns_irc.yaml, recorded from the embedded 0.5B model."""
    assert RECORDING or (CASSETTES / "draft_dns_irc.yaml").exists(), (
        "cassettes/draft_dns_irc.yaml is missing; POSTMORTEM_RECORD=1 records it"
    )
    _, anon, roster = dns
    with model_vcr.use_cassette("draft_dns_irc.yaml"):
        result = draft(anon, client=cassette_client(roster), roster=roster)
    assert result.completed == list(STAGE_NAMES)
    pm = result.postmortem
    assert pm.root_cause is not None and len(pm.root_cause.whys) == 5
    assert all(e.time == anon.by_id()[e.evidence[0]].ts for e in pm.timeline
               if e.evidence[0] in anon.by_id())  # fmt: skip
    assert result.flags == verify(pm, anon, labels=["Responder A", "Responder B"]) + [
        f for f in result.flags if f.message.startswith("Proposed roles")
    ]
    text = (CASSETTES / "draft_dns_irc.yaml").read_text()
    assert "rkovacs" not in text and "jdiaz" not in text


def test_regenerating_a_section_no_stage_writes_is_a_clear_error(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    pm = draft(anon, client=server.client(NO_NAMES), roster=roster).postmortem
    with pytest.raises(InputError, match="open_questions section is not drafted"):
        regenerate_section(pm, "open_questions", transcript_anon=anon,
                           client=server.client(NO_NAMES), roster=roster)  # fmt: skip


def test_resuming_a_chunked_draft_reads_the_key_messages_not_the_whole_transcript(
    server: StageServer,
) -> None:
    anon = _long_transcript(150)
    roster = build_roster(anon)
    server.answers["TimelineStage"] = {**{p: [] for p in TIMELINE_PHASES}, "detection": ["m7"]}
    server.fail = {"ImpactStage"}
    with pytest.raises(DraftIncompleteError) as info:
        draft(anon, client=server.client(NO_NAMES), roster=roster, context_tokens=4800)
    server.fail, server.requests = set(), []
    draft(anon, client=server.client(NO_NAMES), roster=roster, context_tokens=4800,
          resume=info.value.partial)  # fmt: skip
    data = server.requests[0]["messages"][1]["content"]
    assert "m7 09:07" in data and "m8 09:08" not in data


def test_earlier_answers_are_replayed_exactly_as_the_model_wrote_them(
    server: StageServer, dns: Dns
) -> None:
    _, anon, roster = dns
    server.indent = 2
    draft(anon, client=server.client(roster), roster=roster)
    replayed = server.requests[1]["messages"][3]
    assert replayed["role"] == "assistant"
    assert replayed["content"] == json.dumps(ANSWERS["TimelineStage"], indent=2)


INJECTION = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "transcripts"
    / ("slack-paste-injection-24h.txt")
)


def test_a_line_aimed_at_the_model_never_reaches_it_nor_the_draft(server: StageServer) -> None:
    """Found on real input: the injected line was quoted as the timeline's resolution."""
    original = parse(INJECTION.read_text())
    roster = build_roster(original)
    anon = anonymise(original, roster)
    injected = next(m for m in original.messages if "Ignore all previous" in m.text)
    # The model is told (by the stand-in) to cite that very message as the resolution.
    empty = {p: [] for p in TIMELINE_PHASES}
    server.answers["TimelineStage"] = {**empty, "diagnosis": ["m8"], "resolution": [injected.id]}
    result = draft(anon, client=server.client(roster), roster=roster)
    sent = json.dumps(server.requests)
    assert "previous instructions" not in sent and "careless" not in sent
    text = markdown.render(result.postmortem)
    assert "previous instructions" not in text and "careless" not in text
    assert "full scan" in " ".join(e.event for e in result.postmortem.timeline)  # the rest stays
    assert any(f"Message {injected.id} had a line addressed to the model" in f.message
               for f in result.flags)  # fmt: skip
