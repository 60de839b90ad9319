"""The JSON that `check --json` and `allocate --json` print is exactly what the models hold.

Reading a printed document into its model and printing the model again gives
the same bytes (no key lost, renamed or reordered), and the model's own JSON
reads back into an equal model: one contract, one copy of it.
"""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ValidationError

from allocation.budgets.allocation_model import Allocation, CohortAllocation
from api.cli.main import main
from engine.decision_model import Decision
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def printed(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def assert_round_trip(model: type[BaseModel], text: str) -> None:
    read = model.model_validate_json(text)
    assert json.dumps(read.model_dump(mode="json"), indent=2) + "\n" == text
    assert model.model_validate_json(read.model_dump_json()) == read


@pytest.mark.parametrize("example", ["ada", "joe", "maria"])
def test_the_decision_json_is_the_decision_model(
    capsys: pytest.CaptureFixture[str], example: str
) -> None:
    text = printed(
        capsys, "check", str(EXAMPLES / f"{example}.yaml"), "--as-of", "2026-01-01", "--json"
    )
    assert_round_trip(Decision, text)


def test_each_line_of_a_jsonl_check_is_a_decision_with_its_line_and_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = printed(capsys, "check", str(EXAMPLES / "cases.jsonl"), "--as-of", "2026-01-01")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["line"] for r in records] == list(range(1, len(records) + 1))
    for record in records:
        head = {"line": record.pop("line"), "id": record.pop("id")}
        decision = Decision.model_validate(record)
        assert {**head, **decision.model_dump(mode="json")} == {**head, **record}


@pytest.mark.parametrize(
    "example", ["allocation-ada.yaml", "allocation-bea.yaml", "joe.yaml", "ada.yaml"]
)
def test_the_allocation_json_is_the_allocation_model(
    capsys: pytest.CaptureFixture[str], example: str
) -> None:
    text = printed(capsys, "allocate", str(EXAMPLES / example), "--as-of", "2025-10-01", "--json")
    assert_round_trip(Allocation, text)


def test_the_cohort_json_is_the_cohort_model_and_exposes_the_net_funded_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = printed(
        capsys, "allocate", str(EXAMPLES / "cohort.jsonl"), "--as-of", "2025-10-01", "--json"
    )
    assert_round_trip(CohortAllocation, text)
    cohort = CohortAllocation.model_validate_json(text)
    for person in cohort.people:
        for budget in person.budgets().values():
            assert budget.contribution is not None and budget.net_funded is not None
            assert budget.contribution + budget.net_funded == budget.weekly


def test_an_allocation_whose_figures_do_not_add_up_is_refused_with_the_field_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = printed(
        capsys, "allocate", str(EXAMPLES / "allocation-ada.yaml"), "--as-of", "2025-10-01", "--json"
    )
    document = json.loads(text)
    document["methods"]["costing"]["net_funded"] = "999.00"
    with pytest.raises(ValidationError) as caught:
        Allocation.model_validate(document)
    (error,) = caught.value.errors()
    assert error["loc"] == ("methods", "costing", "ok")
    assert "do not add up to weekly" in error["msg"]
