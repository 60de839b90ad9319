"""The README's curl session runs as written against a running server, and its
request bodies say what the YAML examples say."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.api.journey import EXAMPLES, ada, ada_budget_ask
from tests.api.live import ROOT, LiveServer, add_users


def _session() -> str:
    text = (ROOT / "README.md").read_text()
    found = re.search(r"<!-- curl-session -->\n```sh\n(.*?)```\n<!-- /curl-session -->", text, re.S)
    assert found, "the README has no curl session"
    return found.group(1)


def test_the_request_bodies_are_the_yaml_examples() -> None:
    api = EXAMPLES / "api"
    assert json.loads((api / "case-ada.json").read_text())["intake"] == ada()
    assert json.loads((api / "eligibility-ada.json").read_text())["intake"] == ada()
    budget = json.loads((api / "budget-ada.json").read_text())
    assert {k: budget[k] for k in ("questionnaire", "support_plan")} == ada_budget_ask()


@pytest.mark.slow
def test_the_readme_curl_session_runs_as_written(tmp_path: Path) -> None:
    for name in (".venv", "examples"):  # run as from the repository, writing here
        (tmp_path / name).symlink_to(ROOT / name)
    database = f"sqlite:///{tmp_path / 'readme.db'}"
    tokens = add_users(database, "readme")
    server = LiveServer(database).start()
    lines = [line for line in _session().splitlines() if not line.startswith("export ")]
    environment = {
        **os.environ,
        "BASE": server.url,
        "INTAKE": tokens["intake"],
        "BUDGET": tokens["budget"],
        "ROTA": tokens["rota"],
    }
    try:
        ran = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", "\n".join(lines)],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        server.stop()
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert '"kind":"roster"' in ran.stdout
    assert "Our decision about your care and support" in (tmp_path / "letter.html").read_text()
