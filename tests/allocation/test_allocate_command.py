"""`justenough allocate` as a person runs it: the JSON contract, the cohort table, the CSV,
and exit 2 naming file and field for bad input."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from api.cli.main import main
from tests.allocation.conftest import ENGLAND, EXAMPLES, intake

AS_OF = ["--as-of", "2025-10-01"]
LINE_FIELDS = {"label", "quantity", "unit", "unit_cost", "amount", "source"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["allocate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_one_person_gives_every_method_in_the_json_contract(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, str(EXAMPLES / "allocation-ada.yaml"), "--json", *AS_OF)
    assert code == 0
    answer = json.loads(out)
    assert answer["person"] == "example-ada" and answer["allocated"] is True
    assert answer["eligibility"]["programmes"] == [
        {"id": "england.care_act.adult", "outcome": "eligible"}
    ]
    ras, costing, isf = (answer["methods"][m] for m in ("ras", "costing", "isf"))
    for method in (ras, costing):
        assert method["status"] == "ok"
        assert {"weekly", "annual", "lines", "contribution", "net_funded", "ruleset"} <= set(method)
        assert method["ruleset"] == answer["rulesets"][0]
        assert all(set(line) == LINE_FIELDS for line in method["lines"])
        assert sum(float(line["amount"]) for line in method["lines"]) == pytest.approx(
            float(method["weekly"])
        )
    assert isf == {
        "method": "isf",
        "status": "not_applicable",
        "reason": "the person is not a tenant of a shared house (no house given)",
        "ask": [],
    }
    # Ada: 230.25 + 71.54 + 73.90 + 17.00 tariff (capital 18,400) - 232.60 - 10.85 = 149.24
    assert answer["charging"]["weekly_charge"] == "149.24"
    assert (ras["weekly"], ras["contribution"], ras["net_funded"]) == ("111.44", "111.44", "0.00")
    assert (costing["weekly"], costing["contribution"], costing["net_funded"]) == (
        "433.89",
        "149.24",
        "284.65",
    )
    assert answer["spread"] == {
        "weekly": "322.45",
        "highest": "costing",
        "lowest": "ras",
        "ras_minus_costing": "-322.45",
    }


def test_one_method_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, str(EXAMPLES / "allocation-ada.yaml"), "--method", "ras", "--json", *AS_OF
    )
    assert code == 0
    answer = json.loads(out)
    assert list(answer["methods"]) == ["ras"] and answer["spread"] is None


def test_the_cohort_table_csv_and_totals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = tmp_path / "cohort.csv"
    code, out, _ = run(capsys, str(EXAMPLES / "cohort.jsonl"), "--csv", str(table), *AS_OF)
    assert code == 0
    assert "total    1,179.38   6,316.46   5,382.55" in out
    assert "Largest RAS − costing spread: ben: RAS £1,610.55 a week below costing" in out
    rows = list(csv.DictReader(table.open()))
    assert [r["person"] for r in rows] == ["ana", "ben", "cal", "dee", "eve", "finn"]
    assert rows[1]["ras_weekly"] == "362.10" and rows[1]["costing_weekly"] == "1972.65"
    assert rows[1]["ras_minus_costing"] == "-1610.55"
    assert rows[4]["isf_weekly"] == ""  # eve lives with her mother, not in a shared house
    assert rows[3]["costing_net_funded"] == "0.00"  # dee's capital is above the upper limit


def test_the_cohort_json_has_totals_and_the_house(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(EXAMPLES / "cohort.jsonl"), "--json", *AS_OF)
    assert code == 0
    answer = json.loads(out)
    assert answer["totals"]["costing"]["weekly"] == "6316.46"
    assert answer["largest_ras_costing_spread"] == {
        "person": "ben",
        "ras_minus_costing": "-1610.55",
    }
    (house,) = answer["houses"]
    assert house["total_weekly"] == "5382.55" and set(house["shares"]) == {
        "ana",
        "ben",
        "cal",
        "dee",
    }


def test_a_person_without_eligible_needs_is_not_allocated(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = write(tmp_path / "r.json", {"intake": intake(needs={"arise_from_impairment": False})})
    code, out, _ = run(capsys, str(request), "--json", *AS_OF)
    assert code == 0
    answer = json.loads(out)
    assert answer["allocated"] is False and answer["methods"] == {}
    assert answer["eligibility"]["blocked_by"]["programme"] == "england.care_act.adult"
    code, out, _ = run(capsys, str(request), *AS_OF)
    assert "No allocation: Care and support for adults: not eligible" in out


@pytest.mark.parametrize(
    ("request_body", "expected"),
    [
        (
            {"support_plan": [{"support": "one_to_one_day", "per_week": -3}]},
            "r.json:1: support_plan[0].per_week: Input should be greater than or equal to 0",
        ),
        (
            {"support_plan": [{"support": "three_to_one", "per_week": 3}]},
            "r.json:1: support_plan[0].support: unknown support type 'three_to_one'",
        ),
        (
            {"house": "house.yaml"},
            "house.yaml:4: core[0]: give either support and per_week (staff time) or amount",
        ),
        (
            {"house": "nowhere.yaml"},
            "r.json:1: house: no such file",
        ),
    ],
)
def test_bad_input_exits_2_naming_the_file_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, request_body: dict[str, Any], expected: str
) -> None:
    (tmp_path / "house.yaml").write_text(
        "id: h\ntenants: [pat]\ncore:\n  - {label: Night, support: waking_night}\n"
    )
    request = write(tmp_path / "r.json", {"intake": intake(), **request_body})
    code, _, err = run(capsys, str(request), *AS_OF)
    assert code == 2
    assert expected in err


def test_a_house_shared_with_a_stranger_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "house.yaml").write_text(
        "id: h\ntenants: [pat, sam]\nshared:\n  - {label: Car, amount: 50, users: [pat, zoe]}\n"
    )
    request = write(tmp_path / "r.json", {"intake": intake(), "house": "house.yaml"})
    code, _, err = run(capsys, str(request), *AS_OF)
    assert code == 2
    assert "house.yaml:4: shared[0].users: zoe is not a tenant" in err


def test_a_broken_method_file_exits_2_naming_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "england"
    shutil.copytree(ENGLAND, folder)
    path = folder / "allocation-isf.yaml"
    path.write_text(path.read_text().replace("shared_split: equal", "shared_split: by_age"))
    code, _, err = run(
        capsys, str(EXAMPLES / "allocation-ada.yaml"), "--rulesets", str(folder), *AS_OF
    )
    line = path.read_text().split("\n").index("shared_split: by_age") + 1
    assert code == 2
    assert f"allocation-isf.yaml:{line}: shared_split: Input should be 'equal' or 'hours'" in err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path / "none.yaml"))
    assert code == 2 and "none.yaml: no such file" in err


def test_every_bad_line_of_a_cohort_is_reported_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = {"intake": intake(), "support_plan": [{"support": "one_to_one_day", "per_week": 5}]}
    lines = [
        good,
        {**good, "support_plan": [{"support": "one_to_one_day", "per_week": -1}]},
        {**good, "support_plan": [{"support": "taxi", "per_week": 1}]},
    ]
    cohort = tmp_path / "c.jsonl"
    cohort.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    code, _, err = run(capsys, str(cohort), *AS_OF)
    assert code == 2
    assert "c.jsonl:2: support_plan[0].per_week: Input should be greater than or equal to 0" in err
    assert "c.jsonl:3: id: 'pat' is also on line 1" in err
    assert "c.jsonl:3: support_plan[0].support: unknown support type 'taxi'" in err
