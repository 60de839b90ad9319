"""Loading the budget methods of ruleset folders: the `allocation-*.yaml` files.

A folder's methods share its `ruleset.yaml` (id, version, jurisdiction) and
its content hash, so every allocation names the exact rules it came from.
Every problem in every file is reported at once, as `file:line: field: reason`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from allocation.budgets.methods_files import (
    METHOD_FILES,
    ChargingFile,
    CostingFile,
    IsfFile,
    Kind,
    MethodFile,
    RasFile,
)
from engine.decision_model import RulesetStamp
from engine.intake import Intake
from engine.ir import BOOLEAN, NUMBER, TEXT, Type
from engine.ir import Kind as TypeKind
from engine.loader import ALLOCATION_PREFIX, load_each_folder, load_folder
from engine.programmes import Dated, Parameter, Ruleset, dated_values
from engine.sourcefiles import Document, InputError, Problem, read_document

F = TypeVar("F", bound=MethodFile)
NAMES = Type(TypeKind.list, element=TEXT)
TYPES = {Kind.number: NUMBER, Kind.flag: BOOLEAN, Kind.names: NAMES}


@dataclass(frozen=True)
class Method(Generic[F]):
    """One method file, validated, with its dated parameters."""

    spec: F
    parameters: Mapping[str, Parameter]
    file: str
    ruleset: RulesetStamp

    def dated(self, name: str, on: date) -> Dated:
        return self.parameters[name].at(on)

    def value(self, name: str, on: date) -> Any:
        return self.parameters[name].at(on).value


@dataclass(frozen=True)
class Methods:
    """The budget methods of one ruleset folder."""

    ruleset: Ruleset
    ras: Method[RasFile] | None
    costing: Method[CostingFile] | None
    isf: Method[IsfFile] | None
    charging: Method[ChargingFile] | None
    capital: Mapping[str, Parameter]  # the charging method's capital test parameters

    def applies_to(self, intake: Intake) -> bool:
        return self.ruleset.serves(intake)

    def present(self) -> list[Method[Any]]:
        """The methods this folder declares, in the order RAS, costing, ISF, charging."""
        return [m for m in (self.ras, self.costing, self.isf, self.charging) if m is not None]


def load_all_methods(paths: Iterable[Path]) -> list[Methods]:
    """The methods of every ruleset folder under `paths` that has any; all problems at once."""
    found, problems = load_each_folder(
        paths,
        lambda folder: (
            load_methods(folder) if any(folder.glob(f"{ALLOCATION_PREFIX}*.yaml")) else None
        ),
    )
    if problems:
        raise InputError(problems)
    return found


def load_methods(folder: Path) -> Methods:
    try:
        ruleset = load_folder(folder)
    except InputError as error:
        # The programmes' problems; the method files are still checked on their own,
        # so that their problems are not hidden behind those (issue 8).
        unchecked = RulesetStamp(id=folder.name, version="", hash="")
        found = list(error.problems)
        for path in sorted(folder.glob(f"{ALLOCATION_PREFIX}*.yaml")):
            try:
                _load_file(path, unchecked)
            except InputError as more:
                found.extend(more.problems)
        raise InputError(found) from None
    problems: list[Problem] = []
    loaded: dict[str, Method[Any]] = {}
    for path in sorted(folder.glob(f"{ALLOCATION_PREFIX}*.yaml")):
        try:
            method = _load_file(path, ruleset.stamp())
        except InputError as error:
            problems.extend(error.problems)
            continue
        kind = method.spec.method
        if kind in loaded:
            problems.append(
                Problem(
                    method.file,
                    None,
                    "method",
                    f"a second {kind} method; the first is {loaded[kind].file}",
                )
            )
            continue
        loaded[kind] = method
    capital: dict[str, Parameter] = {}
    problems.extend(_cross_check(loaded, ruleset, capital))
    if problems:
        raise InputError(problems)
    return Methods(
        ruleset=ruleset,
        ras=loaded.get("ras"),
        costing=loaded.get("costing"),
        isf=loaded.get("isf"),
        charging=loaded.get("charging"),
        capital=capital,
    )


def _load_file(path: Path, stamp: RulesetStamp) -> Method[Any]:
    doc = read_document(path)
    kind = doc.data.get("method") if isinstance(doc.data, dict) else None
    model = METHOD_FILES.get(kind) if isinstance(kind, str) else None
    if model is None:
        reason = (
            f"must be one of: {', '.join(METHOD_FILES)}" if kind else "required field is missing"
        )
        raise InputError([doc.problem(("method",), reason)])
    try:
        spec = model.model_validate(doc.data)
    except ValidationError as error:
        raise InputError(doc.validation_problems(error)) from None
    parameters, problems = _parameters(doc, spec)
    problems += _check_parameters(doc, spec, parameters)
    if isinstance(spec, RasFile) and not problems:
        problems += _check_bands(doc, spec, parameters)
    if problems:
        raise InputError(problems)
    return Method(spec, parameters, doc.path, stamp)


def _parameters(doc: Document, spec: MethodFile) -> tuple[dict[str, Parameter], list[Problem]]:
    """Dated parameters sorted by start; each must keep one kind of value."""
    parameters: dict[str, Parameter] = {}
    problems: list[Problem] = []
    for name, parameter in spec.parameters.items():
        values = parameter.values
        location = ("parameters", name)
        kinds = {_kind_of(v.value) for v in values}
        starts = [v.starts for v in values]
        if not values:
            problems.append(doc.problem(location, "has no values"))
        elif None in kinds or len(kinds) > 1:
            problems.append(doc.problem(location, "each value must be " + " or ".join(Kind)))
        elif len(set(starts)) != len(starts):
            problems.append(doc.problem(location, "two values start on the same date"))
        else:
            kind = kinds.pop()
            assert kind is not None
            parameters[name] = Parameter(
                name,
                TYPES[kind],
                dated_values(values, _plain),
                doc.path,
                doc.line_of(location),
                parameter.description,
                parameter.unit,
                parameter.reference,
            )
    return parameters, problems


def _kind_of(value: Any) -> Kind | None:
    if isinstance(value, bool):
        return Kind.flag
    if isinstance(value, Decimal):
        return Kind.number if value >= 0 else None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return Kind.names
    return None


def _plain(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _check_parameters(
    doc: Document, spec: MethodFile, parameters: Mapping[str, Parameter]
) -> list[Problem]:
    """Required parameters present and of their kind; referenced ones numbers; none unused."""
    problems: list[Problem] = []
    wanted: dict[str, Kind] = dict(spec.REQUIRED)
    for name, kind in spec.REQUIRED.items():
        if name not in spec.parameters:
            problems.append(doc.problem(("parameters",), f"{name!r} is required ({kind})"))
    for location, name in spec.references():
        wanted[name] = Kind.number
        if name not in spec.parameters:
            problems.append(
                doc.problem(location, f"names parameter {name!r}, which is not defined")
            )
    for name, parameter in parameters.items():
        if name not in wanted:
            problems.append(
                doc.problem(("parameters", name), "not used by this method (check the spelling)")
            )
        elif parameter.type != TYPES[wanted[name]]:
            problems.append(doc.problem(("parameters", name), f"each value must be {wanted[name]}"))
    return problems


def _check_bands(
    doc: Document, spec: RasFile, parameters: Mapping[str, Parameter]
) -> list[Problem]:
    """On every date a figure changes: floor <= cap, and neither falls as points rise.

    This is what makes the RAS budget never fall when a need rises. No floor
    counts as 0, no cap as no limit.
    """
    names = [name for _, name in spec.references()]
    dates = sorted({d.starts for name in names for d in parameters[name].values})
    for on in dates:
        problems: list[Problem] = []
        previous: tuple[Decimal, Decimal | None] | None = None
        for index, band in enumerate(spec.bands):
            floor = _at(parameters, band.floor, on) or Decimal(0)
            cap = _at(parameters, band.cap, on)
            when = f"from {on.isoformat()}"
            if cap is not None and floor > cap:
                problems.append(
                    doc.problem(("bands", index, "floor"), f"{floor} is above the cap {cap} {when}")
                )
            if previous is not None:
                low_floor, low_cap = previous
                if floor < low_floor:
                    problems.append(
                        doc.problem(
                            ("bands", index, "floor"),
                            f"{floor} is below a lower band's {low_floor} {when}",
                        )
                    )
                if cap is not None and (low_cap is None or cap < low_cap):
                    below = "no cap" if low_cap is None else f"a cap of {low_cap}"
                    problems.append(
                        doc.problem(
                            ("bands", index, "cap"),
                            f"{cap} is below a lower band's ({below}) {when}",
                        )
                    )
            previous = (floor, cap)
        if problems:
            return problems
    return []


def _at(parameters: Mapping[str, Parameter], name: str | None, on: date) -> Decimal | None:
    if name is None:
        return None
    values = [d.value for d in parameters[name].values if d.starts <= on]
    return values[-1] if values else None


def _cross_check(
    loaded: Mapping[str, Method[Any]], ruleset: Ruleset, capital: dict[str, Parameter]
) -> list[Problem]:
    problems: list[Problem] = []
    programmes = {p.id: p for p in ruleset.programmes}
    for method in loaded.values():
        for index, programme_id in enumerate(method.spec.requires_eligible):
            if programme_id not in programmes:
                problems.append(
                    Problem(
                        method.file,
                        None,
                        f"requires_eligible[{index}]",
                        f"no programme {programme_id!r} in {ruleset.folder}",
                    )
                )
    if "isf" in loaded and "costing" not in loaded:
        problems.append(
            Problem(
                loaded["isf"].file,
                None,
                "method",
                "an ISF needs the costing method of its folder for unit costs",
            )
        )
    charging = loaded.get("charging")
    if charging is not None:
        test = programmes.get(charging.spec.capital_test)
        if test is None:
            problems.append(
                Problem(
                    charging.file,
                    None,
                    "capital_test",
                    f"no programme {charging.spec.capital_test!r} in {ruleset.folder}",
                )
            )
        else:
            for name, kind in ChargingFile.CAPITAL_PARAMETERS.items():
                parameter = test.parameters.get(name)
                if parameter is None or parameter.type != TYPES[kind]:
                    problems.append(
                        Problem(
                            charging.file,
                            None,
                            "capital_test",
                            f"{test.file} needs a parameter {name!r} ({kind})",
                        )
                    )
                else:
                    capital[name] = parameter
    return problems
