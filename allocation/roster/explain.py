"""Why a slot of need was left unmet, in the order a manager would ask.

1. skill_missing: too few of the supporters who may support the person here
   have the skills the block needs.
2. nobody_available: those with the skills are not available then.
3. over_budget: enough are available, and the roster solved without the
   budget covers the slot, so money is what stops it.
4. working_rule: enough are available but none can take it: a working rule,
   an hour cap, or support they give someone else at the time.
"""

from __future__ import annotations

from dataclasses import dataclass

from allocation.roster.costing import Cover, work_of
from allocation.roster.instance import Instance, Need, available, skilled, suits
from allocation.roster.result import Reason
from allocation.roster.rules import breaches


@dataclass(frozen=True)
class Why:
    reason: Reason
    detail: str


@dataclass(frozen=True)
class UnmetRun:
    need: int
    first: int
    length: int
    why: Why


def unmet_runs(instance: Instance, cover: Cover, free_cover: Cover | None) -> list[UnmetRun]:
    """Each unbroken stretch of a block left unmet for one reason, told at its first slot."""
    work = work_of(instance, cover)
    runs: list[UnmetRun] = []
    for k, need in enumerate(instance.needs):
        current: UnmetRun | None = None
        for t in need.slots:
            if (need.person, t) in cover:
                current = None
                continue
            why = _why(instance, need, t, work, free_cover)
            if current is not None and current.why.reason == why.reason:
                current = UnmetRun(k, current.first, current.length + 1, current.why)
                runs[-1] = current
            else:
                current = UnmetRun(k, t, 1, why)
                runs.append(current)
    return runs


def _why(
    instance: Instance,
    need: Need,
    t: int,
    work: dict[int, dict[int, list[int]]],
    free_cover: Cover | None,
) -> Why:
    person = instance.people[need.person]
    wanted = "one supporter" if need.ratio == 1 else f"{need.ratio} supporters at once"
    allowed = [h for h in instance.helpers if suits(h, need)]
    if len(allowed) < need.ratio:
        return Why("nobody_available", f"no supporter may support {person} in {need.activity!r}")
    with_skills = [h for h in allowed if skilled(h, need)]
    if len(with_skills) < need.ratio:
        missing = sorted(need.skills - set().union(*(h.skills for h in allowed)))
        if missing:
            return Why("skill_missing", f"nobody who may support {person} has {', '.join(missing)}")
        names = ", ".join(h.label for h in with_skills) or "nobody"
        return Why(
            "skill_missing",
            f"only {names} has all of {', '.join(sorted(need.skills))}; needs {wanted}",
        )
    free = [h for h in with_skills if available(h, need, t)]
    if len(free) < need.ratio:
        names = ", ".join(h.label for h in free) or "nobody"
        when = "for the whole sleep-in" if need.sleep_in else "then"
        return Why(
            "nobody_available",
            f"of those with the skills, {names} is available {when}; needs {wanted}",
        )
    if free_cover is not None and (need.person, t) in free_cover:
        return Why("over_budget", "supporters are available, but the budget cannot pay for them")
    blocks = []
    for h in free:
        busy = work.get(h.index, {})
        if t in busy:
            with_whom = sorted({instance.people[instance.needs[j].person] for j in busy[t]})
            blocks.append(f"{h.label} is supporting {', '.join(with_whom)}")
        elif h.cap is not None and len(busy) >= h.cap:
            blocks.append(f"{h.label} has no hours left")
        elif h.paid and (broken := breaches({*busy, t}, h.cap, instance.rules, instance.grid)):
            blocks.append(f"{h.label}: {broken[0]}")
        else:
            blocks.append(f"{h.label} is free then")
    return Why("working_rule", "; ".join(blocks[:4]))
