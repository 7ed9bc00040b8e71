"""The vocabulary over HTTP: labels of every stored code, field and unit, and every message
of the interface, in one language (``GET /api/vocabulary?lang=fr``), for the web pages'
``i18n.ts``. Without ``lang`` the language is the one the signed-in user chose in their
account, else the one the browser asks for (``Accept-Language``), else the national
default, else English.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from minewatch.api.deps import Context, CurrentActor
from minewatch.api.language import request_locale
from minewatch.vocabulary import vocabulary_document

router = APIRouter(prefix="/api", tags=["vocabulary"])


@router.get("/vocabulary", summary="Labels and interface messages in one language")
def vocabulary(
    request: Request,
    response: Response,
    ctx: Context,
    actor: CurrentActor,
    lang: Annotated[
        str | None,
        Query(max_length=35, description="a language tag (fr, es-CO); default: the browser's"),
    ] = None,
) -> dict[str, Any]:
    """Every label and message in the shipped language closest to ``lang`` (English when
    none is), with its writing direction and the area unit the national configuration
    chose (``large_area_unit``: above one hectare, areas are shown in ``ha`` or ``km2``)."""
    display = ctx.configuration.national.display
    locale = request_locale(request, lang)  # after ``actor``: the account's language counts
    document = vocabulary_document(locale)
    document["large_area_unit"] = display.large_area_unit
    response.headers["Vary"] = "Accept-Language, Cookie"
    response.headers["Content-Language"] = document["locale"]
    return document
