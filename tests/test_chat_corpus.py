"""The corpus (tests/corpus/): every file parses to the exact message count a person counted, and
no listed name, secret or injected line survives into what the model would be sent.

Files the product does not handle yet are listed in KNOWN_FAILING with what is wrong. They run
as strict expected failures: a file that starts passing fails the suite until it comes off the
list, so the list is always the truth about where the product stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_check import Truth, check, found, load_corpus
from stage_server import StageServer, running

from drafting.draft.pipeline import draft
from drafting.errors import DraftingError, LeakError
from drafting.export import markdown

CORPUS = load_corpus()

KNOWN_FAILING: dict[str, str] = {
    "irc-irssi-holdout-settlement-cron-timezone.log": "1 names",
    "teams-holdout-shared-db-noisy-neighbour.txt": "1 names",
    "zoom-chat-holdout-waf-checkout.txt": "21 of 22 msgs; 1 names",
}


def test_the_corpus_has_thirty_files_and_every_truth_is_in_its_file() -> None:
    assert len(CORPUS) >= 30
    for truth in CORPUS:
        text = truth.path.read_text(encoding="utf-8")
        missing = [x for x in (*truth.names, *truth.secrets, *truth.injection) if x not in text]
        assert not missing, (truth.name, missing)


def test_every_known_failure_is_a_corpus_file() -> None:
    assert set(KNOWN_FAILING) <= {t.name for t in CORPUS}


@pytest.mark.parametrize("truth", CORPUS, ids=lambda t: t.name)
def test_a_corpus_file_parses_exactly_and_leaks_nothing(
    truth: Truth, request: pytest.FixtureRequest
) -> None:
    if truth.name in KNOWN_FAILING:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_FAILING[truth.name]))
    outcome = check(truth)
    assert not outcome.error
    assert outcome.counted == truth.messages
    # Secrets are named by position, never printed.
    secrets = [f"secret #{truth.secrets.index(s)}" for s in outcome.leaked_secrets]
    assert not outcome.leaked_names and not secrets and not outcome.leaked_injection, (
        outcome.leaked_names,
        secrets,
    )


def test_the_token_finder_respects_boundaries() -> None:
    assert found("liz", "ask liz_afk") and found("liz", "liz@host") and not found("liz", "lizard")


@pytest.fixture(scope="module")
def stand_in() -> Iterator[StageServer]:
    with running() as server:
        yield server


@pytest.mark.parametrize("truth", CORPUS, ids=lambda t: t.name)
def test_every_corpus_file_drafts_through_a_stand_in_model_without_a_traceback(
    truth: Truth, stand_in: StageServer, tmp_path: Path
) -> None:
    """The whole pipeline on every file: a draft (or one DraftingError), and nothing listed in
    the truth file in any request body, for the files whose anonymisation already holds."""
    outcome = check(truth)
    assert outcome.prepared is not None, outcome.error
    prepared = outcome.prepared
    audit = tmp_path / "audit.jsonl"
    stand_in.requests.clear()
    client = stand_in.client(prepared.roster, audit_path=audit)
    try:
        result = draft(prepared.anonymised, notes=prepared.notes, client=client,
                       roster=prepared.roster)  # fmt: skip
    except LeakError:
        assert outcome.leaks, "the guard refused text the corpus check found clean"
        return
    except DraftingError as err:
        pytest.fail(f"drafting stopped: {err}")
    markdown.render(result.postmortem)
    if truth.name not in KNOWN_FAILING:
        sent = audit.read_text(encoding="utf-8")
        assert not [n for n in truth.names if found(n, sent)]
        assert not [i for i, s in enumerate(truth.secrets) if s in sent]
