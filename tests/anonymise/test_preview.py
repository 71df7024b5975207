"""The egress preview's helpers: replacements marked, words that could still be names listed."""

from __future__ import annotations

from drafting.anonymise.preview import marked, possible_names


def test_every_label_and_placeholder_is_marked_and_the_rest_is_not() -> None:
    text = "Responder A paged On-call SRE, key [SECRET], mail [EMAIL]."
    pieces = marked(text, ["Responder A", "On-call SRE"])
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, replaced in pieces if replaced] == [
        "Responder A", "On-call SRE", "[SECRET]", "[EMAIL]",
    ]  # fmt: skip


def test_possible_names_are_unknown_capitalised_words_not_english_words_or_labels() -> None:
    texts = [
        "looping in Hinemoa from networking, Responder B says Database is fine",
        "the Kubernetes rollout is done, thanks Hinemoa",
        "Restarted the pods",  # a line's first word is capitalised anyway
    ]
    found = possible_names(texts, known=["Responder", "B"])
    assert found[0] == "Hinemoa"
    assert "Database" not in found and "Restarted" not in found and "Responder" not in found
