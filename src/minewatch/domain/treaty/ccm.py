"""The Convention on Cluster Munitions (CCM, Dublin 2008) and CCW Protocol V (explosive
remnants of war, Geneva 2003) as rules of dates: entry into force (CCM Art. 17; Protocol V by
CCW Art. 5(3)-(4)), stockpile destruction (CCM Art. 3: eight years, extensions of up to four
years each), clearance of cluster munition remnants (CCM Art. 4: ten years from entry into
force, or from the end of the active hostilities that left new remnants; extensions of up to
five years each) and the transparency reports (CCM Art. 7: 180 days, then every 30 April).

Each rule quotes its provision (:data:`CCM_ARTICLES`). **No participation data backs these
rules yet**: the depositary's status pages for the CCM (chapter XXVI-6) and Protocol V
(XXVI-2-d) are not among the saved pages, so the monitor's queries, counts and charts do not
include the two instruments; the rules are tested on synthetic inputs only.

>>> ccm_state_entry_into_force(date(2012, 10, 8), threshold=date(2010, 2, 16))  # synthetic
datetime.date(2013, 4, 1)
>>> ccm_stockpile_deadline(date(2013, 4, 1)), ccm_clearance_deadline(date(2013, 4, 1))
(datetime.date(2021, 4, 1), datetime.date(2023, 4, 1))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from minewatch.domain.treaty.dates import add_months, first_day_of_sixth_month_after

#: Where the quoted CCM text comes from.
CCM_TEXT = (
    "Convention on Cluster Munitions (Dublin, 30 May 2008), authentic English text as "
    "reproduced in the Dutch official treaty database (BWBV0003143)"
)


@dataclass(frozen=True)
class CcmArticle:
    """One CCM provision, quoted.

    >>> CCM_ARTICLES["3(2)"].text[:30]
    'Each State Party undertakes to'
    """

    ref: str
    text: str
    source: str = CCM_TEXT


#: The provisions the rules implement, quoted, keyed by article reference.
CCM_ARTICLES: dict[str, CcmArticle] = {
    a.ref: a
    for a in (
        CcmArticle(
            "17(1)",
            "This Convention shall enter into force on the first day of the sixth month after "
            "the month in which the thirtieth instrument of ratification, acceptance, approval "
            "or accession has been deposited.",
        ),
        CcmArticle(
            "17(2)",
            "For any State that deposits its instrument of ratification, acceptance, approval or "
            "accession after the date of the deposit of the thirtieth instrument of "
            "ratification, acceptance, approval or accession, this Convention shall enter into "
            "force on the first day of the sixth month after the date on which that State has "
            "deposited its instrument …",
        ),
        CcmArticle(
            "3(2)",
            "Each State Party undertakes to destroy or ensure the destruction of all cluster "
            "munitions referred to in paragraph 1 of this Article as soon as possible but not "
            "later than eight years after the entry into force of this Convention for that "
            "State Party.",
        ),
        CcmArticle(
            "3(3)",
            "… it may submit a request to a Meeting of States Parties or a Review Conference "
            "for an extension of the deadline for completing the destruction of such cluster "
            "munitions by a period of up to four years. A State Party may, in exceptional "
            "circumstances, request additional extensions of up to four years.",
        ),
        CcmArticle(
            "4(1)(a)",
            "Where cluster munition remnants are located in areas under its jurisdiction or "
            "control at the date of entry into force of this Convention for that State Party, "
            "such clearance and destruction shall be completed as soon as possible but not "
            "later than ten years from that date;",
        ),
        CcmArticle(
            "4(1)(b)",
            "Where, after entry into force of this Convention for that State Party, cluster "
            "munitions have become cluster munition remnants located in areas under its "
            "jurisdiction or control, such clearance and destruction must be completed as soon "
            "as possible but not later than ten years after the end of the active hostilities "
            "during which such cluster munitions became cluster munition remnants;",
        ),
        CcmArticle(
            "4(5)",
            "… it may submit a request to a Meeting of States Parties or a Review Conference "
            "for an extension of the deadline for completing the clearance and destruction of "
            "such cluster munition remnants by a period of up to five years.",
        ),
        CcmArticle(
            "4(8)",
            "Such an extension may be renewed by a period of up to five years upon the "
            "submission of a new request …",
        ),
        CcmArticle(
            "7(1)",
            "Each State Party shall report to the Secretary-General of the United Nations as "
            "soon as practicable, and in any event not later than 180 days after the entry into "
            "force of this Convention for that State Party, on: …",
        ),
        CcmArticle(
            "7(2)",
            "The information provided in accordance with paragraph 1 of this Article shall be "
            "updated by the States Parties annually, covering the previous calendar year, and "
            "reported to the Secretary-General of the United Nations not later than 30 April of "
            "each year.",
        ),
    )
}

#: The CCM's own threshold (Art. 17(1)).
CCM_THRESHOLD = 30
#: Longest single extension, in years: stockpiles (Art. 3(3)) and clearance (Art. 4(5), 4(8)).
MAX_EXTENSION_YEARS = {"stockpile": 4, "clearance": 5}


def ccm_entry_into_force(thirtieth_deposit: date) -> date:
    """Art. 17(1): the Convention's own entry into force, from the 30th instrument's deposit.

    >>> ccm_entry_into_force(date(2010, 2, 16))   # synthetic input
    datetime.date(2010, 8, 1)
    """
    return first_day_of_sixth_month_after(thirtieth_deposit)


def ccm_state_entry_into_force(deposit: date, threshold: date) -> date:
    """Art. 17: entry into force for a state that deposited on ``deposit``; ``threshold`` is
    the date of the 30th instrument (deposits up to it take the Convention's own date).

    >>> ccm_state_entry_into_force(date(2009, 4, 2), threshold=date(2010, 2, 16))  # synthetic
    datetime.date(2010, 8, 1)
    """
    return first_day_of_sixth_month_after(max(deposit, threshold))


def protocol_v_state_entry_into_force(consent: date, threshold: date) -> date:
    """CCW Art. 5(3)-(4), which governs every CCW protocol: six months after the 20th consent
    for those notified by then, else six months after the state's own notification.

    >>> protocol_v_state_entry_into_force(date(2008, 6, 6), date(2006, 5, 12))  # synthetic
    datetime.date(2008, 12, 6)
    """
    return add_months(max(consent, threshold), 6)


def ccm_stockpile_deadline(entry_into_force: date) -> date:
    """Art. 3(2): stockpiles destroyed within eight years of entry into force.

    >>> ccm_stockpile_deadline(date(2010, 8, 1))
    datetime.date(2018, 8, 1)
    """
    return add_months(entry_into_force, 96)


def ccm_clearance_deadline(entry_into_force: date, hostilities_ended: date | None = None) -> date:
    """Art. 4(1): remnants present at entry into force cleared within ten years of it (a);
    remnants left by hostilities after it, within ten years of their end (b) — pass
    ``hostilities_ended`` for those.

    >>> ccm_clearance_deadline(date(2010, 8, 1))
    datetime.date(2020, 8, 1)
    >>> ccm_clearance_deadline(date(2010, 8, 1), hostilities_ended=date(2016, 3, 31))
    datetime.date(2026, 3, 31)
    """
    return add_months(hostilities_ended or entry_into_force, 120)


def ccm_initial_report_due(entry_into_force: date) -> date:
    """Art. 7(1): the initial report within 180 days of entry into force.

    >>> ccm_initial_report_due(date(2010, 8, 1))
    datetime.date(2011, 1, 28)
    """
    return entry_into_force + timedelta(days=180)


def ccm_annual_report_due(covered_year: int) -> date:
    """Art. 7(2): the update covering ``covered_year`` is due on 30 April of the next year.

    >>> ccm_annual_report_due(2025)
    datetime.date(2026, 4, 30)
    """
    return date(covered_year + 1, 4, 30)


def check_extension(kind: str, current_deadline: date, new_deadline: date) -> None:
    """Refuse an extension the Convention does not allow: later than the deadline it extends
    by more than four years (stockpiles, Art. 3(3)) or five (clearance, Art. 4(5), 4(8)).

    >>> check_extension("clearance", date(2020, 8, 1), date(2025, 8, 1))
    >>> check_extension("stockpile", date(2018, 8, 1), date(2023, 8, 1))
    Traceback (most recent call last):
    ...
    ValueError: a stockpile extension may add at most 4 years (CCM Art. 3(3)): 2018-08-01 to 2023-08-01
    """
    years = MAX_EXTENSION_YEARS[kind]
    where = "3(3)" if kind == "stockpile" else "4(5)"
    if not current_deadline < new_deadline <= add_months(current_deadline, 12 * years):
        raise ValueError(
            f"a {kind} extension may add at most {years} years (CCM Art. {where}): "
            f"{current_deadline} to {new_deadline}"
        )
