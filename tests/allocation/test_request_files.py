"""A request names files only inside its own folder, and the charge shown never exceeds a budget."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from api.cli.main import main
from tests.allocation.conftest import SAVVA_22, intake

AS_OF = ["--as-of", "2025-10-01"]
PLAN = [{"support": "one_to_one_day", "per_week": 10}]
SECRET_KEYS = {"api_token": "s3cret", "database_password": "hunter2"}


def allocate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["allocate", *args, *AS_OF])
    out, err = capsys.readouterr()
    return code, out, err


def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A request folder, and a foreign file beside it holding keys that must not leak."""
    inside = tmp_path / "requests"
    inside.mkdir()
    foreign = tmp_path / "foreign.yaml"
    foreign.write_text("".join(f"{key}: {value}\n" for key, value in SECRET_KEYS.items()))
    return inside, foreign


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("field", ["intake_file", "house"])
@pytest.mark.parametrize("how", ["absolute", "parent", "symlink"])
def test_a_file_outside_the_request_folder_is_refused_without_reading_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, field: str, how: str
) -> None:
    inside, foreign = folders(tmp_path)
    name = {"absolute": str(foreign), "parent": "../foreign.yaml", "symlink": "link.yaml"}[how]
    if how == "symlink":
        (inside / "link.yaml").symlink_to(foreign)
    body: dict[str, Any] = {"intake": intake()} if field == "house" else {}
    request = write(inside / "r.json", {**body, field: name})
    code, out, err = allocate(capsys, str(request))
    assert code == 2 and out == ""
    assert f"{request}:1: {field}: " in err and "outside the request's folder" in err
    assert not any(key in err or value in err for key, value in SECRET_KEYS.items())


def test_a_file_below_the_request_folder_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    inside, _ = folders(tmp_path)
    (inside / "people").mkdir()
    write(inside / "people" / "pat.json", intake())
    request = write(inside / "r.json", {"intake_file": "people/pat.json"})
    code, out, err = allocate(capsys, str(request), "--json")
    assert code == 0, err
    assert json.loads(out)["person"] == "pat"


def test_a_cohort_line_naming_a_foreign_file_is_reported_and_the_others_are_not_lost(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    inside, foreign = folders(tmp_path)
    lines = [{"id": "a", "intake": intake()}, {"id": "b", "intake_file": str(foreign)}]
    cohort = inside / "cohort.jsonl"
    cohort.write_text("".join(json.dumps(line) + "\n" for line in lines))
    code, _, err = allocate(capsys, str(cohort))
    assert code == 2
    assert f"{cohort}:2: intake_file: " in err and "outside the request's folder" in err
    assert not any(key in err for key in SECRET_KEYS)


def money(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


def test_the_charge_shown_never_exceeds_a_budget_however_large_the_income(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rich = intake(
        id="rich",
        finances={
            "income": [{"kind": "other", "amount": "999999999999.99", "period": "week"}],
            "capital": 0,
            "housing_costs_weekly": 0,
        },
    )
    request = write(
        tmp_path / "r.json", {"intake": rich, "questionnaire": SAVVA_22, "support_plan": PLAN}
    )
    code, out, err = allocate(capsys, str(request), "--json")
    assert code == 0, err
    answer = json.loads(out)
    budgets = [Decimal(m["weekly"]) for m in answer["methods"].values() if m["status"] == "ok"]
    assert budgets and Decimal(answer["charging"]["weekly_charge"]) > max(budgets)
    code, out, err = allocate(capsys, str(request))
    assert code == 0, err
    (line,) = [line for line in out.splitlines() if line.startswith("Charge:")]
    shown = re.findall(r"£[\d,]+\.\d\d", line)
    assert shown and all(money(amount) <= max(budgets) for amount in shown), line
    assert money(shown[0]) == max(budgets)
    cohort = tmp_path / "cohort.jsonl"
    cohort.write_text(json.dumps({"intake": rich, "questionnaire": SAVVA_22, "support_plan": PLAN}))
    code, out, err = allocate(capsys, str(cohort))
    assert code == 0, err
    (row,) = [line.split() for line in out.splitlines() if line.strip().startswith("rich")]
    isf, charge = row[3], row[4]  # person, RAS, costing, ISF (n/a: no shared house), charge
    assert (isf, money(charge)) == ("n/a", max(budgets))
