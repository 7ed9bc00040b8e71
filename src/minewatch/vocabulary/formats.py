"""Numbers, dates and areas as a language writes them (Babel and CLDR), for what the
Python side draws and prints: CLI tables, charts, statements. The web pages do the same
with the browser's ``Intl`` (``web/src/i18n.ts``). Dates are ISO (``2024-05-01``) unless
a long form is asked for.

>>> format_number(1234567.891, "fr"), format_number(1234567.891, "en")
('1\u202f234\u202f567,89', '1,234,567.89')
>>> format_area(25_000, "en"), format_area(25_000, "fr", large_unit="km2")
('2.5\xa0ha', '0,02\xa0km²')
"""

from __future__ import annotations

from datetime import date, datetime

from minewatch.vocabulary.catalogue import normalise_locale
from minewatch.vocabulary.labels import unit_label


def format_number(value: float | int | None, locale: str | None = None, digits: int = 2) -> str:
    """``value`` with the language's digits grouping and decimal sign, at most ``digits``
    decimals (empty for None).

    Examples
    --------
    >>> format_number(0.5, "ar"), format_number(None, "en"), format_number(3, "uk")
    ('0.5', '', '3')
    """
    if value is None:
        return ""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=normalise_locale(locale))


def format_date(
    value: date | datetime | str | None, locale: str | None = None, style: str = "iso"
) -> str:
    """A date: ISO ``yyyy-mm-dd`` by default, or the language's ``long`` form.

    Examples
    --------
    >>> format_date(date(2024, 5, 1)), format_date(date(2024, 5, 1), "fr", "long")
    ('2024-05-01', '1 mai 2024')
    >>> format_date("2024-05-01T10:00:00+00:00", "uk", "long")
    '1 травня 2024\u202fр.'
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    day = value.date() if isinstance(value, datetime) else value
    if style == "iso":
        return day.isoformat()
    from babel.dates import format_date as babel_date

    return babel_date(day, format=style, locale=normalise_locale(locale))


def format_area(m2: float | None, locale: str | None = None, large_unit: str = "ha") -> str:
    """An area given in m²: m² below one hectare, then hectares or km² (``large_unit``, the
    national configuration's ``display.large_area_unit``).

    Examples
    --------
    >>> format_area(950.4, "en"), format_area(1_520_000, "en", large_unit="km2")
    ('950\xa0m²', '1.52\xa0km²')
    """
    if m2 is None:
        return ""
    from babel.numbers import format_decimal

    code = normalise_locale(locale)
    if abs(m2) < 1e4:
        number, unit = format_decimal(round(m2), format="#,##0", locale=code), "m2"
    elif large_unit == "km2":
        number, unit = format_decimal(m2 / 1e6, format="#,##0.00", locale=code), "km2"
    else:
        number, unit = format_decimal(m2 / 1e4, format="#,##0.0", locale=code), "ha"
    return f"{number}\xa0{unit_label(unit, code)}"  # a no-break space: never wrapped apart
