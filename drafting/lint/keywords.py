"""The keyword prefilter: one regular expression, shaped as a trie, that finds every rule keyword
in a block in a single pass, so rules only run on blocks that could match them."""

from __future__ import annotations

import re

_END = ""


def normalise(keyword: str) -> str:
    """Lower case, one apostrophe, single spaces: the form keywords are looked up in."""
    return " ".join(keyword.lower().replace("’", "'").split())


def _piece(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch == "'":
        return "['’]"
    return re.escape(ch)


_Trie = dict[str, "_Trie"]


def _trie_pattern(node: _Trie) -> str:
    branches = [_piece(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # A keyword may end here and a longer one continue: the longer one is tried first (greedy).
    return f"(?:{body})?" if _END in node else body


def trie_regex(keywords: set[str]) -> re.Pattern[str]:
    """A regex matching, at each word start, the longest keyword that begins there.

    The match sits in a lookahead so that overlapping keywords ("was to blame", "to blame")
    are all found; group 1 holds the keyword text as written in the input. Keywords match as
    word prefixes ("fail" finds "failed"). The text is expected in lower case.
    """
    root: _Trie = {}
    for keyword in keywords:
        node = root
        for ch in keyword:
            node = node.setdefault(ch, {})
        node[_END] = {}
    body = _trie_pattern(root) or "(?!)"
    return re.compile(rf"\b(?=({body}))")
