"""Policy staff change a ruleset file; the server reads it again: new decisions carry
the new hash, the old version stays stored, and a broken file changes nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.storage import accounts
from api.storage.accounts import Role
from api.storage.database import Database
from engine.loader import default_rulesets_root
from tests.api.conftest import Service
from tests.api.journey import AS_OF, ada


@pytest.fixture
def editable(tmp_path: Path) -> Iterator[tuple[Service, Path]]:
    rules = tmp_path / "rulesets"
    shutil.copytree(default_rulesets_root(), rules)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'reload.db'}", rulesets=(rules,), engine_workers=1
    )
    with TestClient(create_app(settings)) as client:
        db: Database = client.app.state.db  # type: ignore[attr-defined]
        with db.write() as session:
            tokens = {r.value: accounts.add_user(session, f"r-{r.value}", r) for r in Role}
        yield Service(client, tokens), rules


def _stamp(service: Service) -> dict[str, str]:
    body = {"intake": ada(), "as_of": AS_OF}
    decision = service.call("POST", "/v1/eligibility", "intake", json=body).json()
    stamp: dict[str, str] = decision["rulesets"][0]
    return stamp


def test_a_changed_ruleset_is_read_again_and_the_old_version_kept(
    editable: tuple[Service, Path],
) -> None:
    service, rules = editable
    before = _stamp(service)
    meta = rules / "england" / "ruleset.yaml"
    meta.write_text(meta.read_text() + "# reviewed again by the policy team\n")

    assert service.call("POST", "/v1/rulesets/reload", "intake").status_code == 403
    assert _stamp(service) == before  # nothing changes until the rules are read again
    reloaded = service.call("POST", "/v1/rulesets/reload", "policy")
    assert reloaded.status_code == 200
    after = _stamp(service)
    assert after["hash"] != before["hash"]
    assert after["hash"] in {r["hash"] for r in reloaded.json()}
    kept = service.call("GET", "/v1/rulesets/england/versions", "policy").json()
    assert {v["hash"] for v in kept} == {before["hash"], after["hash"]}

    meta.write_text(meta.read_text() + "version: [broken\n")
    broken = service.call("POST", "/v1/rulesets/reload", "admin")
    assert broken.status_code == 422
    assert "ruleset.yaml" in broken.json()["problems"][0]["reason"]
    assert _stamp(service) == after
