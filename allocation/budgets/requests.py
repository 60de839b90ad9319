"""Allocation requests: the intake plus what budget methods need beyond it.

A request file (YAML or JSON) holds or names the person's intake, their RAS
questionnaire answers, their support plan (hours a week by support type) and,
for a tenant of a shared house, the house file. A cohort is a JSON Lines
file of requests, one a line. A bare intake is a request with nothing else:
the methods then say what they need. Paths inside a request are relative to
the file that holds it, and must stay inside its folder: an absolute path,
`..` or a link out of the folder is refused before anything is read, so a
request cannot make the program read, or quote, any other file.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import Field, ValidationError, field_validator, model_validator

from engine.common import Money, Strict, refuse_repeats
from engine.intake import Intake, Outcome
from engine.intake_files import intake_from
from engine.ruleset_files import Identifier
from engine.sourcefiles import Document, InputError, Problem, read_document, read_json_lines


class PlanLine(Strict):
    """Support a week of one type, for this person alone unless shared."""

    support: Identifier
    per_week: Decimal = Field(ge=0, description="Hours (or nights, for a per-night type) a week.")
    shared_by: int = Field(
        default=1, ge=1, le=20, description="People who share each hour (group support)."
    )
    outcomes: list[Outcome] = Field(
        default_factory=list,
        description="The specified outcomes (SI 2015/313 reg. 2(2)) the line serves: left out "
        "when a carer willing and able to go on meets them all (Care Act 2014 s.18(7)).",
    )
    note: str | None = None

    @field_validator("outcomes")
    @classmethod
    def _each_once(cls, outcomes: list[Outcome]) -> list[Outcome]:
        refuse_repeats([o.value for o in outcomes], "outcome")
        return outcomes


class AllocationRequest(Strict):
    id: str | None = Field(default=None, description="The person; defaults to the intake's id.")
    intake: Intake | None = None
    intake_file: str | None = None
    questionnaire: dict[Identifier, Identifier] | None = Field(
        default=None, description="RAS answers: question id to answer id."
    )
    support_plan: list[PlanLine] | None = None
    house: str | None = Field(
        default=None, description="House file, for a tenant of a shared house."
    )
    personal_control_weekly: Money | None = Field(
        default=None, description="ISF personal control funding, if not the method's default."
    )

    @model_validator(mode="after")
    def _one_intake(self) -> AllocationRequest:
        if (self.intake is None) == (self.intake_file is None):
            raise ValueError("give the intake itself (intake) or its file (intake_file), not both")
        return self


@dataclass(frozen=True)
class LoadedRequest:
    """A validated request with its intake and the document it came from."""

    doc: Document
    request: AllocationRequest
    intake: Intake
    folder: Path

    @property
    def person(self) -> str:
        return (
            self.request.id
            or self.intake.id
            or f"{Path(self.doc.path).name}:{self.doc.line_of(())}"
        )

    def path_of(self, name: str) -> Path:
        return self.folder / name


def request_from(doc: Document, folder: Path) -> LoadedRequest:
    data = doc.data
    if isinstance(data, dict) and "person" in data:
        intake = intake_from(doc)
        return LoadedRequest(doc, AllocationRequest(intake=intake), intake, folder)
    try:
        request = AllocationRequest.model_validate(data)
    except ValidationError as error:
        raise InputError(doc.validation_problems(error)) from None
    outside = [
        doc.problem((field,), f"{name!r} is outside the request's folder ({folder}): {why}")
        for field in ("intake_file", "house")
        if (name := getattr(request, field)) is not None
        and (why := _outside(folder, name)) is not None
    ]
    if outside:
        raise InputError(outside)
    if request.intake is not None:
        return LoadedRequest(doc, request, request.intake, folder)
    assert request.intake_file is not None
    path = folder / request.intake_file
    if not path.is_file():
        raise InputError([doc.problem(("intake_file",), f"no such file: {path}")])
    return LoadedRequest(doc, request, intake_from(read_document(path)), folder)


def _outside(folder: Path, name: str) -> str | None:
    """Why a file named in a request is not inside the request's folder, or None."""
    if Path(name).is_absolute():
        return "name a file beside the request or below it, not an absolute path"
    if not (folder / name).resolve().is_relative_to(folder.resolve()):
        return "name a file beside the request or below it (no '..', no link out of it)"
    return None


def read_request(path: Path) -> LoadedRequest:
    return request_from(read_document(path), path.parent)


@dataclass(frozen=True)
class Cohort:
    """The requests of a JSON Lines file, and the problems of the lines that are not."""

    requests: list[LoadedRequest]
    problems: list[Problem]


def read_cohort(path: Path) -> Cohort:
    """Every line read; a bad line does not hide the others' problems (see Allocator)."""
    requests: list[LoadedRequest] = []
    problems: list[Problem] = []
    seen: dict[str, int | None] = {}
    for _, doc in read_json_lines(path):
        if isinstance(doc, InputError):
            problems.extend(doc.problems)
            continue
        try:
            loaded = request_from(doc, path.parent)
        except InputError as error:
            problems.extend(error.problems)
            continue
        if loaded.person in seen:
            problems.append(
                doc.problem(("id",), f"{loaded.person!r} is also on line {seen[loaded.person]}")
            )
        seen[loaded.person] = doc.line_of(())
        requests.append(loaded)
    if not requests and not problems:
        problems.append(Problem(str(path), None, "", "holds no request"))
    return Cohort(requests, problems)
