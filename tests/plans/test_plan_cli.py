"""`justenough plans check | due | themes`: the same models and checks as the API."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from api.cli.main import main
from api.plans import store
from api.plans.plan_model import Plan
from api.plans.review_model import NewPlanReview
from api.storage import records
from api.storage.database import Database
from api.storage.records import Kind, NewRecord
from tests.plans.bodies import ada_plan, progress, review

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plan-ada.yaml"


def test_the_example_plan_checks_on_a_day_before_its_dates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plans", "check", str(EXAMPLE), "--today", "2027-01-04"]) == 0
    assert "4 goals, 4 objectives" in capsys.readouterr().out


def test_a_bad_plan_file_exits_2_with_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = yaml.safe_load(EXAMPLE.read_text())
    del plan["goals"][1]["objectives"][0]["indicator"]
    plan["goals"][2]["objectives"] = []
    plan["blocks"][0]["goal"] = "nowhere"
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False))
    assert main(["plans", "check", str(path), "--today", "2027-01-04"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:" in err
    assert "goals[1].objectives[0].indicator: required" in err
    assert "goals[2].objectives:" in err
    plan = yaml.safe_load(EXAMPLE.read_text())
    plan["blocks"][0]["goal"] = "nowhere"
    path.write_text(yaml.safe_dump(plan, sort_keys=False))
    assert main(["plans", "check", str(path), "--today", "2027-01-04"]) == 2
    assert "blocks[0].goal: no goal 'nowhere' in the plan" in capsys.readouterr().err
    assert main(["plans", "check", str(EXAMPLE), "--today", "2027-06-01"]) == 2
    assert "review_on: 2027-05-01 is in the past" in capsys.readouterr().err


def test_due_and_themes_read_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    db = Database.open(url)
    plan = Plan.model_validate(ada_plan())
    try:
        with db.write() as session:
            case = records.create_case(session, "Ada", NewRecord(Kind.intake, "{}", "{}"), "me")
            decision = records.add_record(session, case, NewRecord(Kind.decision, "{}", "{}"), "me")
            version = store.add_version(session, case.id, plan, [], decision.id, "me")
            body = review(
                progress=progress("good_progress", {"hot_meals": 1, "washes": 3, "club": 1}),
                next_review_on=(date.today() + timedelta(days=30)).isoformat(),
            )
            store.add_review(session, case.id, version, NewPlanReview.model_validate(body), "me")
    finally:
        db.close()
    soon = (date.today() + timedelta(days=40)).isoformat()
    assert main(["plans", "due", "--before", soon, "--database", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sam:") and "plan review" in out and "follow-up" not in out
    assert main(["plans", "due", "--before", date.today().isoformat(), "--database", url]) == 0
    assert "Nothing due" in capsys.readouterr().out
    assert main(["plans", "due", "--before", soon, "--worker", "kim", "--database", url]) == 0
    assert "Nothing due" in capsys.readouterr().out
    start, end = date.today().isoformat(), soon
    args = ["plans", "themes", "--from", start, "--to", end, "--database", url, "--json"]
    assert main(args) == 0
    rows = {r["tag"]: r for r in yaml.safe_load(capsys.readouterr().out)}
    assert rows["timing"] == {
        "service": "leeds_home_care",
        "period": f"{date.today().year}-Q{(date.today().month - 1) // 3 + 1}",
        "tag": "timing",
        "person": 1,
        "others": 1,
        "total": 2,
    }
    assert rows["transport"]["others"] == 1 and rows["transport"]["person"] == 0
