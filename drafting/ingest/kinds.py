"""Recognising bots, alerts and channel events, whatever the source format."""

from __future__ import annotations

import re
from functools import lru_cache

from drafting.ingest.types import MessageKind

# Integrations that post into incident channels. Matched against the lower-cased speaker name with
# spaces, dots and underscores turned into hyphens.
KNOWN_BOTS = frozenset(
    {
        "pagerduty",
        "datadog",
        "opsgenie",
        "monitor",
        "alertmanager",
        "prometheus",
        "grafana",
        "deploy-bot",
        "github",
        "gitlab",
        "jenkins",
        "sentry",
        "statuspage",
        "new-relic",
        "newrelic",
        "nagios",
        "zabbix",
        "victorops",
        "splunk",
        "splunk-on-call",
        "cloudwatch",
        "aws-chatbot",
        "argocd",
        "argo-cd",
        "circleci",
        "spinnaker",
        "incident-io",
        "firehydrant",
        "rootly",
        "uptimerobot",
        "pingdom",
        "honeybadger",
        "slackbot",
        "workflow-builder",
        "azure-devops",
        "power-automate",
        "workflows",
    }
)
# Words that mark an integration when they appear anywhere in a multi-word name
# ("Datadog Alerts", "PagerDuty for Slack", "GitHub Actions").
_BOT_WORDS = frozenset(
    {
        "pagerduty",
        "datadog",
        "opsgenie",
        "alertmanager",
        "prometheus",
        "grafana",
        "nagios",
        "zabbix",
        "jenkins",
        "sentry",
        "github",
        "statuspage",
        "monitor",
        "monitoring",
        "alerts",
        "alerting",
        "bot",
    }
)
# Surnames and nicks that end in "bot" but are people.
_NOT_BOTS = frozenset({"talbot", "abbot", "cabot", "thibot", "cubot"})
_SEPARATORS = re.compile(r"[\s._]+")

_SYSTEM_WORDS = (
    "joined",
    "left",
    "topic",
    "purpose",
    "description",
    "renamed",
    "added",
    "archived",
    "pinned",
    "started",
    "ended",
    "stopped",
    "hinzugefügt",
    "verlassen",
    "beigetreten",
)
_SYSTEM_HINT = re.compile("|".join(_SYSTEM_WORDS))
_PLACE = r"(?:the (?:channel|conversation|group|meeting|call|team|chat)\b|#)"
_SYSTEM = re.compile(
    rf"(?:has |have )?(?:joined|left) {_PLACE}|"
    r"(?:has )?(?:set|changed|cleared) the (?:channel |conversation )?"
    r"(?:topic|purpose|description)|"
    r"(?:has )?renamed the (?:channel|conversation)|"
    rf"(?:was |were |has )?added (?:\S+ ){{0,3}}to {_PLACE}|"
    r"(?:has )?archived the channel|"
    r"(?:has )?(?:pinned|unpinned) a message|"
    r"(?:meeting|recording|transcription) (?:started|ended|has started|has stopped)|"
    r"^(?:a )?huddle (?:started|ended)\b|"
    # German Teams: "... zum Chat hinzugefügt", "... hat den Chat verlassen".
    r"zum (?:Chat|Team|Kanal) hinzugefügt|hat (?:den Chat|das Team|die Besprechung) verlassen|"
    r"ist der Besprechung beigetreten",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def is_bot_name(name: str) -> bool:
    """Whether a speaker name is an integration (PagerDuty, Datadog, ``deploy-bot``...).

    Examples:
        >>> is_bot_name("PagerDuty"), is_bot_name("deploy-bot"), is_bot_name("Ann Talbot")
        (True, True, False)
    """
    key = _SEPARATORS.sub("-", name.strip().lower()).strip("-")
    if not key:
        return False
    if key in KNOWN_BOTS or key.endswith("[bot]"):
        return True
    words = key.split("-")
    if any(w in _BOT_WORDS for w in words):
        return True
    if " " in name.strip():
        # A person's full name ("Ann Talbot") is never caught by the suffix rule below.
        return words[-1] == "bot"
    return key.endswith("bot") and key not in _NOT_BOTS


def is_system_text(text: str) -> bool:
    """Whether a message's text is a channel event: a join, leave, topic change, rename..."""
    # Events are short one-liners; the phrase may follow a name ("Li Na joined the meeting").
    if len(text) > 120 or "\n" in text:
        return False
    # Cheap keyword screen first: the full pattern is a slow search on every ordinary message.
    if _SYSTEM_HINT.search(text) is None:
        return False
    return _SYSTEM.search(text) is not None


def speaker_kind(speaker: str) -> MessageKind:
    """BOT for an integration's name, else HUMAN (for formats that mark events themselves)."""
    return MessageKind.BOT if is_bot_name(speaker) else MessageKind.HUMAN


def classify(speaker: str, text: str) -> MessageKind:
    """The kind of a message from its speaker and text, when the source does not say."""
    if is_bot_name(speaker):
        return MessageKind.BOT
    if is_system_text(text):
        return MessageKind.SYSTEM
    return MessageKind.HUMAN
