"""Reading YAML and JSON files so that every value keeps the line it came from.

Errors in rulesets and intakes name `file:line: field: reason`; this module
supplies the line. Numbers with a fraction are read as Decimal, never float,
so a rate written 0.20 stays exactly 0.20.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    line: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '(file)'}: {self.reason}"


class InputError(Exception):
    """Bad input: one or more problems, each with file, line and field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Document:
    """A parsed file: plain data plus the line of every location in it."""

    path: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        for end in range(len(location), -1, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return line
        return None

    def problem(self, location: Location, reason: str) -> Problem:
        return Problem(self.path, self.line_of(location), dotted(location), reason)

    def validation_problems(self, error: ValidationError, base: Location = ()) -> list[Problem]:
        problems = []
        for item in error.errors():
            location = base + tuple(p for p in item["loc"] if not _is_union_tag(p))
            problems.append(self.problem(location, _reason(item)))
        return problems


def dotted(location: Location) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _is_union_tag(part: object) -> bool:
    """pydantic names the union member tried (`function-after[...]`, `list[...]`)."""
    return isinstance(part, str) and ("[" in part or part in {"str", "bool", "decimal", "date"})


def _reason(item: Any) -> str:
    message = str(item["msg"])
    if item["type"] == "extra_forbidden":
        return "unknown field (check the spelling)"
    if item["type"] == "missing":
        return "required field is missing"
    return message.removeprefix("Value error, ")


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose floats are Decimal; duplicate keys are refused."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))


_LineLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


def _convert(
    node: yaml.Node, loader: _LineLoader, at: Location, doc: Document, problems: list[Problem]
) -> Any:
    doc.lines.setdefault(at, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                problems.append(
                    Problem(
                        doc.path,
                        key_node.start_mark.line + 1,
                        dotted(at),
                        "a key must be a plain value",
                    )
                )
                continue
            if key in result:
                problems.append(
                    Problem(
                        doc.path, key_node.start_mark.line + 1, dotted((*at, key)), "given twice"
                    )
                )
            doc.lines[(*at, key)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, loader, (*at, key), doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, loader, (*at, i), doc, problems) for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, path: str) -> Document:
    doc = Document(path, None)
    problems: list[Problem] = []
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        doc.data = None if node is None else _convert(node, loader, (), doc, problems)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(error, "problem", None) or str(error)
        raise InputError([Problem(path, line, "", f"not valid YAML: {reason}")]) from None
    finally:
        loader.dispose()
    if problems:
        raise InputError(problems)
    return doc


def parse_json(text: str, path: str, first_line: int = 1) -> Document:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InputError(
            [Problem(path, first_line + error.lineno - 1, "", f"not valid JSON: {error.msg}")]
        ) from None
    return Document(path, data, {(): first_line})


def read_document(path: Path) -> Document:
    """A YAML or JSON file (by its suffix) as a Document."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(str(path), None, "", f"cannot read: {error}")]) from None
    if path.suffix == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))


def read_json_lines(path: Path) -> Iterable[Document]:
    """One Document per non-blank line of a JSON Lines file, lazily."""
    try:
        with path.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    yield parse_json(line, str(path), first_line=number)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(str(path), None, "", f"cannot read: {error}")]) from None
