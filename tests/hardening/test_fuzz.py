"""Fuzzing the real command line with hostile YAML and JSON (issue 8).

Hypothesis writes rulesets, intakes, allocation requests and WEEK files that
are hostile in the ways an attack run found: aliases that multiply or refer to
themselves, nesting 100,000 deep, numbers no field could mean (1e999, NaN,
5,000 digits), odd Unicode (lone surrogates, BOMs, NUL, right-to-left marks),
binary, and the shipped examples with one value replaced by any of those or by
random structure. Each goes through `justenough`'s in-process entry point and
must end with exit 0, 2 or 3 and, unless 0, a message: never a traceback, and
never past the bound per input (an alarm raises in this process; the rules
engine's own processes have their deadline).

`make test` tries a fixed, derandomised set (FUZZ_EXAMPLES per kind of file);
JUSTENOUGH_FUZZ_EXAMPLES=N runs N random ones per kind, and
JUSTENOUGH_FUZZ_REPORT=FILE writes the tally (inputs, outcomes, the slowest
and the most memory-hungry input) as JSON.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.cli.main import build_parser, main
from tests.conftest import ROOT
from tests.hardening.support import PROGRAMME, ruleset_folder

RANDOM_EXAMPLES = int(os.environ.get("JUSTENOUGH_FUZZ_EXAMPLES", "0"))
FUZZ_EXAMPLES = RANDOM_EXAMPLES or 15
BOUND_SECONDS = 90  # per input, on a machine other sessions load; most take milliseconds
HOSTILE = "@@hostile@@"
EXAMPLES = ROOT / "examples"


build_parser()  # imports every command now, so that no input is charged for the imports


class Overran(BaseException):
    """Raised by the alarm: an input took longer than BOUND_SECONDS."""


@dataclass
class Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    slowest: tuple[float, float, str] = (0.0, 0.0, "")  # CPU seconds, wall seconds, input
    most_memory: tuple[int, str] = (0, "")

    def add(
        self, kind: str, code: int, seconds: tuple[float, float], peak: int, shown: str
    ) -> None:
        self.outcomes[f"{kind}: exit {code}"] += 1
        if seconds[0] > self.slowest[0]:
            self.slowest = (*seconds, f"{kind}: {shown}")
        if peak > self.most_memory[0]:
            self.most_memory = (peak, f"{kind}: {shown}")


TALLY = Tally()


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    summary = {
        "inputs": sum(TALLY.outcomes.values()),
        "outcomes": dict(sorted(TALLY.outcomes.items())),
        "slowest_cpu_seconds": round(TALLY.slowest[0], 3),
        "slowest_wall_seconds": round(TALLY.slowest[1], 3),
        "slowest_input": TALLY.slowest[2],
        "most_memory_mb": round(TALLY.most_memory[0] / 1e6, 1),
        "most_memory_input": TALLY.most_memory[1],
    }
    target = os.environ.get("JUSTENOUGH_FUZZ_REPORT")
    if target:
        Path(target).write_text(json.dumps(summary, indent=2) + "\n")
    print("\nfuzz:", json.dumps(summary), file=sys.stderr)


# --- hostile documents -------------------------------------------------------------------

HOSTILE_SCALARS = {
    "yaml": ["1.0e999", ".nan", ".inf", "-.inf", "9" * 5000, "0000-01-01", '"\\ud800"'],
    "json": ["1e999", "NaN", "-Infinity", "9" * 5000, "1" + "0" * 400, '"\\udfff"'],
}
ODD_TEXT = ["\ufeff", "\u202e", "\x00", "\u0301", "\U0001f600", "\ufffe", "\x85", "\u2028"]


@st.composite
def alias_bomb(draw: st.DrawFn) -> str:
    width = draw(st.integers(2, 12))
    depth = draw(st.integers(2, 12))
    items = ", ".join(["x"] * width)
    lines = [f"a0: &a0 [{items}]"]
    for level in range(1, depth):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@st.composite
def deep(draw: st.DrawFn) -> str:
    depth = draw(st.sampled_from([65, 1000, 5000, 100_000]))
    if draw(st.booleans()):
        return "[" * depth + "]" * depth
    return "{a: " * depth + "1" + "}" * depth


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*at, index))
    return found


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replaced(value[head], tuple(rest), new)
    return copy


@st.composite
def mutated(draw: st.DrawFn, base: Any, form: str) -> str:
    """The base document with one value replaced: by a hostile scalar written raw, by
    odd Unicode, or by random structure."""
    path = draw(st.sampled_from(_paths(base)))
    choice = draw(st.sampled_from(["scalar", "text", "structure"]))
    raw = None
    if choice == "scalar":
        new: Any = HOSTILE
        raw = draw(st.sampled_from(HOSTILE_SCALARS[form]))
    elif choice == "text":
        new = "".join(draw(st.lists(st.sampled_from(ODD_TEXT), min_size=1, max_size=6)))
    else:
        new = draw(json_values)
    doc = _replaced(base, path, new)
    if form == "json":
        text = json.dumps(doc, default=str)
        return text.replace(f'"{HOSTILE}"', raw) if raw else text
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    return text.replace(HOSTILE, raw) if raw else text


def hostile(base: Any, form: str) -> st.SearchStrategy[bytes]:
    text = st.one_of(
        alias_bomb(),
        st.just("x: &x [*x]\n"),
        deep(),
        mutated(base, form),
        mutated(base, form),
        alias_bomb().map(lambda bomb: yaml.safe_dump(base, sort_keys=False) + bomb),
    )
    encoded = text.map(lambda t: t.encode("utf-8", "surrogatepass"))
    return st.one_of(
        encoded,
        encoded.map(lambda b: b"\xef\xbb\xbf" + b),
        st.binary(max_size=2000),
    )


# --- running the command line --------------------------------------------------------------


def _overrun(signum: int, frame: Any) -> None:
    raise Overran(f"took longer than {BOUND_SECONDS} s")


def run_cli(
    argv: list[str], capfd: pytest.CaptureFixture[str]
) -> tuple[int, str, tuple[float, float], int]:
    """Exit code, everything printed, (CPU, wall) seconds of this process and peak
    Python memory of one run."""
    capfd.readouterr()
    previous = signal.signal(signal.SIGALRM, _overrun)
    signal.setitimer(signal.ITIMER_REAL, BOUND_SECONDS)
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        code = main(argv)
    except SystemExit as done:  # argparse
        code = int(done.code or 0)
    finally:
        seconds = (time.process_time() - cpu, time.perf_counter() - started)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    out, err = capfd.readouterr()
    return code, out + err, seconds, peak


def check_outcome(
    kind: str, argv: list[str], data: bytes, capfd: pytest.CaptureFixture[str]
) -> None:
    code, printed, seconds, peak = run_cli(argv, capfd)
    TALLY.add(kind, code, seconds, peak, repr(data[:60]) + f" ({len(data):,} bytes)")
    assert code in (0, 2, 3), printed
    assert "Traceback" not in printed, printed
    if code != 0:
        assert printed.strip(), f"exit {code} without a message"


FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=not RANDOM_EXAMPLES,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _base(name: str) -> Any:
    return yaml.safe_load((EXAMPLES / name).read_text())


def _written(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _fuzz(kind: str, base: Any, make_argv: Callable[[Path, bytes, str], list[str]]) -> Any:
    @FUZZ
    @given(form=st.sampled_from(["yaml", "json"]), data=st.data())
    def test(
        tmp_path: Path, capfd: pytest.CaptureFixture[str], form: str, data: st.DataObject
    ) -> None:
        document = data.draw(hostile(base, form))
        check_outcome(kind, make_argv(tmp_path, document, form), document, capfd)

    return test


test_hostile_intakes_end_in_a_clear_exit = _fuzz(
    "intake",
    _base("ada.yaml"),
    lambda tmp, data, form: [
        "check",
        str(_written(tmp, f"intake.{form}", data)),
        "--as-of",
        "2026-01-01",
        "--json",
    ],
)


def _ruleset_argv(tmp: Path, data: bytes, form: str) -> list[str]:
    folder = ruleset_folder(tmp)
    _written(folder, "programme.yaml", data)
    return ["rulesets", "validate", str(folder)]


test_hostile_rulesets_end_in_a_clear_exit = _fuzz(
    "ruleset", yaml.safe_load(PROGRAMME), _ruleset_argv
)


def _request_argv(tmp: Path, data: bytes, form: str) -> list[str]:
    (tmp / "ada.yaml").write_bytes((EXAMPLES / "ada.yaml").read_bytes())
    request = _written(tmp, f"request.{form}", data)
    return ["allocate", str(request), "--as-of", "2026-01-01", "--json"]


test_hostile_allocation_requests_end_in_a_clear_exit = _fuzz(
    "request", _base("allocation-ada.yaml"), _request_argv
)

test_hostile_weeks_end_in_a_clear_exit = _fuzz(
    "week",
    _base("week-single.yaml"),
    lambda tmp, data, form: [
        "roster",
        str(_written(tmp, f"week.{form}", data)),
        "--time-limit",
        "2",
        "--json",
    ],
)
