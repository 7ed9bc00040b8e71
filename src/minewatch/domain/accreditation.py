"""Accreditation rules (IMAS 07.30): which accredited methods an activity needs
(:func:`required_methods`), whether an accreditation is in force on a day
(:func:`in_force`), and what is wrong when an organisation holds none that covers an
activity (:func:`accreditation_problem`). Pure: the service
(:mod:`minewatch.services.accreditation`) reads the records and hands them here.

>>> from datetime import date
>>> acr = Accreditation(organisation_code="ORG-000002", methods=(ActivityMethod.MANUAL,),
...                     valid_from=date(2024, 1, 1), valid_until=date(2024, 12, 31))
>>> accreditation_problem("ORG-000002", ActivityType.CLEARANCE, ActivityMethod.MANUAL,
...                       date(2024, 6, 1), [acr]) is None
True
>>> str(accreditation_problem("ORG-000002", ActivityType.CLEARANCE, ActivityMethod.MANUAL,
...                           date(2025, 2, 1), [acr]))
'ORG-000002 holds no accreditation valid on 2025-02-01 for manual (ACR: expired 2024-12-31)'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from minewatch.domain.records import (
    Accreditation,
    AccreditationStatus,
    ActivityMethod,
    ActivityType,
    ProductType,
)
from minewatch.domain.text import Message, Sentences, Term, Terms

#: The methods survey and clearance are done by in the field.
FIELD_METHODS = frozenset(
    {ActivityMethod.MANUAL, ActivityMethod.MECHANICAL, ActivityMethod.ANIMAL_DETECTION}
)

#: What each activity type needs whatever its method.
_TYPE_NEEDS: dict[ActivityType, frozenset[ActivityMethod]] = {
    ActivityType.NON_TECHNICAL_SURVEY: frozenset({ActivityMethod.NON_TECHNICAL_SURVEY}),
    ActivityType.TECHNICAL_SURVEY: frozenset({ActivityMethod.TECHNICAL_SURVEY}),
    ActivityType.EOD_SPOT_TASK: frozenset({ActivityMethod.EOD}),
}

#: The activity type a product's type implies when its activity is not known.
PRODUCT_ACTIVITY: dict[ProductType, ActivityType] = {
    ProductType.CANCELLED: ActivityType.NON_TECHNICAL_SURVEY,
    ProductType.REDUCED: ActivityType.TECHNICAL_SURVEY,
    ProductType.CLEARED: ActivityType.CLEARANCE,
}


def required_methods(
    activity_type: ActivityType | None, method: ActivityMethod | None
) -> list[frozenset[ActivityMethod]]:
    """What an activity needs, as sets of which the organisation must be accredited for at
    least one method each: non-technical survey, technical survey and EOD need that
    capability; a field method (manual, mechanical, animal detection) or EOD named as the
    method needs that method too; clearance by a combined, unstated or other method needs
    one of the field methods, since the record does not say which.

    Examples
    --------
    >>> needs = required_methods(ActivityType.TECHNICAL_SURVEY, ActivityMethod.MECHANICAL)
    >>> [sorted(m.value for m in s) for s in needs]
    [['technical_survey'], ['mechanical']]
    >>> [sorted(m.value for m in s) for s in required_methods(ActivityType.CLEARANCE, None)]
    [['animal_detection', 'manual', 'mechanical']]
    >>> required_methods(ActivityType.NON_TECHNICAL_SURVEY, ActivityMethod.DESK)
    [frozenset({<ActivityMethod.NON_TECHNICAL_SURVEY: 'non_technical_survey'>})]
    """
    needs: list[frozenset[ActivityMethod]] = []
    if activity_type in _TYPE_NEEDS:
        needs.append(_TYPE_NEEDS[activity_type])
    if method in FIELD_METHODS or method in (
        ActivityMethod.EOD,
        ActivityMethod.NON_TECHNICAL_SURVEY,
        ActivityMethod.TECHNICAL_SURVEY,
    ):
        needs.append(frozenset({method}))
    elif activity_type is ActivityType.CLEARANCE:
        needs.append(FIELD_METHODS)
    return list(dict.fromkeys(needs))


def in_force(accreditation: Accreditation, day: date) -> bool:
    """Whether ``accreditation`` is granted and ``day`` falls between its dates (both
    included; a missing start or end date leaves that side open).

    >>> acr = Accreditation(valid_from=date(2024, 1, 1), valid_until=date(2024, 12, 31))
    >>> in_force(acr, date(2024, 12, 31)), in_force(acr, date(2025, 1, 1))
    (True, False)
    """
    if accreditation.status is not AccreditationStatus.GRANTED:
        return False
    if accreditation.valid_from is not None and day < accreditation.valid_from:
        return False
    return accreditation.valid_until is None or day <= accreditation.valid_until


def _why_not(accreditation: Accreditation, day: date) -> Message:
    code = accreditation.code or "ACR"
    if accreditation.status is not AccreditationStatus.GRANTED:
        return Message("{code}: {status}", code=code, status=Term.of(accreditation.status))
    if accreditation.valid_from is not None and day < accreditation.valid_from:
        return Message("{code}: valid from {date}", code=code, date=accreditation.valid_from)
    return Message("{code}: expired {date}", code=code, date=accreditation.valid_until)


def accreditation_problem(
    organisation_code: str | None,
    activity_type: ActivityType | None,
    method: ActivityMethod | None,
    day: date | None,
    accreditations: Iterable[Accreditation],
) -> Message | None:
    """Why ``organisation_code``'s ``accreditations`` do not cover an activity of this type
    and method on ``day``, or None when they do (or when it needs no accreditation). The
    message names what is missing and, for each accreditation that would have covered it,
    why it does not count (suspended, withdrawn, not yet valid, expired); the methods and
    statuses are kept as codes for the reader's language to name them.

    Examples
    --------
    >>> eod = Accreditation(code="ACR-000001", organisation_code="ORG-000002",
    ...                     methods=(ActivityMethod.EOD,), status=AccreditationStatus.SUSPENDED)
    >>> str(accreditation_problem("ORG-000002", ActivityType.EOD_SPOT_TASK, None,
    ...                           date(2024, 1, 1), [eod]))
    'ORG-000002 holds no accreditation valid on 2024-01-01 for EOD (ACR-000001: suspended)'
    >>> str(accreditation_problem(None, ActivityType.CLEARANCE, None, date(2024, 1, 1), []))
    'no organisation is recorded, so its accreditation cannot be checked'
    """
    needs = required_methods(activity_type, method)
    if not needs:
        return None
    if not organisation_code:
        return Message("no organisation is recorded, so its accreditation cannot be checked")
    if day is None:
        return Message("the activity has no date, so its accreditation cannot be checked")
    own = [a for a in accreditations if a.organisation_code == organisation_code]
    missing: list[frozenset[ActivityMethod]] = []
    reasons: list[Message] = []
    for need in needs:
        if any(in_force(a, day) and need & set(a.methods) for a in own):
            continue
        missing.append(need)
        reasons += [_why_not(a, day) for a in own if need & set(a.methods)]
    if not missing:
        return None
    what = Terms(tuple(Terms(_method_terms(sorted(need)), "or") for need in missing), "and")
    values = {"organisation": organisation_code, "date": day, "methods": what}
    if reasons:
        why = Sentences.of(dict.fromkeys(reasons))
        return Message(
            "{organisation} holds no accreditation valid on {date} for {methods} ({reasons})",
            reasons=why,
            **values,
        )
    return Message("{organisation} holds no accreditation valid on {date} for {methods}", **values)


def _method_terms(methods: Sequence[ActivityMethod]) -> tuple[Term, ...]:
    english = {
        ActivityMethod.EOD: "EOD",
        ActivityMethod.NON_TECHNICAL_SURVEY: "non-technical survey",
        ActivityMethod.TECHNICAL_SURVEY: "technical survey",
    }
    return tuple(Term.of(m, english.get(m, "")) for m in methods)
