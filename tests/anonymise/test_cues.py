"""Names found by where chat text puts them: lists, titles, prompts, paths, machines, repos,
annotations, pings, owners and addressing. None of these needs the NER model."""

from __future__ import annotations

import pytest

from drafting.anonymise.cues import cue_names, is_handle
from drafting.anonymise.names import context_names
from drafting.anonymise.roster import short_forms


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Participants: Beatriz Mendonça (IC), Ji-woo Han, Henrik Aas (DBA on call)",
            ["Beatriz Mendonça", "Ji-woo Han", "Henrik Aas"],
        ),
        ("_Reviewers: Aigerim Bekova, Hinemoa Walker_", ["Aigerim Bekova", "Hinemoa Walker"]),
        ("**Reviewers:** Seo-yeon Kim, Dr Adeyemi (VP Eng)", ["Seo-yeon Kim", "Adeyemi"]),
        ("loop in Dr Okafor for the security review", ["Okafor"]),
        ("kalle@kjarvinen-laptop:~$ ssh core@prod-k8s-node-07", ["kalle", "kjarvinen"]),
        ("tomasz@tomek-desktop:~/src/infra/dns$ terraform plan", ["tomasz", "tomek"]),
        ("(`/Users/pedroalves/work/support-bot/.env`)", ["pedroalves"]),
        ("curl looks good from jsmith-dev-02", ["jsmith"]),
        ("see https://github.com/aoifebyrne/tessellate/issues/4471", ["aoifebyrne"]),
        ("    migrated-by: yalfarsi", ["yalfarsi"]),
        ("no idea. ping mkowalski, he owns billing", ["mkowalski"]),
        ("4. status page template for cloud provider incidents (Sveta)", ["Sveta"]),
        ('Osku... you could have just said "yes it\'s in vault"', ["Osku"]),
        ("Support says Nkechi Okonkwo confirms calls dropped off", ["Nkechi Okonkwo"]),
        ("Kobby you have Secret Manager admin on prod", ["Kobby"]),
        ("# Ansible managed - last edit gherrera 2026-03-12", ["gherrera"]),
        ("ticket is open under Yekaterina's name since she's the contact", ["Yekaterina"]),
        ("Reviewers: adebayo-o, jiwoo-seo", ["adebayo-o", "jiwoo-seo"]),
        ("Ticket: OPS-4471   Watchers: gwen.prys, yalkhatib", ["gwen.prys", "yalkhatib"]),
        ("1. log-scrubber: fail closed (Mindė / devex)", ["Mindė"]),
        ('"I need my rota!! — Siosaia T., Auckland"', ["Siosaia"]),
        ("dropped the index. author g.yildirim per git blame", ["g.yildirim"]),
    ],
)
def test_a_cue_finds_the_person_it_places(line: str, expected: list[str]) -> None:
    assert cue_names([line], first_names={"aoife", "pedro"}) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Participants: Storage Team, Platform",
        "root@ip-10-0-3-7:~# systemctl restart nginx",
        "ubuntu@build-07:~$ df -h /home/ubuntu/",
        "built on api-dev-02 and ci-dev-01",
        "see https://github.com/kubernetes/kubernetes/issues/1",
        "owner: platform-team, deployed-by: github-actions",
        "ping google.com, ping orders-api, thanks everyone",
        "3. alert on disk above 80% (Grafana)",
        "Great, rollback done. Kubernetes, Grafana Loki and Argo Rollouts are fine",
        "Author: the postgres user",
        'Replayed, all 3 now "paid".',
        "Everyone you paged is here. The Redis's key count doubled",
        "changed by terraform, approved by default",
    ],
)
def test_a_cue_leaves_systems_teams_and_words_alone(line: str) -> None:
    assert cue_names([line], first_names={"kube", "ana"}) == []


def test_known_names_are_not_found_again() -> None:
    assert cue_names(["ping mkowalski"], {"mkowalski"}) == []


def test_a_handle_is_no_system_account_bot_or_pair_of_words() -> None:
    assert is_handle("lucia-ferreyra") and is_handle("aoife_b") and is_handle("kjarvinen")
    assert not any(map(is_handle, ["root", "ci-runner", "orders-api", "deploy-bot", "build"]))


def test_short_forms_are_clipped_first_names_that_are_no_words() -> None:
    assert {"Olu", "Ochi", "Raffa", "Thandi"} <= {
        *short_forms("Olumide"),
        *short_forms("Ochieng"),
        *short_forms("Raffaele"),
        *short_forms("Thandiwe"),
    }
    assert "Kat" not in short_forms("Katarzyna") and "Dan" not in short_forms("Daniel")
    assert short_forms("Liz") == [] and short_forms("kwame_a") == []


def test_a_lowercase_first_name_that_acts_and_a_fuller_form_of_a_known_name() -> None:
    assert cue_names(["sipho wants to sign off"], first_names={"sipho"}) == ["sipho"]
    assert cue_names(["grant will check"], first_names={"grant"}) == []  # a word
    assert cue_names(["Fúnmiláyọ̀ to the rescue"], {"funmi"}) == ["Fúnmiláyọ̀"]
    assert cue_names(["Funmilayo to the rescue"], {"tom"}) == []
    assert context_names(["thanks Милош for the quick diagnosis"]) == ["Милош"]
