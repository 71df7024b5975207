"""The roster: every person in a transcript, every way they are written, and their stable label.

Pure: no I/O. :class:`Roster` is the module-boundary model; :class:`NameMatcher` is the one compiled
alternation over all name variants that both the anonymiser and the egress check use, so what the
anonymiser replaces and what the leak check looks for can never drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from nicknames import NickNamer
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from drafting.anonymise.cues import ascii_fold, is_unusual
from drafting.anonymise.wordlists import AMBIGUOUS_NAMES, NOT_NAMES, PARTICLES

_SEPARATORS = re.compile(r"[\s._-]+")
# A handle carries a separator or a digit (alex.kim, mike_j, sre-2): never an ordinary word.
_HANDLE_SHAPE = re.compile(r"[._\d-]")
# What may stand before the first word of a sentence, a message, a quoted text or a rendered line
# ("[08:31] Responder A: Will ..."). The anonymiser and the egress check share this, so a word
# kept at the start of a message is also accepted wherever a prompt quotes that message.
_SENTENCE_END = frozenset(".!?\n\t*•>-–—:;\"'“‘([{|/]")


class RosterEntry(BaseModel):
    """One person: the pseudonym they keep, the role they get, and every way they are written."""

    model_config = ConfigDict(frozen=True)

    pseudonym: str
    role: str | None = None
    names: list[str]
    variants: list[str]
    nicknames: list[str] = Field(default_factory=list)  # matched only when written like a name
    message_count: int = 0
    source: str = "speaker"  # speaker | users | mention | detected

    @property
    def label(self) -> str:
        """What the person is called in anonymised text: the role if known, else the pseudonym."""
        return self.role or self.pseudonym


class Roster(BaseModel):
    """Everyone in a transcript, in order of first appearance."""

    model_config = ConfigDict(frozen=True)

    entries: list[RosterEntry]
    _matcher: NameMatcher | None = PrivateAttr(default=None)
    _by_name: dict[str, int] | None = PrivateAttr(default=None)

    def matcher(self) -> NameMatcher:
        """The compiled matcher over every variant (built once per roster)."""
        if self._matcher is None:
            self._matcher = NameMatcher(
                [e.variants for e in self.entries], [e.nicknames for e in self.entries]
            )
        return self._matcher

    def find(self, name: str) -> RosterEntry | None:
        """The entry a name, variant, handle or pseudonym belongs to (case-insensitive)."""
        if self._by_name is None:
            index: dict[str, int] = {}
            for i, entry in enumerate(self.entries):
                for key in [entry.pseudonym, *entry.names, *entry.variants, *entry.nicknames]:
                    index.setdefault(_key(key), i)
            self._by_name = index
        found = self._by_name.get(_key(name.lstrip("@")))
        return None if found is None else self.entries[found]

    def label(self, name: str) -> str:
        """The role if known, else the pseudonym, for a name; unknown names come back unchanged."""
        entry = self.find(name)
        return name if entry is None else entry.label

    def mapping(self) -> dict[str, str]:
        """Real name (each name the person goes by) -> label. Stays on this machine."""
        return {name: e.label for e in self.entries for name in e.names}

    def with_roles(self, roles: dict[str, str]) -> Roster:
        """A copy where the people named in ``roles`` (by pseudonym or any name) get those roles."""
        wanted = {_key(k): v.strip() for k, v in roles.items() if v and v.strip()}
        entries = []
        for e in self.entries:
            keys = [_key(n) for n in [e.pseudonym, *e.names]]
            role = next((wanted[k] for k in keys if k in wanted), e.role)
            entries.append(e.model_copy(update={"role": role}))
        return Roster(entries=_unique_labels(entries))


def _key(name: str) -> str:
    return _SEPARATORS.sub(" ", name.strip().lower())


def _unique_labels(entries: list[RosterEntry]) -> list[RosterEntry]:
    """Two people with the same role keep apart: 'On-call SRE (Responder A)'."""
    counts: dict[str, int] = {}
    for e in entries:
        if e.role:
            counts[e.role] = counts.get(e.role, 0) + 1
    return [
        e.model_copy(update={"role": f"{e.role} ({e.pseudonym})"})
        if e.role and counts[e.role] > 1 and not e.role.endswith(f"({e.pseudonym})")
        else e
        for e in entries
    ]


def pseudonym(index: int) -> str:
    """'Responder A' ... 'Responder Z', 'Responder AA' ...: stable for a position."""
    letters = ""
    n = index
    while True:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            return f"Responder {letters}"


def is_ambiguous(variant: str) -> bool:
    """True when a name part is also an ordinary word, so it must look like a name to count."""
    if _HANDLE_SHAPE.search(variant) or " " in variant.strip():
        return False
    # NOT_NAMES too: a nick like "admin" or "deploy" must not eat the word in prose (or in a
    # prompt template, where the egress check would then refuse to send).
    low = variant.lower()
    if len(variant) <= 2 or low in AMBIGUOUS_NAMES or low in NOT_NAMES:
        return True
    # "Deleted Account", "Walker": a part that is a common English word counts only when written
    # like a name; a first name (john, marek) stays distinctive, even inside a path or prompt.
    from drafting.anonymise.names import ordinary_word

    return ordinary_word(low)


def name_forms(raw: str) -> list[str]:
    """A name as written, plus its natural order when written "Last, First" (Teams, Outlook).

    An e-mail address stands for its local part: "ana.ribeiro@corp.example" is ana.ribeiro (the
    domain names no one, and "example" must not become a name).
    """
    name = raw.strip().lstrip("@").strip()
    if "@" in name and " " not in name:
        local = name.split("@", 1)[0]
        return [name, local] if local else [name]
    if "," not in name:
        return [name] if name else []
    last, _, first = (part.strip() for part in name.partition(","))
    return [name, f"{first} {last}"] if first and last else [name.strip(", ")]


def name_variants(names: Iterable[str]) -> list[str]:
    """Every way a person with these names (real, display, handle) is likely to be written.

    Full names, each part alone (first name, last name), handles and their two parts
    (alex.kim, mike_j), and the handle shapes derived from a full name (alex.kim, alex_kim,
    alexkim, akim, alex-kim), and accent-free spellings (José Peña -> Jose Pena). Case variants
    and possessives are matched by :class:`NameMatcher`.
    """
    out: dict[str, None] = {}
    for raw in names:
        for form in name_forms(raw):
            out.setdefault(form, None)
            if "@" in form:
                continue  # the whole address is one variant; its local part is another form
            for variant in _full_name_parts(form) if " " in form else _handle_parts(form):
                out.setdefault(variant, None)
    for variant in list(out):
        out.setdefault(ascii_fold(variant), None)
        out.setdefault(ascii_fold(variant.translate(_TRANSLITERATE)), None)
    return list(out)


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


def nickname_variants(names: Iterable[str]) -> list[str]:
    """Nicknames and formal forms of each first name, from the ``nicknames`` dataset
    (hand-curated English names and nicknames): Robert -> Bob, Rob, Bobby; Liz -> Elizabeth.

    Capitalised, three letters or more. They are matched only when written like a name.
    """
    out: dict[str, None] = {}
    for raw in names:
        for form in name_forms(raw):
            first = re.split(r"[\s._-]+", form.strip())[0]
            if len(first) < 3 or not first.isalpha():
                continue
            low = first.lower()
            related = _nicknamer().nicknames_of(low) | _nicknamer().canonicals_of(low)
            for other in sorted(related):
                if len(other) >= 3 and other != low:
                    out.setdefault(other.capitalize(), None)
            for short in short_forms(first):
                out.setdefault(short, None)
    return list(out)


def short_forms(first: str) -> list[str]:
    """The clipped forms of a first name that no dataset lists: Olu for Olumide, Ochi for
    Ochieng, Raffa for Raffaele, Thandi for Thandiwe. Prefixes of three letters or more that are
    no common English word or known system ("Kat" and "Dan" stay words; nicknames cover them)."""
    if len(first) < 5 or not first.isalpha():
        return []
    cap = first[:1].upper() + first[1:].lower()
    return [
        cap[:n]
        for n in range(3, len(cap))
        if is_unusual(cap[:n].lower()) and cap[:n].lower() not in AMBIGUOUS_NAMES
    ]


# How names are written without their letters: Pål -> Paal, Sørensen -> Soerensen, Müller ->
# Mueller, Straße -> Strasse (the accent-free fold gives Pal, Sorensen, Muller as well).
_TRANSLITERATE = str.maketrans(
    {"å": "aa", "ø": "oe", "æ": "ae", "ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss", "þ": "th"}
    | {"Å": "Aa", "Ø": "Oe", "Æ": "Ae", "Ü": "Ue", "Ö": "Oe", "Ä": "Ae", "Þ": "Th"}
    | {"ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"}
)


def fold_in_place(text: str) -> str:
    """``text`` with each accented letter replaced by its base letter, one for one, so positions
    stay the same (letters with no base letter, such as ø or ł, are kept)."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        base = ascii_fold(ch)
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def _full_name_parts(name: str) -> list[str]:
    words = [w.strip(",") for w in re.split(r"[\s-]+", name) if w.strip(",")]
    parts = [w for w in words if len(w) >= 2 and not w.isdigit() and w.lower() not in PARTICLES]
    if len(words) < 2:
        return parts
    first, last = words[0].lower(), words[-1].lower()
    shapes = [f"{first}.{last}", f"{first}_{last}", f"{first}-{last}", f"{first}{last}"]
    shapes += [f"{first[0]}{last}", f"{first}.{last[0]}"]  # jsmith, thordis.g
    if len(words) > 2:  # a compound first name: João Pedro Conceição is joaopedro
        second = words[1].lower()
        shapes += [f"{first}{second}", f"{first}.{second}"]
    return parts + [s for s in shapes if len(s) >= 5]


def _handle_parts(handle: str) -> list[str]:
    # alex.kim -> alex, kim; mike_j -> mike. A longer handle (slack-inc-orders) is a group or a
    # bot, and its parts are ordinary words.
    parts = re.split(r"[._]", handle)
    if len(parts) != 2:
        return []
    return [p for p in parts if len(p) >= 2 and not p.isdigit() and p.lower() not in NOT_NAMES]


@dataclass(frozen=True)
class NameHit:
    """One occurrence of a roster variant in a text."""

    start: int
    end: int
    entries: tuple[int, ...]  # more than one when people share the variant (two Alexes)
    at: bool  # written as an @-mention


class NameMatcher:
    """One compiled alternation over every variant of every roster entry.

    Distinctive variants match in any case. Short ones ("Li", "Bo") match when capitalised or
    @-prefixed; names that are also words ("Will", "Mark", "admin") only when capitalised
    mid-sentence, @-prefixed, or addressing someone at the start ("will: can you..."). Matches
    respect word boundaries, so "Tom" never hits "tomorrow" or "atom".
    """

    def __init__(
        self, variants_per_entry: list[list[str]], strict_per_entry: list[list[str]] | None = None
    ) -> None:
        """Compile the matcher from each entry's variants (index = entry position).

        ``strict_per_entry`` holds variants that count only when written like a name, whatever
        they are (nicknames: "Liz" is Elizabeth, "lib" in a path is not).
        """
        self._loose: dict[str, set[int]] = {}
        self._strict: dict[str, set[int]] = {}
        forced = strict_per_entry or [[] for _ in variants_per_entry]
        for i, variants in enumerate(variants_per_entry):
            for v in [*variants, *(f"\0{n}" for n in forced[i])]:
                strict = v.startswith("\0") or is_ambiguous(v)
                v = _norm(v.removeprefix("\0"))
                if strict and v:
                    self._strict.setdefault(v[:1].upper() + v[1:], set()).add(i)
                    self._strict.setdefault(v.lower(), set()).add(i)
                elif v:
                    self._loose.setdefault(v.lower(), set()).add(i)
        self.pattern = _compile(self._loose, self._strict)

    def hits(self, text: str) -> list[NameHit]:
        """Every occurrence of a roster variant in ``text`` that really names a person.

        Accents are matched either way: "Mālia" in the text is Malia of the roster.
        """
        if self.pattern is None:
            return []
        probe = fold_in_place(text)
        out = []
        for m in self.pattern.finditer(probe):
            hit = self._resolve(m, probe)
            if hit is not None:
                out.append(hit)
        return out

    def sub(self, text: str, replace: Callable[[NameHit], str]) -> str:
        """Replace each real occurrence (including a leading ``@``) by ``replace(hit)``."""
        if self.pattern is None:
            return text
        hits = self.hits(text)
        if not hits:
            return text
        parts, end = [], 0
        for hit in hits:
            parts += [text[end : hit.start], replace(hit)]
            end = hit.end
        return "".join([*parts, text[end:]])

    def _resolve(self, m: re.Match[str], text: str) -> NameHit | None:
        groups = m.groupdict()
        at = groups.get("at") is not None or groups.get("at2") is not None
        loose = groups.get("loose")
        if loose is not None:
            entries = self._loose.get(_norm(loose).lower(), set())
            return NameHit(m.start(), m.end(), tuple(sorted(entries)), at)
        word = m.group("strict")
        hit = NameHit(m.start(), m.end(), tuple(sorted(self._strict.get(word, set()))), at)
        if at or (_addresses(text, m.end()) and _sentence_start(text, m.start())):
            return hit  # "Jun: can we scale origin?", "will, can you check"
        if not word[:1].isupper():
            return None
        # "Li" or "Bo" is a name wherever it is capitalised; "Will" or "Mark" could just be the
        # first word of a sentence.
        if word.lower() in AMBIGUOUS_NAMES or word.lower() in NOT_NAMES:
            return None if _sentence_start(text, m.start()) else hit
        return hit


def _alternation(words: Iterable[str]) -> str:
    # Longest first: Python tries alternatives in order, so "Tom Becker" must beat "Tom".
    ordered = sorted(words, key=lambda w: (-len(w), w))
    # "Tom  Becker" or "Tom\nBecker" is still Tom Becker.
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ordered)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _compile(loose: dict[str, set[int]], strict: dict[str, set[int]]) -> re.Pattern[str] | None:
    if not loose and not strict:
        return None
    alts = []
    if loose:
        # A distinctive variant is a name wherever it stands between non-alphanumerics: inside
        # hostnames (jsmith-dev-01), prompts (tbecker@build-07), paths and URLs (/home/tbecker/),
        # and handles joined by dots or underscores (db.jsmith, jsmith_test).
        alts.append(rf"(?<![^\W_])(?P<at>@)?(?P<loose>(?i:{_alternation(loose)}))(?![^\W_])")
    if strict:
        # A name that is also a word stays a whole word: "will" in "will-be-retired" is not Will.
        alts.append(
            rf"(?<![\w-])(?<!\w\.)(?P<at2>@)?(?P<strict>{_alternation(strict)})(?![\w-])(?!\.\w)"
        )
    return re.compile("|".join(alts))


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_END


def _addresses(text: str, end: int) -> bool:
    """'Will: ...' or 'will, ...' at the start of a message addresses a person."""
    return text[end : end + 1] in (":", ",")


# A reviewer's decision on a name the detector found: keep it as a person, or dismiss it.
CONFIRMED = "confirmed"
DISMISSED = "dismissed"


def without_dismissed(roster: Roster, decisions: dict[str, str]) -> Roster:
    """The roster minus detected names the user dismissed as not people ("Friday", "Redis")."""
    kept = [
        e
        for e in roster.entries
        if not (e.source == "detected" and any(decisions.get(n) == DISMISSED for n in e.names))
    ]
    return roster.model_copy(update={"entries": kept})
