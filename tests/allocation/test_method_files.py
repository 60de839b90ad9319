"""Allocation method files load like eligibility rulesets: versioned, hashed, and every
problem reported as file:line: field: reason."""

from __future__ import annotations

import shutil
import textwrap
from datetime import date
from pathlib import Path

import pytest

from allocation.budgets.methods import Methods, load_all_methods, load_methods
from engine.decision_model import RulesetStamp
from engine.loader import content_hash
from engine.sourcefiles import InputError
from tests.allocation.conftest import ENGLAND
from tests.conftest import ROOT


def england_copy(tmp_path: Path, **files: str) -> Path:
    """The England folder with some allocation files replaced (or added)."""
    folder = tmp_path / "england"
    shutil.copytree(ENGLAND, folder)
    for name, text in files.items():
        (folder / f"allocation-{name}.yaml").write_text(textwrap.dedent(text))
    return folder


def edited(name: str, old: str, new: str) -> str:
    text = (ENGLAND / f"allocation-{name}.yaml").read_text()
    assert old in text
    return text.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_methods(folder)
    return [str(p) for p in caught.value.problems]


def test_the_shipped_methods_load_with_the_folders_version_and_hash(methods: Methods) -> None:
    assert methods.ruleset.stamp() == RulesetStamp(
        id="england", version=methods.ruleset.version, hash=content_hash(ENGLAND)
    )
    assert methods.ras and methods.costing and methods.isf and methods.charging
    for method in (methods.ras, methods.costing, methods.isf, methods.charging):
        assert method.ruleset == methods.ruleset.stamp()
        assert method.spec.requires_eligible == ["england.care_act.adult"]


def test_every_parameter_cites_a_source(methods: Methods) -> None:
    for method in (methods.ras, methods.costing, methods.isf, methods.charging):
        assert method is not None
        for parameter in method.parameters.values():
            assert all(len(d.source) > 10 for d in parameter.values), parameter.name


def test_the_ras_file_says_its_price_is_a_local_example() -> None:
    text = (ENGLAND / "allocation-ras.yaml").read_text()
    assert "EXAMPLE" in text and "Savva" in text


def test_the_root_loads_only_folders_that_have_methods() -> None:
    found = load_all_methods([ROOT / "rulesets"])
    assert [m.ruleset.id for m in found] == ["england"]


def test_the_hash_covers_the_allocation_files(tmp_path: Path) -> None:
    folder = england_copy(tmp_path)
    before = content_hash(folder)
    path = folder / "allocation-isf.yaml"
    path.write_text(path.read_text().replace("value: 20.00", "value: 25.00"))
    assert content_hash(folder) != before
    assert load_methods(folder).ruleset.hash == content_hash(folder)


def test_a_parameter_is_read_as_on_a_date(methods: Methods) -> None:
    assert methods.costing is not None
    pay = methods.costing.parameters["support_worker_hourly_pay"]
    assert str(pay.at(date(2025, 3, 31)).value) == "11.44"
    assert str(pay.at(date(2025, 4, 1)).value) == "12.21"
    assert str(pay.at(date(2026, 4, 1)).value) == "12.71"


def test_a_date_before_a_parameters_first_value_names_file_line_and_parameter(
    methods: Methods,
) -> None:
    assert methods.costing is not None
    with pytest.raises(InputError) as caught:
        methods.costing.dated("support_worker_hourly_pay", date(2020, 1, 1))
    (problem,) = caught.value.problems
    assert problem.file.endswith("allocation-costing.yaml") and problem.line
    assert problem.field == "parameters.support_worker_hourly_pay"


def test_an_unknown_method_is_named(tmp_path: Path) -> None:
    bad = edited("isf", "method: isf", "method: lottery")
    found = problems(england_copy(tmp_path, isf=bad))
    line = line_of(bad, "method: lottery")
    assert len(found) == 1
    assert (
        f"allocation-isf.yaml:{line}: method: must be one of: ras, costing, isf, charging"
        in found[0]
    )


def test_a_missing_required_parameter_and_an_unused_one_are_named(tmp_path: Path) -> None:
    bad = edited("costing", "  on_costs:\n", "  on_cost:\n")
    found = problems(england_copy(tmp_path, costing=bad))
    assert any("parameters: 'on_costs' is required (a number of 0 or more)" in p for p in found)
    line = line_of(bad, "on_cost:")
    assert any(f":{line}: parameters.on_cost: not used by this method" in p for p in found)


def test_a_support_type_naming_an_undefined_rate_is_named(tmp_path: Path) -> None:
    bad = edited("costing", "rate: sleep_in_night_pay", "rate: sleep_in_pay")
    found = problems(england_copy(tmp_path, costing=bad))
    line = line_of(bad, "rate: sleep_in_pay")
    reason = "names parameter 'sleep_in_pay', which is not defined"
    assert any(f":{line}: support_types.sleep_in.rate: {reason}" in p for p in found)
    assert any("parameters.sleep_in_night_pay: not used by this method" in p for p in found)


def test_a_parameter_of_the_wrong_kind_is_named(tmp_path: Path) -> None:
    bad = edited("charging", "value: [carers_allowance]", "value: 53.25")
    (found,) = problems(england_copy(tmp_path, charging=bad))
    assert "parameters.carer_premium_income: each value must be a list of names" in found


def test_answers_whose_points_fall_as_need_rises_are_refused(tmp_path: Path) -> None:
    bad = edited("ras", "{id: full_help, points: 9,", "{id: full_help, points: 1,")
    (found,) = problems(england_copy(tmp_path, ras=bad))
    assert (
        "allocation-ras.yaml:" in found
        and "domains[0]: answers run from least to most need" in found
    )


def test_a_band_cap_below_a_lower_bands_is_refused(tmp_path: Path) -> None:
    bad = edited(
        "ras",
        "  - {id: moderate, min_points: 15, explain:",
        "  - {id: moderate, min_points: 15, cap: low_cap2, explain:",
    )
    bad = bad.replace(
        "  critical_floor:",
        "  low_cap2:\n    - {from: 2009-12-01, value: 60, source: test figure}\n  critical_floor:",
    )
    (found,) = problems(england_copy(tmp_path, ras=bad))
    assert "bands[1].cap: 60 is below a lower band's (a cap of 70.00) from 2009-12-01" in found


def test_a_percent_adjustment_below_minus_100_is_refused(tmp_path: Path) -> None:
    bad = edited("ras", "percent: -20}", "percent: -120}")
    (found,) = problems(england_copy(tmp_path, ras=bad))
    assert (
        "adjustments[0].answers[3].percent: Input should be greater than or equal to -100" in found
    )


def test_two_methods_of_a_kind_and_an_isf_without_costing_are_refused(tmp_path: Path) -> None:
    folder = england_copy(tmp_path)
    shutil.copy(folder / "allocation-ras.yaml", folder / "allocation-ras-2.yaml")
    (folder / "allocation-costing.yaml").unlink()
    found = problems(folder)
    assert any("allocation-ras.yaml: method: a second ras method" in p for p in found)
    assert any("an ISF needs the costing method of its folder" in p for p in found)


def test_unknown_programmes_are_named(tmp_path: Path) -> None:
    bad = edited("charging", "capital_test: england.charging.capital", "capital_test: england.nope")
    bad = bad.replace("requires_eligible: [england.care_act.adult]", "requires_eligible: [x.y]")
    found = problems(england_copy(tmp_path, charging=bad))
    assert any("requires_eligible[0]: no programme 'x.y'" in p for p in found)
    assert any("capital_test: no programme 'england.nope'" in p for p in found)
