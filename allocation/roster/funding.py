"""The roster's budget taken from an allocation (`justenough roster --budget-from`).

The money that pays for support a week is the council's net funded amount
plus the person's contribution towards the same budget, which together are
the method's whole weekly budget (allocation/budgets/allocation_model.py).
Both must be known: an allocation whose financial assessment still needs
information cannot say what the person pays, so it gives no budget yet.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from allocation.budgets.allocation_model import Allocation
from engine.sourcefiles import InputError, read_document


def read_allocation(path: Path) -> Allocation:
    """An allocation JSON file (as `justenough allocate --json` writes it)."""
    doc = read_document(path)
    try:
        return Allocation.model_validate(doc.data)
    except ValidationError as error:
        raise InputError(doc.validation_problems(error)) from None


def weekly_budget(allocation: Allocation, method: str | None) -> Decimal:
    """Net funded plus contribution of the chosen method's budget; ValueError says why not."""
    budgets = allocation.budgets()
    if not allocation.allocated or not budgets:
        raise ValueError(f"no budget was allocated to {allocation.person}")
    if method is None:
        if len(budgets) > 1:
            raise ValueError(
                f"the allocation has budgets by {', '.join(sorted(budgets))}: "
                "choose one with --budget-method"
            )
        (method,) = budgets
    budget = budgets.get(method)
    if budget is None:
        raise ValueError(f"the allocation has no {method} budget ({', '.join(sorted(budgets))})")
    if budget.net_funded is None or budget.contribution is None:
        raise ValueError(
            f"the {method} budget's financial assessment needs information, "
            "so what the person pays is not known yet"
        )
    return budget.net_funded + budget.contribution
