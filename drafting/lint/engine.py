"""The lint engine: run the rules over a Markdown report and return findings. Pure: no I/O.

Speed comes from a single combined keyword regex: a block is only handed to the rules whose
keywords occur in it, and most blocks of a real report contain none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafting.errors import LintError
from drafting.lint.config import LintConfig
from drafting.lint.fivewhys import chain_ends_at_person
from drafting.lint.keywords import normalise, trie_regex
from drafting.lint.loader import CompiledRule, load_rules
from drafting.lint.outline import Location, locations
from drafting.lint.scope import ALL_RULES, Block, iter_blocks
from drafting.lint.subject import (
    Lexicon,
    Who,
    classify_phrase,
    is_negated_or_meta,
    is_quoted,
    load_lexicon,
    name_is_person,
    passive_agent,
    person_after,
    person_in_clause,
    sentence_bounds,
    sentence_subject,
    subject_before,
)
from drafting.lint.types import Finding, Severity

SKIPPED_KINDS = frozenset({"code", "quote"})


@dataclass(frozen=True)
class RuleSet:
    """The active rules for one configuration, with the keyword prefilter built."""

    rules: tuple[CompiledRule, ...]
    prefilter: re.Pattern[str]
    by_keyword: dict[str, tuple[CompiledRule, ...]]
    five_whys: CompiledRule | None
    lexicon: Lexicon
    overrides: dict[str, Severity]


def _check_ids(config: LintConfig, known: set[str]) -> None:
    named = set(config.enable) | set(config.disable) | set(config.severity)
    unknown = sorted(named - known)
    if unknown:
        raise LintError(f"Unknown lint rule id in configuration: {', '.join(unknown)}.")


def build_ruleset(config: LintConfig) -> RuleSet:
    """Select, compile and index the rules for ``config``.

    Raises:
        LintError: the configuration names a rule that does not exist.
    """
    everything = load_rules()
    _check_ids(config, {c.rule.id for c in everything})
    active = tuple(
        c
        for c in everything
        if (not config.enable or c.rule.id in config.enable) and c.rule.id not in config.disable
    )
    regex_rules = [c for c in active if c.rule.kind == "regex"]
    rules_of: dict[str, list[CompiledRule]] = {}
    for c in regex_rules:
        for word in {normalise(w) for w in c.rule.keywords}:
            rules_of.setdefault(word, []).append(c)
    # A keyword found in the text also stands for every shorter keyword it starts with.
    by_keyword = {k: _rules_for_prefixes(k, rules_of, regex_rules) for k in rules_of}
    prefilter = trie_regex(set(rules_of))
    five = next((c for c in active if c.rule.kind == "five_whys"), None)
    lexicon = load_lexicon().extended(list(config.names), list(config.accept_names))
    return RuleSet(active, prefilter, by_keyword, five, lexicon, dict(config.severity))


def _rules_for_prefixes(
    keyword: str, rules_of: dict[str, list[CompiledRule]], order: list[CompiledRule]
) -> tuple[CompiledRule, ...]:
    """The rules having ``keyword`` or any keyword it starts with, in rule order."""
    found = {id(c) for i in range(1, len(keyword) + 1) for c in rules_of.get(keyword[:i], ())}
    return tuple(c for c in order if id(c) in found)


_CACHE: dict[tuple[object, ...], RuleSet] = {}


def ruleset_for(config: LintConfig) -> RuleSet:
    """The (cached) rule set for a configuration."""
    key = config.cache_key()
    if key not in _CACHE:
        _CACHE[key] = build_ruleset(config)
    return _CACHE[key]


def _who(c: CompiledRule, text: str, m: re.Match[str], lex: Lexicon) -> Who:
    if c.who_groups:
        # A pattern alternative without a person group ("if only") names no one: it is the
        # construction itself that blames.
        group = next((g for g in map(m.group, c.who_groups) if g is not None), None)
        return Who.PERSON if group is None else classify_phrase(group, lex)
    if c.rule.subject == "following":
        return person_after(text, m.end(), lex)
    if c.rule.subject == "sentence":
        return sentence_subject(text, m.start(), lex)
    agent = passive_agent(text, m.start(), m.end(), lex)
    if agent is not None:
        return agent
    if c.rule.subject == "clause_human":
        return person_in_clause(text, m.end(), lex)
    who = subject_before(text, m.start(), lex)
    if c.rule.subject == "not_system" and who is Who.NONE:
        return Who.PERSON
    return who


def _severity(c: CompiledRule, block: Block, who: Who | None, rs: RuleSet) -> Severity | None:
    rule = c.rule
    base = rs.overrides.get(rule.id) or rule.sections.get(block.section_key or "", rule.severity)
    if who is None or who is Who.PERSON:
        return base
    if who is Who.SELF:
        # A first-person account is a sign of psychological safety: at most the rule's
        # first-person level (a suggestion unless the rule says otherwise).
        return rule.first_person
    return rule.other_subject


def _judge(c: CompiledRule, block: Block, m: re.Match[str], rs: RuleSet) -> Severity | None:
    text, start, end = block.text, m.start(), m.end()
    if is_quoted(text, start, end):
        return None
    sentence = sentence_bounds(text, start, end)
    if c.rule.skip_negated and is_negated_or_meta(text, start, end, sentence):
        return None
    if c.unless is not None and c.unless.search(text, sentence[0], sentence[1]):
        return None
    who = None if c.rule.subject == "any" else _who(c, text, m, rs.lexicon)
    if who is Who.NAME:
        who = _name(c, text[sentence[0] : sentence[1]])
    return _severity(c, block, who, rs)


def _name(c: CompiledRule, sentence: str) -> Who:
    """What an unknown capitalised subject counts as for this rule in this sentence."""
    if c.rule.proper_nouns == "person" or name_is_person(sentence):
        return Who.PERSON
    return Who.OTHER


@dataclass(frozen=True)
class _Hit:
    block: Block
    start: int
    end: int
    rule: CompiledRule
    severity: Severity


# Rule regexes run only near their keywords: a window from a little before the keyword (a
# rule's match may start with the person, "Jason's decision ... caused") to a little after it.
_BEFORE, _AFTER = 160, 200


def _windows(positions: list[int], size: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for p in sorted(positions):
        lo, hi = max(0, p - _BEFORE), min(size, p + _AFTER)
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _candidates(block: Block, rs: RuleSet) -> dict[str, tuple[CompiledRule, list[int]]]:
    """Rules whose keywords occur in the block, each with the keyword positions."""
    per_rule: dict[str, tuple[CompiledRule, list[int]]] = {}
    for m in rs.prefilter.finditer(block.raw.lower()):
        for c in rs.by_keyword.get(normalise(m.group(1)), ()):
            per_rule.setdefault(c.rule.id, (c, []))[1].append(m.start())
    return per_rule


def _block_hits(block: Block, rs: RuleSet) -> list[_Hit]:
    candidates = _candidates(block, rs)
    hits: list[_Hit] = []
    for rule_id in sorted(candidates):
        c, positions = candidates[rule_id]
        if rule_id in block.suppressed or c.regex is None:
            continue
        text, seen = block.text, set()
        for lo, hi in _windows(positions, len(text)):
            for m in c.regex.finditer(text, lo, hi):
                severity = None if m.span() in seen else _judge(c, block, m, rs)
                seen.add(m.span())
                if severity is not None:
                    hits.append(_Hit(block, m.start(), m.end(), c, severity))
    return hits


def _overlapping_groups(hits: list[_Hit]) -> list[list[_Hit]]:
    """Hits split into runs whose spans overlap one another (one sweep, no pairwise checks)."""
    groups: list[list[_Hit]] = []
    reach = -1
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start >= reach:
            groups.append([])
        groups[-1].append(hit)
        reach = max(reach, hit.end)
    return groups


def _strongest(hits: list[_Hit]) -> list[_Hit]:
    """Of overlapping hits in a block keep the most severe, so one phrase is reported once."""
    kept: list[_Hit] = []
    for group in _overlapping_groups(hits):
        chosen: list[_Hit] = []
        for hit in sorted(
            group, key=lambda h: (-h.severity.rank, h.start, h.start - h.end, h.rule.rule.id)
        ):
            if not any(k.start < hit.end and hit.start < k.end for k in chosen):
                chosen.append(hit)
        kept.extend(chosen)
    return sorted(kept, key=lambda h: (h.start, h.rule.rule.id))


def _finding(hit: _Hit, path: str, where: Location) -> Finding:
    block, rule = hit.block, hit.rule.rule
    line, column = block.position(hit.start)
    end_line, end_column = block.position(hit.end)
    matched = " ".join(block.text[hit.start : hit.end].split())
    return Finding(
        path=path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        rule=rule.id,
        category=rule.category,
        severity=hit.severity,
        message=rule.message.replace("{match}", matched),
        match=matched,
        suggestion=rule.suggestion,
        section=block.section,
        heading_path=where[0],
        paragraph=where[1],
    )


def _five_whys_hits(blocks: list[Block], rs: RuleSet) -> list[_Hit]:
    c = rs.five_whys
    if c is None:
        return []
    severity = rs.overrides.get(c.rule.id, c.rule.severity)
    return [
        _Hit(end.block, end.start, end.end, c, severity)
        for end in chain_ends_at_person(blocks, rs.lexicon)
        if c.rule.id not in end.block.suppressed and ALL_RULES not in end.block.suppressed
    ]


def lint_text(text: str, *, path: str = "-", config: LintConfig | None = None) -> list[Finding]:
    """Lint one Markdown or plain-text report.

    Args:
        text: the report.
        path: the name to put in findings (``-`` for standard input).
        config: rule selection and vocabulary; the defaults when None.

    Returns:
        Findings sorted by position: rule, severity, message, matched text and a rewrite.

    Raises:
        LintError: the configuration names an unknown rule.
    """
    rs = ruleset_for(config or LintConfig())
    include_quoted = bool(config and config.include_quoted)
    blocks = list(iter_blocks(text))
    hits: list[_Hit] = []
    for block in blocks:
        if ALL_RULES in block.suppressed or (block.kind in SKIPPED_KINDS and not include_quoted):
            continue
        hits.extend(_strongest(_block_hits(block, rs)))
    hits.extend(_five_whys_hits(blocks, rs))
    # Locations only when something was found: most reports of a library have no finding.
    where = locations(blocks) if hits else {}
    findings = [_finding(h, path, where[id(h.block)]) for h in hits]
    return sorted(findings, key=lambda f: (f.line, f.column, f.rule))
