"""Figures in prose: written once, as a parameter, and printed with the value in force.

An `explain` text names a parameter as `{param.upper_capital_limit}`; it is
rendered with the value on the decision's date, in the parameter's unit. A
figure typed into prose that repeats a parameter's value is refused when the
ruleset loads, so a threshold that changes cannot leave an old figure behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from engine.ir import Table
from engine.programmes import Parameter

TEMPLATE = re.compile(r"\{param\.([a-z][a-z0-9_]*)\}")
CURRENCY = {"GBP": "£", "USD": "$"}
# A figure in prose: an optional currency sign, digits (with thousands commas), an
# optional fraction and an optional percent sign; not part of a citation such as
# "s.31(4)", "2014/2672" or "273.9(d)".
FIGURE = re.compile(
    r"(?<![\w./(§-])(?P<sign>[£$])?(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?"
    r"(?P<percent>\s?%)?(?![\w/(])"
)
CITATION = re.compile(
    r"(?:\b(?:reg|regs|s|ss|para|paras|paragraph|section|sections|sch|schedule|cfr|usc|"
    r"part|table|article|condition|conditions|fy|ffy|level|chapter|annex|rule|step)\.?"
    r"|[(,-]|\band)\s*$",
    re.IGNORECASE,
)
SMALLEST_BARE_FIGURE = 10  # bare numbers below this are counts and ordinals, not figures


def money_unit(unit: str | None) -> str | None:
    """The currency sign of a money unit ("GBP a week" -> "£"), or None."""
    return CURRENCY.get((unit or "").split(" ")[0])


def show(value: Any, unit: str | None) -> str:
    """A parameter value as a reader sees it: £23,250, $1,305, 150 %, 20 %."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        sign = money_unit(unit)
        if unit == "rate":
            return f"{_number(value * 100)} %"
        if unit == "percent":
            return f"{_number(value)} %"
        if sign:
            return f"{sign}{_number(value, money=True)}"
        return _number(value)
    if isinstance(value, Table):
        rows = "; ".join(f"{key}: {show(v, unit)}" for key, v in value.rows)
        step = value.each_additional
        return rows + (f"; each additional: {show(step, unit)}" if step is not None else "")
    if isinstance(value, tuple | list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return str(value)


def _number(value: Decimal, money: bool = False) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}" if money else f"{value.normalize():,f}"


def render(text: str, parameters: Mapping[str, Parameter], on: date) -> str:
    """`text` with each `{param.name}` replaced by the value in force on `on`."""

    def value(match: re.Match[str]) -> str:
        parameter = parameters[match.group(1)]
        return show(parameter.at(on).value, parameter.unit)

    return TEMPLATE.sub(value, text)


def template_problems(text: str, parameters: Mapping[str, Parameter]) -> list[str]:
    """Templates naming no parameter, and figures that repeat one: one reason each."""
    reasons = [
        f"{{param.{name}}} names no parameter of this programme"
        for name in TEMPLATE.findall(text)
        if name not in parameters
    ]
    prose = TEMPLATE.sub("", text)
    for match in FIGURE.finditer(prose):
        if CITATION.search(prose[: match.start()]):
            continue
        figure = _figure_value(match)
        if figure is None:
            continue
        for name, parameter in parameters.items():
            percent = bool(match.group("percent"))
            already = f"repeats parameter {name}:" in " ".join(reasons)
            if not already and figure in _comparable(parameter, percent):
                reasons.append(
                    f"{match.group(0).strip()!r} repeats parameter {name}: "
                    f"write {{param.{name}}} instead"
                )
                break
    return reasons


def unverified(parameters: Iterable[Parameter]) -> list[str]:
    """`file:line: name from DATE: status (reviewed DATE): source`, each value not checked."""
    lines = []
    for parameter in parameters:
        where = f"{parameter.file}:{parameter.line}" if parameter.line else parameter.file
        for dated in parameter.values:
            if dated.status == "checked":
                continue
            status = dated.status or "status not stated"
            when = f" (reviewed {dated.reviewed.isoformat()})" if dated.reviewed else ""
            lines.append(
                f"{where}: {parameter.name} from {dated.starts.isoformat()}: "
                f"{status}{when}: {dated.source}"
            )
    return lines


def _figure_value(match: re.Match[str]) -> Decimal | None:
    number = Decimal(match.group("number").replace(",", "") + (match.group("fraction") or ""))
    marked = match.group("sign") or match.group("percent")
    if not marked and (number < SMALLEST_BARE_FIGURE or 1900 <= number <= 2100):
        return None  # a count, an ordinal or a year
    return number


def _comparable(parameter: Parameter, percent: bool) -> set[Decimal]:
    """Every figure a parameter has had, as it would be written in prose."""
    figures: set[Decimal] = set()
    for dated in parameter.values:
        for value in _numbers(dated.value):
            figures.add(value * 100 if percent and parameter.unit == "rate" else value)
    return figures


def _numbers(value: Any) -> Iterable[Decimal]:
    if isinstance(value, Decimal) and not isinstance(value, bool):
        yield value
    elif isinstance(value, Table):
        yield from (v for _, v in value.rows)
        if value.each_additional is not None:
            yield value.each_additional
