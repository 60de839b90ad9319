"""A `.jsonl` file loses nothing: each bad line is reported, every other decided (issue 8)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.hardening.support import no_traceback, run

GOOD = {"person": {"lives_in": {"country": "england"}}, "needs": {"wellbeing_impact": "none"}}

# line -> (bytes of the line, what the report says about it)
BAD: dict[int, tuple[bytes, str]] = {
    2: (b"\xef\xbb\xbf" + json.dumps(GOOD).encode(), "Unexpected UTF-8 BOM"),
    100: (b"{not json", "not valid JSON: Expecting property name"),
    200: (b'{"id": "t", "person": {', "not valid JSON"),
    300: (b"\xff\xfe\x00\x80 binary \x00\x01", "not UTF-8 text"),
    500: (b"[" * 100_000 + b"]" * 100_000, "nested more than 64 levels deep"),
    600: (
        b'{"person": {"lives_in": {"country": "england"}, "age": ' + b"9" * 5000 + b"}}",
        "person.age: a number of 5,000 characters is too long",
    ),
    700: (b'{"id": "a", "id": "b", "person": {"lives_in": {"country": "england"}}}', "given twice"),
    800: (b'{"id": "\\ud800", "person": {"lives_in": {"country": "england"}}}', "lone surrogate"),
    900: (b'{"person": {"lives_in": {"country": "england"}, "age": NaN}}', "not a finite number"),
}


def test_every_bad_line_is_reported_and_every_other_line_decided_in_order(
    tmp_path: Path,
) -> None:
    cases = tmp_path / "cases.jsonl"
    with cases.open("wb") as out:
        out.write(b"\xef\xbb\xbf")  # a byte-order mark at the start of the file is skipped
        for line in range(1, 1001):
            good = json.dumps({"id": f"c{line}", **GOOD}).encode()
            out.write(BAD[line][0] if line in BAD else good)
            out.write(b"\n")
    done = run("check", str(cases), "--as-of", "2026-01-01", "--workers", "2", timeout=300)
    no_traceback(done)
    assert done.returncode == 2
    records = [json.loads(text) for text in done.stdout.splitlines()]
    assert [r["line"] for r in records] == list(range(1, 1001))
    for record in records:
        if record["line"] in BAD:
            assert BAD[record["line"]][1] in record["error"], record
        else:
            assert record["id"] == f"c{record['line']}" and record["programmes"], record
    for line, (_, reason) in BAD.items():
        reports = [r for r in done.stderr.splitlines() if r.startswith(f"{cases}:{line}: ")]
        assert len(reports) == 1 and reason in reports[0], (line, reports)


def test_a_line_over_the_cap_is_reported_without_being_read_whole(tmp_path: Path) -> None:
    cases = tmp_path / "long.jsonl"
    good = json.dumps(GOOD)
    cases.write_text(good + "\n" + '{"id": "' + "x" * 2_000_000 + '"}\n' + good + "\n")
    done = run("check", str(cases), "--as-of", "2026-01-01")
    assert done.returncode == 2
    assert f"{cases}:2: (file): the line is longer than 1,000,000 bytes" in done.stderr
    lines = [json.loads(text)["line"] for text in done.stdout.splitlines()]
    assert lines == [1, 2, 3]
