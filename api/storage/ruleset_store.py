"""Every ruleset version the server has used, kept by content hash with its files' text.

An old decision is explained and re-run from these files, after the shipped
rules have changed: written back to a folder, they hash to the same value.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.storage.tables import RulesetFile, RulesetVersion
from engine.loader import content_hash
from engine.programmes import Ruleset


def keep(session: Session, ruleset: Ruleset) -> None:
    """Store the folder's files under its hash, once."""
    if session.get(RulesetVersion, ruleset.hash) is not None:
        return
    session.add(
        RulesetVersion(
            hash=ruleset.hash,
            ruleset_id=ruleset.id,
            version=ruleset.version,
            title=ruleset.title,
            stored_at=datetime.now(UTC),
        )
    )
    session.flush()
    for path in sorted(ruleset.folder.rglob("*.yaml")):
        name = path.relative_to(ruleset.folder).as_posix()
        session.add(RulesetFile(ruleset_hash=ruleset.hash, path=name, text=path.read_text("utf-8")))


def versions(session: Session, ruleset_id: str) -> list[RulesetVersion]:
    query = select(RulesetVersion).where(RulesetVersion.ruleset_id == ruleset_id)
    return list(session.scalars(query.order_by(RulesetVersion.stored_at, RulesetVersion.hash)))


def find(session: Session, ruleset_id: str, version_or_hash: str) -> RulesetVersion | None:
    """A stored version by its hash, or the latest stored with that version label."""
    found = session.get(RulesetVersion, version_or_hash)
    if found is not None and found.ruleset_id == ruleset_id:
        return found
    labelled = [v for v in versions(session, ruleset_id) if v.version == version_or_hash]
    return labelled[-1] if labelled else None


def write_folder(session: Session, ruleset_hash: str, into: Path) -> Path:
    """The stored files written under `into`; refuses a folder whose hash differs."""
    version = session.get(RulesetVersion, ruleset_hash)
    if version is None:
        raise KeyError(ruleset_hash)
    folder = into / version.ruleset_id
    query = select(RulesetFile).where(RulesetFile.ruleset_hash == ruleset_hash)
    for stored in session.scalars(query):
        target = (folder / stored.path).resolve()
        if not target.is_relative_to(folder.resolve()):
            raise ValueError(f"stored file {stored.path!r} names a place outside its folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(stored.text, "utf-8")
    if content_hash(folder) != ruleset_hash:
        raise ValueError(f"stored files of {ruleset_hash} no longer hash to it")
    return folder
