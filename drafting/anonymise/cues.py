"""Names given away by where they stand, not by how they look: cues the NER model cannot read.

Each cue is a place where chat text puts a person: a list after "Reviewers:", a title ("Dr
Okafor"), the user of a shell prompt (``kalle@kjarvinen-laptop:~$``), a home directory
(``/Users/pedroalves/``), a personal machine (``jsmith-dev-02``, ``tomek-desktop``), the owner of
a repository URL named like a person (``github.com/aoifebyrne/``), a ``migrated-by: yalfarsi``
annotation, a lowercase handle after "ping", a parenthesised owner at the end of an action item,
and a name addressed at the start of a message ("Osku... you could have said"). Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

from drafting.anonymise.wordlists import AMBIGUOUS_NAMES, NOT_NAMES, SYSTEM_USERS

# Capital and small letters beyond ASCII (Émilie, Łukasz, Ó Súilleabháin, Ngā).
# Latin with accents, Vietnamese (Nguyễn Thị Hằng), Greek and Cyrillic (Милош); combining
# marks count as part of a small letter (Fúnmiláyọ̀ written with them).
_LETTERS = [*range(0xC0, 0x250), *range(0x370, 0x530), *range(0x1E00, 0x1F00)]
UPPER = "A-Z" + "".join(c for c in map(chr, _LETTERS) if c.isupper())
LOWER = "a-z\u0300-\u036f" + "".join(c for c in map(chr, _LETTERS) if c.islower())
# A capitalised name word: Mei-Ling, Ji-woo, O'Dwyer-Mbeki.
_NAME_WORD = rf"[{UPPER}](?:['’][{UPPER}])?[{LOWER}]+(?:-[{UPPER}{LOWER}][{LOWER}]+)?"
_FULL = rf"{_NAME_WORD}(?:\s+(?:(?:van|von|de|da|dos|del|al|bin|ibn|le|la)\s+)?{_NAME_WORD}){{0,3}}"

# "Participants: A B (IC), C D, E" or "**Reviewers:** ...": every item is a person.
_LIST = re.compile(
    r"(?i:(?<![^\W_])(?:participants|attendees|present|reviewers?|authors?|responders|people|scribe"
    r"|approvers?|on[- ]call|incident commander|written by|drafted by|draft by|cc|watchers"
    r"|assignees?|reporter))"
    r"\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<items>[^\n]+)"
)
_ITEM_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|/)\s*")
_ITEM = re.compile(rf"[\W_]*(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?(?P<name>{_FULL})[\W_]*")
_TITLE = re.compile(
    rf"\b(?:Dr|Prof|Mr|Mrs|Ms|Mx|Miss|Sir|Dame|Mama|Baba|Madam|Auntie|Uncle)\.?\s+(?P<name>{_FULL})"
)
# Lowercase user names in the places only people's accounts stand.
_PROMPT = re.compile(r"(?<![\w.@/-])(?P<user>[a-z][a-z0-9_.-]{1,31})@[A-Za-z0-9][\w.-]*(?=[:\s~])")
_HOME = re.compile(
    r"(?:/home/|/Users/|[A-Za-z]:\\Users\\)(?P<user>[A-Za-z][\w.-]{1,31})(?=[/\\\s]|$)"
)
_MACHINE = re.compile(
    r"(?<![\w.-])(?P<user>[a-z]{3,20})-(?:laptop|desktop|mbp|macbook(?:-pro|-air)?|thinkpad|pc"
    r"|workstation|xps|t14|dev-?\d+|vm-?\d+|(?i:iphone|ipad|pixel|galaxy|android))(?![a-z])"
)
_REPO_OWNER = re.compile(
    r"\b(?:github|gitlab|bitbucket)\.(?:com|org)/(?P<user>[A-Za-z][A-Za-z0-9-]{2,38})/"
)
_ANNOTATION = re.compile(
    r"(?i:\b(?:owner|author|assignee|user(?:name)?|on-?call|[a-z]+[-_]by))\s*[:=]\s*[\"']?"
    r"(?P<user>[a-z][a-z0-9._-]{2,30})\b(?![@.:/]\w)"
)
_PING = re.compile(
    r"(?i:\b(?:ping|pinged|paging|paged|cc|ask|asked|thanks|thx|ty|tell|told|last edit|author"
    r"|(?:edited|changed|approved|reviewed|owned|created|committed|merged|assigned) (?:by|to)))\s+"
    r"(?P<users>[a-z][a-z0-9_.]{2,24}(?:(?:,\s*|,?\s+and\s+)[a-z][a-z0-9_.]{2,24}){0,8})"
    r"\b(?![@.:/-]\w)"
)
_LISTED_HANDLE = re.compile(r"[a-z][a-z0-9_.]{2,24}")
# A handle with an initial: "thordis.g owns it".
_DOT_INITIAL = re.compile(
    r"(?<![\w.@/-])(?P<user>[a-z]{3,20}\.[a-z])(?=\s+(?:owns|will|is|has|said|wrote|can|to)\b)"
)
# Someone signing a line, or named as its source: "... back to 25% — Weng", "(from Habba)".
_SIGNED = re.compile(rf"(?:—|–|--)\s*(?P<name>{_NAME_WORD})(?:\s+[{UPPER}]\.)?\s*(?:$|,|[\"”'])")
_SOURCE = re.compile(rf"\((?:from|by|per|via|owner:?)\s+(?P<name>{_NAME_WORD})\)")
# "... and stale alerts (Sveta)" at the end of an action item: its owner.
_OWNER = re.compile(rf"\((?P<name>{_NAME_WORD})(?:\s*[/,—-]\s*[\w .-]{{1,30}})?\)\s*\.?\s*$")
# A message that opens by addressing someone: "Osku... you could", "Seun, can we".
_ADDRESS = re.compile(rf"^\W{{0,3}}(?P<name>{_NAME_WORD})(?:\.\.\.|…|,|!|\s+(?=you\b|u\b))\s*")
_LONGER = re.compile(rf"(?<![\w@#/.:-])(?P<name>{_NAME_WORD})(?![\w@/-])")
# A lowercase first name doing something: "sipho wants to sign off", "sipho approved".
_LOWER_NAME = re.compile(
    r"(?<![\w@#/.:-])(?P<name>[a-z]{4,15})\s+(?:wants|approved|said|says|asked|thinks|agreed"
    r"|confirmed|signed|owns|replied|will|is on|is out|is off)\b"
)
# Someone's things: "under Yekaterina's name", "Mehmet's PR".
_POSSESSIVE = re.compile(
    rf"(?<![\w@#/.:-])(?P<name>{_NAME_WORD})['’]s\s+(?:name|laptop|account|PR|MR|change|phone"
    r"|machine|key|token|desk|team|manager|branch|commit|fork|repo|script|email|number)\b"
)
# A message opening with a verb is not addressing anyone: "Replayed, all 3 now paid".
_VERB = re.compile(r"(?:ed|ing)$")
# Two capitalised words together, neither of them English nor a known system: "Nkechi Okonkwo".
_PAIR = re.compile(rf"(?<![\w@#/.:-])(?P<name>{_NAME_WORD}(?:\s{_NAME_WORD}){{1,2}})(?![\w@/-])")
_BOTISH = re.compile(
    r"(?:^|[._-])(?:\w*bot|ci|cd|svc|service|system|deploy\w*|jenkins|github|gitlab|automation)"
    r"(?:$|[._-])"
)
# Less common in English than this (wordfreq's Zipf scale) to be taken for a handle or a name:
# "mkowalski" 0, "tomek" 1.8, "sveta" 2.2; "build" 5.0, "api" 3.7.
UNUSUAL_ZIPF = 3.0


def cue_names(
    lines: Iterable[str],
    known: Collection[str] = (),
    *,
    first_names: Collection[str] = (),
) -> list[str]:
    """Names and handles that chat text places where only people stand, in order found.

    Args:
        lines: Message lines (already redacted of emails and secrets).
        known: Lower-case words already accounted for (roster variants, bot names).
        first_names: Lower-case first names (a dataset); a repository owner counts as a person
            only when their name starts with one (``aoifebyrne``, ``pedro-alves``).
    """
    found: dict[str, None] = {}
    starts = _first_parts(known)

    def add(name: str) -> None:
        name = name.strip()
        if name and name.lower() not in known:
            found.setdefault(name, None)

    for line in lines:
        for match in _LIST.finditer(line):
            for item in _ITEM_SPLIT.split(re.sub(r"\([^)]*\)", "", match["items"])):
                whole = _ITEM.fullmatch(item)
                if whole is not None and _listed_person(whole["name"]):
                    add(whole["name"])
                elif (handle := item.strip(" .*_`@")) and " " not in handle and is_handle(handle):
                    add(handle)  # "Reviewers: adebayo-o, jiwoo-seo"
        for match in _TITLE.finditer(line):
            add(match["name"])
        for pattern in (_PROMPT, _HOME, _MACHINE, _ANNOTATION, _DOT_INITIAL):
            for match in pattern.finditer(line):
                if is_handle(match["user"]):
                    add(match["user"])
        for match in _PING.finditer(line):
            for user in _LISTED_HANDLE.findall(match["users"]):
                if user != "and" and len(user) > 3 and is_handle(user):
                    add(user)
        for match in _REPO_OWNER.finditer(line):
            owner = match["user"]
            low = owner.lower()
            if low not in NOT_NAMES and _prefixes(low, first_names):
                add(owner)
        for match in _PAIR.finditer(line):
            if all(
                is_unusual(w.lower()) and w.lower() not in AMBIGUOUS_NAMES
                for w in match["name"].split()
            ):
                add(match["name"])
        for match in _LONGER.finditer(line):
            # "Fúnmiláyọ̀" when the roster knows "Funmi": a fuller form of a known first name.
            word = match["name"]
            folded = ascii_fold(word).lower()
            if is_unusual(folded) and any(
                folded.startswith(k) and len(folded) > len(k) for k in starts
            ):
                add(word)
        for match in _LOWER_NAME.finditer(line):
            if match["name"] in first_names and is_unusual(match["name"]):
                add(match["name"])
        for pattern in (_OWNER, _ADDRESS, _POSSESSIVE, _SIGNED, _SOURCE):
            owner = pattern.search(line)
            if (
                owner is not None
                and not _all_common(owner["name"])
                and not _VERB.search(owner["name"])
            ):
                add(owner["name"])
    return list(found)


def _first_parts(known: Collection[str]) -> list[str]:
    """Known names that could be the start of a fuller first name (four letters or more)."""
    return [k for k in known if k.isalpha() and len(k) >= 4 and is_unusual(k)]


def ascii_fold(text: str) -> str:
    """``text`` without its accents: José Peña -> Jose Pena (ø and ł have none to drop)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_handle(word: str) -> bool:
    """Whether a lowercase account name could be a person's: not a system account, not a bot,
    not an ordinary English word."""
    low = word.lower().strip("._-")
    if len(low) < 3 or low in SYSTEM_USERS or low in NOT_NAMES or _BOTISH.search(low):
        return False
    parts = [p for p in re.split(r"[._-]+", low) if p]
    if any(ch.isdigit() for ch in parts[0]):
        return False
    # "platform-team" and "orders-api" are made of words; "lucia-ferreyra" and "aoife_b" are not.
    return not all(len(p) < 3 or p in NOT_NAMES or _common(p) for p in parts)


def _prefixes(word: str, first_names: Collection[str]) -> list[str]:
    return [word[:n] for n in range(3, min(len(word), 12)) if word[:n] in first_names]


def _listed_person(item: str) -> bool:
    """An item of a "Participants:" list is a person unless it is made of system or team words
    ("Storage Team", "Platform"); a single word must also be no common English word."""
    words = item.split()
    if any(w.lower() in NOT_NAMES for w in words):
        return False
    return len(words) > 1 or not _common(item.lower())


def _all_common(name: str) -> bool:
    """True when every word of ``name`` is a known system word or a common English word."""
    return not any(is_unusual(w.lower()) for w in name.split())


def is_unusual(word: str) -> bool:
    """A lower-case word that is neither a known system word nor common English."""
    return word not in NOT_NAMES and not _common(word)


def _common(word: str) -> bool:
    from wordfreq import zipf_frequency

    return bool(zipf_frequency(word, "en") >= UNUSUAL_ZIPF)
