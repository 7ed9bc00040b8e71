"""Casualties by the Landmine Monitor's definitions: who (the casualty category), what
happened (killed, injured, unknown), age group, sex, disability and the device, and the
yearly table in the Monitor's shape. Pure rules over plain values; the service
(:mod:`minewatch.services.casualties`) reads the victims and accidents and hands them here.

The definitions, and where they come from (each checked against the pages named):

- **Unknown stays unknown.** The Monitor reports casualties whose fate is not known apart
  from killed and injured ("for one casualty it was not known if the person survived or was
  killed", Landmine Monitor 2019, Casualties,
  https://archives2.the-monitor.org/en-gb/reports/2019/landmine-monitor-2019/casualties.aspx;
  "17,867 were killed, 51,711 injured, and 3,998 of unknown status", Landmine Monitor 2009,
  https://archives2.the-monitor.org/en-gb/reports/2009/landmine-monitor-2009/casualties-and-data-collection.aspx),
  and gives shares "where the status was known" (civilians 71% in 2018, same 2019 page). So
  nothing here fills an unknown with a likely value: an unknown category is not civilian, an
  unknown outcome is not injured, a missing age is not adult, a missing accident date has no
  year.
- **Categories**: civilians, military and security forces, non-state armed groups and
  deminers (same pages; deminer casualties are counted apart, Monitor FAQ "Who was injured or
  killed by mines, cluster munitions, and other ERW",
  http://www.the-monitor.org/en-gb/the-issues/faqs/casualties/who-was-injured-or-killed-by-mines,-cluster-munitions-and-other-erw-in-2012.aspx).
  The older stored code ``military`` counts as security forces.
- **Age group**: children are casualties under 18; their share is given of civilian
  casualties "for whom the age was known" (same FAQ).
- **Devices**: anti-personnel and anti-vehicle mines, improvised mines, cluster munition
  remnants and other ERW (Landmine Monitor 2019, 2018 Casualties). The Monitor's totals count
  *victim-activated* improvised devices ("mines, explosive remnants of war (ERW), and
  victim-activated improvised explosive devices (IEDs)", Landmine Monitor 2009, page above), so
  a command-detonated IED is recorded as such and left out of the mine/ERW total
  (:data:`MINE_ERW`), never merged into improvised mines.

>>> monitor_row_keys()
('year', 'dimension', 'value', 'killed', 'injured', 'unknown', 'total')
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from minewatch.domain.records.enums import (
    CasualtyDeviceType,
    OrdnanceCategory,
    Outcome,
    Sex,
    VictimType,
)

#: Children are casualties under this age (Monitor, IMAS).
CHILD_UNDER = 18

#: The Monitor's casualty categories, in the order its tables give them.
CATEGORIES = ("civilian", "security_forces", "non_state_armed_group", "deminer", "unknown")

#: The dimensions of the yearly table, each with its values in order.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES,
    "sex": tuple(s.value for s in Sex),
    "age_group": ("adult", "child", "unknown"),
    "device_type": tuple(d.value for d in CasualtyDeviceType),
    "disability": ("yes", "no", "unknown"),
}

#: Devices inside the Monitor's mine/ERW totals: all but command-detonated IEDs.
MINE_ERW = frozenset(CasualtyDeviceType) - {CasualtyDeviceType.COMMAND_DETONATED_IED}

#: What a device category says about the Monitor's device type when no type was recorded.
#: An IED's trigger is not in its category, so an IED stays unknown (neither an improvised
#: mine nor command-detonated); UXO, AXO and small-arms ammunition left behind are ERW.
_FROM_CATEGORY: dict[OrdnanceCategory, CasualtyDeviceType] = {
    OrdnanceCategory.AP_MINE: CasualtyDeviceType.AP_MINE,
    OrdnanceCategory.AV_MINE: CasualtyDeviceType.AV_MINE,
    OrdnanceCategory.SUBMUNITION: CasualtyDeviceType.CLUSTER_MUNITION_REMNANT,
    OrdnanceCategory.UXO: CasualtyDeviceType.OTHER_ERW,
    OrdnanceCategory.AXO: CasualtyDeviceType.OTHER_ERW,
    OrdnanceCategory.SMALL_ARMS_AMMUNITION: CasualtyDeviceType.OTHER_ERW,
    OrdnanceCategory.IED: CasualtyDeviceType.UNKNOWN,
}


def casualty_category(victim_type: str | None) -> str:
    """The Monitor's category for a stored victim type (``military`` counts as security
    forces; nothing recorded is ``unknown``, never civilian).

    Examples
    --------
    >>> [casualty_category(v) for v in ("civilian", "military", None, "non_state_armed_group")]
    ['civilian', 'security_forces', 'unknown', 'non_state_armed_group']
    """
    if victim_type is None or victim_type == "":
        return "unknown"
    kind = VictimType(victim_type)
    return "security_forces" if kind is VictimType.MILITARY else kind.value


def age_group(age: Any) -> str:
    """``child`` under 18, ``adult`` from 18, ``unknown`` when no age was recorded.

    Examples
    --------
    >>> age_group(9), age_group(18), age_group(None), age_group(float("nan"))
    ('child', 'adult', 'unknown', 'unknown')
    """
    if age is None or age != age:  # None or NaN
        return "unknown"
    return "child" if int(age) < CHILD_UNDER else "adult"


def device_type(recorded: str | None, category: str | None) -> CasualtyDeviceType:
    """The Monitor's device type: as recorded, else what the device category says, else
    unknown.

    Examples
    --------
    >>> device_type("command_detonated_ied", "ied").value
    'command_detonated_ied'
    >>> device_type(None, "submunition").value, device_type(None, "ied").value
    ('cluster_munition_remnant', 'unknown')
    >>> device_type(None, None).value
    'unknown'
    """
    if recorded:
        return CasualtyDeviceType(recorded)
    if category:
        return _FROM_CATEGORY[OrdnanceCategory(category)]
    return CasualtyDeviceType.UNKNOWN


def outcome_of(value: str | None) -> str:
    """``killed``, ``injured`` or ``unknown`` (nothing recorded is unknown, never injured).

    >>> outcome_of("killed"), outcome_of(None)
    ('killed', 'unknown')
    """
    return Outcome(value).value if value else Outcome.UNKNOWN.value


def disability_of(value: Any) -> str:
    """``yes``, ``no`` or ``unknown`` for a recorded disability flag.

    >>> disability_of(True), disability_of(False), disability_of(None)
    ('yes', 'no', 'unknown')
    """
    if value is None or value != value:
        return "unknown"
    return "yes" if bool(value) else "no"


@dataclass(frozen=True)
class Casualty:
    """One casualty as the Monitor counts it: every field a code, unknowns as ``unknown``
    (the year as None).

    Examples
    --------
    >>> c = Casualty.of(year=2024, victim_type=None, sex=None, age=7, outcome=None,
    ...                 device_type=None, device_category="ap_mine", disability=True)
    >>> c.category, c.sex, c.age_group, c.outcome, c.device_type, c.disability
    ('unknown', 'unknown', 'child', 'unknown', 'ap_mine', 'yes')
    """

    year: int | None
    category: str
    sex: str
    age_group: str
    outcome: str
    device_type: str
    disability: str

    @classmethod
    def of(
        cls,
        *,
        year: int | None,
        victim_type: str | None,
        sex: str | None,
        age: Any,
        outcome: str | None,
        device_type: str | None,
        device_category: str | None,
        disability: Any,
    ) -> Casualty:
        """A casualty from the stored values of a victim and its accident."""
        return cls(
            year=year,
            category=casualty_category(victim_type),
            sex=Sex(sex).value if sex else Sex.UNKNOWN.value,
            age_group=age_group(age),
            outcome=outcome_of(outcome),
            device_type=_device(device_type, device_category),
            disability=disability_of(disability),
        )


def _device(recorded: str | None, category: str | None) -> str:
    return device_type(recorded, category).value


def monitor_row_keys() -> tuple[str, ...]:
    """The columns of :func:`monitor_table`'s rows, in order (also the CSV header).

    >>> monitor_row_keys()[-4:]
    ('killed', 'injured', 'unknown', 'total')
    """
    return ("year", "dimension", "value", "killed", "injured", "unknown", "total")


def monitor_table(casualties: Iterable[Casualty]) -> list[dict[str, Any]]:
    """The yearly casualty table in the Monitor's shape: for each year (None: unknown, last),
    killed, injured, unknown and total for the recorded total, the mine/ERW total the
    Monitor publishes (all but command-detonated IEDs), and each value of each dimension
    (category, sex, age group, device type, disability), zeros included so that every
    year's breakdown adds up to its recorded total.

    Examples
    --------
    >>> rows = monitor_table([
    ...     Casualty(2024, "civilian", "female", "child", "killed", "ap_mine", "no"),
    ...     Casualty(2024, "unknown", "male", "adult", "unknown", "command_detonated_ied", "unknown"),
    ... ])
    >>> [(r["dimension"], r["value"], r["killed"], r["unknown"], r["total"]) for r in rows[:2]]
    [('total', 'recorded', 1, 1, 2), ('total', 'mine_erw', 1, 0, 1)]
    >>> [(r["value"], r["total"]) for r in rows if r["dimension"] == "category"]
    [('civilian', 1), ('security_forces', 0), ('non_state_armed_group', 0), ('deminer', 0),
     ('unknown', 1)]
    """
    counts: dict[int | None, Counter[tuple[str, str, str]]] = defaultdict(Counter)
    for c in casualties:
        tally = counts[c.year]
        scope = ["recorded"] + (
            ["mine_erw"] if CasualtyDeviceType(c.device_type) in MINE_ERW else []
        )
        for value in scope:
            tally["total", value, c.outcome] += 1
        for dimension in DIMENSIONS:
            tally[dimension, getattr(c, dimension), c.outcome] += 1
    rows: list[dict[str, Any]] = []
    for year in sorted(counts, key=lambda y: (y is None, y or 0)):
        cells = [("total", "recorded"), ("total", "mine_erw")] + [
            (d, v) for d, values in DIMENSIONS.items() for v in values
        ]
        for dimension, value in cells:
            by = {o: counts[year][dimension, value, o] for o in ("killed", "injured", "unknown")}
            rows.append(
                {"year": year, "dimension": dimension, "value": value, **by,
                 "total": sum(by.values())}
            )  # fmt: skip
    return rows


def shares_where_known(casualties: Iterable[Casualty]) -> dict[str, float | None]:
    """The Monitor's headline shares, each over the casualties for whom the value is known
    (None when none is): civilians among casualties of known category, children among
    civilian casualties of known age, women and girls among casualties of known sex.

    Examples
    --------
    >>> shares_where_known([
    ...     Casualty(2024, "civilian", "female", "child", "killed", "ap_mine", "no"),
    ...     Casualty(2024, "civilian", "male", "unknown", "killed", "ap_mine", "no"),
    ...     Casualty(2024, "deminer", "male", "adult", "injured", "ap_mine", "no"),
    ...     Casualty(2024, "unknown", "unknown", "child", "injured", "unknown", "unknown"),
    ... ])
    {'civilian': 0.6667, 'child_of_civilians': 1.0, 'female': 0.3333}
    """
    items = list(casualties)

    def share(known: list[Casualty], hit: int) -> float | None:
        return round(hit / len(known), 4) if known else None

    categorised = [c for c in items if c.category != "unknown"]
    civilians_aged = [c for c in items if c.category == "civilian" and c.age_group != "unknown"]
    sexed = [c for c in items if c.sex != "unknown"]
    return {
        "civilian": share(categorised, sum(c.category == "civilian" for c in categorised)),
        "child_of_civilians": share(
            civilians_aged, sum(c.age_group == "child" for c in civilians_aged)
        ),
        "female": share(sexed, sum(c.sex == "female" for c in sexed)),
    }
