"""Shared request bodies: the shipped examples as the API takes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.sourcefiles import read_document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = "2026-01-01"


def example(name: str) -> Any:
    """An example file's data as JSON-ready values (YAML decimals as strings)."""
    return _plain(read_document(EXAMPLES / name).data)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "as_tuple"):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def ada() -> Any:
    return example("ada.yaml")


def ada_with_carer(willing: bool) -> Any:
    """Ada's intake with her daughter cooking her meals, `willing` and able to go on or not."""
    intake = ada()
    for assessed in intake["needs"]["outcomes"]:
        if assessed["outcome"] == "nutrition":
            assessed |= {"met_by_carer": True, "carer_willing_and_able": willing}
    return intake


def ada_budget_ask() -> dict[str, Any]:
    request = example("allocation-ada.yaml")
    return {"questionnaire": request["questionnaire"], "support_plan": request["support_plan"]}


def small_week() -> dict[str, Any]:
    """Ada's week: a morning and evening visit each day, her daughter and one paid worker."""
    return {
        "people": [
            {
                "id": "ada",
                "blocks": [
                    {
                        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                        "start": "08:00",
                        "end": "09:00",
                        "activity": "washing and breakfast",
                    },
                    {
                        "days": ["mon", "wed", "fri"],
                        "start": "17:00",
                        "end": "18:00",
                        "activity": "tea",
                        "priority": "desirable",
                    },
                ],
            }
        ],
        "supporters": [
            {
                "id": "daughter",
                "kind": "family",
                "available": [{"days": ["wed", "sat"], "start": "08:00", "end": "12:00"}],
            },
            {"id": "pa", "kind": "paid", "hourly_rate": "15.00"},
        ],
    }
