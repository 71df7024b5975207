"""rewriting: a model rewrite of a flagged sentence is sent fenced, guarded, and lint-checked."""

from __future__ import annotations

import pytest
from stage_server import running

from drafting.anonymise import build_roster
from drafting.anonymise.roster import Roster
from drafting.errors import LeakError, OutputInvalidError
from drafting.ingest import Message, Transcript
from drafting.lint import lint_text
from drafting.review.rewrite import rewrite_sentence

FLAGGED = "The on-call engineer forgot to check the workspace variable."
BLAMELESS = "The pipeline ran with an empty workspace variable; nothing rejected it."


def test_a_blameless_rewrite_is_returned_and_the_sentence_was_sent_fenced() -> None:
    with running() as fake:
        fake.answers["SentenceRewrite"] = {"rewrite": f"  {BLAMELESS}  "}
        assert rewrite_sentence(fake.client(Roster(entries=[])), FLAGGED) == BLAMELESS
    sent = fake.requests[0]["messages"]
    assert sent[0]["role"] == "system" and "untrusted data" in sent[0]["content"]
    assert sent[1]["content"].startswith("```text\n") and FLAGGED in sent[1]["content"]
    assert lint_text(BLAMELESS) == []


def test_a_rewrite_the_lint_still_flags_is_refused() -> None:
    with running() as fake:
        fake.answers["SentenceRewrite"] = {"rewrite": "The engineer should have checked it."}
        with pytest.raises(OutputInvalidError, match="itself flagged"):
            rewrite_sentence(fake.client(Roster(entries=[])), FLAGGED)


def test_a_sentence_with_a_real_name_never_reaches_the_model() -> None:
    transcript = Transcript(
        format="irc", messages=[Message(id="m1", speaker="Rosa Kovacs", text="looking")]
    )
    roster = build_roster(transcript)
    with running() as fake, pytest.raises(LeakError):
        rewrite_sentence(fake.client(roster), "Rosa forgot to check the variable.")
    assert fake.requests == []
