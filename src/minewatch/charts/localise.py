"""Charts in one language: the fonts for its script, its numbers on the axes, and the same for
plotly's offline HTML. Titles, axis names and legends are catalogue messages, translated by
each chart with :func:`minewatch.vocabulary.translate`.

>>> separators("fr"), separators("en"), separators("uk")
(',\\u202f', '.,', ',\\xa0')
>>> plotly_layout("ar")["font"]["family"].split(",")[0]
'"Noto Sans Arabic"'
"""

from __future__ import annotations

from typing import Any

from minewatch.charts.fonts import css_font_stack, use_in_matplotlib
from minewatch.vocabulary import normalise_locale
from minewatch.vocabulary.formats import format_number


def start_chart(locale: str | None) -> str:
    """Ready matplotlib for a chart in ``locale`` (the bundled fonts, that script's first);
    returns the shipped language the chart is drawn in."""
    code = normalise_locale(locale)
    use_in_matplotlib(code)
    return code


def number_ticks(ax: Any, locale: str | None, axes: str = "y", digits: int = 2) -> None:
    """Tick labels of ``ax``'s numeric ``axes`` ("x", "y" or "xy") as the language writes
    numbers (``1 234,5`` in French)."""
    from matplotlib.ticker import FuncFormatter

    code = normalise_locale(locale)
    formatter = FuncFormatter(lambda value, _: format_number(value, code, digits))
    for name in axes:
        getattr(ax, f"{name}axis").set_major_formatter(formatter)


def separators(locale: str | None) -> str:
    """plotly's ``separators``: the language's decimal sign, then its group separator."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    code = normalise_locale(locale)
    return get_decimal_symbol(code) + get_group_symbol(code)


def plotly_layout(locale: str | None) -> dict[str, Any]:
    """The layout settings that put a plotly figure in ``locale``: fonts and numbers."""
    return {"font": {"family": css_font_stack(locale)}, "separators": separators(locale)}
