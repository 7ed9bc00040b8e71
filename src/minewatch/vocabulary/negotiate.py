"""Which language to answer in: the one a person chose (their account, a ``lang``
parameter), else the first shipped one the browser asks for (``Accept-Language``), else
the national default, else English.

>>> choose_locale(None, "de-CH, fr;q=0.8, en;q=0.5")     # no German catalogue
'fr'
>>> choose_locale("es", "fr"), choose_locale(None, None), choose_locale("", "*")
('es', 'en', 'en')
"""

from __future__ import annotations

from minewatch.vocabulary.catalogue import DEFAULT_LOCALE, normalise_locale


def accepted_languages(header: str | None) -> list[str]:
    """The language tags of an ``Accept-Language`` header, most wanted first.

    Examples
    --------
    >>> accepted_languages("uk-UA,uk;q=0.9,en-US;q=0.8,en;q=0.7")
    ['uk-UA', 'uk', 'en-US', 'en']
    >>> accepted_languages("fr;q=0, ar")
    ['ar']
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*" or len(tag) > 35:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def _shipped(tag: str | None) -> str | None:
    if not tag:
        return None
    code = normalise_locale(tag)
    if code != DEFAULT_LOCALE or tag.replace("-", "_").split("_")[0].lower() == DEFAULT_LOCALE:
        return code
    return None


def choose_locale(
    chosen: str | None, accept_language: str | None, default: str = DEFAULT_LOCALE
) -> str:
    """The shipped language to answer in.

    Examples
    --------
    >>> choose_locale(None, "ar-IQ,ar;q=0.9")
    'ar'
    >>> choose_locale("pt", "es-CO")     # Portuguese has no catalogue yet: the browser's next
    'es'
    """
    for tag in (chosen, *accepted_languages(accept_language)):
        code = _shipped(tag)
        if code is not None:
            return code
    return _shipped(default) or DEFAULT_LOCALE
