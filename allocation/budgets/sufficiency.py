"""A sufficient budget: the RAS figure is a starting point, never the answer.

When the costed support plan exceeds the RAS indicative figure by more than a
local margin, the allocation flags the shortfall and shows both: the final
personal budget must be sufficient to meet the eligible needs (Care Act 2014
s.26; R (KM) v Cambridgeshire CC [2012] UKSC 23).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from allocation.budgets.allocation_model import Budget, Sufficiency, Unavailable
from engine.common import pounds
from engine.figures import show
from engine.programmes import Dated

CASE = "Care Act 2014 s.26(1)(c); R (KM) v Cambridgeshire CC [2012] UKSC 23"


def sufficiency(outcomes: Mapping[str, Budget | Unavailable], margin: Dated) -> Sufficiency | None:
    """The RAS figure against the costed plan; None unless both were worked out."""
    ras, costed = outcomes.get("ras"), outcomes.get("costing")
    if not (isinstance(ras, Budget) and isinstance(costed, Budget)):
        return None
    shortfall = costed.weekly - ras.weekly
    allowed = ras.weekly * margin.value
    flagged = shortfall > allowed
    share = show(margin.value, "rate")
    plan, indicative = pounds(costed.weekly), pounds(ras.weekly)
    if flagged:
        explain = (
            f"The costed support plan ({plan} a week) is {pounds(shortfall)} above "
            f"the RAS indicative figure ({indicative}), more than the {share} margin. The "
            "indicative figure is only a starting point: the final personal budget must be "
            "sufficient to meet the eligible needs, so the shortfall must be resolved, not "
            "passed on."
        )
    else:
        explain = (
            f"The costed support plan ({plan} a week) is within {share} of the "
            f"RAS indicative figure ({indicative})."
        )
    return Sufficiency(
        flagged=flagged,
        ras_weekly=ras.weekly,
        costed_weekly=costed.weekly,
        shortfall_weekly=max(shortfall, Decimal(0)),
        margin=margin.value,
        explain=explain,
        source=f"{CASE}; margin: {margin.source}",
    )
