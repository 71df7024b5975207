"""Redaction of emails, phone numbers and secrets; infrastructure facts stay by default."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafting.anonymise.redact import (
    RedactOptions,
    find_kinds,
    known_secrets_redactor,
    known_values,
    redact,
)

SENSITIVE = [
    ("mail alex.kim@example.com now", "mail [EMAIL] now", "email address"),
    ("call 020 7946 0321 please", "call [PHONE] please", "phone number"),
    ("call +44 20 7946 0321", "call [PHONE]", "phone number"),
    ("call +1 (415) 555-0132", "call [PHONE]", "phone number"),
    ("call (415) 555-0132", "call [PHONE]", "phone number"),
    ("call 415.555.0132", "call [PHONE]", "phone number"),
    ("me: +44 7700 900123 or mail", "me: [PHONE] or mail", "phone number"),
    ("call me on 555-0147 if", "call me on [PHONE] if", "phone number"),
    (
        "&se=2024-03-11T23:59:59Z&sig=h7Kx2pQ9vLm%3D",
        "&se=2024-03-11T23:59:59Z&sig=[SECRET]",
        "secret",
    ),
    ("key AKIAIOSFODNN7EXAMPLE here", "key [SECRET] here", "secret"),
    ("sk-live-4eC39HqLyjWDarjtT1zdp7dc leaked", "[SECRET] leaked", "secret"),
    ("sk-proj-abcdefghijklmnop1234 leaked", "[SECRET] leaked", "secret"),
    ("stripe sk_live_51Habcdefghijklmnop", "stripe [SECRET]", "secret"),
    ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "[SECRET]", "secret"),
    ("gho_abcdefghijklmnopqrstuvwxyz0123456789", "[SECRET]", "secret"),
    ("xoxb-1234567890-abcdefghij", "[SECRET]", "secret"),
    ("xoxp-1234567890-abcdefghij", "[SECRET]", "secret"),
    ("Authorization: Bearer abc.def.ghijklmnop", "Authorization: Bearer [SECRET]", "secret"),
    (
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0",
        "jwt [SECRET]",
        "secret",
    ),
    (
        "postgres://admin:hunter22@db-prod-3:5432/app",
        "postgres://[CREDENTIALS]@db-prod-3:5432/app",
        "password in a URL",
    ),
    ("set password=hunter22; ok", "set password=[SECRET]; ok", "secret"),
    ('"api_key": "abcd1234efgh"', '"api_key": "[SECRET]"', "secret"),
    ("DB_PASSWORD=xyz12345", "DB_PASSWORD=[SECRET]", "secret"),
    ("token: abc123456", "token: [SECRET]", "secret"),
    (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY----- ok",
        "[PRIVATE KEY] ok",
        "private key",
    ),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1r", "[PRIVATE KEY]", "private key"),
]

HARMLESS = [
    "ip 10.0.3.17 and 192.168.100.200 host db-prod-3 api.example.net",
    "at 2026-11-22 17:32:55, epoch 1732291975, v1.2.3, 14 deletes, 99.8% hit rate",
    "max_tokens: 500 and the token expired",
    "request 3f2b9c1e-8d4a-4c7b-9e21-0a5b6c7d8e9f commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
    "1 200 000 requests, TTL 300, 3/5 probes, ~15% of EU users for 2h15m",
    "ticket CHG-20931, PR #2291, pipeline #88213, error 0x80070005, v3.14.0, 2024-03-05",
    "sign-off from the signal team, design doc, keyboard, monkey",
    "std::string and fe80 and a::b",
]


@pytest.mark.parametrize(("text", "expected", "kind"), SENSITIVE)
def test_redact_replaces_each_sensitive_shape_with_its_placeholder(
    text: str, expected: str, kind: str
) -> None:
    assert redact(text) == expected
    assert find_kinds(text) == [kind]


@pytest.mark.parametrize("text", HARMLESS)
def test_redact_keeps_hosts_ips_times_and_numbers_by_default(text: str) -> None:
    assert redact(text) == text
    assert find_kinds(text) == []


def test_redact_removes_ips_and_hostnames_only_when_asked() -> None:
    text = "db 10.0.3.17 and fe80::1 behind api.example.net, at 17:32:55"
    options = RedactOptions(ips=True, hostnames=True)
    assert redact(text, options) == "db [IP] and [IP] behind [HOST], at 17:32:55"
    assert find_kinds(text) == []
    assert find_kinds(text, options) == ["IP address", "hostname"]


def test_redacted_text_passes_its_own_check() -> None:
    text = " ".join(t for t, _, _ in SENSITIVE)
    assert find_kinds(text)
    assert find_kinds(redact(text)) == []


def test_find_kinds_reports_each_kind_once_and_never_the_value() -> None:
    kinds = find_kinds("a@b.io c@d.io token=abcdefgh 020 7946 0321")
    assert kinds == ["email address", "secret", "phone number"]
    assert not any("@" in k or "abcdefgh" in k for k in kinds)


_secret = st.sampled_from([t for t, _, _ in SENSITIVE])
_filler = st.text(alphabet="abcdefghij klmnop,.:!?-", max_size=30)


@given(st.lists(st.tuples(_filler, _secret), min_size=1, max_size=4), _filler)
def test_no_sensitive_shape_survives_redaction_in_any_context(
    pieces: list[tuple[str, str]], tail: str
) -> None:
    text = "".join(f"{f} {s} " for f, s in pieces) + tail
    cleaned = redact(text)
    assert find_kinds(cleaned) == []
    assert redact(cleaned) == cleaned


# Token shapes found in real incident chat that the hand-written patterns did not know; they are
# caught by detect-secrets' plugins or its entropy measure. Values are fake, shapes are real.
AZURE_KEY = "Zm9vYmFyYmF6cXV4" * 5 + "Zm9vYmFyYmF6cXV4Zm9v" + "bar="
LIBRARY_SECRETS = [
    "PD_API_KEY y_NbAkKc66ryYTWUXYEu",  # PagerDuty REST key (20 chars, no fixed prefix)
    "u+AbCdEfGhIjKlMnOpQr is the pagerduty token",
    "twilio key SK0123456789abcdef0123456789abcdef",  # Twilio API key SID
    f"DefaultEndpointsProtocol=https;AccountName=prodlogs;AccountKey={AZURE_KEY};EndpointSuffix=x",
    "token glpat-Ab12Cd34Ef56Gh78Ij90",  # GitLab personal access token
    "SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq",  # SendGrid
    "bot 123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQr",  # Telegram bot token
    "mailchimp 0123456789abcdef0123456789abcdef-us14",
]


@pytest.mark.parametrize("text", LIBRARY_SECRETS)
def test_token_shapes_known_to_detect_secrets_are_redacted(text: str) -> None:
    out = redact(text)
    assert "[SECRET]" in out
    assert find_kinds(text) == ["secret"]


@pytest.mark.parametrize(
    "text",
    [
        "deployed 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 to prod",  # a commit SHA
        "request id 9f1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d failed",
        "pod checkout-api-7d9f8b6c5-x2k4p restarted",
        "ProductDataFreshnessCheck2024 fired at 09:30",
        "trace 4bf92f3577b34da6a3ce929d0e0e4736 shows the slow span",
        "see /var/log/payments/settlement-worker-2024-03-05.log",
    ],
)
def test_ids_hashes_and_identifiers_stay(text: str) -> None:
    assert redact(text) == text
    assert find_kinds(text) == []


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("run --sasl-pass 'K3tiM1uzMxU9RW' now", "run --sasl-pass '[SECRET]' now"),
        ('phase1 psksecret "Lg0s-Gcp-IPsec-2291!"', 'phase1 psksecret "[SECRET]"'),
        ("PGPASSWORD='Pay-RO-2025-mar' psql", "PGPASSWORD='[SECRET]' psql"),
        ("the secret in the email: fe6d7fae2244400e5637841a85dad5e6 - rotate",
         "the secret in the email: [SECRET] - rotate"),
        ('passphrase from the envelope: "correct-lantern-7781-violet"',
         'passphrase from the envelope: "[SECRET]"'),
        ("the vault pass for the clinic is in the README in plain text: Vault-Clinic-2291x. ok",
         "the vault pass for the clinic is in the README in plain text: [SECRET]. ok"),
        ("changed the guest wifi PSK, it was still WH2guest-2019",
         "changed the guest wifi PSK, it was still [SECRET]"),
        ("admin / Wh2-Unifi-Adm1n#25", "admin / [SECRET]"),
        ("use my heroku api key f4d7f503-6f17-419a-b9cb-db28da1c6019 , app is lojaverde-prod",
         "use my heroku api key [SECRET] , app is lojaverde-prod"),
        ("app_key: 74ad39172f3001b174af2cf12356c21b54400f13", "app_key: [SECRET]"),
        ("the resend script uses key-b19db39178843186e4b2e6c278bd1e64 hardcoded",
         "the resend script uses [SECRET] hardcoded"),
        ("enable secret on ist-edge-2 is still the old one right? Y7#pzQ!m4Vt",
         "enable secret on ist-edge-2 is still the old one right? [SECRET]"),
        ("admin pw for the jump box is Welkom2026!Brug - Lotte's handwriting",
         "admin pw for the jump box is [SECRET] - Lotte's handwriting"),
        ("logged into the demo account (demo / Demo!Shop2026)",
         "logged into the demo account (demo / [SECRET])"),
        ("NOC backup codes, from the top:\n097007\n403786\nab12c-9xk3q",
         "NOC backup codes, from the top:\n[SECRET]\n[SECRET]\n[SECRET]"),
        ("08:15 < zana> nickserv identify Dl4nd-Qerec!09",
         "08:15 < zana> nickserv identify [SECRET]"),
        ("login dns-admin / Oshun-Ridge-58! and the recovery codes:",
         "login dns-admin / [SECRET] and the recovery codes:"),
        ('"private_key_id": "90fdf2d3794a240fe9c5d05a0b3a2fd1ff213e4b"',
         '"private_key_id": "[SECRET]"'),
    ],
)  # fmt: skip
def test_a_secret_named_in_words_or_flags_is_redacted(text: str, redacted: str) -> None:
    assert redact(text) == redacted


@pytest.mark.parametrize(
    "text",
    ["the token bucket: 500 per second", 'we passed "all tests" today',
     "password reset: done for 3 users", "secret rotation: scheduled for 2025-03-10",
     "curl -X POST https://x.example/admin/v1/purge_media_cache?before_ts=1738500000000",
     "GET /admin/api/2025-01/themes.json", "the token expired at 2025-03-04T10:00:00Z",
     "sort_key: created_at, signing key rotated 2025-03-01", "admin / password reset",
     "login fails for @Sanjay2! and #INC-2291A", "account 4412 locked at 10:42; 3 codes left"],
)  # fmt: skip
def test_talk_about_secrets_is_not_a_secret(text: str) -> None:
    assert redact(text) == text


def test_a_url_path_with_a_label_in_it_is_not_a_secret() -> None:
    text = "see github.com/Responder B/tidepool-sdk/commit/41c9e0d7a2 for the leak"
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("redis-cli -h r0 -a 'LAo9IH^zZaMzu9' info", "redis-cli -h r0 -a '[SECRET]' info"),
        ("ldapsearch -x -w 'WrrpvGRmI8bKsS' -b dc", "ldapsearch -x -w '[SECRET]' -b dc"),
        ("curl -s -u elastic:Es-Flood-Stage-4471 -XPUT", "curl -s -u elastic:[SECRET] -XPUT"),
        ("mysql -pHunter2x db", "mysql -p[SECRET] db"),
        ("GenieKey 3f1c9a2e-7b4d-4e8f-a1c6-5d2b9e0f7a13", "GenieKey [SECRET]"),
        ("the API key used by the script is Q+N2nIvtbhIx__Guukh+ .",
         "the API key used by the script is [SECRET] ."),
    ],
)  # fmt: skip
def test_credentials_on_a_command_line_are_redacted(text: str, redacted: str) -> None:
    assert redact(text) == redacted


@pytest.mark.parametrize("text", ["ssh -p 2222 bastion", "psql -p 5432 -h db", "curl -u admin x"])
def test_ports_and_prompted_passwords_are_not_secrets(text: str) -> None:
    assert redact(text) == text


def test_a_secret_found_once_is_redacted_where_it_recurs_without_its_label() -> None:
    texts = [
        "NOC backup codes:\n097007\n403786",
        "used 097007 and 403786, I'm in. 0970071 is a ticket",
    ]
    found: set[str] = set()
    for text in texts:
        redact(text, found=found)
    again = known_secrets_redactor(known_values(found))
    assert again(texts[1]) == "used [SECRET] and [SECRET], I'm in. 0970071 is a ticket"
    assert known_secrets_redactor(frozenset())("used 097007") == "used 097007"
