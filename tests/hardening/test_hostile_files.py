"""Hostile files exit 2 with `file:line: field: reason`, at once (issue 8)."""

from __future__ import annotations

import json
from pathlib import Path

from engine.intake_files import read_intake
from engine.sourcefiles import MAX_FILE_BYTES
from tests.conftest import ROOT
from tests.hardening.support import PERSON, PROGRAMME, no_traceback, ruleset_folder, run

# Nine levels of nine aliases: 9**10 values once written out (the "billion laughs").
LAUGHS = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
)


# --- YAML aliases ---------------------------------------------------------------------


def test_an_intake_refuses_any_alias_naming_its_line(tmp_path: Path) -> None:
    intake = tmp_path / "alias.yaml"
    intake.write_text(PERSON + "needs: &n {arise_from_impairment: true}\ncarer: *n\n")
    done = run("check", str(intake))
    assert done.returncode == 2
    assert f"{intake}:4: (file): an alias (*n) is not allowed in this file" in done.stderr


def test_a_ruleset_whose_aliases_multiply_it_is_refused_with_file_and_line(
    tmp_path: Path,
) -> None:
    folder = ruleset_folder(tmp_path, laughs=LAUGHS)
    done = run("rulesets", "validate", str(folder), timeout=30)
    assert done.returncode == 2
    assert (
        f"{folder / 'laughs.yaml'}:2: (file): holds 4,412,961,516 values with its aliases "
        "written out; at most 200,000" in done.stdout
    )


def test_an_intake_that_multiplies_itself_is_refused_too(tmp_path: Path) -> None:
    intake = tmp_path / "laughs.yaml"
    intake.write_text(PERSON + LAUGHS)
    done = run("check", str(intake), timeout=30)
    assert done.returncode == 2 and f"{intake}:4: (file): an alias (*a0)" in done.stderr


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    folder = ruleset_folder(tmp_path, loop="id: x\nloop: &x [1, *x]\n")
    done = run("rulesets", "validate", str(folder), timeout=30)
    no_traceback(done)
    assert done.returncode == 2
    assert f"{folder / 'loop.yaml'}:2: (file): alias *x refers to itself" in done.stdout


def test_aliases_that_repeat_a_little_still_load(tmp_path: Path) -> None:
    text = PROGRAMME.replace("    source: s.1\neligible", "    source: *s\neligible").replace(
        "value: 100, source: s.1}", "value: 100, source: &s s.1}"
    )
    folder = ruleset_folder(tmp_path, capital=text)
    done = run("rulesets", "validate", str(folder))
    assert done.returncode == 0, done.stdout


# --- size caps and nesting --------------------------------------------------------------


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    intake = tmp_path / "huge.yaml"
    intake.write_text(PERSON + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    done = run("check", str(intake))
    assert done.returncode == 2
    size = intake.stat().st_size
    assert f"{intake}: (file): is {size:,} bytes; a file may be at most 5,000,000" in done.stderr
    folder = ruleset_folder(tmp_path, huge=PROGRAMME + "# padding\n" * (MAX_FILE_BYTES // 10))
    done = run("rulesets", "validate", str(folder))
    assert done.returncode == 2 and "a file may be at most 5,000,000" in done.stdout


def test_nesting_100000_deep_is_refused_in_yaml_and_json(tmp_path: Path) -> None:
    for suffix in ("yaml", "json"):
        intake = tmp_path / f"deep.{suffix}"
        intake.write_text("[" * 100_000 + "]" * 100_000)
        done = run("check", str(intake))
        no_traceback(done)
        assert done.returncode == 2
        assert f"{intake}:1: (file): nested more than 64 levels deep" in done.stderr


# --- numbers, dates and text at the edges -----------------------------------------------


def test_numbers_no_field_could_mean_are_refused_with_their_field(tmp_path: Path) -> None:
    cases = {
        "digits.yaml": (PERSON + "finances:\n  capital: " + "9" * 5000 + "\n", 4),
        "digits.json": (
            '{"person": {"lives_in": {"country": "england"}, "age": ' + "9" * 5000 + "}}",
            1,
        ),
        "nan.json": ('{"person": {"lives_in": {"country": "england"}, "age": NaN}}', 1),
        "inf.yaml": (PERSON + "finances:\n  capital: .inf\n", 4),
        "huge.yaml": (PERSON + "finances:\n  capital: 1.0e999\n", 4),
    }
    fields = {"digits.yaml": "finances.capital", "inf.yaml": "finances.capital"}
    fields |= {"huge.yaml": "finances.capital"}
    for name, (text, line) in cases.items():
        intake = tmp_path / name
        intake.write_text(text)
        done = run("check", str(intake))
        no_traceback(done)
        assert done.returncode == 2, (name, done.stderr)
        field = fields.get(name, "person.age")
        assert f"{intake}:{line}: {field}: " in done.stderr, (name, done.stderr)


def test_a_parameter_that_is_not_a_finite_number_is_refused(tmp_path: Path) -> None:
    for value, reason in ((".nan", ".nan is not a finite number"), (".inf", "not a finite")):
        folder = ruleset_folder(
            tmp_path, capital=PROGRAMME.replace("value: 100", f"value: {value}")
        )
        done = run("rulesets", "validate", str(folder))
        no_traceback(done)
        assert done.returncode == 2
        assert f"{folder / 'capital.yaml'}:6: parameters.limit[0].value: " in done.stdout
        assert reason in done.stdout


def test_a_condition_with_1e999_is_refused(tmp_path: Path) -> None:
    text = PROGRAMME.replace("<= param.limit", "<= 1e999")
    folder = ruleset_folder(tmp_path, capital=text)
    done = run("rulesets", "validate", str(folder))
    no_traceback(done)
    assert done.returncode == 2
    assert f"{folder / 'capital.yaml'}:9: criteria[0].when: a number written too large" in (
        done.stdout
    )
    folder = ruleset_folder(tmp_path, capital=PROGRAMME.replace("param.limit", "9" * 3900))
    done = run("rulesets", "validate", str(folder))
    assert done.returncode == 2 and "criteria[0].when: number 999" in done.stdout
    assert "has too many digits" in done.stdout
    assert len(done.stdout) < 1000  # the message names the place; it does not copy the digits


def test_year_zero_is_refused_as_a_date(tmp_path: Path) -> None:
    folder = ruleset_folder(tmp_path, capital=PROGRAMME.replace("2020-01-01", "0000-01-01"))
    done = run("rulesets", "validate", str(folder))
    no_traceback(done)
    assert done.returncode == 2
    assert (
        f"{folder / 'capital.yaml'}:6: parameters.limit[0].from: 0000-01-01 is not a real date"
        in done.stdout
    )


def test_a_lone_surrogate_is_not_text(tmp_path: Path) -> None:
    for name, text in {
        "s.yaml": 'id: "\\ud800"\n' + PERSON,
        "s.json": '{"id": "\\udfff", "person": {"lives_in": {"country": "england"}}}',
    }.items():
        intake = tmp_path / name
        intake.write_text(text)
        done = run("check", str(intake))
        assert done.returncode == 2
        assert f"{intake}:1: id: holds a lone surrogate" in done.stderr


# --- reading consistently ---------------------------------------------------------------


def test_json_refuses_a_key_given_twice_as_yaml_does(tmp_path: Path) -> None:
    intake = tmp_path / "twice.json"
    intake.write_text('{"id": "a", "id": "b", "person": {"lives_in": {"country": "england"}}}')
    done = run("check", str(intake))
    assert done.returncode == 2 and f"{intake}:1: id: given twice" in done.stderr


def test_an_intake_written_by_model_dump_json_reads_back(tmp_path: Path) -> None:
    ada = read_intake(ROOT / "examples" / "ada.yaml")
    written = tmp_path / "ada.json"
    written.write_text(ada.model_dump_json())
    assert "weekly" in written.read_text()  # computed fields are written...
    assert read_intake(written) == ada  # ...and worked out again when read
    done = run("check", str(written), "--as-of", "2026-01-01", "--json")
    assert done.returncode == 0, done.stderr


def test_a_parameter_with_no_value_yet_names_the_date_asked_for(tmp_path: Path) -> None:
    folder = ruleset_folder(tmp_path, capital=PROGRAMME)
    intake = tmp_path / "p.yaml"
    intake.write_text(PERSON)
    done = run("check", str(intake), "--rulesets", str(folder), "--as-of", "2019-06-30")
    assert done.returncode == 2
    assert (
        f"{folder / 'capital.yaml'}:5: parameters.limit: has no value on 2019-06-30, "
        "the date asked for; its first value starts on 2020-01-01" in done.stderr
    )


def test_an_error_in_a_jsonl_line_names_file_and_line_once(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"person": {"lives_in": {"country": "mars"}}}) + "\n")
    done = run("check", str(cases))
    assert done.returncode == 2
    assert f"{cases}:1: person.lives_in.country: " in done.stderr
    assert f"{cases}:1: {cases}:1:" not in done.stderr


def test_check_warns_when_a_ruleset_does_not_serve_where_the_person_lives(
    tmp_path: Path,
) -> None:
    intake = tmp_path / "us.yaml"
    intake.write_text("person:\n  lives_in: {country: us, region: CA}\n")
    done = run("check", str(intake), "--rulesets", str(ROOT / "rulesets" / "england"))
    assert done.returncode == 0, done.stderr
    assert "warning: " in done.stderr
    assert "the person lives in us/CA, but ruleset england serves england" in done.stderr


# --- flags ---------------------------------------------------------------------------------


def test_workers_below_one_is_bad_input_not_a_hang() -> None:
    for value in ("-1", "0", "two"):
        done = run("check", str(ROOT / "examples" / "ada.yaml"), "--workers", value, timeout=30)
        assert done.returncode == 2
        assert "--workers: " in done.stderr and "is not a whole number of 1 or more" in done.stderr


def test_version_prints_the_version() -> None:
    done = run("--version")
    assert done.returncode == 0 and done.stdout.strip() == "justenough 0.1.0"


def test_check_warns_when_no_ruleset_serves_where_the_person_lives(tmp_path: Path) -> None:
    intake = tmp_path / "wales.yaml"
    intake.write_text("person:\n  lives_in: {country: wales}\n")
    done = run("check", str(intake), "--as-of", "2026-01-01", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["programmes"] == []
    assert (
        f"warning: {intake}: no ruleset loaded serves wales, where the person lives" in done.stderr
    )


def test_a_nul_byte_is_refused_with_its_line(tmp_path: Path) -> None:
    """Found by the fuzz test: PyYAML refuses NUL before parsing, outside our handler."""
    for text, line in (("\x00", 1), (PERSON + 'id: "a\x00b"\n', 3)):
        intake = tmp_path / "nul.yaml"
        intake.write_text(text)
        done = run("check", str(intake))
        no_traceback(done)
        assert done.returncode == 2
        assert f"{intake}:{line}: (file): not valid YAML: character 0x0000" in done.stderr
