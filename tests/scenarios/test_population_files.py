"""Population files: CSV round trip, import with a mapping, atomic writes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from api.cli.main import main
from engine.bulk_schema import to_intakes
from engine.output_files import atomic_path
from scenarios.population_files import read_population, write_population
from scenarios.synthetic import generate

CSV = """ref,dob,state,sex,savings,hh
a1,1950-03-01,NY,F,1200.50,"[{""relation"":""partner"",""age"":70}]"
a2,not-a-date,CA,M,10,
a3,1980-01-01,TX,X,12.345,
a4,1990-02-02,FL,M,,"[{""relation"":""cousin""}]"
a5,1990-02-02,FL,M,7,[]
"""
MAPPING = """columns: {ref: id, dob: person.date_of_birth, state: person.lives_in.region,
          sex: person.sex, savings: finances.capital, hh: person.household}
values: {sex: {F: female, M: male}}
constants: {person.lives_in.country: us}
"""


@pytest.mark.parametrize("jurisdiction", ["england", "us"])
def test_csv_round_trips(tmp_path: Path, jurisdiction: str) -> None:
    people = generate(800, 2, jurisdiction)
    write_population(people, tmp_path / "people.csv")
    again = read_population(tmp_path / "people.csv")
    assert to_intakes(again) == to_intakes(people)


def test_import_keeps_good_rows_and_names_each_bad_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in.csv").write_text(CSV)
    (tmp_path / "map.yaml").write_text(MAPPING)
    out = tmp_path / "out.parquet"
    args = [
        "scenarios",
        "import",
        str(tmp_path / "in.csv"),
        "--mapping",
        str(tmp_path / "map.yaml"),
    ]
    assert main([*args, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "row 3: dob (person.date_of_birth): is not a date YYYY-MM-DD" in err
    assert "row 4: savings (finances.capital): is not a number with at most 2 decimal places" in err
    assert "row 4: sex (person.sex): is not one of female, intersex, male" in err
    assert "row 5: hh (person.household): is not a JSON list of valid records" in err
    kept = read_population(out)
    assert kept["id"].to_list() == ["a1", "a5"]
    (first, _) = to_intakes(kept)
    assert first.finances is not None and first.finances.capital == Decimal("1200.50")
    assert first.person.sex is not None and first.person.sex.value == "female"


def test_a_mapping_naming_no_intake_field_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in.csv").write_text(CSV)
    (tmp_path / "map.yaml").write_text("columns: {ref: id, shoe: person.shoe_size}\n")
    args = [
        "scenarios",
        "import",
        str(tmp_path / "in.csv"),
        "--mapping",
        str(tmp_path / "map.yaml"),
    ]
    assert main([*args, "--out", str(tmp_path / "o.parquet")]) == 2
    assert "'person.shoe_size' is not an intake field" in capsys.readouterr().err
    assert not (tmp_path / "o.parquet").exists()


def test_an_interrupted_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "people.parquet"
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as temp:
        pl.DataFrame({"x": [1]}).write_parquet(temp)
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_sigterm_during_generate_leaves_no_file(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "big.parquet"
    command = [sys.executable, "-m", "api.cli.main", "scenarios", "generate", "3000000",
               "--jurisdiction", "us", "--out", str(out)]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(2.0)
    assert child.poll() is None, "generating 3,000,000 people takes longer than that"
    child.send_signal(signal.SIGTERM)
    # 130: stopped by our handler (SIGTERM as Ctrl-C); -15 if it came before the handler
    assert child.wait(timeout=60) in (130, -signal.SIGTERM)
    assert list(tmp_path.iterdir()) == []
