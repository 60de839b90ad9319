"""Long solves in the background: a row in `jobs`, a thread to run it, a status URL.

A job's work is a function of its stored request; its answer is stored on the
row (and, for a case, as the case's next record, in the same transaction).
Jobs a stopped server left unfinished are marked failed when it starts again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.storage.database import Database
from api.storage.tables import Job

log = logging.getLogger("justenough.jobs")

# The work: returns the result's JSON text; `finish` then stores whatever else
# goes with it (a case record) in the transaction that marks the job done.
Work = Callable[[], str]
Finish = Callable[[Session, Job, str], None]


class JobRunner:
    def __init__(self, db: Database, threads: int) -> None:
        self.db = db
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="job")

    def recover(self) -> None:
        with self.db.write() as session:
            session.execute(
                update(Job)
                .where(Job.status.in_(["queued", "running"]))
                .values(
                    status="failed",
                    error="the server stopped before the job finished; ask again",
                    finished_at=datetime.now(UTC),
                )
            )

    def submit(
        self,
        kind: str,
        request: str,
        user: str,
        work: Work,
        finish: Finish | None = None,
        case_id: str | None = None,
    ) -> Job:
        job = Job(
            id=uuid.uuid4().hex,
            kind=kind,
            status="queued",
            case_id=case_id,
            request=request,
            created_by=user,
            created_at=datetime.now(UTC),
        )
        with self.db.write() as session:
            session.add(job)
        self.executor.submit(self._run, job.id, work, finish)
        return job

    def _run(self, job_id: str, work: Work, finish: Finish | None) -> None:
        with self.db.write() as session:
            session.execute(update(Job).where(Job.id == job_id).values(status="running"))
        try:
            result = work()
            with self.db.write() as session:
                job = session.get_one(Job, job_id)
                if finish is not None:
                    finish(session, job, result)
                job.status, job.result, job.finished_at = "done", result, datetime.now(UTC)
        except Exception as error:
            log.exception("job %s failed", job_id)
            with self.db.write() as session:
                job = session.get_one(Job, job_id)
                job.status, job.error = "failed", f"{type(error).__name__}: {error}"
                job.finished_at = datetime.now(UTC)

    def get(self, job_id: str) -> Job | None:
        with self.db.read() as session:
            return session.scalars(select(Job).where(Job.id == job_id)).first()

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
