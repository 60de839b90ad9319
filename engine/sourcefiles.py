"""Reading YAML and JSON files so that every value keeps the line it came from.

Errors in rulesets and intakes name `file:line: field: reason`; this module
supplies the line. Numbers with a fraction are read as Decimal, never float,
so a rate written 0.20 stays exactly 0.20.

Every file is read defensively (issue 8): a size cap before reading, nesting
and alias expansion bounded before anything is built, numbers that no field
could mean (NaN, 1e999, 5,000 digits) and text that is not text (a lone
surrogate) refused with their field, and keys given twice refused in JSON as
in YAML.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import ValidationError

Location = tuple[str | int, ...]

# What any input file may hold (docs/design.md, "Limits on input files").
MAX_FILE_BYTES = 5_000_000  # a YAML or JSON file; a JSON Lines file may be longer
MAX_LINE_BYTES = 1_000_000  # one line of a JSON Lines file
MAX_VALUES = 200_000  # values in one file, aliases written out
MAX_DEPTH = 64  # levels of nesting
MAX_INTEGER_DIGITS = 15  # digits before the point: beyond any amount of money or hours
MAX_FRACTION_DIGITS = 10  # digits after the point
MAX_NUMBER_TEXT = 40  # characters of a number as written, checked before it is read
_SURROGATE = re.compile("[\ud800-\udfff]")


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
    found: list[Problem] = field(default_factory=list)  # problems met while reading

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


class _Refused:
    """A scalar that cannot be a value (NaN, a 5,000-digit number, year 0), kept in
    place of the value so that the screen reports it with its field."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Pairs(dict[Any, Any]):
    """A JSON object that gave some keys twice."""

    repeated: list[Any]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose floats are Decimal; aliases are counted, or refused, and
    nesting is bounded while the file is composed (before anything is expanded)."""

    def __init__(self, text: str, path: str, aliases: bool) -> None:
        super().__init__(text)
        self.path = path
        self.aliases = aliases
        self.alias_lines: list[int] = []
        self.open_anchors: set[str] = set()
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            if not self.aliases:
                reason = f"an alias (*{event.anchor}) is not allowed in this file: write it out"
                raise _refusal(self.path, line, reason)
            if event.anchor in self.open_anchors:
                raise _refusal(self.path, line, f"alias *{event.anchor} refers to itself")
            self.alias_lines.append(line)
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _refusal(self.path, line, f"nested more than {MAX_DEPTH} levels deep")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.open_anchors.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1
            self.open_anchors.discard(anchor)


def _read_float(loader: _LineLoader, node: yaml.ScalarNode) -> Decimal | _Refused:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if len(text) > MAX_NUMBER_TEXT:
        return _Refused(f"a number of {len(text):,} characters is too long")
    try:
        return Decimal(text)
    except InvalidOperation:
        return _Refused(f"{text} is not a finite number")


def _read_int(loader: _LineLoader, node: yaml.ScalarNode) -> int | _Refused:
    text = str(loader.construct_scalar(node))
    if len(text) > MAX_NUMBER_TEXT:
        return _Refused(f"a number of {len(text):,} characters is too long")
    return int(yaml.constructor.SafeConstructor.construct_yaml_int(loader, node))


def _read_date(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return _Refused(f"{node.value} is not a real date")


_LineLoader.add_constructor("tag:yaml.org,2002:float", _read_float)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _read_int)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _read_date)


def _refusal(path: str, line: int | None, reason: str) -> InputError:
    return InputError([Problem(path, line, "", reason)])


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _expanded(root: yaml.Node) -> tuple[int, int]:
    """How many values, and how many levels deep, the document is once every alias is
    written out: counted over the node graph (each node once), so a billion laughs
    costs as little to measure as it took to write."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in size:
            continue
        kids = _children(node)
        if ready:
            size[id(node)] = 1 + sum(size[id(k)] for k in kids)
            depth[id(node)] = 1 + max((depth[id(k)] for k in kids), default=0)
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in size)
    return size[id(root)], depth[id(root)]


def _convert(node: yaml.Node, loader: _LineLoader, at: Location, doc: Document) -> Any:
    doc.lines.setdefault(at, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key: Any = []
            if isinstance(key_node, yaml.ScalarNode):
                key = loader.construct_object(key_node)
            if isinstance(key, list | dict | set):
                doc.found.append(Problem(doc.path, line, dotted(at), "a key must be a plain value"))
                continue
            if key in result:
                doc.found.append(Problem(doc.path, line, dotted((*at, key)), "given twice"))
            doc.lines[(*at, key)] = line
            result[key] = _convert(value_node, loader, (*at, key), doc)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loader, (*at, i), doc) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


def _screen(value: Any, at: Location, doc: Document, depth: int = 0) -> None:
    """Refuse what no field may hold: numbers beyond any real amount, text that is
    not text (a lone surrogate), keys given twice in JSON, nesting past MAX_DEPTH."""
    if depth > MAX_DEPTH:
        doc.found.append(doc.problem(at, f"nested more than {MAX_DEPTH} levels deep"))
        return
    reason = _bad_value(value)
    if reason:
        doc.found.append(doc.problem(at, reason))
    if isinstance(value, _Pairs):
        doc.found.extend(doc.problem((*at, key), "given twice") for key in value.repeated)
    if isinstance(value, dict):
        for key, item in value.items():
            key_reason = _bad_value(key)
            if key_reason:
                doc.found.append(doc.problem(at, f"a key: {key_reason}"))
            _screen(item, (*at, key), doc, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _screen(item, (*at, index), doc, depth + 1)


def _bad_value(value: Any) -> str | None:
    if isinstance(value, _Refused):
        return value.reason
    if isinstance(value, str):
        if _SURROGATE.search(value):
            return "holds a lone surrogate (\\ud800-\\udfff), which is not text"
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return f"{value} is not a finite number"
        if value != 0 and value.adjusted() >= MAX_INTEGER_DIGITS:
            return f"{value} is too large (at most {MAX_INTEGER_DIGITS} digits before the point)"
        if value.as_tuple().exponent < -MAX_FRACTION_DIGITS:  # type: ignore[operator]
            return f"{value} has more than {MAX_FRACTION_DIGITS} digits after the point"
    if isinstance(value, int) and abs(value) >= 10**MAX_INTEGER_DIGITS:
        return f"a number of more than {MAX_INTEGER_DIGITS} digits is too large"
    return None


def parse_yaml(text: str, path: str, aliases: bool = True) -> Document:
    """A YAML document. `aliases=False` refuses any alias (intakes); otherwise the
    document, aliases expanded, may hold at most MAX_VALUES values."""
    doc = Document(path, None)
    try:
        loader = _LineLoader(text, path, aliases)  # refuses NUL and other controls at once
    except yaml.YAMLError as error:
        return _invalid_yaml(error, text, path)
    try:
        node = loader.get_single_node()
        if node is not None:
            values, levels = _expanded(node)
            first_alias = loader.alias_lines[0] if loader.alias_lines else None
            if values > MAX_VALUES:
                reason = (
                    f"holds {values:,} values with its aliases written out; at most {MAX_VALUES:,}"
                )
                raise _refusal(path, first_alias, reason)
            if levels > MAX_DEPTH:
                reason = (
                    f"nested {levels} levels deep with its aliases written out; at most {MAX_DEPTH}"
                )
                raise _refusal(path, first_alias, reason)
            doc.data = _convert(node, loader, (), doc)
    except yaml.YAMLError as error:
        return _invalid_yaml(error, text, path)
    finally:
        loader.dispose()
    return _screened(doc)


def _invalid_yaml(error: yaml.YAMLError, text: str, path: str) -> NoReturn:
    """PyYAML's error as a problem with its line: a mark, or the reader's position."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        reason = f"character {error.character:#06x} is not allowed in YAML"
    else:
        reason = getattr(error, "problem", None) or str(error)
    raise _refusal(path, line, f"not valid YAML: {reason}") from None


def _screened(doc: Document) -> Document:
    _screen(doc.data, (), doc)
    if doc.found:
        raise InputError(doc.found)
    return doc


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = _Pairs()
    result.repeated = []
    for key, value in pairs:
        if key in result:
            result.repeated.append(key)
        result[key] = value
    return result if result.repeated else dict(result)


def _json_int(text: str) -> int | _Refused:
    if len(text) > MAX_NUMBER_TEXT:
        return _Refused(f"a number of {len(text):,} characters is too long")
    return int(text)


def _json_constant(text: str) -> _Refused:
    return _Refused(f"{text} is not a finite number")


def parse_json(text: str, path: str, first_line: int = 1) -> Document:
    """A JSON document; keys given twice are refused, as in YAML."""
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=_json_int,
            parse_constant=_json_constant,
            object_pairs_hook=_json_pairs,
        )
    except json.JSONDecodeError as error:
        line = first_line + error.lineno - 1
        raise _refusal(path, line, f"not valid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise _refusal(path, first_line, f"nested more than {MAX_DEPTH} levels deep") from None
    return _screened(Document(path, data, {(): first_line}))


def read_document(path: Path, aliases: bool = True) -> Document:
    """A YAML or JSON file (by its suffix) as a Document; at most MAX_FILE_BYTES."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            reason = f"is {size:,} bytes; a file may be at most {MAX_FILE_BYTES:,} (5 MB)"
            raise _refusal(str(path), None, reason)
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise _refusal(str(path), None, f"cannot read: {error}") from None
    if path.suffix == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path), aliases)


def read_json_lines(path: Path) -> Iterator[tuple[int, Document | InputError]]:
    """Each non-blank line of a JSON Lines file, as a Document or the error that line
    has, lazily: a bad line (binary, truncated, too long, ...) stops nothing. A
    UTF-8 byte-order mark at the very start of the file is skipped."""
    try:
        stream = path.open("rb")
    except OSError as error:
        raise _refusal(str(path), None, f"cannot read: {error}") from None
    with stream:
        number = 0
        while raw := stream.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
                reason = f"the line is longer than {MAX_LINE_BYTES:,} bytes"
                yield number, _refusal(str(path), number, reason)
                continue
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                reason = f"not UTF-8 text (byte {error.start + 1} of the line)"
                yield number, _refusal(str(path), number, reason)
                continue
            try:
                yield number, parse_json(text.rstrip(), str(path), first_line=number)
            except InputError as error:
                yield number, error


def count_json_lines(path: Path) -> int:
    """The non-blank lines of a JSON Lines file (for a progress bar), read as bytes."""
    with path.open("rb") as stream:
        return sum(1 for raw in stream if raw.strip())
