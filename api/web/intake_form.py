"""The common intake as a form in sections, and the way between its fields and an Intake.

A field's name is its intake path (`finances.capital`; list rows by number,
`person.household.0.age`; outcomes by name, `needs.outcomes.nutrition.manages`),
so an error from the Intake model, or a field the decision asks for next,
points straight at the field that settles it. Allowed values come from the
intake's own enumerations: nothing is typed twice. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from engine.intake import Intake
from engine.intake_doc import LIST, FieldDoc
from engine.intake_doc import fields as intake_fields

ROWS = 3  # rows offered for each list (household, income, supports)
Values = Mapping[str, str | list[str]]

YES_NO = (("true", "Yes"), ("false", "No"))
NONE = "none"  # a list known to be empty: `person.household.none` = true, benefits "none"


@dataclass(frozen=True)
class FormField:
    name: str  # the intake path
    label: str
    kind: str  # text | number | money | date | select | checkboxes
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    group: str = ""  # a heading the field sits under (a list row, the outcomes)

    @property
    def id(self) -> str:
        return field_id(self.name)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    fields: tuple[FormField, ...]


def field_id(name: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def words(value: str) -> str:
    return value.replace("_", " ").capitalize()


# The sections, in order: which intake paths each holds (the longest prefix wins).
SECTION_TABLE: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "person",
        "The person",
        "Who the person is and where they live. Leave blank what you do not know yet.",
        ("id", "person", "applying_for"),
    ),
    ("household", "The household", "The people who live with the person.", ("person.household",)),
    (
        "needs",
        "Needs and health",
        "The person's needs for care and support, outcome by outcome, and their health.",
        ("needs", "health"),
    ),
    (
        "finances",
        "Finances and charging",
        "Income, savings and costs, and the care that charging turns on.",
        ("finances", "care"),
    ),
    (
        "supports",
        "Supports and direct payments",
        "Who or what already helps, and whether the person asks for direct payments.",
        ("supports", "direct_payments"),
    ),
    (
        "carer",
        "As a carer",
        "The person's own needs as an unpaid carer of another adult, if they are one.",
        ("carer",),
    ),
)
LABELS = {  # shorter labels than the field's meaning, which is shown as its hint
    "id": "Case reference",
    "person.household.none": "No one else lives with the person",
    "finances.income.none": "The person has no income",
    "supports.none": "No one and nothing supports the person yet",
}
NAMED_LISTS = ("needs.outcomes", "carer.outcomes")  # one field per outcome, by name
KINDS = {
    "one of": "select",
    "true or false": "select",
    "whole number": "number",
    "number": "number",
    "date": "date",
    "text": "text",
    "list of one of": "checkboxes",
    "list of text": "list",  # typed as one text, items separated by commas
}


def _slug_of(path: str) -> str:
    best = max(
        (
            (prefix, slug)
            for slug, _, _, prefixes in SECTION_TABLE
            for prefix in prefixes
            if path == prefix or path.startswith(prefix + ".")
        ),
        key=lambda found: len(found[0]),
        default=("", SECTION_TABLE[0][0]),
    )
    return best[1]


def _field(doc: FieldDoc, name: str, group: str, label: str | None = None) -> FormField:
    kind = KINDS.get(doc.kind, "text")
    if kind == "number" and "money" in doc.unit:
        kind = "money"
    if doc.kind == "true or false":
        options: tuple[tuple[str, str], ...] = YES_NO
    elif doc.kind == "list of one of":
        options = (*((a, words(a)) for a in doc.allowed), (NONE, "None of these"))
    else:
        options = tuple((a, words(a)) for a in doc.allowed)
    last = name.rsplit(".", 1)[-1]
    return FormField(
        name, LABELS.get(name, label or words(last)), kind, options, doc.meaning, group
    )


def _generated() -> dict[str, list[FormField]]:
    """Every intake field as a form field, in the order the intake declares them."""
    docs = [d for d in intake_fields() if not d.computed]
    by_path = {d.path: d for d in docs}
    found: dict[str, list[FormField]] = {slug: [] for slug, *_ in SECTION_TABLE}
    for doc in docs:
        if doc.kind in ("record", "list of records"):
            continue
        path = doc.path
        parent = path.rpartition(".")[0]
        group = by_path[parent].meaning.rstrip(".") if parent in by_path else ""
        if parent.endswith(LIST):
            listed = parent.removesuffix(LIST)
            if listed in NAMED_LISTS:
                leaf = path.rpartition(".")[2]
                if leaf != "outcome":
                    for outcome in by_path[listed + LIST + ".outcome"].allowed:
                        name = f"{listed}.{outcome}.{leaf}"
                        label = words(outcome) + ("" if leaf == "manages" else f": {words(leaf)}")
                        found[_slug_of(listed)].append(_field(doc, name, group, label))
                continue
            for row in range(ROWS):
                name = f"{listed}.{row}.{path.rpartition('.')[2]}"
                row_group = f"{words(listed.rpartition('.')[2])} {row + 1}"
                found[_slug_of(listed)].append(_field(doc, name, row_group))
            continue
        found[_slug_of(path)].append(_field(doc, path, group))
    for listed, doc in by_path.items():
        name = listed + ".none"
        if doc.kind == "list of records" and listed not in NAMED_LISTS:
            field = FormField(
                name, LABELS.get(name, "There are none"), "select", YES_NO, doc.meaning
            )
            rows = found[_slug_of(listed)]
            first = next(i for i, f in enumerate(rows) if f.name.startswith(listed + "."))
            rows.insert(first, field)
    return found


def _row_major(fields: list[FormField]) -> tuple[FormField, ...]:
    """A list's fields row by row (all of row 1, then row 2; for outcomes, all of one
    outcome, then the next), each list where it began."""
    first: dict[str, int] = {}
    rows: dict[tuple[str, str], int] = {}

    def key(item: tuple[int, FormField]) -> tuple[int, int, int]:
        index, field = item
        named = next((n for n in NAMED_LISTS if field.name.startswith(n + ".")), None)
        match = re.match(r"^(.*?)\.(\d+|none)\.?", field.name + ".")
        if named is None and match is None:
            return (index, -1, index)
        listed = named or match.group(1)  # type: ignore[union-attr]
        token = field.name.removeprefix(listed + ".").split(".")[0]
        start = first.setdefault(listed, index)
        row = -1 if token == NONE else rows.setdefault((listed, token), len(rows))
        return (start, row, index)

    return tuple(field for _, field in sorted(enumerate(fields), key=key))


def _sections() -> tuple[Section, ...]:
    generated = _generated()
    return tuple(
        Section(slug, title, intro, _row_major(generated[slug]))
        for slug, title, intro, _ in SECTION_TABLE
    )


SECTIONS: tuple[Section, ...] = _sections()
BY_SLUG = {s.slug: s for s in SECTIONS}
SECTION_OF = {f.name: s.slug for s in SECTIONS for f in s.fields}
LIST_FIELDS = frozenset(f.name for s in SECTIONS for f in s.fields if f.kind == "list")
ORDER = {name: index for index, name in enumerate(SECTION_OF)}


@dataclass(frozen=True)
class FieldError:
    name: str
    message: str

    @property
    def section(self) -> str:
        return section_of(self.name)


def section_of(path: str) -> str:
    """The section holding a field, or the one nearest a path the form has no field for."""
    while path:
        if path in SECTION_OF:
            return SECTION_OF[path]
        for name, slug in SECTION_OF.items():
            if name.startswith(path + "."):
                return slug
        path = path.rpartition(".")[0]
    return SECTIONS[0].slug


def section_values(section: Section, form: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """This section's fields from a posted form (multi-valued for checkboxes)."""
    found: dict[str, str | list[str]] = {}
    for field in section.fields:
        if field.kind == "checkboxes":
            found[field.name] = [v for v in form.get(field.name, []) if v]
        else:
            found[field.name] = str(form.get(field.name, "")).strip()
    return found


def _tree(values: Values) -> tuple[dict[str, Any], list[str]]:
    """The nested intake data, and the lists said to be empty that were given items."""
    root: dict[str, Any] = {}
    clashes: list[str] = []
    for name, value in sorted(values.items(), key=lambda item: ORDER.get(item[0], len(ORDER))):
        if name.endswith("." + NONE):
            if value != "true":
                continue
            name, value = name.removesuffix("." + NONE), []
        elif value == [NONE]:
            value = []
        elif name in LIST_FIELDS and isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        elif value in ("", []):
            continue
        node = root
        *parents, last = name.split(".")
        for depth, part in enumerate(parents):
            node = node.setdefault(part, {})
            if isinstance(node, list):
                clashes.append(".".join(parents[: depth + 1]))
                break
        else:
            if not (isinstance(node.get(last), dict) and value == []):
                node[last] = value
    return root, sorted(set(clashes))


def _lists(node: Any, path: str, where: dict[str, str]) -> Any:
    """Numbered rows and named outcomes as the intake's lists; `where` maps each list
    item's path back to the field's (`person.household.0` to `person.household.2`)."""
    if not isinstance(node, dict):
        return node
    if path in NAMED_LISTS:
        items = []
        for index, (outcome, fields) in enumerate(node.items()):
            where[f"{path}.{index}"] = f"{path}.{outcome}"
            items.append({"outcome": outcome, **fields})
        return items
    if node == []:
        return []
    if node and all(key.isdigit() for key in node):
        items = []
        for key in sorted(node, key=int):
            where[f"{path}.{len(items)}"] = f"{path}.{key}"
            items.append(_lists(node[key], f"{path}.{key}", where))
        return items
    return {
        key: _lists(value, f"{path}.{key}" if path else key, where) for key, value in node.items()
    }


def to_intake(values: Values) -> tuple[Intake | None, list[FieldError]]:
    """The Intake the fields make, or each error by the field it belongs to."""
    where: dict[str, str] = {}
    tree, clashes = _tree(values)
    if clashes:
        return None, [
            FieldError(f"{c}.{NONE}", f"{label_of(c + '.' + NONE)}: answer no, or clear the rows")
            for c in clashes
        ]
    data = _lists(tree, "", where)
    data.setdefault("person", {}).setdefault("lives_in", {})
    try:
        return Intake.model_validate(data), []
    except ValidationError as error:
        return None, [_field_error(item, where) for item in error.errors()]


def _field_error(item: Any, where: Mapping[str, str]) -> FieldError:
    parts = [str(p) for p in item["loc"] if not (isinstance(p, str) and "[" in p)]
    path = ".".join(parts)
    for made, original in sorted(where.items(), key=lambda kv: -len(kv[0])):
        if path == made or path.startswith(made + "."):
            path = original + path[len(made) :]
            break
    message = str(item["msg"]).removeprefix("Value error, ")
    parent = path
    while parent and parent not in SECTION_OF:  # an item of a list typed as one field
        parent = parent.rpartition(".")[0]
    # else a record as a whole: its first field
    path = parent or next((n for n in SECTION_OF if n.startswith(path + ".")), path)
    return FieldError(path, f"{label_of(path)}: {message[:1].lower()}{message[1:]}")


def from_intake(intake: Intake) -> dict[str, str | list[str]]:
    """The form's fields filled from a stored intake (to change it)."""
    data = intake.model_dump(mode="json", exclude_none=True)
    values: dict[str, str | list[str]] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list) and path in NAMED_LISTS:
            for item in node:
                for key, value in item.items():
                    if key != "outcome":
                        walk(value, f"{path}.{item['outcome']}.{key}")
        elif isinstance(node, list) and node and isinstance(node[0], dict):
            for index, item in enumerate(node):
                walk(item, f"{path}.{index}")
        elif node == [] and path + "." + NONE in SECTION_OF:
            values[path + "." + NONE] = "true"
        elif isinstance(node, list) and path in LIST_FIELDS:
            values[path] = ", ".join(str(v) for v in node)
        elif isinstance(node, list):
            values[path] = [str(v) for v in node] or [NONE]
        else:
            values[path] = "true" if node is True else "false" if node is False else str(node)

    walk(data, "")
    return {k: v for k, v in values.items() if k in SECTION_OF}


def errors_in(section: Section, errors: Sequence[FieldError]) -> list[FieldError]:
    names = {f.name for f in section.fields}
    return [e for e in errors if e.name in names]


def label_of(path: str) -> str:
    """A field path in words, as the form labels it (`finances.capital`: its label)."""
    field = next((f for s in SECTIONS for f in s.fields if f.name == path), None)
    if field is None:
        return " › ".join(words(part) for part in path.split("."))
    group = field.group.split(":")[0].split(" (")[0]
    return f"{group}: {field.label}" if group else field.label
