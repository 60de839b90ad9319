"""The intake's type tree, read off the pydantic models, for checking conditions."""

from __future__ import annotations

import types
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel

from engine.intake import Intake
from engine.ir import BOOLEAN, DATE, NUMBER, TEXT, Kind, Type


def unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """A field's annotation without Optional and Annotated, with the Annotated metadata
    (pydantic's limits) gathered on the way; shared by every reader of the models."""
    metadata: list[Any] = []
    while True:
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            present = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(present) == 1:
                annotation = present[0]
                continue
        if typing.get_origin(annotation) is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            metadata.extend(extra)
            continue
        return annotation, metadata


def type_of(annotation: Any) -> Type:
    annotation, _ = unwrap(annotation)
    if typing.get_origin(annotation) is list:
        (element,) = typing.get_args(annotation)
        return Type(Kind.list, element=type_of(element))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return record_type(annotation)
        if issubclass(annotation, Enum):
            return Type(Kind.text, choices=frozenset(str(m.value) for m in annotation))
        if issubclass(annotation, bool):
            return BOOLEAN
        if issubclass(annotation, int | float | Decimal):
            return NUMBER
        if issubclass(annotation, date):
            return DATE
        if issubclass(annotation, str):
            return TEXT
    raise TypeError(f"no condition-language type for {annotation!r}")


@cache
def record_type(model: type[BaseModel]) -> Type:
    hints = typing.get_type_hints(model, include_extras=True)
    fields = [(name, type_of(hints[name])) for name in model.model_fields]
    for name, info in model.model_computed_fields.items():
        fields.append((name, type_of(info.return_type)))
    return Type(Kind.record, fields=tuple(fields))


def intake_type() -> Type:
    return record_type(Intake)
