"""Storage on its own: versions under concurrent writers, and re-running a stored
decision from the stored text of its rulesets after the shipped files change."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from api.engines import Engines, rerun_decision
from api.steps import decision_record, intake_record
from api.storage import records
from api.storage.database import Database
from api.storage.records import Kind, NewRecord
from engine.intake import Intake
from engine.loader import default_rulesets_root
from engine.worker_pool import WorkerPool
from tests.api.journey import ada


def test_concurrent_writers_of_one_case_get_distinct_versions(database_url: str) -> None:
    db = Database.open(database_url)
    try:
        with db.write() as session:
            case_id = records.create_case(session, "x", NewRecord(Kind.intake, "{}", "{}"), "me").id

        def add(n: int) -> int:
            with db.write() as session:
                case = records.get_case(session, case_id, lock=True)
                assert case is not None
                return records.add_record(
                    session, case, NewRecord(Kind.intake, "{}", f'{{"n":{n}}}'), "me"
                ).version

        with ThreadPoolExecutor(8) as pool:
            versions = sorted(pool.map(add, range(40)))
        assert versions == list(range(2, 42))
        with db.read() as session:
            history = records.history(session, case_id)
        assert [r.number for r in history] == list(range(1, 42))
    finally:
        db.close()


def test_a_stored_decision_re_runs_byte_identical_after_the_rules_change(
    database_url: str, tmp_path: Path
) -> None:
    rules = tmp_path / "rulesets"
    shutil.copytree(default_rulesets_root(), rules)
    db = Database.open(database_url)
    intake = Intake.model_validate(ada())
    on = date(2026, 1, 1)
    try:
        with WorkerPool(workers=1) as pool:
            found = Engines((rules,), pool)
            found.keep_rulesets(db)
            with db.write() as session:
                case = records.create_case(session, "ada", intake_record(intake), "me")
                first = records.latest(session, case.id, Kind.intake)
                assert first is not None
                stored = records.add_record(
                    session, case, decision_record(found, first, intake, on), "me"
                )
        # The shipped files change: a new version, another hash.
        meta = rules / "england" / "ruleset.yaml"
        meta.write_text(meta.read_text() + "# a later edition\n")
        with WorkerPool(workers=1) as pool:
            changed = Engines((rules,), pool)
            assert changed.rulesets[0].hash not in {s.hash for s in records.stamps_of(stored)}
        again = rerun_decision(db, records.stamps_of(stored), intake, on)
        assert again == stored.output
        assert records.digest(again) == stored.content_hash
    finally:
        db.close()
