"""Synthetic populations, drawn column by column: a million people in seconds.

Each row is a household reference person aged 18 or over with the household
they live in, drawn from the cited distributions in
`scenarios/distributions/<jurisdiction>.yaml` (docs/policy-lab.md lists and
discusses them). Households are coherent: at most one partner, children at
least 18 years younger than the person, parents at least 18 years older.
Incomes follow the household type (earnings at working age, pensions after
pension age), benefits are drawn among people below the median income, and
a small share of optional answers is left unknown, as at a first contact.

The same seed, size and jurisdiction give the same population.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Generic, Literal, TypeVar

import numpy as np
import polars as pl
import pyarrow as pa

from engine.bulk_schema import Node, intake_node
from engine.common import Strict
from engine.intake import (
    CarerOutcome,
    Impact,
    LevelOfCare,
    Outcome,
    StageOfChange,
    SubstanceUse,
)
from engine.sourcefiles import InputError, Problem, read_document

DISTRIBUTIONS = Path(__file__).resolve().parent / "distributions"
JURISDICTIONS = ("england", "us")
T = TypeVar("T")


class Cited(Strict, Generic[T]):
    """A figure with its source and how far it was checked."""

    value: T
    source: str
    status: Literal["checked", "recalled", "assumed"]
    oldest: int | None = None


class Lognormal(Strict):
    median: float
    sigma: float


class Pension(Strict):
    amount: float
    period: str
    private_median: float
    private_share: float


class Capital(Strict):
    zero_share: float
    median: float
    sigma: float
    older_factor: float


class Distributions(Strict):
    """One jurisdiction's distributions file."""

    country: Literal["england", "us"]
    id_prefix: str
    adult_age_bands: Cited[dict[int, float]]
    regions: Cited[dict[str, float]]
    household_types: Cited[dict[str, float]]
    children: Cited[dict[int, float]]
    disability_by_age: Cited[dict[int, float]]
    employment_rate: Cited[float]
    pension_age: Cited[int]
    household_income: Cited[Lognormal]
    pension: Cited[Pension]
    earnings_periods: Cited[dict[str, float]]
    capital: Cited[Capital]
    benefits: Cited[dict[str, float]]
    housing_costs_weekly: Cited[Lognormal] | None = None
    shelter_costs_monthly: Cited[Lognormal] | None = None
    care_needs_by_age: Cited[dict[int, float]]
    carer_share: Cited[float]
    substance_use_share: Cited[float] | None = None
    unknown_share: Cited[float]


def load_distributions(jurisdiction: str) -> Distributions:
    if jurisdiction not in JURISDICTIONS:
        raise InputError(
            [Problem("--jurisdiction", None, "", f"must be one of {', '.join(JURISDICTIONS)}")]
        )
    document = read_document(DISTRIBUTIONS / f"{jurisdiction}.yaml")
    return Distributions.model_validate(document.data)


# --- small vectorised helpers ---------------------------------------------------------


def _choice(rng: np.random.Generator, weights: Mapping[T, float], n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    picked = rng.choice(len(keys), size=n, p=p / p.sum())
    return np.array(keys, dtype=object)[picked]


def _by_age(table: dict[int, float], ages: np.ndarray) -> np.ndarray:
    """A percentage from a table keyed by the age each row starts at."""
    starts = np.array(sorted(table))
    shares = np.array([table[s] for s in sorted(table)]) / 100
    return shares[np.clip(np.searchsorted(starts, ages, side="right") - 1, 0, None)]


def _lognormal(rng: np.random.Generator, dist: Lognormal, n: int) -> np.ndarray:
    return dist.median * np.exp(rng.normal(0.0, dist.sigma, n))


def _money(values: np.ndarray) -> np.ndarray:
    """Pounds or dollars as whole pence or cents (the columnar money form)."""
    return np.round(np.asarray(values, dtype=float) * 100).astype(np.int64)


def _column(node: Node, values: object, n: int) -> pl.Series:
    if values is None:
        return pl.repeat(None, n, dtype=node.dtype, eager=True)
    if isinstance(values, pl.Series):
        return values.cast(node.dtype)
    array = np.asarray(values)
    if array.dtype == object:
        array = array.astype(str)
    return pl.Series(values=array).cast(node.dtype)


def _struct(
    node: Node, n: int, values: dict[str, object], present: np.ndarray | None = None
) -> pl.Series:
    """A struct column in the schema's field order; fields not given are null, and rows
    where `present` is false are a null struct."""
    unknown = set(values) - set(node.fields)
    if unknown:  # the intake changed: the generator must follow it
        raise KeyError(f"no intake field {sorted(unknown)} in {sorted(node.fields)}")
    columns = [
        _column(inner, values.get(name), n).alias(name) for name, inner in node.fields.items()
    ]
    series = pl.DataFrame(columns).to_struct("s")
    if present is not None:
        series = pl.select(
            pl.when(pl.lit(pl.Series(present))).then(pl.lit(series)).otherwise(None)
        ).to_series()
    return series


def _lists(
    node: Node, counts: np.ndarray, values: dict[str, object], present: np.ndarray | None = None
) -> pl.Series:
    """A list column from flat element values, `counts[i]` elements for row i."""
    element = node.element
    assert element is not None
    flat = _struct(element, int(counts.sum()), values)
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]).astype(np.int32))
    mask = None if present is None else pa.array(~present)
    lists = pa.ListArray.from_arrays(offsets, flat.to_arrow(), mask=mask)
    return pl.Series(lists).cast(node.dtype)


def _forget(rng: np.random.Generator, present: np.ndarray, share: float) -> np.ndarray:
    return present & (rng.random(present.shape[0]) >= share)


def _masked(values: np.ndarray, known: np.ndarray, dtype: pl.DataType) -> pl.Series:
    series = pl.Series(values=values).cast(dtype, strict=False)
    return pl.select(pl.when(pl.lit(pl.Series(known))).then(pl.lit(series))).to_series()


# --- the population ------------------------------------------------------------------------


def generate(
    count: int, seed: int, jurisdiction: str, as_of: date = date(2026, 1, 1)
) -> pl.DataFrame:
    """`count` people of `jurisdiction` as a population frame (engine/bulk_schema.py)."""
    dist = load_distributions(jurisdiction)
    rng = np.random.default_rng([seed, JURISDICTIONS.index(jurisdiction)])
    n = count
    unknown = dist.unknown_share.value / 100
    root = intake_node()
    person_node = root.fields["person"]

    # the person
    band_starts = sorted(dist.adult_age_bands.value)
    ends = [*band_starts[1:], (dist.adult_age_bands.oldest or 100) + 1]
    band = _choice(rng, {i: dist.adult_age_bands.value[s] for i, s in enumerate(band_starts)}, n)
    low = np.array(band_starts)[band.astype(int)]
    high = np.array(ends)[band.astype(int)]
    age = rng.integers(low, high)
    born_days = (age * 365.25 + rng.integers(1, 364, n)).astype(np.int64)
    as_of_day = np.datetime64(as_of.isoformat(), "D")
    date_of_birth = as_of_day - born_days.astype("timedelta64[D]")
    sex = _choice(rng, {"female": 51, "male": 49}, n)
    disabled = rng.random(n) < _by_age(dist.disability_by_age.value, age)
    pension_age = dist.pension_age.value

    # the household
    kind = _choice(rng, dist.household_types.value, n)
    with_children = np.isin(kind, ["couple_with_children", "lone_parent"])
    kind = np.where(
        with_children & (age >= 60), np.where(kind == "lone_parent", "single", "couple"), kind
    )
    kind = np.where((kind == "with_parents") & (age > 34), "single", kind)
    partnered = np.isin(kind, ["couple", "couple_with_children"]) | (
        (kind == "multigenerational") & (rng.random(n) < 0.5)
    )
    children = np.where(
        np.isin(kind, ["couple_with_children", "lone_parent"]),
        _choice(rng, dist.children.value, n).astype(int),
        np.where(kind == "multigenerational", rng.integers(0, 3, n), 0),
    )
    parents = np.where(kind == "with_parents", rng.integers(1, 3, n), 0)
    parents = np.where((kind == "multigenerational") & (age <= 70), 1, parents)
    others = np.where(kind == "shared", rng.integers(1, 4, n), 0)
    members = partnered.astype(int) + children + parents + others
    owner = np.repeat(np.arange(n), members)
    owner_age = age[owner]
    slot = np.arange(members.sum()) - np.repeat(np.cumsum(members) - members, members)
    p_end = partnered.astype(int)[owner]
    c_end = p_end + children[owner]
    r_end = c_end + parents[owner]
    relation = np.select(
        [slot < p_end, slot < c_end, slot < r_end], ["partner", "child", "parent"], "unrelated"
    )
    m = owner.shape[0]
    gap = rng.integers(18, 43, m)
    member_age = np.select(
        [relation == "partner", relation == "child", relation == "parent"],
        [
            np.clip(owner_age + np.round(rng.normal(0, 4, m)).astype(int), 18, 100),
            np.clip(owner_age - np.minimum(gap, owner_age), 0, None),
            np.minimum(owner_age + gap, 105),
        ],
        np.clip(owner_age + np.round(rng.normal(0, 6, m)).astype(int), 18, 95),
    )
    member_disabled = rng.random(m) < _by_age(dist.disability_by_age.value, member_age)
    shares_meals = np.where(np.isin(relation, ["partner", "child"]), True, rng.random(m) < 0.5)
    member_node = person_node.fields["household"].element
    assert member_node is not None
    household = _lists(
        person_node.fields["household"],
        members,
        {
            "relation": relation,
            "age": _masked(member_age, rng.random(m) >= unknown, pl.Int64()),
            "disabled": member_disabled,
            "shares_meals": _masked(shares_meals, rng.random(m) >= unknown, pl.Boolean()),
        },
        present=_forget(rng, np.ones(n, dtype=bool), unknown),
    )
    youngest = np.full(n, 99)
    if m:
        child_rows = relation == "child"
        np.minimum.at(youngest, owner[child_rows], member_age[child_rows])

    # maternity: women of childbearing age with a baby, or pregnant
    fertile = (sex == "female") & (age <= 44)
    pregnant = fertile & (rng.random(n) < 0.05)
    recent = fertile & (youngest <= 1)
    maternity = _struct(
        person_node.fields["maternity"],
        n,
        {
            "pregnant": pregnant,
            "babies_expected": _masked(np.ones(n, dtype=np.int64), pregnant, pl.Int64()),
            "breastfeeding": recent & (rng.random(n) < 0.5),
            "months_since_birth": _masked(
                np.where(recent, youngest * 12 + rng.integers(0, 12, n), 0), recent, pl.Int64()
            ),
        },
        present=pregnant | recent,
    )

    region = _choice(rng, dist.regions.value, n)
    person = _struct(
        person_node,
        n,
        {
            "date_of_birth": _masked(date_of_birth, rng.random(n) >= unknown, pl.Date()),
            "sex": sex,
            "lives_in": _struct(
                person_node.fields["lives_in"],
                n,
                {"country": np.full(n, dist.country), "region": region},
            ),
            "household": household,
            "disabled": _masked(disabled, rng.random(n) >= unknown, pl.Boolean()),
            "has_capacity": rng.random(n) < 0.95,
            "maternity": maternity,
        },
    )

    # finances
    working_age = age < pension_age
    works = working_age & (rng.random(n) < dist.employment_rate.value / 100)
    partner_works = partnered & (rng.random(n) < dist.employment_rate.value / 100) & working_age
    income_total = _lognormal(rng, dist.household_income.value, n)
    pensioner = ~working_age
    earners = works.astype(int) + partner_works.astype(int)
    pension = dist.pension.value
    has_private = pensioner & (rng.random(n) < pension.private_share / 100)
    item_counts = earners + pensioner.astype(int) + has_private.astype(int)
    item_owner = np.repeat(np.arange(n), item_counts)
    item_slot = np.arange(item_counts.sum()) - np.repeat(
        np.cumsum(item_counts) - item_counts, item_counts
    )
    k = item_owner.shape[0]
    first_is_person_earnings = works[item_owner] & (item_slot == 0)
    partner_slot = works.astype(int)[item_owner]
    is_partner_earnings = partner_works[item_owner] & (item_slot == partner_slot)
    is_earnings = first_is_person_earnings | is_partner_earnings
    is_state = ~is_earnings & (item_slot == earners[item_owner])
    periods = _choice(rng, dist.earnings_periods.value, k)
    per_year = np.vectorize(
        {"week": 52, "fortnight": 26, "four_weeks": 13, "month": 12, "year": 1}.get
    )(periods)
    share = np.where(earners[item_owner] == 2, 0.5, 1.0)
    earnings = income_total[item_owner] * share / per_year
    state_kind = "state_pension" if dist.country == "england" else "social_security"
    income = _lists(
        root.fields["finances"].fields["income"],
        item_counts,
        {
            "kind": np.where(
                is_earnings, "earnings", np.where(is_state, state_kind, "private_pension")
            ),
            "amount": _money(
                np.where(
                    is_earnings,
                    earnings,
                    np.where(
                        is_state,
                        pension.amount,
                        _lognormal(rng, Lognormal(median=pension.private_median, sigma=0.7), k)
                        / 12,
                    ),
                )
            ),
            "period": np.where(is_earnings, periods, np.where(is_state, pension.period, "month")),
            "owner": np.where(is_partner_earnings, "partner", "person"),
        },
        present=_forget(rng, np.ones(n, dtype=bool), unknown),
    )
    poorer = income_total < dist.household_income.value.median
    benefit_names = list(dist.benefits.value)
    receives = {
        b: poorer & (rng.random(n) < 2 * dist.benefits.value[b] / 100) for b in benefit_names
    }
    if "pension_credit" in receives:
        receives["pension_credit"] &= pensioner
    if "universal_credit" in receives:
        receives["universal_credit"] &= working_age
    benefit_counts = sum(receives[b].astype(int) for b in benefit_names)
    benefit_flat = (
        np.array(benefit_names, dtype=object)[
            np.nonzero(np.stack([receives[b] for b in benefit_names], axis=1))[1]
        ]
        if benefit_names
        else np.array([], dtype=object)
    )
    benefits_series = pl.Series(
        pa.ListArray.from_arrays(
            pa.array(np.concatenate([[0], np.cumsum(benefit_counts)]).astype(np.int32)),
            pa.array(benefit_flat.tolist(), type=pa.string()),
            mask=pa.array(~_forget(rng, np.ones(n, dtype=bool), unknown)),
        )
    )
    capital = dist.capital.value
    capital_amount = np.where(
        rng.random(n) < capital.zero_share / 100,
        0.0,
        _lognormal(rng, Lognormal(median=capital.median, sigma=capital.sigma), n)
        * np.where(pensioner, capital.older_factor, 1.0),
    )
    costs = dist.housing_costs_weekly or dist.shelter_costs_monthly
    assert costs is not None
    housing = _money(_lognormal(rng, costs.value, n))
    young_children = youngest < 13
    finances = _struct(
        root.fields["finances"],
        n,
        {
            "income": income,
            "capital": _masked(
                _money(np.minimum(capital_amount, 9e9)), rng.random(n) >= unknown, pl.Int64()
            ),
            "benefits": benefits_series,
            "housing_costs_weekly": housing if dist.country == "england" else None,
            "shelter_costs_monthly": housing if dist.country == "us" else None,
            "dependent_care_costs_monthly": _money(
                np.where(
                    young_children & (rng.random(n) < 0.3),
                    _lognormal(rng, Lognormal(median=600, sigma=0.5), n),
                    0,
                )
            ),
            "medical_costs_monthly": _money(
                np.where(
                    pensioner | disabled, _lognormal(rng, Lognormal(median=80, sigma=1.0), n), 0
                )
            ),
        },
    )

    # needs for care and support, and carers
    has_needs = rng.random(n) < _by_age(dist.care_needs_by_age.value, age)
    assessed = has_needs | (rng.random(n) < 0.1)
    outcome_names = [o.value for o in Outcome]
    unable = (
        np.where(has_needs, rng.integers(1, len(outcome_names) + 1, n), rng.integers(0, 2, n))
        * assessed
    )
    order = np.argsort(rng.random((n, len(outcome_names))), axis=1)
    chosen = np.arange(len(outcome_names))[None, :] < unable[:, None]
    outcome_flat = np.array(outcome_names, dtype=object)[order[chosen]]
    manages_weights = {
        "needs_assistance": 50,
        "takes_significantly_longer": 20,
        "significant_pain_or_distress": 15,
        "endangers": 10,
        "unaided": 5,
    }
    needs = _struct(
        root.fields["needs"],
        n,
        {
            "arise_from_impairment": has_needs | (assessed & (rng.random(n) < 0.3)),
            "outcomes": _lists(
                root.fields["needs"].fields["outcomes"],
                unable,
                {
                    "outcome": outcome_flat,
                    "manages": _choice(rng, manages_weights, outcome_flat.shape[0]),
                },
            ),
            "wellbeing_impact": np.where(
                has_needs, _choice(rng, {"significant": 70, "some": 25, "none": 5}, n), "none"
            ),
        },
        present=assessed,
    )
    carer = rng.random(n) < dist.carer_share.value / 100
    carer_names = [c.value for c in CarerOutcome]
    carer_unable = rng.integers(0, 4, n) * carer
    carer_order = np.argsort(rng.random((n, len(carer_names))), axis=1)
    carer_chosen = np.arange(len(carer_names))[None, :] < carer_unable[:, None]
    carer_flat = np.array(carer_names, dtype=object)[carer_order[carer_chosen]]
    carer_struct = _struct(
        root.fields["carer"],
        n,
        {
            "provides_necessary_care": rng.random(n) < 0.9,
            "health_at_risk": rng.random(n) < 0.3,
            "outcomes": _lists(
                root.fields["carer"].fields["outcomes"],
                carer_unable,
                {
                    "outcome": carer_flat,
                    "manages": _choice(rng, manages_weights, carer_flat.shape[0]),
                },
            ),
            "wellbeing_impact": _choice(
                rng, {i.value: w for i, w in zip(Impact, (20, 45, 35), strict=True)}, n
            ),
        },
        present=carer,
    )

    # health
    uses = rng.random(n) < (
        (dist.substance_use_share.value / 100) if dist.substance_use_share else 0
    )
    dimensions = [name for name in SubstanceUse.model_fields if name != "stage_of_change"]
    ratings = {
        name: np.where(uses, _choice(rng, {0: 25, 1: 35, 2: 25, 3: 10, 4: 5}, n).astype(int), 0)
        for name in dimensions
    }
    health = _struct(
        root.fields["health"],
        n,
        {
            "institutional_level_of_care": np.where(
                has_needs & (age >= 75) & (rng.random(n) < 0.3),
                LevelOfCare.nursing_facility.value,
                LevelOfCare.none.value,
            ),
            "substance_use": _struct(
                root.fields["health"].fields["substance_use"],
                n,
                {
                    **ratings,
                    "stage_of_change": _choice(rng, {s.value: 1 for s in StageOfChange}, n),
                },
                present=uses | (rng.random(n) < 0.5),
            ),
            "nutritional_risk": _masked(
                rng.random(n) < 0.4, pregnant | recent | (youngest < 5), pl.Boolean()
            ),
        },
    )
    exclusion_names = list(root.fields["direct_payments"].fields["exclusions"].fields)
    direct_payments = _struct(
        root.fields["direct_payments"],
        n,
        {
            "requested_by": np.full(n, "adult"),
            "nominee_agrees": rng.random(n) < 0.95,
            "mca_authorised_person_supports": rng.random(n) < 0.95,
            "acts_in_best_interests": rng.random(n) < 0.95,
            "exclusions": _struct(
                root.fields["direct_payments"].fields["exclusions"],
                n,
                {name: rng.random(n) < 0.003 for name in exclusion_names},
            ),
            "paid_person_relation": _choice(
                rng, {"unrelated": 80, "child": 8, "partner": 5, "other_relative": 7}, n
            ),
            "paid_person_lives_with_adult": rng.random(n) < 0.2,
            "council_determined_necessary": rng.random(n) < 0.5,
            "capable_of_managing": rng.random(n) < 0.85,
            "appropriate_way_to_meet_needs": rng.random(n) < 0.9,
        },
        present=has_needs & (rng.random(n) < 0.4),
    )
    ids = pl.select(
        pl.concat_str(
            pl.lit(f"{dist.id_prefix}-{seed}-"), pl.int_range(n, dtype=pl.Int64).cast(pl.String)
        )
    ).to_series()
    return pl.DataFrame(
        {
            "id": ids,
            "applying_for": pl.repeat(None, n, dtype=root.fields["applying_for"].dtype, eager=True),
            "person": person,
            "needs": needs,
            "carer": carer_struct,
            "finances": finances,
            "health": health,
            "supports": pl.repeat(None, n, dtype=root.fields["supports"].dtype, eager=True),
            "direct_payments": direct_payments,
            "care": pl.repeat(None, n, dtype=root.fields["care"].dtype, eager=True),
        }
    )
