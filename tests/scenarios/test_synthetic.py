"""Synthetic populations: reproducible, coherent households, valid intakes, cited shares."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from engine.bulk_schema import population_schema, to_intakes
from scenarios.diff import breakdown_keys
from scenarios.synthetic import generate, load_distributions

AS_OF = date(2026, 1, 1)


@pytest.mark.parametrize("jurisdiction", ["england", "us"])
def test_same_seed_same_people_and_valid_intakes(jurisdiction: str) -> None:
    first = generate(3000, 11, jurisdiction, AS_OF)
    assert first.equals(generate(3000, 11, jurisdiction, AS_OF))
    assert not first.equals(generate(3000, 12, jurisdiction, AS_OF))
    assert first.schema == population_schema()
    intakes = to_intakes(first.head(1500))  # every row is a valid intake
    assert {i.person.lives_in.country.value for i in intakes} == {jurisdiction}
    assert first["id"].n_unique() == first.height


@pytest.mark.parametrize("jurisdiction", ["england", "us"])
def test_households_are_coherent(jurisdiction: str) -> None:
    people = generate(20_000, 5, jurisdiction, AS_OF)
    keys = breakdown_keys(people, AS_OF)
    age = pl.coalesce(
        pl.lit(AS_OF.year) - pl.col("person").struct.field("date_of_birth").dt.year(),
        pl.col("person").struct.field("age"),
    )
    members = (
        people.select(
            pl.col("id"), age.alias("own_age"), pl.col("person").struct.field("household")
        )
        .explode("household")
        .unnest("household")
        .filter(pl.col("relation").is_not_null())
    )
    partners = members.filter(pl.col("relation") == "partner").group_by("id").len()
    assert partners.is_empty() or partners["len"].max() == 1
    known = members.filter(pl.col("age").is_not_null() & pl.col("own_age").is_not_null())
    children = known.filter(pl.col("relation") == "child")
    parents = known.filter(pl.col("relation") == "parent")
    assert (children["own_age"] - children["age"]).min() >= 16  # a birthday may be near
    assert (parents["age"] - parents["own_age"]).min() >= 16
    assert keys.filter(pl.col("age_band") == "under 18").is_empty()


def test_household_types_follow_the_cited_shares() -> None:
    dist = load_distributions("england")
    people = generate(50_000, 1, "england", AS_OF)
    sizes = people.select(pl.col("person").struct.field("household").list.len())
    alone = sizes.filter(pl.col("household") == 0).height / people.height
    expected = dist.household_types.value["single"] / sum(dist.household_types.value.values())
    # single households, plus young adults and over-60s redrawn as single, less none
    assert expected <= alone <= expected + 0.08
    assert all(d.source and d.status for d in (dist.household_types, dist.regions))
