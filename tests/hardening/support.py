"""Running the command line on hostile files, and small ruleset folders to hold them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT

CLI = str(Path(sys.executable).parent / "justenough")

META = """\
id: test
title: Test rules
version: "1"
jurisdiction: {country: england}
"""

PROGRAMME = """\
id: test.capital
title: Capital
source: Test Act 2026
parameters:
  limit:
    - {from: 2020-01-01, value: 100, source: s.1}
criteria:
  - id: capital
    when: finances.capital <= param.limit
    explain: Capital is within the limit.
    source: s.1
eligible: all(capital)
"""

PERSON = "person:\n  lives_in: {country: england}\n"


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command line; a hang fails the test at `timeout` instead of never."""
    return subprocess.run(
        [CLI, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False
    )


def ruleset_folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ruleset.yaml").write_text(META)
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(textwrap.dedent(text))
    return folder


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr
