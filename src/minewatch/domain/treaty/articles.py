"""The instruments the monitor follows and the provisions its rules implement, quoted
(:data:`ARTICLES`), so that a reader can check the arithmetic against the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Instrument(StrEnum):
    """The instruments the monitor follows.

    Examples
    --------
    >>> [i.value for i in Instrument]
    ['apmbc', 'ccw-ap2']
    """

    APMBC = "apmbc"
    CCW_AP2 = "ccw-ap2"


@dataclass(frozen=True)
class Article:
    """One provision, quoted, with where the quotation comes from.

    Examples
    --------
    >>> provision = article(Instrument.APMBC, "4")
    >>> provision.instrument, provision.ref
    (<Instrument.APMBC: 'apmbc'>, '4')
    """

    instrument: Instrument
    ref: str
    text: str
    source: str


_APMBC_TEXT = (
    "Convention on the Prohibition of the Use, Stockpiling, Production and Transfer of "
    "Anti-Personnel Mines and on their Destruction (Oslo, 18 September 1997), authentic English "
    "text as reproduced in the Dutch official treaty database (BWBV0001384)"
)
_CCW_TEXT = (
    "Convention on Certain Conventional Weapons (Geneva, 10 October 1980); French authentic text "
    "as published in the Swiss classified compilation SR 0.515.091; English fragment as quoted in "
    "the project's treaty reference"
)

#: The provisions the rules implement, quoted. Keys are ``"<instrument>:<article>"``.
ARTICLES: dict[str, Article] = {
    a.instrument.value + ":" + a.ref: a
    for a in (
        Article(
            Instrument.APMBC,
            "17(1)",
            "This Convention shall enter into force on the first day of the sixth month after "
            "the month in which the 40th instrument of ratification, acceptance, approval or "
            "accession has been deposited.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "17(2)",
            "For any State which deposits its instrument of ratification, acceptance, approval "
            "or accession after the date of the deposit of the 40th instrument of ratification, "
            "acceptance, approval or accession, this Convention shall enter into force on the "
            "first day of the sixth month after the date on which that State has deposited its "
            "instrument of ratification, acceptance, approval or accession.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "4",
            "Except as provided for in Article 3, each State Party undertakes to destroy or ensure "
            "the destruction of all stockpiled anti-personnel mines it owns or possesses, or that "
            "are under its jurisdiction or control, as soon as possible but not later than four "
            "years after the entry into force of this Convention for that State Party.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "5(1)",
            "… destroy … all anti-personnel mines in mined areas under its jurisdiction or "
            "control, as soon as possible but not later than ten years after the entry into "
            "force of this Convention for that State Party.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "5(3)",
            "If a State Party believes that it will be unable to … it may submit a request to a "
            "Meeting of the States Parties or a Review Conference for an extension of the "
            "deadline … for a period of up to ten years.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "7(1)",
            "Each State Party shall report to the Secretary-General of the United Nations as soon "
            "as practicable, and in any event not later than 180 days after the entry into force "
            "of this Convention for that State Party on: (a)…(i) …",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "7(2)",
            "The information provided in accordance with this Article shall be updated by the "
            "States Parties annually, covering the last calendar year, and reported to the "
            "Secretary-General of the United Nations not later than 30 April of each year.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "20(2)",
            "Each State Party shall, in exercising its national sovereignty, have the right to "
            "withdraw from this Convention. It shall give notice of such withdraw [sic] to all "
            "other States Parties, to the Depositary and to the United Nations Security Council. "
            "Such instrument of withdrawal shall include a full explanation of the reasons "
            "motivating this withdrawal.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "20(3)",
            "Such withdrawal shall only take effect six months after the receipt of the "
            "instrument of withdrawal by the Depositary. If, however, on the expiry of that "
            "six-month period, the withdrawing State Parties [sic] is engaged in an armed "
            "conflict, the withdrawal shall not take effect before the end of the armed conflict.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.CCW_AP2,
            "CCW 5(3)",
            "Chacun des Protocoles annexés à la présente Convention entrera en vigueur six mois "
            "après la date à laquelle vingt États auront notifié leur consentement à être liés "
            "par ce Protocole conformément aux dispositions du par. 3 ou du par. 4 de l'art. 4 "
            "de la présente Convention.",
            _CCW_TEXT,
        ),
        Article(
            Instrument.CCW_AP2,
            "CCW 5(4)",
            "[For a State notifying consent after twenty States have done so, the Protocol "
            "enters into force] six months after the date on which that State has notified its "
            "consent so to be bound.",
            _CCW_TEXT,
        ),
        Article(
            Instrument.CCW_AP2,
            "CCW 9(2)",
            "[Denunciation takes effect one year after receipt by the Depositary. If the "
            "denouncing Party is then engaged in a situation referred to in Article 1, it stays "
            "bound] until the end of the armed conflict or occupation and, in any case, until "
            "the termination of operations connected with the final release, repatriation or "
            "re-establishment of the person protected …",
            _CCW_TEXT,
        ),
    )
}


def article(instrument: Instrument, ref: str) -> Article:
    """The quoted provision ``ref`` of ``instrument`` (KeyError if not quoted here).

    Examples
    --------
    >>> article(Instrument.CCW_AP2, "CCW 9(2)").ref
    'CCW 9(2)'
    >>> article(Instrument.APMBC, "99")
    Traceback (most recent call last):
    ...
    KeyError: 'apmbc:99'
    """
    return ARTICLES[f"{instrument.value}:{ref}"]
