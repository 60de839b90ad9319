"""docs/intake.md is generated from the intake's schema and the shipped rulesets; this keeps
it in step, and checks that every field is explained and every field a rule reads is listed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from engine.intake_doc import fields, markdown, reads
from engine.loader import default_rulesets_root, load_rulesets

DOC = Path(__file__).resolve().parents[2] / "docs" / "intake.md"


def test_docs_intake_md_is_in_step_with_the_schema_and_the_rulesets() -> None:
    expected = markdown(load_rulesets([default_rulesets_root()]))
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/intake.md is out of date: run `justenough intake doc > docs/intake.md`"
    )


def test_every_field_says_what_it_means() -> None:
    missing = [f.path for f in fields() if not f.meaning]
    assert not missing


def test_every_field_a_rule_reads_is_a_documented_field() -> None:
    documented = {f.path for f in fields()}
    read = reads(p for r in load_rulesets([default_rulesets_root()]) for p in r.programmes)
    assert set(read) <= documented
    assert read["needs.outcomes[].manages"] == {"england.care_act.adult"}
    assert "us.snap" in read["finances.income[].monthly"]


def test_intake_schema_prints_the_json_schema() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "api.cli.main", "intake", "schema"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    schema = json.loads(done.stdout)
    assert schema["required"] == ["person"]
    assert "direct_payments" in schema["properties"]
