"""Treaty rules as pure functions of dates: the Anti-Personnel Mine Ban Convention (APMBC,
"Ottawa Convention") and Amended Protocol II to the Convention on Certain Conventional Weapons
(CCW AP II).

Each rule cites its article and quotes the text it implements (:data:`ARTICLES`), so that a
reader can check the arithmetic against the words. Facts (who deposited what, when; who
withdrew; extension decisions; whether a state was engaged in an armed conflict) come in as
data with their sources: nothing here knows any state. What no rule can compute, such as the
date of effect of a notification of succession, is taken as a sourced fact or left unknown.

Where things are: :mod:`.articles` (the instruments and the quoted provisions), :mod:`.dates`
(calendar arithmetic), :mod:`.entry_into_force`, :mod:`.deadlines` (APMBC Arts. 4, 5 and 7),
:mod:`.withdrawal`, :mod:`.status` (participation, timeline, status on a date),
:mod:`.counts` (states parties over time) and :mod:`.groups` (dated memberships of groupings). The names below are the package's public interface,
imported from here.

>>> from datetime import date
>>> apmbc_state_entry_into_force(date(2025, 3, 12), threshold=date(1998, 9, 16))
datetime.date(2025, 9, 1)
>>> add_months(date(1999, 3, 31), 6)  # month-end: clamped to the last day (see docs)
datetime.date(1999, 9, 30)
"""

from minewatch.domain.treaty.articles import ARTICLES, Article, Instrument, article
from minewatch.domain.treaty.counts import CountDefinition, count_parties
from minewatch.domain.treaty.dates import add_months, first_day_of_sixth_month_after
from minewatch.domain.treaty.deadlines import (
    ClearanceCompletion,
    ClearanceExtension,
    annual_report_due,
    annual_report_owed,
    clearance_completion,
    clearance_deadline,
    initial_report_due,
    original_clearance_deadline,
    stockpile_deadline,
)
from minewatch.domain.treaty.entry_into_force import (
    THRESHOLD_TYPES,
    THRESHOLDS,
    ConsentType,
    EntryIntoForce,
    apmbc_state_entry_into_force,
    ccw_state_entry_into_force,
    entry_into_force_article,
    entry_into_force_provision,
    instrument_entry_into_force,
    state_entry_into_force,
    threshold_from_entry_into_force,
)
from minewatch.domain.treaty.groups import Membership, period_bounds
from minewatch.domain.treaty.status import (
    Communication,
    Participation,
    Status,
    StatusKind,
    Timeline,
    Withdrawal,
    build_timeline,
    not_a_participant,
    status_on,
)
from minewatch.domain.treaty.withdrawal import (
    ArmedConflictFact,
    ConditionAssessment,
    WithdrawalEffect,
    withdrawal_effect,
)

__all__ = [
    "ARTICLES",
    "THRESHOLDS",
    "THRESHOLD_TYPES",
    "ArmedConflictFact",
    "Article",
    "ClearanceCompletion",
    "ClearanceExtension",
    "Communication",
    "ConditionAssessment",
    "ConsentType",
    "CountDefinition",
    "EntryIntoForce",
    "Instrument",
    "Membership",
    "Participation",
    "Status",
    "StatusKind",
    "Timeline",
    "Withdrawal",
    "WithdrawalEffect",
    "add_months",
    "annual_report_due",
    "annual_report_owed",
    "apmbc_state_entry_into_force",
    "article",
    "build_timeline",
    "ccw_state_entry_into_force",
    "clearance_completion",
    "clearance_deadline",
    "count_parties",
    "entry_into_force_article",
    "entry_into_force_provision",
    "first_day_of_sixth_month_after",
    "initial_report_due",
    "instrument_entry_into_force",
    "not_a_participant",
    "original_clearance_deadline",
    "period_bounds",
    "state_entry_into_force",
    "status_on",
    "stockpile_deadline",
    "threshold_from_entry_into_force",
    "withdrawal_effect",
]
