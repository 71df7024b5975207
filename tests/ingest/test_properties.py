"""Property tests: any text through any parser yields a transcript or the project's own error."""

from __future__ import annotations

import contextlib
import json
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.errors import DraftingError
from drafting.ingest import FORMATS, Transcript, detect_format, parse, parse_users

# Text biased towards the characters transcripts are made of, so parsers' branches are reached.
PIECES = st.sampled_from(
    [
        "\n",
        " ",
        "  ",
        "[",
        "]",
        "<",
        ">",
        "> ",
        ":",
        "12:30",
        "9:05 PM",
        "AM",
        "APP",
        "```",
        "- ",
        "* ",
        "|",
        "UTC",
        "Ana",
        "bot",
        "(edited)",
        "replied to a thread:",
        "--- Day changed",
        "Tue Mar 05 2024",
        "2024-03-05",
        "has joined",
        "\t",
        "{",
        '"ts"',
        "@",
        "#",
    ]
)
TEXT = st.one_of(st.text(), st.lists(st.one_of(PIECES, st.text(max_size=5))).map("".join))
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "ts",
                    "text",
                    "user",
                    "subtype",
                    "thread_ts",
                    "attachments",
                    "files",
                    "messages",
                    "bot_id",
                    "edited",
                    "user_profile",
                    "fields",
                    "title",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


def _check(text: str, fmt: str | None) -> None:
    try:
        result = parse(text, fmt=fmt, tz="Europe/Berlin")
    except DraftingError as err:
        assert str(err).endswith(".")
        return
    assert isinstance(result, Transcript)
    assert [m.id for m in result.messages] == [f"m{i + 1}" for i in range(len(result.messages))]


@settings(max_examples=150, deadline=None)
@given(text=TEXT, fmt=st.sampled_from([None, *FORMATS]))
def test_any_text_in_any_format_parses_or_raises_a_drafting_error(
    text: str, fmt: str | None
) -> None:
    _check(text, fmt)


@settings(max_examples=150, deadline=None)
@given(value=JSONISH)
def test_any_json_value_as_an_export_parses_or_raises_a_drafting_error(value: object) -> None:
    _check(json.dumps(value), "slack-export")
    with contextlib.suppress(DraftingError):  # anything else fails the test
        parse_users(json.dumps(value))


@settings(max_examples=100, deadline=None)
@given(text=TEXT)
def test_detection_always_names_a_known_format(text: str) -> None:
    assert detect_format(text) in FORMATS


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=1).filter(lambda s: s.lstrip("\ufeff").strip() != ""))
def test_fallback_never_loses_a_non_blank_line(text: str) -> None:
    body = "\n".join(m.text for m in parse(text, fmt="fallback").messages)
    # The parser composes letters (NFC) on purpose: compare like with like.
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    normalised = unicodedata.normalize("NFC", normalised).lstrip("\ufeff")
    for line in normalised.split("\n"):
        if line.strip():
            assert line.rstrip() in body
