"""Redaction of contact details and secrets: emails, phone numbers, API keys, tokens, passwords.

Pure: no I/O. One compiled alternation finds every kind in a single pass, so redaction and the
egress leak check (:mod:`drafting.anonymise.egress`) stay fast enough to run on every message and
every outgoing text. Hostnames, service names and IP addresses are facts about the incident and are
kept unless :class:`RedactOptions` asks otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

# Placeholders written into the text. They contain no digits or key-like shapes, so a redacted
# text never trips the leak check.
PLACEHOLDERS = {
    "private key": "[PRIVATE KEY]",
    "password in a URL": "[CREDENTIALS]",
    "email address": "[EMAIL]",
    "secret": "[SECRET]",
    "phone number": "[PHONE]",
    "IP address": "[IP]",
    "hostname": "[HOST]",
}

# Each entry: (group name, kind reported to users, pattern). Order matters: earlier alternatives
# win at the same position (a URL's credentials before an email, a JWT before a generic token).
_SECRET_PARTS: tuple[tuple[str, str, str], ...] = (
    (
        "pem",
        "private key",
        r"-----BEGIN[A-Z ]{0,30}PRIVATE KEY-----(?:[\s\S]*?-----END[A-Z ]{0,30}PRIVATE KEY-----"
        r"|[\s\S]*)",
    ),
    # scheme://user:password@host keeps the scheme and host: they say which system it was.
    ("urlcred", "password in a URL", r"(?<=://)[^\s:/@]+:[^\s@/]+@"),
    (
        "email",
        "email address",
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    ),
    ("jwt", "secret", r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
    ("aws", "secret", r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b"),
    ("skkey", "secret", r"\b(?:sk|rk|pk)[-_](?:live|test|proj|ant)?[-_]?[A-Za-z0-9_-]{16,}"),
    ("github", "secret", r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
    ("slack", "secret", r"\bxox[bpasre]-[A-Za-z0-9-]{10,}"),
    ("google", "secret", r"\bAIza[0-9A-Za-z_-]{30,}"),
    ("bearer", "secret", r"(?i:\b(?P<bearer_kw>bearer|basic)\s+)(?!\[)[A-Za-z0-9._~+/=-]{8,}"),
    # password=..., "api_key": "...", token: ... keep the key name, drop the value.
    (
        "assign",
        "secret",
        r"(?i:\b(?P<assign_kw>(?:[a-z0-9]+[_-]|pg|my|db)?(?:password|passwd|passphrase|pwd"
        r"|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key(?:[_-]?id)?|account[_-]?key"
        r"|client[_-]?secret|auth|sig|signature)"
        r"[\"']?\s*[:=]\s*[\"']?))(?!\[)[^\s\"',;{}\[\]()<>]{4,}",
    ),
    # A quoted value after a secret's name: --sasl-pass 'x', psksecret "x", passphrase 'x'.
    (
        "quoted",
        "secret",
        r"(?i:\b(?P<quoted_kw>[a-z0-9_-]*(?:pass|passwd|password|passphrase|secret|token|psk)"
        r"\s+[\"']))(?!\[)[^\s\"']{6,}(?=[\"'])",
    ),
    # A secret's name, a few words, a colon, then a long value with digits in it: "the secret
    # in the setup email: fe6d7f...", "passphrase from the envelope: correct-lantern-7781".
    (
        "labelled",
        "secret",
        r"(?i:(?<!\[)\b(?P<labelled_kw>(?:password|passphrase|pass|secret|token|api key|psk)\b"
        r"[^:\n\[\]]{0,60}?(?::|\bis\b|\bwas\b|\bwere\b)(?:\s+(?:still|now|set to|changed to))?"
        r"\s*[\"']?))(?=[^\s\"']*\d)[^\s\"',;\[\]]{8,}(?<![.!?:])",
    ),
    # A secret's name right before a long value: "use my heroku api key f4d7f503-6f17-...".
    (
        "named",
        "secret",
        r"(?i:(?<!\[)\b(?P<named_kw>(?:password|passphrase|secret|token|api key|key|psk)\s+))"
        r"(?=[^\s\"']*\d)(?=[^\s\"']*[A-Za-z])[A-Za-z0-9+/=_.-]{16,}",
    ),
    # A key-ish setting with a long value holding digits: app_key: 74ad39..., LICENSE-KEY=...
    (
        "keyval",
        "secret",
        r"(?i:\b(?P<keyval_kw>[a-z0-9]+[_-]key[\"']?\s*[:=]\s*[\"']?))"
        r"(?=[^\s\"']*\d)[A-Za-z0-9+/=_.-]{16,}",
    ),
    # A login and its password: "admin / Wh2-Unifi-Adm1n#25" (spaced: admin/v1/purge is a path).
    (
        "userpass",
        "secret",
        r"(?i:(?<![/\w])(?P<userpass_kw>(?:admin|administrator|root|user(?:name)?|login|guest|ubnt)"
        r"(?:\s+/\s*|/\s+)))(?=\S*[\d#!$%&*@^])(?!\[)[^\s\"',;]{6,}",
    ),
    ("mailgun", "secret", r"\bkey-[0-9a-f]{32}\b"),
    # The secret path of a webhook URL: Discord, Slack, Teams/Office connectors.
    (
        "webhook",
        "secret",
        r"(?<=/api/webhooks/)[\w/-]{20,}|(?<=hooks\.slack\.com/services/)[\w/]{20,}"
        r"|(?<=webhook\.office\.com/webhookb2/)[\w@/-]{20,}",
    ),
    # Credentials on a command line: redis-cli -a 'x', ldapsearch -w 'x', curl -u user:x,
    # mysql -px, and Opsgenie's "GenieKey <key>" header.
    (
        "cliflag",
        "secret",
        r"(?P<cliflag_kw>(?:\bredis-cli\b[^\n]*?\s-a|\bldap\w+\b[^\n]*?\s-w|\bcurl\b[^\n]*?"
        r"\s-u\s+[^\s:]+:|\bmysql\w*\b[^\n]*?\s-p(?=\S)|(?i:\bgeniekey)"
        r"|(?i:\bnickserv\s+identify(?:\s+\S+(?=\s+\S))?))\s*[\"']?)"
        r"(?!\[)[^\s\"']{6,}",
    ),
)

_PHONE_PART = (
    "phone",
    "phone number",
    # +44 7700 900123 | 020 7946 0321 | (415) 555-0132 | 415.555.0132 | 555-0147 (local);
    # digits are counted afterwards, so a long id or a date never counts as a phone.
    r"(?<![\w.+-])(?:\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{2,6}){1,5}"
    r"|\(\d{3}\) ?\d{3}[ .-]\d{4}|0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}"
    r"|\d{3}(?P<phone_sep>[ .-])\d{3}(?P=phone_sep)\d{4}|\d{3}-\d{4})(?![\w.-]*\d)",
)

_IP_PART = (
    "ip",
    "IP address",
    r"\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b(?:/\d{1,2})?"
    # IPv6: three or more colons, or a "::"; a clock time like 17:32:55 has only two.
    r"|(?<![\w:])(?=[0-9a-fA-F:]*\d)(?=[0-9a-fA-F:]*::|(?:[0-9a-fA-F]{1,4}:){3})[0-9a-fA-F]{0,4}"
    r"(?::[0-9a-fA-F]{0,4}){2,7}(?![\w:])",
)

_HOST_PART = (
    "host",
    "hostname",
    r"\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|dev|app|cloud|internal"
    r"|local|lan|corp|co|uk|de|fr|eu|us|ai|svc|cluster)\b",
)


@dataclass(frozen=True)
class RedactOptions:
    """What to redact beyond contact details and secrets (which are always redacted)."""

    ips: bool = False
    hostnames: bool = False


# Cheap gates: a part's regex runs only when its literal (in lower case) occurs in the text, so
# the usual chat line, holding none of them, costs a few substring searches and no regex at all.
_GATES: dict[str, tuple[str, ...]] = {
    "pem": ("private key",),
    "urlcred": ("://",),
    "email": ("@",),
    "jwt": ("eyj",),
    "aws": ("akia", "asia", "agpa", "aida", "aroa"),
    "skkey": ("sk-", "sk_", "rk-", "rk_", "pk-", "pk_"),
    "github": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    "slack": ("xox",),
    "google": ("aiza",),
    "bearer": ("bearer", "basic"),
    "assign": ("pass", "pwd", "secret", "token", "key", "auth", "sig"),
    "quoted": ("pass", "secret", "token", "psk"),
    "labelled": ("pass", "secret", "token", "api key", "psk"),
    "named": ("pass", "secret", "token", "key", "psk"),
    "keyval": ("key",),
    "userpass": ("admin", "root", "user", "login", "guest", "ubnt"),
    "mailgun": ("key-",),
    "webhook": ("/api/webhooks/", "hooks.slack.com/services/", "webhook.office.com"),
    "cliflag": ("redis-cli", "ldap", "curl", "mysql", "geniekey", "nickserv"),
}
_NEEDLES = tuple((needle, name) for name, needles in _GATES.items() for needle in needles)
# Phones, IPs and hosts have no literal: a small regex stands in as their gate.
_PHONE_GATE = re.compile(r"\d[\d ().-]{5,}\d")
_IP_GATE = re.compile(r"\d\.\d|[0-9a-f]?:[0-9a-f]*:")
_HOST_GATE = re.compile(r"[a-z0-9]\.[a-z]")


_Node = dict[str, "_Node"]


def _trie(words: list[str]) -> str:
    """A regex for any of ``words`` with shared prefixes factored out (faster than a|b|c)."""
    tree: _Node = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: _Node) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        body = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})" if alts else ""
        return f"(?:{body})?" if "" in node and body else body

    return emit(tree)


# One search decides whether a text needs any redaction at all: most chat lines do not.
_ANY = re.compile(_trie(sorted({n for n, _ in _NEEDLES})) + "|" + _PHONE_GATE.pattern)


@dataclass(frozen=True)
class _Compiled:
    pattern: re.Pattern[str]
    kinds: dict[str, str]


def _compiled(text: str, options: RedactOptions | None) -> _Compiled | None:
    """The alternation of the parts whose gate this text passes (None when none does)."""
    low = text.lower()
    if _ANY.search(low) is None and (options is None or not (options.ips or options.hostnames)):
        return None
    names = {name for needle, name in _NEEDLES if needle in low}
    if _PHONE_GATE.search(low):
        names.add("phone")
    if options is not None and options.ips and _IP_GATE.search(low):
        names.add("ip")
    if options is not None and options.hostnames and _HOST_GATE.search(low):
        names.add("host")
    return _compile(frozenset(names)) if names else None


@lru_cache(maxsize=512)
def _compile(names: frozenset[str]) -> _Compiled:
    # Keep the declared order: earlier parts win at the same position.
    parts = [p for p in (*_SECRET_PARTS, _PHONE_PART, _IP_PART, _HOST_PART) if p[0] in names]
    pattern = "|".join(f"(?P<{name}>{body})" for name, _, body in parts)
    return _Compiled(re.compile(pattern), {name: kind for name, kind, _ in parts})


def _is_phone(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return 9 <= digits <= 15 or (digits == 7 and text[3:4] == "-")


def _replacement(match: re.Match[str], kinds: dict[str, str]) -> str | None:
    """The placeholder for a match, or None when the match is not really sensitive."""
    name = match.lastgroup or ""
    if name == "phone" and not _is_phone(match.group()):
        return None
    placeholder = PLACEHOLDERS[kinds[name]]
    if name == "urlcred":
        return placeholder + "@"
    if name == "bearer":
        return f"{match.group('bearer_kw')} {placeholder}"
    if name in ("assign", "quoted", "labelled", "named", "keyval", "userpass", "cliflag"):
        return f"{match.group(name + '_kw')}{placeholder}"
    return placeholder


# Second opinion from a maintained detector: the token shapes detect-secrets' plugins know (AWS,
# Azure storage keys, Twilio, Slack, Stripe, GitHub, GitLab, npm, SendGrid, Telegram, Discord,
# Mailchimp, JWT...), and its entropy measure for keys of no known shape (PagerDuty, vendors'
# random tokens). IPs are left to RedactOptions; private keys and URL credentials are ours above.
_SKIPPED_PLUGINS = frozenset({"IPPublicDetector", "PrivateKeyDetector", "BasicAuthDetector"})
_TOKEN = re.compile(r"(?<![\w+/=-])[A-Za-z0-9+/=_-]{20,}(?![\w+/=-])")
_SEGMENT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
MIN_ENTROPY = 3.7


@lru_cache(maxsize=1)
def _plugin_patterns() -> tuple[re.Pattern[str], ...]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector

    patterns: list[re.Pattern[str]] = []
    plugins: list[type] = list(get_mapping_from_secret_type_to_class().values())
    for cls in plugins:
        if issubclass(cls, RegexBasedDetector) and cls.__name__ not in _SKIPPED_PLUGINS:
            patterns.extend(getattr(cls, "denylist", ()))  # a class attribute in every plugin
    return tuple(patterns)


@lru_cache(maxsize=1)
def _entropy() -> object:
    from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString

    return Base64HighEntropyString()


def _looks_random(token: str) -> bool:
    """A key of no known shape: mixed case, a digit or symbol, high entropy, and not made of
    words (``ProductDataFreshnessCheck2024`` is an identifier, ``y_NbAkKc66ryYTWUXYEu`` a key)."""
    if not (any(c.isupper() for c in token) and any(c.islower() for c in token)):
        return False
    if not any(c.isdigit() or c in "+/_=" for c in token):
        return False
    wordy = sum(len(seg) for seg in _SEGMENT.findall(token) if len(seg) >= 4 and seg[1:].islower())
    if wordy >= len(token) / 2:
        return False
    # A path or URL piece (org/repo-name/commit/41c9e0d): one of its parts is a plain word.
    parts = re.split(r"[/_-]", token)
    # (/Users/Responder E/Downloads/AuthKey_9HB4TZ31WQ.p8: "Downloads" is a word too.)
    if "/" in token and any(
        len(x) >= 4 and x.isalpha() and (x.islower() or x.istitle()) for x in parts
    ):
        return False
    measure = _entropy().calculate_shannon_entropy  # type: ignore[attr-defined]
    return bool(measure(token) >= MIN_ENTROPY)


def _library_spans(text: str) -> list[tuple[int, int]]:
    """Spans of secrets detect-secrets finds in ``text`` (its plugins' patterns and entropy)."""
    spans: list[tuple[int, int]] = []
    for pattern in _plugin_patterns():
        for m in pattern.finditer(text):
            group = m.lastindex or 0
            start, end = m.span(group)
            while start < end and text[start] in " \t\"'=:":
                start += 1
            while end > start and text[end - 1] in " \t\"'":
                end -= 1
            if end - start >= 8:
                spans.append((start, end))
    spans += [m.span() for m in _TOKEN.finditer(text) if _looks_random(m.group())]
    return _merged(spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# A password as policies make people write one: upper and lower case, a digit and a symbol
# ("Y7#pzQ!m4Vt", "Welkom2026!Brug"), in a message that talks about passwords or secrets.
_PASSWORD_TALK = re.compile(
    r"(?i)\b(?:password|passwd|passphrase|pw|pwd|pass|secret|psk|creds|credentials|login|wifi"
    r"|wi-fi|enable|md5 key|key|account)\b"
)
_TOKEN_CHAR = r"[^\s\"'`,;()<>\[\]&=]"  # not quotes, brackets or a query string's & and =
_POLICY_SHAPED = re.compile(
    rf"(?<![\w/@.:=&-])(?![@#])(?={_TOKEN_CHAR}*[A-Z])(?={_TOKEN_CHAR}*[a-z])"
    rf"(?={_TOKEN_CHAR}*\d)(?={_TOKEN_CHAR}*[!#$%*@^?~]){_TOKEN_CHAR}{{8,40}}(?![^\s\"'`,;()<>])"
    r"(?<![.,:;?])"
)
# Backup and recovery codes: every code in a message that says it holds them.
_CODES_TALK = re.compile(r"(?i)\b(?:backup|recovery|mfa|2fa|otp|one-time)\s+codes?\b")
_CODE = re.compile(r"(?<![\w.:/-])(?:\d{6,10}|[a-z0-9]{4,5}-[a-z0-9]{4,5})(?![\w.:/-])")


def _shape_spans(text: str) -> list[tuple[int, int]]:
    """Spans of passwords and one-time codes known by their shape and what the message says."""
    spans: list[tuple[int, int]] = []
    if _PASSWORD_TALK.search(text):
        spans += [m.span() for m in _POLICY_SHAPED.finditer(text) if "://" not in m.group()]
    if _CODES_TALK.search(text):
        spans += [m.span() for m in _CODE.finditer(text)]
    return spans


def _library_redact(text: str, found: set[str] | None) -> str:
    spans = _merged(_library_spans(text) + _shape_spans(text))
    for start, end in reversed(spans):
        if found is not None:
            found.add(text[start:end])
        text = text[:start] + PLACEHOLDERS["secret"] + text[end:]
    return text


def redact(
    text: str, options: RedactOptions | None = None, *, found: set[str] | None = None
) -> str:
    """Replace emails, phone numbers and secrets (and IPs/hostnames if asked) with placeholders.

    Args:
        text: Untrusted text, e.g. one chat message.
        options: Extra kinds to redact; by default IPs and hostnames stay.
        found: When given, every secret value replaced is added to it (not emails or phones),
            so a value recognised here can be redacted where it recurs without its label.

    Returns:
        The text with each sensitive span replaced by a placeholder such as ``[EMAIL]``.
    """
    compiled = _compiled(text, options)
    if compiled is not None:

        def sub(match: re.Match[str]) -> str:
            replacement = _replacement(match, compiled.kinds)
            if replacement is None:
                return match.group()
            name = match.lastgroup or ""
            if found is not None and compiled.kinds[name] == "secret":
                kw = match.groupdict().get(f"{name}_kw")
                found.add(match.group()[len(kw) :] if kw else match.group())
            return replacement

        text = compiled.pattern.sub(sub, text)
    return _library_redact(text, found)


def find_kinds(text: str, options: RedactOptions | None = None) -> list[str]:
    """The distinct kinds of sensitive data present in ``text`` (e.g. ``["email address"]``).

    The values themselves are never returned, so callers can report a leak without repeating it.
    """
    compiled = _compiled(text, options)
    found: dict[str, None] = {}
    if compiled is not None:
        for match in compiled.pattern.finditer(text):
            if _replacement(match, compiled.kinds) is not None:
                found.setdefault(compiled.kinds[match.lastgroup or ""], None)
    # Not the shape rules (passwords, backup codes): they read a message's own words, and a
    # prompt joins many messages ("OTP codes" in one, a ticket number in another).
    if _library_spans(text):
        found.setdefault("secret", None)
    return list(found)


def known_values(found: Iterable[str]) -> frozenset[str]:
    """The secret values collected by :func:`redact` (its ``found``) that are long enough to
    redact on sight: a password or backup code recognised once by the words around it is a
    secret wherever it recurs ("used 097007 and 403786")."""
    values = (v.strip("\"' ") for v in found)
    return frozenset(v for v in values if len(v) >= MIN_KNOWN_SECRET)


# A value this short is too likely to be an ordinary word or number to redact on sight.
MIN_KNOWN_SECRET = 6


def known_secrets_redactor(values: frozenset[str]) -> Callable[[str], str]:
    """A function that replaces each of ``values`` wherever it stands as a whole token."""
    if not values:
        return lambda text: text
    alternation = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w+/=-])(?:{alternation})(?![\w+/=-])")
    return lambda text: pattern.sub(PLACEHOLDERS["secret"], text)
