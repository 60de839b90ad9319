"""The rulesets: what the server decides with now, and every version it has used."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from api.auth import Caller, allow
from api.deps import database, engines
from api.engines import Engines
from api.http_errors import ERRORS, ApiError, FieldProblem, not_found
from api.resources import (
    DatedView,
    MethodView,
    ParameterView,
    ProgrammeView,
    RulesetView,
    StoredVersionView,
)
from api.storage import ruleset_store
from api.storage.accounts import Role
from api.storage.database import Database
from api.storage.tables import RulesetFile
from engine.describe import show_value
from engine.programmes import Parameter, Ruleset
from engine.sourcefiles import InputError

router = APIRouter(prefix="/v1/rulesets", tags=["rulesets"])
ANYONE = allow(*Role)


def _parameters(parameters: Mapping[str, Parameter]) -> list[ParameterView]:
    return [
        ParameterView(
            name=name,
            values=[
                DatedView(
                    starts=d.starts,
                    value="(table)" if hasattr(d.value, "rows") else show_value(d.value),
                    source=d.source,
                )
                for d in parameter.values
            ],
        )
        for name, parameter in parameters.items()
    ]


def _view(ruleset: Ruleset, found: Engines) -> RulesetView:
    methods = next((m for m in found.methods if m.ruleset.hash == ruleset.hash), None)
    budget_methods = []
    if methods is not None:
        for method in (methods.ras, methods.costing, methods.isf, methods.charging):
            if method is not None:
                spec = method.spec
                budget_methods.append(
                    MethodView(
                        id=spec.id,
                        method=spec.method,
                        title=spec.title,
                        source=spec.source,
                        parameters=_parameters(method.parameters),
                    )
                )
    programmes = [
        ProgrammeView(
            id=p.id,
            title=p.title,
            source=p.source,
            parameters=_parameters(p.parameters),
            criteria=[c.id for c in p.criteria],
        )
        for p in ruleset.programmes
    ]
    starts = [
        d.starts
        for group in (programmes, budget_methods)
        for item in group
        for parameter in item.parameters
        for d in parameter.values
    ]
    return RulesetView(
        id=ruleset.id,
        title=ruleset.title,
        version=ruleset.version,
        hash=ruleset.hash,
        country=ruleset.country,
        region=ruleset.region,
        effective_from=min(starts, default=None),
        programmes=programmes,
        budget_methods=budget_methods,
    )


def _current(found: Engines, ruleset_id: str) -> Ruleset:
    ruleset = next((r for r in found.rulesets if r.id == ruleset_id), None)
    if ruleset is None:
        raise not_found(f"ruleset {ruleset_id}")
    return ruleset


@router.get("", responses=ERRORS)
def list_rulesets(
    _who: Caller = Depends(ANYONE), found: Engines = Depends(engines)
) -> list[RulesetView]:
    """The rulesets decisions are made with now: version, hash, effective dates, programmes
    and budget methods."""
    return [_view(r, found) for r in found.rulesets]


@router.get("/{ruleset_id}", responses=ERRORS)
def show_ruleset(
    ruleset_id: str, _who: Caller = Depends(ANYONE), found: Engines = Depends(engines)
) -> RulesetView:
    return _view(_current(found, ruleset_id), found)


def _stored(rows: Iterable[ruleset_store.RulesetVersion]) -> list[StoredVersionView]:
    return [
        StoredVersionView(
            id=v.ruleset_id, version=v.version, hash=v.hash, title=v.title, stored_at=v.stored_at
        )
        for v in rows
    ]


@router.get("/{ruleset_id}/versions", responses=ERRORS)
def ruleset_versions(
    ruleset_id: str, _who: Caller = Depends(ANYONE), db: Database = Depends(database)
) -> list[StoredVersionView]:
    """Every version of the ruleset this server has kept (by content hash)."""
    with db.read() as session:
        found = _stored(ruleset_store.versions(session, ruleset_id))
    if not found:
        raise not_found(f"ruleset {ruleset_id}")
    return found


@router.get("/{ruleset_id}/versions/{version}", responses=ERRORS)
def ruleset_version(
    ruleset_id: str,
    version: str,
    _who: Caller = Depends(ANYONE),
    db: Database = Depends(database),
) -> StoredVersionView:
    """One kept version, by its hash or its version label, with the files it holds."""
    with db.read() as session:
        stored = ruleset_store.find(session, ruleset_id, version)
        if stored is None:
            raise not_found(f"version {version} of ruleset {ruleset_id}")
        (view,) = _stored([stored])
        query = select(RulesetFile.path).where(RulesetFile.ruleset_hash == stored.hash)
        view.files = sorted(session.scalars(query))
    return view


@router.post("/reload", responses=ERRORS)
def reload_rulesets(
    request: Request,
    _who: Caller = Depends(allow(Role.policy)),
    found: Engines = Depends(engines),
    db: Database = Depends(database),
) -> list[RulesetView]:
    """Read the ruleset folders again, after policy staff changed them: decisions from
    now on use the new versions; every version used before stays stored by its hash.
    A folder with problems changes nothing (422, each problem with file and line)."""
    try:
        fresh = found.reloaded()
    except InputError as error:
        problems = [FieldProblem(field=p.field, reason=str(p)) for p in error.problems]
        raise ApiError(422, "the rulesets have problems; nothing changed", problems) from None
    fresh.keep_rulesets(db)
    request.app.state.engines = fresh
    return [_view(r, fresh) for r in fresh.rulesets]
