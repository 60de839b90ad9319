"""Loading rulesets: every problem reported at once, as file:line: field: reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.loader import content_hash, load_rulesets
from engine.sourcefiles import InputError
from tests.hardening.support import ruleset_folder

GOOD = """\
id: test.good
title: Good
source: Test Act 2026
parameters:
  limit:
    - {from: 2020-01-01, value: 100, source: s.1}
    - {from: 2026-04-01, value: 120, source: s.1 as amended}
criteria:
  - id: capital
    when: finances.capital <= param.limit
    explain: Capital is within the limit.
    source: s.1
eligible: all(capital)
"""


def problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_rulesets([folder])
    return [str(p) for p in caught.value.problems]


def test_a_good_ruleset_loads_with_version_and_hash(tmp_path: Path) -> None:
    (ruleset,) = load_rulesets([ruleset_folder(tmp_path, good=GOOD)])
    assert (ruleset.id, ruleset.version) == ("test", "1")
    assert ruleset.hash == content_hash(ruleset.folder)
    assert ruleset.hash.startswith("sha256:") and len(ruleset.hash) == 71


def test_the_hash_changes_with_the_content_but_not_with_line_endings(tmp_path: Path) -> None:
    folder = ruleset_folder(tmp_path, good=GOOD)
    before = content_hash(folder)
    (folder / "good.yaml").write_text(GOOD.replace("\n", "\r\n"))
    assert content_hash(folder) == before
    (folder / "good.yaml").write_text(GOOD.replace("100", "101"))
    assert content_hash(folder) != before


def test_an_unknown_field_names_file_line_and_field(tmp_path: Path) -> None:
    folder = ruleset_folder(
        tmp_path, bad=GOOD.replace("    explain: Capital", "    explian: x\n    explain: Capital")
    )
    (problem,) = problems(folder)
    assert (
        problem
        == f"{folder / 'bad.yaml'}:11: criteria[0].explian: unknown field (check the spelling)"
    )


def test_a_type_error_in_a_condition_names_its_line(tmp_path: Path) -> None:
    folder = ruleset_folder(
        tmp_path,
        bad=GOOD.replace(
            "finances.capital <= param.limit", "needs.wellbeing_impact <= param.limit"
        ),
    )
    (problem,) = problems(folder)
    assert problem.startswith(f"{folder / 'bad.yaml'}:10: criteria[0].when: ")
    assert "compares a one of none, significant, some with a number" in problem


def test_every_problem_in_every_file_is_listed(tmp_path: Path) -> None:
    folder = ruleset_folder(
        tmp_path,
        one=GOOD.replace("test.good", "test.one").replace("param.limit", "param.limt"),
        two=GOOD.replace("test.good", "test.two").replace("all(capital)", "all(capitl)"),
        three=GOOD.replace("test.good", "test.three").replace("title: Good\n", ""),
    )
    found = problems(folder)
    assert len(found) == 3
    assert any("one.yaml:10: criteria[0].when: unknown parameter 'limt'" in p for p in found)
    assert any("two.yaml:13: eligible: unknown criterion 'capitl'" in p for p in found)
    assert any("three.yaml:1: title: required field is missing" in p for p in found)


def test_yaml_syntax_errors_and_repeated_keys_name_the_line(tmp_path: Path) -> None:
    broken = ruleset_folder(tmp_path, bad="id: [unclosed\n")
    assert "bad.yaml:2: (file): not valid YAML" in problems(broken)[0]
    (broken / "bad.yaml").write_text(GOOD.replace("title: Good", "title: Good\ntitle: Again"))
    assert problems(broken) == [f"{broken / 'bad.yaml'}:3: title: given twice"]


def test_programmes_that_depend_on_each_other_in_a_cycle_are_refused(tmp_path: Path) -> None:
    chained = """\
    id: test.{me}
    title: {me}
    source: s.2
    criteria:
      - id: other
        when: programme.test.{other}.eligible
        explain: Passported.
        source: s.2
    eligible: other
    """
    folder = ruleset_folder(
        tmp_path, a=chained.format(me="a", other="b"), b=chained.format(me="b", other="a")
    )
    (problem,) = problems(folder)
    assert "cycle: test.a -> test.b -> test.a" in problem


def test_a_programme_that_reads_an_unknown_programme_is_refused(tmp_path: Path) -> None:
    folder = ruleset_folder(
        tmp_path, a=GOOD.replace("finances.capital <= param.limit", "programme.us.nothing.eligible")
    )
    assert "reads unknown programme 'us.nothing'" in problems(folder)[0]


def test_values_of_different_kinds_over_time_are_refused(tmp_path: Path) -> None:
    folder = ruleset_folder(tmp_path, a=GOOD.replace("value: 120", "value: yes please"))
    assert problems(folder) == [
        f"{folder / 'a.yaml'}:5: parameters.limit: values of different kinds over time"
    ]


def test_a_condition_beyond_durable_rules_limits_is_refused_with_its_location(
    tmp_path: Path,
) -> None:
    # (a or b) and (c or d) and ... expands to 2**7 = 128 alternatives: past our bound of 64.
    clauses = " and ".join(f"(finances.capital > {i} or person.age > {i})" for i in range(7))
    folder = ruleset_folder(tmp_path, a=GOOD.replace("finances.capital <= param.limit", clauses))
    (problem,) = problems(folder)
    assert problem.startswith(f"{folder / 'a.yaml'}:10: criteria[0].when: expands to more than 64")


def test_a_decision_joining_more_facts_than_durable_rules_allows_is_refused(tmp_path: Path) -> None:
    criteria = "".join(
        f"  - {{id: c{i}, when: finances.capital > {i}, explain: x, source: s}}\n"
        for i in range(17)
    )
    text = (
        GOOD.split("criteria:")[0]
        + "criteria:\n"
        + criteria
        + "eligible: all("
        + ", ".join(f"c{i}" for i in range(17))
        + ")\n"
    )
    folder = ruleset_folder(tmp_path, a=text)
    (problem,) = problems(folder)
    assert "eligible: joins 17 facts in one rule; durable-rules allows 16" in problem


def test_validate_command_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    from api.cli.main import main

    folder = ruleset_folder(
        tmp_path,
        one=GOOD.replace("test.good", "test.one").replace("param.limit", "param.limt"),
        two=GOOD.replace("test.good", "test.two").replace("all(capital)", "all(capitl)"),
    )
    assert main(["rulesets", "validate", str(folder)]) == 2


def test_a_criterion_testing_one_fact_more_ways_than_durable_rules_allows_is_refused(
    tmp_path: Path,
) -> None:
    # Within the other limits (26 alternatives of at most 26 tests each way), yet
    # 25 + 10 tests when it holds and 25 + 10 when it fails: 70 distinct tests.
    exact = " or ".join(f"finances.capital == {i}" for i in range(25))
    ages = " and ".join(f"person.age > {i}" for i in range(10))
    many = f"{exact} or ({ages})"
    folder = ruleset_folder(tmp_path, a=GOOD.replace("finances.capital <= param.limit", many))
    (problem,) = problems(folder)
    assert "distinct tests of one fact; durable-rules allows 60" in problem
