"""Nothing minewatch serves makes a browser reach another host (issue 13, point 6): mine
action centres run it on networks with no internet, where such a request hangs or fails and
leaves a blank or broken page.

What is checked: every page of the built web UI and every file beside it, /api/docs and its
Swagger UI files, the OpenAPI document, the HTML maps and release statements the API
generates (over a synthetic demo store), and the documentation site as ``mkdocs build``
makes it. What counts: an address on another host (``http://``, ``https://`` or ``//``) that
the browser FETCHES by itself:

- HTML: ``src``/``srcset``/``poster``/``data`` of elements that load something, ``<link
  href>`` unless its ``rel`` only names a relation (canonical, license, ...), SVG ``<use>``/
  ``<image>``, ``<base href>``, ``<meta http-equiv=refresh>``; inline ``style`` attributes,
  ``<style>`` and ``<script>`` bodies by the rules below. ``<a href>`` is a link a person may
  click, so it is not a fetch (a page that says where a standard lives is fine).
- CSS (comments removed): ``url(...)`` and ``@import``.
- JavaScript: ``import``/``export ... from``, ``import()``, ``fetch()``, ``importScripts()``,
  ``new Worker()``/``SharedWorker``/``EventSource``/``WebSocket``, ``XMLHttpRequest.open``,
  ``sendBeacon``, assignments to ``.src``, options named ``...Url``/``...URL`` (defaults a
  library fetches, e.g. Swagger UI's validator), map style ``tiles``/``glyphs``/``sprite``,
  HTML written from a string (``<script src=`` ...), CSS ``url()`` in strings. Other strings
  (XML namespaces, JSON-schema ids, licence banners, error-help links) are not fetches.

Every hit must be in ALLOWED, which says why the browser never makes that request. The
Chromium test (tests/e2e/test_api_docs_offline.py) complements this by watching the requests
a real browser makes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from minewatch.api.app import create_app, default_static_dir
from minewatch.domain.access import local_admin
from minewatch.services.accounts import Accounts, actor_of
from minewatch.services.context import open_context
from minewatch.services.demo import load_demo

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = r"(?:https?:|wss?:)?//"  # an address on another host, scheme-relative included

# --- what a browser fetches -------------------------------------------------------------

#: Attributes whose URL the browser loads as soon as the element is in the page.
LOADS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "base": ("href",),
}
#: <link rel> values that only name a relation; any other rel (stylesheet, icon, preload,
#: modulepreload, manifest, preconnect, prefetch, ...) makes the browser connect.
RELATIONS_ONLY = {"canonical", "alternate", "author", "license", "help", "bookmark", "me"}
Q = r"""["'`]"""
JS_FETCHES = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in [
        ("import", rf"\bimport\s*\(?\s*{Q}({OUTSIDE}[^\"'`\s]*)"),
        ("import from", rf"\bfrom\s*{Q}({OUTSIDE}[^\"'`\s]*)"),
        (
            "fetch/importScripts/Worker/EventSource/WebSocket/sendBeacon",
            r"\b(?:fetch|importScripts|Worker|EventSource|WebSocket|sendBeacon)\s*\(\s*"
            rf"{Q}({OUTSIDE}[^\"'`\s]*)",
        ),
        ("XMLHttpRequest.open", rf"\.open\(\s*{Q}\w+{Q}\s*,\s*{Q}({OUTSIDE}[^\"'`\s]*)"),
        ("assignment to .src", rf"\.src\s*=\s*{Q}({OUTSIDE}[^\"'`\s]*)"),
        ("option named ...url", rf"\b\w*url\s*[:=]\s*{Q}({OUTSIDE}[^\"'`\s]*)"),
        (
            "map style tiles/glyphs/sprite",
            rf"\b(?:tiles|glyphs|sprite)[\"']?\s*:\s*\[?\s*{Q}({OUTSIDE}[^\"'`\s]*)",
        ),
        (
            "HTML in a string",
            rf"<(?:script|img|iframe|source|link|video|audio|embed)\b[^>]*?\b(?:src|href)\s*="
            rf"\s*\\?[\"']?({OUTSIDE}[^\"'`\s>\\]*)",
        ),
        ("CSS url() in a string", rf"url\(\s*\\?[\"']?({OUTSIDE}[^\"'`\s)\\]*)"),
    ]
]
CSS_FETCHES = [
    ("url()", re.compile(rf"url\(\s*[\"']?({OUTSIDE}[^\"')\s]*)", re.IGNORECASE)),
    ("@import", re.compile(rf"@import\s+[\"']({OUTSIDE}[^\"']*)", re.IGNORECASE)),
]
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
Hit = tuple[str, str]  # (how it is fetched, the address)


def is_outside(url: str) -> bool:
    return re.match(rf"\s*{OUTSIDE}", url, re.IGNORECASE) is not None


def css_fetches(text: str) -> list[Hit]:
    text = CSS_COMMENT.sub("", text)
    return [(f"CSS {how}", m.group(1)) for how, rx in CSS_FETCHES for m in rx.finditer(text)]


def js_fetches(text: str) -> list[Hit]:
    return [(f"JS {how}", m.group(1)) for how, rx in JS_FETCHES for m in rx.finditer(text)]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hits: list[Hit] = []
        self.local: list[str] = []  # same-host addresses the page loads
        self._body: str | None = None  # "css", "js" or "json" inside <style>/<script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        urls = [(f"<{tag} {name}>", a[name]) for name in LOADS.get(tag, ()) if name in a]
        rel = set(a.get("rel", "").lower().split())
        if tag == "link" and "href" in a and not rel <= RELATIONS_ONLY:
            urls.append((f"<link rel={a.get('rel')}>", a["href"]))
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            urls.append(("<meta refresh>", a.get("content", "").partition("url=")[2]))
        for how, value in urls:
            # srcset: "a.png 1x, b.png 2x"
            for url in value.split(",") if "srcset" in how else [value]:
                url = url.strip().split(" ")[0] if "srcset" in how else url.strip()
                if is_outside(url):
                    self.hits.append((how, url))
                elif url and not url.startswith(("data:", "blob:", "#", "javascript:")):
                    self.local.append(url)
        if "style" in a:
            self.hits += css_fetches(a["style"])
        if tag == "style":
            self._body = "css"
        elif tag == "script" and "src" not in a:
            kind = a.get("type", "").lower()
            self._body = "json" if "json" in kind and kind != "importmap" else "js"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._body = None

    def handle_data(self, data: str) -> None:
        if self._body == "css":
            self.hits += css_fetches(data)
        elif self._body == "js":
            self.hits += js_fetches(data)


def page_fetches(html: str) -> tuple[list[Hit], list[str]]:
    """What the HTML page ``html`` fetches from other hosts, and what from its own."""
    parser = _Page()
    parser.feed(html)
    parser.close()
    return parser.hits, parser.local


def fetches(name: str, text: str) -> list[Hit]:
    """The outside addresses a file of this name makes a browser fetch."""
    suffix = Path(urlsplit(name).path).suffix.lower()
    if suffix in {".html", ".htm", ""} and text.lstrip()[:15].lower().startswith(
        ("<!doctype", "<html", "<head", "<meta")
    ):
        return page_fetches(text)[0]
    if suffix == ".css":
        return css_fetches(text)
    if suffix in {".js", ".mjs"}:
        return js_fetches(text)
    return []


# --- what may appear, and why the browser never asks for it -------------------------------

SWAGGER = r"(^|/)swagger-ui-bundle\.js$"
PLOTLY = r"^/api/priority/(ranking|grid)\.html$"  # plotly.js inlined: offline HTML maps
#: (file, address, why the browser never asks for it); file and address are patterns.
ALLOWED: list[tuple[str, str, str]] = [
    (
        SWAGGER,
        r"https://validator\.swagger\.io/validator",
        "Swagger UI's default validator, which docs_ui turns off (validatorUrl null; "
        "tests/api/test_app.py checks it) and which only its standalone layout shows",
    ),
    (
        SWAGGER,
        r"http://",
        "Autolinker prefixes http:// to a web address written in a description, making it "
        "a link a person may click (<a href>), not a request",
    ),
    (
        PLOTLY,
        r"https://(geoserveis|tilemaps)\.icgc\.cat/.*|https://server\.arcgisonline\.com/.*"
        r"|https://tile\.openstreetmap\.org/.*|https://fonts\.openmaptiles\.org/.*"
        r"|https://cdn\.jsdelivr\.net/npm/@mapbox/maki@[\d.]+/icons/.*",
        "basemap styles, glyphs and icons plotly.js offers to its map traces by name; "
        "charts/priority.py draws plain x/y figures with no map trace, so none is loaded",
    ),
]


def unexplained(name: str, hits: list[Hit]) -> list[str]:
    return [
        f"{name}: {how} {url}"
        for how, url in hits
        if not any(re.search(f, name) and re.fullmatch(u, url) for f, u, _ in ALLOWED)
    ]


# --- the rules themselves ---------------------------------------------------------------


def test_the_rules_tell_fetches_from_links_and_text() -> None:
    page = """<!doctype html><html><head>
      <link rel="stylesheet" href="https://cdn.example/x.css">
      <link rel="license" href="https://www.apache.org/licenses/LICENSE-2.0">
      <link rel="preconnect" href="//fonts.example">
      <script src="/assets/app.js"></script>
      <script>fetch("https://api.example/v1"); const ns = "http://www.w3.org/2000/svg";</script>
      <style>/* see https://example.org */ body { background: url('https://img.example/a.png') }
      </style></head><body>
      <a href="https://hxlstandard.org">HXL</a> <img srcset="/a.png 1x, https://c.example/b.png 2x">
      <svg xmlns="http://www.w3.org/2000/svg"><use href="https://s.example/i.svg#x"/></svg>
      <div style="background-image:url(//bg.example/b.png)">https://example.org in text</div>
    </body></html>"""
    hits, local = page_fetches(page)
    assert sorted(url for _, url in hits) == [
        "//bg.example/b.png",
        "//fonts.example",
        "https://api.example/v1",
        "https://c.example/b.png",
        "https://cdn.example/x.css",
        "https://img.example/a.png",
        "https://s.example/i.svg#x",
    ]
    assert local == ["/assets/app.js", "/a.png"]
    assert css_fetches('@import "https://fonts.example/css";') == [
        ("CSS @import", "https://fonts.example/css")
    ]
    js = (
        'import x from"https://esm.example/x.js";import("//cdn.example/y.js");'
        'w=new Worker("https://w.example/w.js");s.src="https://t.example/t.js";'
        '({validatorUrl:"https://validator.example/v",tiles:["https://tile.example/{z}"]});'
        "e.innerHTML='<img src=\"https://i.example/i.png\">';"
        'const spec="https://json-schema.org/draft/2020-12/schema";/*! MIT, https://lic.example */'
        'throw Error("see https://reactjs.org/docs/error-decoder.html")'
    )
    assert sorted(url for _, url in js_fetches(js)) == [
        "//cdn.example/y.js",
        "https://esm.example/x.js",
        "https://i.example/i.png",
        "https://t.example/t.js",
        "https://tile.example/{z}",
        "https://validator.example/v",
        "https://w.example/w.js",
    ]


# --- the application --------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over a small synthetic demo programme, signed in as its administrator."""
    path = str(tmp_path_factory.mktemp("offline") / "demo.gpkg")
    context = open_context(path, create=True)
    load_demo(context.workflow(local_admin()), areas=5)
    accounts = Accounts(context.store)
    accounts.create_admin("admin", "synthetic offline passphrase")
    token = accounts.issue_token(actor_of(accounts.get_user("admin")), "offline test")[1]
    context.close()
    with TestClient(create_app(path)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def test_nothing_the_server_serves_fetches_from_another_host(served: TestClient) -> None:
    static = default_static_dir()
    files = sorted(p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file())
    pages = ["/", "/api/docs", *dynamic_pages(served)]
    problems: list[str] = []
    seen = 0
    for url in [*pages, *(f"/{f}" for f in files), *docs_assets(served)]:
        response = served.get(url)
        assert response.status_code == 200, url
        if not response.headers["content-type"].startswith(("text/", "application/javascript")):
            continue
        text = response.text
        hits = fetches(url if "." in url.rsplit("/", 1)[-1] else f"{url}.html", text)
        problems += unexplained(url, hits)
        if "html" in response.headers["content-type"]:  # what it loads from us is there
            for local in page_fetches(text)[1]:
                target = urljoin(f"http://testserver{url}", local)
                assert served.get(target).status_code == 200, f"{url} loads {local}: missing"
        seen += 1
    assert seen > 20
    assert not problems, "\n".join(problems)


def dynamic_pages(client: TestClient) -> list[str]:
    """HTML the API generates: the priority maps and a land release statement."""
    released = [
        a["hazardous_area_code"]
        for a in client.get("/api/landrelease/areas").json()["areas"]
        if a.get("released_m2")
    ]
    assert released, "the demo has an area with land released"
    return [
        "/api/priority/ranking.html",
        "/api/priority/grid.html",
        f"/api/landrelease/statements/{released[0]}.html",
    ]


def docs_assets(client: TestClient) -> list[str]:
    page = client.get("/api/docs").text
    return page_fetches(page)[1]


def test_the_openapi_document_points_nowhere_else(served: TestClient) -> None:
    """Swagger UI resolves ``$ref`` and calls ``servers`` by itself and draws images written
    in descriptions; external documentation links are only links."""
    document = served.get("/api/openapi.json").json()
    problems: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and is_outside(str(value)):
                    problems.append(f"{where}: $ref {value}")
                if key == "description" and isinstance(value, str):
                    images = re.findall(rf"!\[[^\]]*\]\(\s*({OUTSIDE}[^)\s]*)", value)
                    problems.extend(f"{where}: image {u}" for u in images)
                    problems.extend(f"{where}: {how} {u}" for how, u in page_fetches(value)[0])
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(document, "")
    problems += [
        f"servers: {s['url']}" for s in document.get("servers", []) if is_outside(s["url"])
    ]
    assert not problems, problems


# --- the documentation site ---------------------------------------------------------------


def test_the_docs_fetch_nothing_from_another_host(docs_site: Path) -> None:
    site = docs_site
    problems: list[str] = []
    files = [p for p in site.rglob("*") if p.suffix in {".html", ".css", ".js", ".mjs"}]
    for path in files:
        problems += unexplained(
            path.relative_to(site).as_posix(), fetches(path.name, path.read_text())
        )
    assert len(files) > 20
    assert not problems, "\n".join(problems)


def test_the_docs_work_opened_from_disk(docs_site: Path) -> None:
    """Opened as files (file://), a link to ``records/`` shows a folder listing and a link
    starting with / leaves the site: every page's links and assets must be relative paths
    to files that exist. 404.html is the exception: a server shows it for any missing
    address, so its links are from the site's root."""
    site = docs_site
    problems: list[str] = []
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    for page in pages:
        text = page.read_text()
        hrefs = re.findall(r"""(?:href|src)="([^"]*)\"""", text)
        for href in hrefs:
            if is_outside(href) or href.startswith(("#", "mailto:", "data:")):
                continue
            target = (page.parent / urlsplit(href).path).resolve()
            if href.startswith("/") or not target.is_file():
                problems.append(f"{page.relative_to(site)}: {href}")
    assert len(pages) > 15
    assert not problems, "\n".join(problems[:30])
    assert (site / "search" / "search_index.js").is_file(), "search works without a server"
    config = (ROOT / "mkdocs.yml").read_text()
    assert "repo_url" not in config, "material asks the code host's API for a repo_url"
