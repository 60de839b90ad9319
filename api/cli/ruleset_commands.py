"""`justenough rulesets list | show ID | validate [DIR]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.table import Table

from allocation.budgets.methods import load_all_methods
from api.cli.errors import EXIT_BAD_INPUT, EXIT_OK, CommandError
from api.cli.terminal import console
from engine.describe import describe
from engine.figures import show, unverified
from engine.loader import default_rulesets_root, load_rulesets
from engine.programmes import Parameter, Programme, Ruleset
from engine.sourcefiles import InputError


def register(commands: Any) -> None:
    parser = commands.add_parser("rulesets", help="list, show and validate rulesets")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the ruleset folders and their programmes")
    listing.add_argument("--rulesets", type=Path, default=None, help="a folder of rulesets")
    listing.set_defaults(handler=run_list)
    show = actions.add_parser("show", help="one ruleset or programme, criterion by criterion")
    show.add_argument("id", help="a ruleset id (england) or programme id (england.care_act.adult)")
    show.add_argument("--rulesets", type=Path, default=None, help="a folder of rulesets")
    show.set_defaults(handler=run_show)
    validate = actions.add_parser("validate", help="check every file; list every problem")
    validate.add_argument("folder", type=Path, nargs="?", default=None)
    validate.add_argument(
        "--unverified",
        action="store_true",
        help="also list every figure not checked against its source "
        "(secondary, recalled, derived, local)",
    )
    validate.set_defaults(handler=run_validate)


def _load(folder: Path | None) -> list[Ruleset]:
    try:
        return load_rulesets([folder or default_rulesets_root()])
    except InputError as error:
        raise CommandError(f"the rulesets have errors:\n{error}") from None


def run_list(args: argparse.Namespace) -> int:
    table = Table(title="Rulesets", title_justify="left")
    for column in ("id", "version", "jurisdiction", "hash", "programmes"):
        table.add_column(column)
    for ruleset in _load(args.rulesets):
        where = ruleset.country + (f"/{ruleset.region}" if ruleset.region else "")
        programmes = "\n".join(f"{p.id}  [dim]{p.title}[/]" for p in ruleset.programmes)
        table.add_row(ruleset.id, ruleset.version, where, ruleset.hash[:19] + "…", programmes)
    console.print(table)
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    rulesets = _load(args.rulesets)
    for ruleset in rulesets:
        if ruleset.id == args.id:
            console.print(f"[bold]{ruleset.title}[/] {ruleset.version} {ruleset.hash}")
            for programme in ruleset.programmes:
                _show_programme(programme)
            return EXIT_OK
        for programme in ruleset.programmes:
            if programme.id == args.id:
                console.print(f"ruleset {ruleset.id} {ruleset.version} {ruleset.hash}")
                _show_programme(programme)
                return EXIT_OK
    known = ", ".join([r.id for r in rulesets] + [p.id for r in rulesets for p in r.programmes])
    raise CommandError(f"no ruleset or programme {args.id!r}; known: {known}")


def _show_programme(programme: Programme) -> None:
    console.print(f"\n[bold]{programme.title}[/] ({programme.id})")
    console.print(f"[dim]{programme.source}\n{programme.file}[/]")
    if programme.parameters:
        table = Table(title="Parameters", title_justify="left")
        for column in ("name", "from", "value", "source", "status"):
            table.add_column(column)
        for name, parameter in programme.parameters.items():
            for dated in parameter.values:
                value = dated.value
                shown = "table" if hasattr(value, "rows") else show(value, parameter.unit)
                status = f"{dated.status} {dated.reviewed}" if dated.status else "not stated"
                table.add_row(name, dated.starts.isoformat(), shown, dated.source, status)
        console.print(table)
    for derived in programme.derived.values():
        console.print(f"[cyan]{derived.name}[/] = {describe(derived.expr)}")
    table = Table(title="Criteria", title_justify="left")
    for column in ("id", "when", "explain", "source"):
        table.add_column(column)
    for criterion in programme.criteria:
        table.add_row(
            criterion.id, describe(criterion.condition), criterion.explain, criterion.source
        )
    console.print(table)
    console.print(f"[bold]eligible[/] when {describe(programme.decision)}")
    if programme.result:
        for case in programme.result.cases:
            console.print(
                f"  {programme.result.name} = {case.value} when {describe(case.condition)}"
            )
        if programme.result.otherwise:
            console.print(f"  otherwise {programme.result.otherwise}")


def run_validate(args: argparse.Namespace) -> int:
    """Eligibility programmes and budget methods alike; every problem of both."""
    folder = args.folder or default_rulesets_root()
    problems = []
    rulesets: list[Ruleset] = []
    methods = 0
    parameters: list[Parameter] = []
    try:
        rulesets = load_rulesets([folder])
    except InputError as error:
        problems.extend(error.problems)
    try:
        loaded = load_all_methods([folder])
        methods = sum(len(m.present()) for m in loaded)
        parameters += [
            p for m in loaded for method in m.present() for p in method.parameters.values()
        ]
    except InputError as error:
        problems.extend(p for p in error.problems if p not in problems)
    if problems:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) in {folder}")
        return EXIT_BAD_INPUT
    count = sum(len(r.programmes) for r in rulesets)
    if args.unverified:
        parameters = [p for r in rulesets for g in r.programmes for p in g.parameters.values()] + (
            parameters
        )
        listed = unverified(parameters)
        for line in listed:
            print(line)
        print(f"{len(listed)} figure(s) not checked against their source")
    print(
        f"ok: {count} programme(s) and {methods} budget method(s) "
        f"in {len(rulesets)} ruleset(s) under {folder}"
    )
    return EXIT_OK
