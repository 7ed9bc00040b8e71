"""Query parameters the REST and OGC item listings share: bbox, datetime and paging links.

>>> parse_bbox("30,50,31,51")
(30.0, 50.0, 31.0, 51.0)
>>> parse_interval("2024-01-01/..")
(datetime.date(2024, 1, 1), None)
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator
from starlette.datastructures import URL

from minewatch.api.errors import HttpProblem

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic alone reads a number such as ``date=0`` as a Unix time
    (1970-01-01), which the OpenAPI document's ``format: date`` does not allow."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


#: A day in a query parameter, as the document says (``format: date``).
Day = Annotated[date, BeforeValidator(_iso_day)]

_NUMBER = r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*"
#: A bbox as the OpenAPI document states it: four or six numbers separated by commas (their
#: order and range are checked by :func:`parse_bbox`).
BBOX_PATTERN = rf"^{_NUMBER}(,{_NUMBER}){{3}}(,{_NUMBER},{_NUMBER})?$"


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``minx,miny,maxx,maxy`` (or the six numbers of a 3-D box); 400 if malformed."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise HttpProblem(400, "bbox {text!r} is not a list of numbers", text=text) from None
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise HttpProblem(400, "bbox needs four finite numbers: minx,miny,maxx,maxy")
    minx, miny, maxx, maxy = values
    if miny > maxy:
        raise HttpProblem(400, "bbox has its lower edge above its upper edge")
    if minx > maxx:
        raise HttpProblem(400, "bbox crossing the antimeridian is not supported: ask twice")
    return (minx, miny, maxx, maxy)


def _day(text: str) -> date | None:
    text = text.strip()
    if text in ("", ".."):
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise HttpProblem(
            400, "datetime {text!r} is not an RFC 3339 date or date-time", text=text
        ) from None


def parse_interval(text: str) -> tuple[date | None, date | None]:
    """An RFC 3339 instant or ``start/end`` interval (either end open as ``..``), as the
    first and last day it covers."""
    if "/" in text:
        start, end = text.split("/", 1)
        first, last = _day(start), _day(end)
        if first and last and first > last:
            raise HttpProblem(400, "datetime interval ends before it starts")
        return first, last
    day = _day(text)
    if day is None:
        raise HttpProblem(400, "datetime needs a date or an interval")
    return day, day


def page_links(
    url: URL, offset: int, limit: int, returned: int, matched: int, media_type: str
) -> list[dict[str, Any]]:
    """self, next and prev links for a page, keeping every other query parameter."""
    links = [{"href": str(url), "rel": "self", "type": media_type, "title": "this page"}]
    if offset + returned < matched:
        nxt = url.include_query_params(offset=offset + limit, limit=limit)
        links.append({"href": str(nxt), "rel": "next", "type": media_type, "title": "next page"})
    if offset > 0:
        prev = url.include_query_params(offset=max(0, offset - limit), limit=limit)
        links.append(
            {"href": str(prev), "rel": "prev", "type": media_type, "title": "previous page"}
        )
    return links
