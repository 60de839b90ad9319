"""The intake form's fields and the Intake: every field of the intake has its place in
the form, a stored intake goes into the form and comes back the same, and every error
names a field the form shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.web.intake_form import SECTION_OF, SECTIONS, from_intake, section_of, to_intake
from engine.intake_doc import fields
from engine.intake_files import read_intake

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
INTAKES = ("ada.yaml", "maria.yaml", "joe.yaml")


@pytest.mark.parametrize("name", INTAKES)
def test_a_stored_intake_comes_back_from_the_form_unchanged(name: str) -> None:
    intake = read_intake(EXAMPLES / name)
    made, errors = to_intake(from_intake(intake))
    assert errors == []
    assert made == intake


def test_every_field_of_the_intake_is_in_the_form() -> None:
    names = set(SECTION_OF)
    for doc in fields():
        if doc.computed or doc.kind in ("record", "list of records"):
            continue
        if doc.path.endswith("outcomes[].outcome"):
            continue  # the form has a field per outcome, named by it
        pattern = re.compile(re.escape(doc.path).replace(r"\[\]", r"\.[a-z_0-9]+") + "$")
        assert any(pattern.match(name) for name in names), doc.path
    assert [s.slug for s in SECTIONS] == [
        "person",
        "household",
        "needs",
        "finances",
        "supports",
        "carer",
    ]


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_every_error_names_a_field_the_form_shows(data: st.DataObject) -> None:
    values = dict(from_intake(read_intake(EXAMPLES / "ada.yaml")))
    chosen = data.draw(st.lists(st.sampled_from(sorted(SECTION_OF)), max_size=6, unique=True))
    for name in chosen:
        values[name] = data.draw(st.sampled_from(["", "x", "-1", "99999", "true", "2999-01-01"]))
    intake, errors = to_intake(values)
    assert (intake is None) == bool(errors)
    for error in errors:
        assert error.name in SECTION_OF, error
        assert section_of(error.name) in {s.slug for s in SECTIONS}
