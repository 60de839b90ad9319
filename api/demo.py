"""Demo data for `make run`: a user per role with a fresh token, and a few cases.

The cases are the shipped examples: each intake decided by the engine and
confirmed by the demo intake worker, so the letter and the next steps can be
tried at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from api.engines import Engines
from api.jsontext import dumps
from api.resources import Determined
from api.settings import Settings
from api.steps import decision_record, intake_record
from api.storage import accounts, records
from api.storage.accounts import Role
from api.storage.database import Database
from api.storage.records import Kind
from engine.decision_model import Decision
from engine.intake_files import read_intake
from engine.worker_pool import WorkerPool

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DEMO_INTAKES = ("ada.yaml", "maria.yaml", "joe.yaml")


def prepare(settings: Settings) -> dict[str, str]:
    db = Database.open(settings.database_url, upgrade=settings.migrate)
    try:
        tokens = _users(db)
        with db.read() as session:
            empty = records.count_cases(session) == 0
        if empty:
            _cases(db, settings)
        return tokens
    finally:
        db.close()


def _users(db: Database) -> dict[str, str]:
    """A demo user per role; each start replaces their token, so it can be printed."""
    tokens: dict[str, str] = {}
    with db.write() as session:
        for role in Role:
            name = f"demo-{role.value}"
            found = accounts.user_by_name(session, name)
            if found is not None:
                session.delete(found)
                session.flush()
            tokens[role.value] = accounts.add_user(session, name, role)
    return tokens


def _cases(db: Database, settings: Settings) -> None:
    with WorkerPool(workers=1) as pool:
        found = Engines(settings.rulesets, pool)
        found.keep_rulesets(db)
        on = date.today()
        for name in DEMO_INTAKES:
            path = EXAMPLES / name
            if not path.is_file():
                continue
            intake = read_intake(path)
            with db.write() as session:
                case = records.create_case(
                    session, intake.id or name, intake_record(intake), "demo-intake"
                )
                first = records.latest(session, case.id, Kind.intake)
                assert first is not None
                new = decision_record(found, first, intake, on)
                made = records.add_record(session, case, new, "demo-intake")
                decision = Decision.model_validate_json(new.output)
                outcomes = {p.id: p.outcome for p in decision.programmes}
                decided = dumps(Determined(outcomes=outcomes))
                records.determine(session, made, "confirm", decided, None, "demo-intake")
