"""Who the lint counts as a person: names from the dataset, unknown names with corroboration,
two-word roles, teams, and subjects found past relative and participle clauses. Each signal has
a sentence it must flag and a hard negative it must leave alone."""

from __future__ import annotations

from drafting.lint import lint_text
from drafting.lint.subject import Who, classify, load_lexicon

LEX = load_lexicon()


def _rules(text: str) -> list[str]:
    return [f.rule for f in lint_text(text)]


def test_a_first_name_from_the_dataset_is_a_person_only_when_capitalised():
    assert classify("Kwabena", LEX) is Who.PERSON  # in Faker's data, in no hand list
    assert classify("kwabena", LEX) is Who.OTHER
    assert _rules("Kwabena failed to page the database team.") == ["BL-D01"]
    assert _rules("Kwabena paged the database team at 02:17.") == []


def test_a_capitalised_word_no_list_knows_is_a_possible_name_and_a_product_is_not():
    assert classify("Ikaika", LEX) is Who.NAME
    assert classify("Alertmanager", LEX) is Who.OTHER  # on the accept list
    assert classify("Monitoring", LEX) is Who.OTHER  # an ordinary word's ending


def test_an_unknown_name_counts_as_a_person_when_a_pronoun_corroborates_it():
    assert _rules("Ikaika failed to escalate until he saw the second alert.") == ["BL-D01"]
    assert _rules("Vitess failed to reshard the keyspace after the upgrade.") == []


def test_an_unknown_name_counts_as_a_person_for_acts_only_people_do():
    assert _rules("Ikaika forgot to renew the certificate.") == ["BL-D02"]
    assert _rules("Ikaika ignored the disk alert.") == []  # products ignore things too


def test_a_possessive_of_a_human_act_corroborates_an_unknown_name():
    assert "BL-A10" in _rules("Because of Ikaika's typo, the whole region went down.")
    assert _rules("Because of Vitess's resharding, the queries were slow.") == []


def test_a_two_word_role_names_a_person_though_its_last_word_alone_does_not():
    assert _rules("The support agent ignored the customer reports.") == ["BL-D03"]
    assert _rules("The monitoring agent ignored the new config file.") == []


def test_a_named_team_is_the_blamed_party():
    assert _rules("Team Falcon ignored the capacity warnings.") == ["BL-D03"]
    assert _rules("Falcon ignored the capacity warnings.") == []


def test_a_subject_with_a_who_clause_is_the_noun_before_who():
    assert _rules("The contractor who ran the migration was let go.") == ["BL-G01"]
    assert _rules("The job that ran the migration was suspended.") == []


def test_a_participle_after_a_comma_takes_the_subject_of_the_clause_before():
    assert "BL-A01" in _rules("The engineer deleted the bucket, taking down uploads.")
    assert _rules("The deploy failed at 14:02, taking down checkout.") == []


def test_responsible_and_involved_after_a_role_are_skipped_to_find_the_person():
    assert _rules("The engineer responsible has been suspended.") == ["BL-G01"]
    assert _rules("The cron job responsible has been suspended.") == []


def test_first_person_self_reports_stay_at_info_under_the_new_rules():
    for text in (
        "The outage happened because I deleted the DNS record.",
        "I ran the cleanup script against the wrong cluster.",
        "I never once tested a restore of that backup.",
    ):
        assert {f.severity.value for f in lint_text(text)} <= {"info"}, text


def test_the_agent_of_a_passive_is_the_subject():
    assert _rules("The deploy was botched by Olusegun, who skipped the canary.") == ["BL-B04"]
    assert _rules("The warning was ignored by the on-call engineer.") == ["BL-D03"]
    assert _rules("The warning was ignored by the alert router.") == []


def test_a_prepositional_modifier_does_not_hide_the_head_noun():
    assert _rules("Our SRE on shift slept through three pages.") == ["BL-E08"]
    assert _rules("The operator of the night shift did not follow the runbook.") == ["BL-B07"]
    assert _rules("The job on the night shift did not follow the runbook schedule.") == []


def test_a_who_clause_corroborates_an_unknown_name():
    assert _rules("The outage was started by Ikaika, who ran the purge on production.") == [
        "BL-A03"
    ]
    assert _rules("The outage was started by Karpathos when the purge ran on production.") == []


def test_anyone_could_have_is_the_blameless_framing():
    assert _rules("Anyone on the rotation could have run the same command.") == []
    assert _rules("Anyone with basic knowledge of DNS would have known the TTL was wrong.") == [
        "BL-C07"
    ]


def test_a_pinyin_given_name_ending_in_ing_can_be_a_name_but_a_gerund_cannot():
    assert classify("Xiaoming", LEX) is Who.NAME
    assert classify("Zhiqiang", LEX) is Who.NAME
    for gerund in ("Timing", "Routing", "Hanging", "Singing", "Mining", "Pinging"):
        assert classify(gerund, LEX) is Who.OTHER, gerund
    assert "BL-A10" in _rules("Because of Xiaoming's typo, the gateway dropped all traffic.")
