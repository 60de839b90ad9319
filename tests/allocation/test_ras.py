"""RAS: questionnaire points to an indicative budget, by the shipped example and by
any RAS the loader accepts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.budgets.allocation_model import Budget, Unavailable
from allocation.budgets.methods import Method, Methods
from allocation.budgets.methods_files import RasFile
from allocation.budgets.ras import ras_budget
from engine.ir import NUMBER
from engine.programmes import Dated, Parameter
from tests.allocation.conftest import AS_OF, NOTHING, SAVVA_22


def budget(methods: Methods, answers: dict[str, str]) -> Budget:
    assert methods.ras is not None
    result = ras_budget(methods.ras, answers, AS_OF)
    assert isinstance(result, Budget)
    return result


def test_22_points_at_the_example_price_give_112_20_a_week(methods: Methods) -> None:
    # R (Savva) v RBKC: 22 points gave £112.21 in 2009; the example's £5.10 gives £112.20.
    result = budget(methods, SAVVA_22)
    assert result.total_points == 22 and result.band == "moderate"
    assert result.weekly == Decimal("112.20")
    assert result.annual == Decimal("5834.40")
    assert [p.points for p in result.points or []] == [5, 3, 2, 3, 2, 3, 4, 0, 0]


def test_the_low_band_is_held_at_its_cap(methods: Methods) -> None:
    # 9 + 5 = 14 points x £5.10 = £71.40, above the low band's illustrative £70 cap.
    result = budget(methods, NOTHING | {"personal_care": "full_help", "home": "full_help"})
    assert [line.amount for line in result.lines] == [Decimal("71.40"), Decimal("-1.40")]
    assert result.lines[1].label == "Band low: held at its cap"
    assert result.weekly == Decimal("70.00")


def test_the_critical_band_is_raised_to_its_floor(methods: Methods) -> None:
    # 14 + 6 + 5 + 6 + 15 + 14 = 60 points x £5.10 = £306.00, below the £350 floor.
    answers = NOTHING | {
        "personal_care": "two_people",
        "eating": "full_help",
        "home": "full_help",
        "relationships": "full_help",
        "staying_safe": "two_people",
        "nights": "waking",
    }
    result = budget(methods, answers)
    assert result.band == "critical"
    assert [line.amount for line in result.lines] == [Decimal("306.00"), Decimal("44.00")]
    assert result.weekly == Decimal("350.00")


def test_unpaid_support_reduces_the_budget_by_its_percent(methods: Methods) -> None:
    result = budget(methods, SAVVA_22 | {"unpaid_support": "some"})
    assert [line.amount for line in result.lines] == [Decimal("112.20"), Decimal("-11.22")]
    assert result.weekly == Decimal("100.98")
    assert result.lines[1].unit_cost == Decimal("-0.1")


def test_an_incomplete_questionnaire_asks_for_the_rest(methods: Methods) -> None:
    assert methods.ras is not None
    result = ras_budget(methods.ras, {"personal_care": "none"}, AS_OF)
    assert isinstance(result, Unavailable) and result.status == "needs_information"
    assert (
        result.ask[0] == "questionnaire.eating" and result.ask[-1] == "questionnaire.unpaid_support"
    )


# --- any RAS the loader accepts ------------------------------------------------------------


def ras_method(
    price: Decimal,
    domains: list[list[int]],
    bands: list[tuple[int, Decimal | None, Decimal | None]],
    adjustments: list[list[tuple[int, int]]],
) -> Method[RasFile]:
    """A RAS with the given answer points, bands (start, floor, cap) and adjustments."""
    on = date(2020, 1, 1)
    parameters = {"price_per_point": price}
    band_specs: list[dict[str, Any]] = []
    for index, (start, floor, cap) in enumerate(bands):
        band: dict[str, Any] = {"id": f"b{index}", "min_points": start, "explain": "test band"}
        for name, value in (("floor", floor), ("cap", cap)):
            if value is not None:
                band[name] = f"b{index}_{name}"
                parameters[f"b{index}_{name}"] = value
        band_specs.append(band)
    spec = RasFile.model_validate(
        {
            "id": "test.ras",
            "method": "ras",
            "title": "Test RAS",
            "source": "test",
            "requires_eligible": ["england.care_act.adult"],
            "parameters": {
                n: [{"from": on, "value": v, "source": "t"}] for n, v in parameters.items()
            },
            "domains": [
                {
                    "id": f"d{i}",
                    "title": "Domain",
                    "question": "?",
                    "source": "test",
                    "answers": [
                        {"id": f"a{j}", "points": p, "explain": "x"} for j, p in enumerate(points)
                    ],
                }
                for i, points in enumerate(domains)
            ],
            "bands": band_specs,
            "adjustments": [
                {
                    "id": f"x{i}",
                    "title": "Adjustment",
                    "question": "?",
                    "source": "test",
                    "answers": [
                        {"id": f"a{j}", "explain": "x", "points": p, "percent": c}
                        for j, (p, c) in enumerate(answers)
                    ],
                }
                for i, answers in enumerate(adjustments)
            ],
        }
    )
    dated = {
        n: Parameter(n, NUMBER, (Dated(on, Decimal(v), "t"),), "test.yaml", 1)
        for n, v in parameters.items()
    }
    return Method(spec, dated, "test.yaml", {"id": "test", "version": "1", "hash": "sha256:0"})


@st.composite
def rases(draw: Any) -> tuple[Method[RasFile], dict[str, int]]:
    domains = [
        sorted(draw(st.lists(st.integers(0, 20), min_size=2, max_size=5)))
        for _ in range(draw(st.integers(1, 5)))
    ]
    count = draw(st.integers(1, 4))
    starts = [0, *sorted(draw(st.sets(st.integers(1, 60), min_size=count - 1, max_size=count - 1)))]
    money = st.decimals(min_value=0, max_value=600, places=2)
    floors = sorted(draw(st.lists(money, min_size=count, max_size=count)))
    caps = [
        max(c, f)
        for c, f in zip(
            sorted(draw(st.lists(money, min_size=count, max_size=count))), floors, strict=True
        )
    ]
    no_floor = draw(st.integers(0, count))  # a prefix of bands without a floor (0)
    no_cap = draw(st.integers(0, count))  # a suffix of bands without a cap
    bands = [
        (start, None if i < no_floor else floors[i], None if i >= no_cap else caps[i])
        for i, start in enumerate(starts)
    ]
    adjustment = st.tuples(st.integers(-10, 10), st.integers(-100, 100))
    adjustments = draw(st.lists(st.lists(adjustment, min_size=1, max_size=3), max_size=2))
    price = draw(st.decimals(min_value=0, max_value=20, places=2))
    method = ras_method(price, domains, bands, adjustments)
    answers = {f"d{i}": draw(st.integers(0, len(points) - 1)) for i, points in enumerate(domains)}
    answers |= {f"x{i}": draw(st.integers(0, len(a) - 1)) for i, a in enumerate(adjustments)}
    return method, answers


def weekly(method: Method[RasFile], answers: dict[str, int]) -> Decimal:
    result = ras_budget(method, {q: f"a{i}" for q, i in answers.items()}, date(2025, 1, 1))
    assert isinstance(result, Budget)
    assert result.weekly >= 0
    return result.weekly


@settings(max_examples=150, deadline=None)
@given(rases(), st.data())
def test_raising_any_domains_need_never_lowers_the_ras_budget(
    case: Any, data: st.DataObject
) -> None:
    method, answers = case
    domain = data.draw(st.sampled_from(sorted(q for q in answers if q.startswith("d"))))
    top = len(next(d for d in method.spec.domains if d.id == domain).answers) - 1
    if answers[domain] == top:
        return
    higher = answers | {domain: data.draw(st.integers(answers[domain] + 1, top))}
    assert weekly(method, higher) >= weekly(method, answers)


def test_points_adjustments_move_the_total_and_never_below_zero() -> None:
    method = ras_method(Decimal("5.00"), [[0, 4, 10]], [(0, None, None)], [[(0, 0), (-6, 0)]])
    assert weekly(method, {"d0": 2, "x0": 1}) == Decimal("20.00")  # 10 - 6 points
    assert weekly(method, {"d0": 1, "x0": 1}) == Decimal("0.00")  # 4 - 6 points: none
