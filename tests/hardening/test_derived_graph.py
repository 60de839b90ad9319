"""Derived values are shared nodes of a graph: the work grows with the values, not
with the paths through them, and a graph over its budget is refused (issue 8)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from engine.bulk import BulkPlan, criterion_column
from engine.bulk_schema import to_frame
from engine.intake import Intake
from engine.loader import MAX_GRAPH_DEPTH, MAX_PROGRAMME_NODES, load_rulesets
from engine.screening import Screener
from tests.hardening.support import PERSON, ruleset_folder, run

AS_OF = date(2026, 1, 1)


def chain(step: str, count: int, when: str) -> str:
    """A programme whose derived values d1..d{count-1} each build on the one before."""
    lines = ["id: test.chain", "title: Chain", "source: Test Act 2026", "derived:"]
    lines.append("  d0: finances.capital")
    lines += [f"  d{i}: {step.format(p=f'd{i - 1}')}" for i in range(1, count)]
    lines += ["criteria:", "  - id: big", f"    when: {when}", "    explain: Big."]
    lines += ["    source: s.1", "eligible: all(big)"]
    return "\n".join(lines) + "\n"


def test_sixty_derived_values_each_used_twice_by_the_next_load_and_decide(
    tmp_path: Path,
) -> None:
    folder = ruleset_folder(tmp_path, chain=chain("{p} + {p}", 60, "d59 > 0"))
    done = run("rulesets", "validate", str(folder), timeout=60)
    assert done.returncode == 0, done.stdout
    intake = tmp_path / "ada.yaml"
    intake.write_text(PERSON + "finances:\n  capital: 3\n")
    done = run("check", str(intake), "--rulesets", str(folder), "--json", timeout=60)
    assert done.returncode == 0, done.stderr
    (programme,) = json.loads(done.stdout)["programmes"]
    (criterion,) = programme["criteria"]
    assert criterion["met"] is True
    assert criterion["inputs"]["d59"] == 3 * 2**59
    assert list(criterion["inputs"])[:3] == ["d59", "d58", "d57"]  # each read once, in order


def test_the_three_backends_agree_on_a_shared_chain(tmp_path: Path) -> None:
    """Reference evaluator and durable-rules (inside `check`) and the bulk backend."""
    folder = ruleset_folder(tmp_path, chain=chain("max({p}, {p}) + 1", 60, "d59 > 100"))
    rulesets = load_rulesets([folder])
    people = [
        Intake.model_validate({"person": {"lives_in": {"country": "england"}}, **finances})
        for finances in ({"finances": {"capital": c}} for c in (0, 40, 41, 1000))
    ] + [Intake.model_validate({"person": {"lives_in": {"country": "england"}}})]
    screener = Screener(rulesets, by_jurisdiction=False)
    bulk = BulkPlan(tuple(rulesets), AS_OF, by_jurisdiction=False).evaluate(to_frame(people))
    column = bulk[criterion_column("test.chain", "big")].to_list()
    for person, in_bulk in zip(people, column, strict=True):
        (programme,) = screener.check(person, AS_OF).programmes
        assert programme.criteria[0].met == in_bulk
    capital = [p.finances.capital if p.finances else None for p in people]
    assert column == [c is not None and c + 59 > 100 for c in capital[:-1]] + [None]
    assert capital[2] == Decimal(41)


def test_a_chain_deeper_than_the_bound_is_refused_with_file_and_line(tmp_path: Path) -> None:
    folder = ruleset_folder(tmp_path, chain=chain("{p} + 1", 150, "d149 > 0"))
    done = run("rulesets", "validate", str(folder), timeout=60)
    assert done.returncode == 2
    first = MAX_GRAPH_DEPTH // 2  # each step is two levels: the sum and its first term
    assert (
        f"{folder / 'chain.yaml'}:{5 + first}: derived.d{first}: is {MAX_GRAPH_DEPTH + 1} "
        f"levels deep with the derived values it builds on; at most {MAX_GRAPH_DEPTH}"
    ) in done.stdout


def test_a_programme_over_the_node_budget_is_refused_with_file_and_line(tmp_path: Path) -> None:
    wide = "max(" + ", ".join(["finances.capital"] * 95) + ")"  # 96 nodes, within one condition
    count = MAX_PROGRAMME_NODES // 96 + 1
    lines = ["id: test.wide", "title: Wide", "source: Test Act 2026", "derived:"]
    lines += [f"  w{i}: {wide}" for i in range(count)]
    lines += ["criteria:", "  - id: c", "    when: w0 > 0", "    explain: C.", "    source: s"]
    lines += ["eligible: all(c)"]
    folder = ruleset_folder(tmp_path, wide="\n".join(lines) + "\n")
    done = run("rulesets", "validate", str(folder), timeout=60)
    assert done.returncode == 2
    last = count - 1
    assert (
        f"{folder / 'wide.yaml'}:{5 + last}: derived.w{last}: the programme passes "
        f"{MAX_PROGRAMME_NODES:,} nodes of conditions here"
    ) in done.stdout
