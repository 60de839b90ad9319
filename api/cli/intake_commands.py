"""`justenough intake schema | doc`: the intake's JSON Schema, and its documentation."""

from __future__ import annotations

import argparse
import json
from typing import Any

from api.cli.errors import EXIT_OK
from engine.intake_doc import json_schema, markdown
from engine.loader import default_rulesets_root, load_rulesets


def register(commands: Any) -> None:
    parser = commands.add_parser("intake", help="the intake's JSON Schema and documentation")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    schema = actions.add_parser("schema", help="print the intake's JSON Schema")
    schema.set_defaults(handler=run_schema)
    doc = actions.add_parser("doc", help="print docs/intake.md: every field and who reads it")
    doc.set_defaults(handler=run_doc)


def run_schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


def run_doc(args: argparse.Namespace) -> int:
    print(markdown(load_rulesets([default_rulesets_root()])), end="")
    return EXIT_OK
