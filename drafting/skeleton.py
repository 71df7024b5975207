"""What the transcript itself states, computed before the model writes anything (DESIGN.md,
principle 2): the incident id, the incident date, the figures of its impact, and the messages
that are candidates for the key events (first alert, first human acknowledgement, deploys,
rollbacks, config changes, "resolved" statements). Each finding cites the message it comes from.

Pure: no I/O. It reads the anonymised transcript (ids, numbers and times survive anonymisation).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from drafting.ingest.types import Message, MessageKind, Transcript

# INC-2025-014, INC0049921, INC-0412, SEV-123, IR-77, "incident #4471", "incident 42".
_INCIDENT_ID = re.compile(
    r"\b(?P<id>(?:INC|INCIDENT|IR|SEV|PIR|OUTAGE)[-_#]?\d[\dA-Z-]{1,20}\d|(?:INC|IR)-[A-Z0-9]+-\d+)\b"
    r"|(?i:\bincident\s+#\s?)(?P<num>\d{2,8})\b"
)
_OPENING = re.compile(r"(?i)\b(?:open(?:ing|ed)?|declar(?:e|ed|ing)|start(?:ed|ing)|raised)\b")
# A date standing as a word: not a query parameter (sv=2022-11-02) or part of a path or id.
_ISO_DATE = re.compile(r"(?<![\w=/.:-])(?P<y>20\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w/-])")
_EARLIEST = dt.date(2000, 1, 1)  # a clock-only transcript is dated 1970 when nothing says
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}  # fmt: skip
_WORDY_DATE = re.compile(
    r"(?i)\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[a-z]{3,9})\.?,?\s+(?P<y>20\d{2})\b"
    r"|\b(?P<mon2>[a-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>20\d{2})\b"
)

# A figure of impact: a number (with ~, $, €, £, k/M, %, commas, "+") next to what it counts.
_NUMBER = (
    r"(?P<approx>~|about |around |roughly |over |more than |almost |nearly |up to )?"
    r"(?P<cur>[$€£])?(?P<num>\d(?:[\d,]*\d)?(?:\.\d+)?)(?P<mult>\s?[kKmM](?![a-zA-Z]))?\+?"
    r"(?P<pct>\s?%)?(?P<rate>/(?:s|sec|min|h)\b)?"
)
_MEASURED = (
    r"tickets?|users?|customers?|orders?|requests?|emails?|e-mails?|messages?|payments?|"
    r"transactions?|checkouts?|calls?|accounts?|tenants?|sessions?|jobs?|pods?|nodes?|devices?|"
    r"merchants?|partners?|conversations?|uploads?|downloads?|objects?|files?|records?|rows?|"
    r"errors?|failures?|refunds?|signups?|logins?|installs?|reviews?|builds?|deploys?|"
    r"intents?|chats?|webhooks?|regions?|sms|texts?|docs?|documents?|invoices?|events?|"
    r"notifications?|pushes|queries|shipments?|bookings?|subscribers?|members?|visitors?|"
    r"pages?|sites?|domains?|stores?|apps?"
)
# Words that join a number to something else than what it counts ("412 switched the records").
_GLUE = r"(?:the|a|an|of|in|to|for|from|and|or|with|on|at|by|is|are|was|were|x)"
_FIGURE = re.compile(
    rf"(?<![\w.$€£/:-]){_NUMBER}(?:\s+(?:(?!{_GLUE}\b)\w+\s+){{0,2}}?(?P<what>{_MEASURED})\b)?",
    re.IGNORECASE,
)
# Things a system has rather than things its users lost: ranked after the rest.
_TECH = frozenset({"reading", "pod", "pods", "node", "nodes", "row", "rows"})
# "3 of 5 data nodes", "4 of 6 regions": a part of a whole.
_PART = re.compile(r"(?i)(?<![\w.:-])\d+ (?:of|out of) \d+(?: \w+){0,2}? (?:" + _MEASURED + r")\b")
# A metric's reading: "threads_running 412", "evicted_keys rate 5,200/s".
_READING = re.compile(
    r"(?<![\w.])[a-z]+(?:_[a-z]+)+(?: rate)? \d(?:[\d,]*\d)?(?:\.\d+)?(?:/s)?(?![\w.,])"
)
_UNIT = r"(?:min(?:ute)?s?|hours?|hrs?|h(?:\d{2})?)"
_DURATION = re.compile(
    rf"(?i)(?<![\w.:-])(?P<n>\d+(?:\.\d+)?)\s?(?P<unit>{_UNIT})\b"
    r"(?=[^\n]{0,40}\b(?:outage|down|degraded|impact|affected|broken|failing|unavailable|lost"
    r"|late|delay(?:ed)?))"
    rf"|(?i:\b(?:about|~|up to|roughly|total(?: of)?|delay(?:ed)?(?: up to)?|late by|downtime"
    rf"|max delay(?: about)?)\s?)\d+(?:\.\d+)?\s?{_UNIT}\b"
    r"|\(\d+ min\)"
)
# A latency someone reads off: "14.2s", "20s+", "p95 9s".
_LATENCY = re.compile(
    r"(?i)(?<![\w.:-])\d+(?:\.\d+s|s\+)(?![\w])|\bp(?:50|9[059]|99\.9) \d+(?:\.\d+)?m?s\b"
)


class Cue(StrEnum):
    """A kind of key event a message can be a candidate for."""

    ALERT = "alert"  # an alert, page or report of trouble
    ACK = "ack"  # the first human acknowledgement
    DEPLOY = "deploy"
    ROLLBACK = "rollback"
    CONFIG = "config"  # a configuration or flag change
    CAUSE = "cause"  # a statement of what changed or broke ("expired", "bumped", "because")
    RESOLVED = "resolved"  # "resolved", "all clear", "back to baseline"


# Words that recover: a message saying one of them is not a new alert or report.
_RECOVERY = (
    r"\[(?:resolved|up|ok|recovered)\]|\bRECOVERY\b|\bresolved\b|\ball[- ]clear\b"
    r"|\bback to (?:normal|baseline)\b|\b(?:fully )?recovered\b|\bhealthy again\b"
    r"|\bclos(?:ing|ed) (?:the )?(?:incident|alert)\b|\b(?:incident|alert) (?:is )?closed\b"
    r"|\bincident #?\S+ closed\b|\berror rates? (?:is |are )?(?:back )?(?:to )?normal\b"
    r"|\ball good\b|\blooks? good\b|\bcoming in again\b|\bback (?:up|online)\b"
    r"|\b(?:checks?|probes?) (?:are )?passing\b|\bpassing in \d|\blogins? back\b"
    r"|\b(?:queue|spool|backlog) (?:is )?(?:empty|drained)\b|\bhealthy in\b"
    r"|\b0 (?:errors|failures|restarts)\b|\b(?:count|rate) 0(?![\d.])"
    r"|\b(?:lag|errors?|failures?|5xx|restarts?) (?:is |are |at |down to )?0(?:\.0+)?(?![\d.])"
    # Generic recovery wording (added from development fixtures only, before batch 3 was
    # measured): a condition or alert cleared, "ok now", "green again", a metric "back to"
    # a level with its unit (not "rolled back to 2.30.4"), work "going through", "stable".
    r"|\b(?:condition|alert|alarm|pressure|errors?|backlog|queue)s? (?:has |have |is |are )?"
    r"cleared\b|\bcleared up\b|\bok (?:too|now|again)\b|\bgreen (?:now|again)\b"
    r"|\b(?:status|all|dashboards?|checks?) (?:is |are )?green\b"
    r"|\bback to ~?\d+(?:\.\d+)?\s?(?:%|ms\b|s\b|[kKMG]?B\b|/)"
    r"|\b(?:orders?|payments?|requests?|emails?|messages?|logins?|jobs?|test \w+) (?:are |is )?"
    r"(?:going|went|goes|get|got) through\b|\b(?:working|works|succeed\w*) again\b"
    r"|\b(?:is|are|now|looks?|group|cluster) stable\b|\bstable (?:now|again|for)\b"
)
_NOT_YET = re.compile(
    r"(?i)\bstill\b[^.\n]{0,30}\b(?:fail\w*|errors?|down|broken|degraded|high|elevated)\b"
    r"|\bnot (?:yet|fully)\b|\bpartial(?:ly)?\b"
)
_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]*`", re.S)
_CUES: tuple[tuple[Cue, re.Pattern[str]], ...] = (
    (Cue.ROLLBACK, re.compile(r"(?i)\b(?:roll(?:ed|ing)?[ -]?back|revert(?:ed|ing)?)\b")),
    (Cue.RESOLVED, re.compile(rf"(?i){_RECOVERY}")),
    (
        Cue.DEPLOY,
        re.compile(
            r"(?i)\b(?:deploy(?:ed|ing|ment)?|rolled out|roll(?:ing)? out|released?"
            r"|shipp(?:ed|ing)|synced to|merged)\b|\bv\d+\.\d+(?:\.\d+)?\b"
        ),
    ),
    (
        Cue.CONFIG,
        re.compile(
            r"(?i)\b(?:config(?:uration)?|feature flag|flag|setting|toggle[ds]?|terraform apply"
            r"|configmap|pool size|timeout|limit)\b.{0,40}\b(?:chang\w*|set|updat\w*|flipp\w*"
            r"|cut|rais\w*|lower\w*|increas\w*|decreas\w*|from \d+ to \d+)\b"
            r"|\bfrom \d+ to \d+\b"
        ),
    ),
    (
        Cue.CAUSE,
        re.compile(
            r"(?i)\b(?:root cause|cause[ds]?|because (?:of|the|it|they|our)|due to|turns out"
            r"|culprit|expired|expiry"
            r"|bump(?:ed)?|upgrad(?:e|ed|ing)|purg(?:e|ed|ing)|fail(?:ed)? ?over|patch(?:ed)?"
            r"|auto-merged|migrat(?:ed|ion)|rotat(?:ed|ion)|lapsed|misconfigur\w*"
            r"|deleted|filled up|ran out|shares? the)\b"
        ),
    ),
    (
        Cue.ALERT,
        re.compile(
            r"(?i)\b(?:alert(?:ing|ed)?|firing|triggered(?! by)|paged?|pager(?:duty)?|opsgenie"
            r"|on-call page|problem|critical|crit|down|outage|customers? (?:report(?:ing|ed)?"
            r"|complain\w*|are emailing)|reports? of|error rates?|errors?|5\d\d(?:s|ing)?"
            r"|4\d\d s|timeouts?|timing out|time out|failing|failures?|not (?:arriving|loading"
            r"|working|showing up|responding)|stopped|crash\w*|oomkilled|consumer lag"
            r"|evict(?:ed|ions?)"
            r"|diskpressure|disk pressure|disk full|spewing|jumped|spik(?:e|ed|ing)|degraded"
            r"|unreachable|offline|no (?:notifications|orders|traffic|emails|pushes|data))\b"
            r"|\bincident \S+ opened\b"
        ),
    ),
    (
        Cue.ACK,
        re.compile(
            r"(?i)^\W*(?:ack(?:ed|nowledged)?\b|on it\b|looking\b|i'?m (?:on it|looking|ic)\b"
            r"|i'?ll take (?:it|ic)\b|here\b|investigating\b|checking\b)"
        ),
    ),
)


@dataclass(frozen=True)
class Figure:
    """One stated figure of impact, as written, with what it counts and where it was said."""

    text: str  # as written: "142 tickets", "~$23,000", "41k emails"
    what: str  # what it counts ("tickets"), "money", "percent", or "" when unsaid
    message_id: str


@dataclass(frozen=True)
class Candidate:
    """A message that may be a key event of a kind."""

    cue: Cue
    message_id: str


@dataclass(frozen=True)
class Skeleton:
    """What the transcript states, each finding citing its message."""

    incident_id: str | None
    incident_id_message: str | None
    date: dt.date | None
    figures: list[Figure]
    candidates: list[Candidate]

    def impact(self, most: int) -> list[Figure]:
        """At most ``most`` figures, the most telling kinds first (money, counts of people and
        business things, percentages, parts, durations; metric readings last), each kind in
        transcript order."""
        rank = {"money": 0, "percent": 2, "part": 3, "duration": 4, "count": 5, "latency": 6}
        ranked = sorted(self.figures, key=lambda f: rank.get(f.what, 7 if f.what in _TECH else 1))
        return ranked[:most]

    def first(self, cue: Cue) -> str | None:
        """The id of the first candidate message of ``cue``, or None."""
        return next((c.message_id for c in self.candidates if c.cue is cue), None)

    def of(self, cue: Cue) -> list[str]:
        """The ids of every candidate message of ``cue``, in transcript order."""
        return [c.message_id for c in self.candidates if c.cue is cue]


@dataclass(frozen=True)
class KeyEvents:
    """The messages that are the incident's key events, as the transcript states them (None
    where it states none): the change that triggered it, the first alert or report, the first
    rollback, and the statement that it is resolved."""

    trigger: str | None
    detection: str | None
    mitigation: str | None
    resolution: str | None


def key_events(transcript: Transcript, stated: Skeleton | None = None) -> KeyEvents:
    """The key events of ``transcript`` (``stated``: its skeleton, when already computed).

    - detection: the first alert, page or report of trouble;
    - trigger: the first deploy or configuration change said before that alert; else the first
      message from then on that states a cause or a change ("the key expired", "renovate
      bumped ...", a deploy bot's notice);
    - mitigation: the first rollback after the alert;
    - resolution: the first recovery statement after the alert and the trigger.
    """
    sk = stated or compute(transcript)
    order = {m.id: i for i, m in enumerate(transcript.messages)}
    changes = sorted({*sk.of(Cue.DEPLOY), *sk.of(Cue.CONFIG)}, key=order.__getitem__)
    detection = sk.first(Cue.ALERT)
    opening = _opening_report(transcript, set(changes) - set(sk.of(Cue.ALERT)))
    if opening is not None and (detection is None or order[opening] < order[detection]):
        detection = opening
    start = order[detection] if detection is not None else -1
    early = [c for c in changes if order[c] < start]
    later = sorted({*changes, *sk.of(Cue.CAUSE)}, key=order.__getitem__)
    trigger = early[0] if early else next((c for c in later if order[c] > start), None)

    def after(cue: Cue, mark: int, skip: set[str | None]) -> str | None:
        return next((m for m in sk.of(cue) if order[m] > mark and m not in skip), None)

    mitigation = after(Cue.ROLLBACK, start, {trigger})
    since = max(start, order[trigger] if trigger is not None else -1)
    resolution = after(Cue.RESOLVED, since, {trigger, mitigation})
    return KeyEvents(trigger, detection, mitigation, resolution)


def _opening_report(transcript: Transcript, notices: set[str]) -> str | None:
    """The message an incident channel opens with: the first timed message by a person or a bot
    that is not a change notice (a deploy or config message without a word of trouble: that is
    the trigger) or a bare greeting or acknowledgement. Channels are opened to report trouble,
    so this is the report whatever words it uses ("[WARN] settlement -50%", "INC-2291
    declared", "api is sending all traffic to the old region"). ``notices``: the ids of the
    change notices."""
    for m in transcript.messages:
        if m.kind == MessageKind.SYSTEM or m.ts is None or m.id in notices:
            continue
        words = _CODE.sub(" ", m.text).split()
        if len(words) <= _GREETING_WORDS or _ACK.match(m.text):
            continue
        return m.id
    return None


_GREETING_WORDS = 3  # "morning all", "hi", "ack, looking": too short to report anything
_ACK = dict(_CUES)[Cue.ACK]


def compute(transcript: Transcript) -> Skeleton:
    """The skeleton of ``transcript``: see :class:`Skeleton`."""
    messages = [m for m in transcript.messages if m.kind != MessageKind.SYSTEM]
    found_id, id_message = incident_id(messages)
    return Skeleton(
        incident_id=found_id,
        incident_id_message=id_message,
        date=incident_date(transcript),
        figures=figures(messages),
        candidates=candidates(messages),
    )


# An incident channel named for its incident: "#inc-2291-checkout-db-pool" is INC-2291.
_CHANNEL = re.compile(r"(?i)(?:^|\s)#?inc-(?P<num>\d{2,8})(?![\d])")


def incident_id(messages: Iterable[Message]) -> tuple[str | None, str | None]:
    """The incident id the transcript states, and the message that states it: the first one
    said while opening or declaring the incident, else the first one at all, else the number in
    an incident channel's name."""
    first: tuple[str, str] | None = None
    channel: tuple[str, str] | None = None
    for m in messages:
        named = _CHANNEL.search(m.text)
        if named is not None and channel is None:
            channel = (f"INC-{named['num']}", m.id)
        for match in _INCIDENT_ID.finditer(m.text):
            found = match["id"] or f"#{match['num']}"
            if _OPENING.search(m.text):
                return found, m.id
            first = first or (found, m.id)
    if first is not None:
        return first
    return channel if channel is not None else (None, None)


def incident_date(transcript: Transcript) -> dt.date | None:
    """The date of the incident: of the first timestamped message when the source dates its
    messages, else the first date written in the text (``2025-03-04``, ``4 March 2025``)."""
    if transcript.date_known:
        for m in transcript.messages:
            if m.ts is not None and m.ts.date() >= _EARLIEST:
                return m.ts.date()
    for m in transcript.messages:
        stated = _stated_date(m.text)
        if stated is not None:
            return stated
    return None


def _stated_date(text: str) -> dt.date | None:
    for match in _ISO_DATE.finditer(text):
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
    for match in _WORDY_DATE.finditer(text):
        month = _MONTHS.get((match["mon"] or match["mon2"] or "").lower())
        day, year = match["d"] or match["d2"], match["y"] or match["y2"]
        if month is None:
            continue
        try:
            return dt.date(int(year), month, int(day))
        except ValueError:
            continue
    return None


def figures(messages: Iterable[Message]) -> list[Figure]:
    """Figures of impact as the transcript states them: money, percentages, and counts of
    things (tickets, users, orders...). Times, versions, ids and bare numbers are not figures."""
    out: list[Figure] = []
    seen: set[str] = set()
    for m in messages:
        for match in _FIGURE.finditer(m.text):
            what = (match["what"] or "").lower()
            if match["cur"]:
                kind = "money"
            elif match["pct"]:
                kind = "percent"
            elif what:
                kind = what
            elif (match["mult"] or "").strip() in ("k", "K", "M") or match["rate"]:
                kind = "count"  # "14k", "1.9M and growing", "5,200/s": a count by its size
            else:
                continue
            # "~$23,000 in lost orders" is money; "142 tickets" keeps what it counts.
            counted = kind not in ("money", "percent")
            end = match.end() if counted else max(match.end(g) for g in ("num", "mult", "pct"))
            text = m.text[match.start() : end].strip()
            if text.lower() not in seen:
                seen.add(text.lower())
                out.append(Figure(text=text, what=kind, message_id=m.id))
        for pattern, kind in (
            (_PART, "part"),
            (_READING, "reading"),
            (_DURATION, "duration"),
            (_LATENCY, "latency"),
        ):
            for match in pattern.finditer(m.text):
                text = match.group().strip("() ")
                if text.lower() not in seen:
                    seen.add(text.lower())
                    out.append(Figure(text=text, what=kind, message_id=m.id))
    return out


def candidates(messages: Iterable[Message]) -> list[Candidate]:
    """Every message that may be a key event, with the kind it may be, in transcript order.
    A human's acknowledgement counts only after the first alert; an alert from a bot counts
    first."""
    out: list[Candidate] = []
    alerted = False
    messages = list(messages)
    timed = any(m.ts is not None for m in messages)
    for m in messages:
        if timed and m.ts is None:
            continue  # an untimed line among timed ones (a title, a follow-up) is no event
        said = _CODE.sub(" ", m.text)  # a quoted log's words are not the responder's
        found = {c for c, pattern in _CUES if pattern.search(m.text if c is Cue.ALERT else said)}
        if _NOT_YET.search(m.text):
            found.discard(Cue.RESOLVED)  # "errors down to 0.3%, reads still failing"
        if Cue.RESOLVED in found:
            found.discard(Cue.ALERT)  # "[RESOLVED] ... alert" is not a new alert
        if m.kind != MessageKind.HUMAN or not alerted:
            found.discard(Cue.ACK)
        out.extend(Candidate(cue, m.id) for cue, _ in _CUES if cue in found)
        alerted = alerted or Cue.ALERT in found
    return out
