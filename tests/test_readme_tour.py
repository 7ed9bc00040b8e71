"""The README's tour and the docs' tutorials run, as written, against a fresh demo store.

Every command in the README's "A five-minute tour" section and in every ```bash block of
``docs/*.md`` that shows a ``minewatch`` command is taken from the text itself (nothing is
copied here), run in a fresh temporary folder, and must exit 0, print no traceback and,
where it lists or counts something, print at least one result; a file it is told to write
must be there. Blocks that only illustrate (output, placeholders, a cluster) are ```console
or ```text, and are not run. Files a document has its reader bring (geodata, saved treaty
pages) are put in the folder first (see READERS_FILES), and the folder is the commands' $HOME.

The commands run in this process through :func:`minewatch.cli.main` (a new interpreter per
command would spend ~3 s each importing the geospatial stack), except ``serve``, which is
started as a real process on a free port, asked for its home page and the OGC API landing
page, and stopped.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import traceback
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

import minewatch.cli

ROOT = Path(__file__).resolve().parents[1]
TOUR_HEADING = "## A five-minute tour"

#: Lines of a tested block that are not ``minewatch`` commands, and what the test does
#: instead (None: nothing, and why). Any other such line fails the test: show it in a
#: ```console block, or say here how it is stood in for.
STAND_INS: dict[str, list[str] | None] = {
    # The test already runs inside the environment that line activates.
    "source .venv/bin/activate": None,
    # What ./run demo runs after setting up the environment (checked against ./run below).
    "./run demo": ["demo", "demo.gpkg", "--force"],
}

#: Placeholders a reader replaces with their own server, and what the test gives instead.
#: Only connection URLs belong here: codes and dates must be real ones the demo has.
POSTGRES_PLACEHOLDER = "postgresql://user@host/minewatch"


def _priority_inputs(folder: Path) -> None:
    """The open geodata docs/prioritisation.md has a reader bring (WorldPop, an OSM extract,
    their hazardous areas and accidents), under the names it uses, from the SYNTHETIC
    district the priority tests use."""
    import pyogrio
    from benchmarks.synthetic_country import CountrySpec, build

    files = build(CountrySpec.tiny(), folder / "synthetic")
    shutil.copy(files.population, folder / "worldpop.tif")
    shutil.copy(files.areas, folder / "areas.gpkg")
    layers = {"roads": "roads", "settlements": "places", "schools": "schools"}
    layers |= {"health": "health", "water": "water", "agriculture": "farmland"}
    for theirs, ours in layers.items():
        frame = pyogrio.read_dataframe(files.context, layer=theirs)
        pyogrio.write_dataframe(frame, folder / "osm.gpkg", layer=ours, append=ours != "roads")
    frame = pyogrio.read_dataframe(files.context, layer="accidents")
    pyogrio.write_dataframe(frame, folder / "accidents.gpkg", layer="accidents")


def _untc_pages(folder: Path) -> None:
    """The depositary's status pages docs/treaty-monitor.md has a reader save from the UN
    Treaty Collection: the real ones, saved 2026-02-03, from the shared reference folder."""
    from tests.conftest import SHARED

    untc = SHARED / "reference" / "untc"
    if not (untc / "ottawa.html").is_file():
        pytest.skip("the saved UNTC pages (shared/reference/untc) are not here")
    for page in ("ottawa.html", "ccw_p2a.html"):
        shutil.copy(untc / page, folder / page)


#: Input files a document has its reader bring, made here before its commands run.
READERS_FILES: dict[str, Callable[[Path], None]] = {
    "docs/prioritisation.md": _priority_inputs,
    "docs/treaty-monitor.md": _untc_pages,
}

#: The password a prompt receives (twice: typed, then confirmed).
PROMPTED_PASSWORD = "a synthetic tour passphrase"

#: Options naming a file (or folder) a command writes: it must be there afterwards.
OUTPUT_OPTIONS = frozenset({"-o", "--output", "--out", "--csv", "--gpkg", "--png", "--html"})

#: Output that means "nothing found" from a command the docs show as finding something.
NOTHING_FOUND = (
    re.compile(r": 0 of \d+"),  # a listing's title: "hazardous_area: 0 of 0"
    re.compile(r"^\(nothing\)$", re.M),  # treaty tables
    re.compile(r"^0 \w+ written to", re.M),  # export
    re.compile(r"^\s*\[\]\s*$"),  # a JSON listing
)


@dataclass
class Command:
    """One command as a document shows it."""

    document: str
    line: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.document}: {self.line}"


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.M | re.S)


def _lines(block: str) -> list[list[str]]:
    """The block's commands as a shell splits them: comments dropped, continuations joined."""
    joined = re.sub(r"\\\n", " ", block)
    return [words for raw in joined.splitlines() if (words := shlex.split(raw, comments=True))]


def _parse(document: str, words: list[str]) -> Command | None:
    line = shlex.join(words)
    env = {}
    while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
        name, value = words[0].split("=", 1)
        env[name], words = value, words[1:]
    if words[:1] == ["minewatch"]:
        if any(w in {"|", "||", "&&", ";", ">", "<"} for w in words):
            pytest.fail(f"{document}: {line!r}: keep a tested command to one minewatch call")
        return Command(document, line, words[1:], env)
    if line not in STAND_INS:
        pytest.fail(
            f"{document}: {line!r} is not a minewatch command: show it in a ```console "
            "block, or add a stand-in to STAND_INS in this test saying why"
        )
    stand_in = STAND_INS[line]
    return None if stand_in is None else Command(document, line, stand_in, env)


def _commands(document: str, blocks: list[str]) -> list[Command]:
    found = [_parse(document, words) for block in blocks for words in _lines(block)]
    return [c for c in found if c is not None]


def readme_tour() -> list[Command]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(TOUR_HEADING, 1)[1].split("\n## ", 1)[0]
    blocks = _blocks(section, "bash")
    assert blocks, f"README.md has no ```bash block under {TOUR_HEADING!r}"
    return _commands("README.md", blocks)


def _tutorial_blocks(document: str) -> list[str]:
    """Every ```bash block of a document that runs minewatch in any of them (a tutorial's
    first step may be ``./run demo``)."""
    blocks = _blocks((ROOT / document).read_text(encoding="utf-8"), "bash")
    runs_minewatch = any(words[:1] == ["minewatch"] for b in blocks for words in _lines(b))
    return blocks if runs_minewatch else []


TUTORIALS = sorted(
    doc for p in (ROOT / "docs").glob("*.md") if _tutorial_blocks(doc := f"docs/{p.name}")
)


def tutorial(document: str) -> list[Command]:
    return _commands(document, _tutorial_blocks(document))


# --- running one command ----------------------------------------------------------------


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


def run_in_process(command: Command, folder: Path) -> Ran:
    """``minewatch …`` in this process, in ``folder``, as a shell would run it."""
    minewatch.cli._register_commands()
    runner = CliRunner()
    code = 0
    here = Path.cwd()
    os.chdir(folder)
    try:
        stdin = f"{PROMPTED_PASSWORD}\n{PROMPTED_PASSWORD}\n"
        # The shell expands ~ to $HOME: here the command's folder is its home.
        argv = [str(folder / a[2:]) if a.startswith("~/") else a for a in command.argv]
        env = {"HOME": str(folder), **command.env}
        with runner.isolation(input=stdin, env=env) as (out, err, _):
            try:
                minewatch.cli.main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except Exception:  # what a user would see as a traceback
                sys.stderr.write(traceback.format_exc())
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    finally:
        os.chdir(here)
    return Ran(code, stdout, stderr)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_server(command: Command, folder: Path) -> Ran:
    """``minewatch serve …`` as written, on a free port instead of 8000 (which another
    program on a shared machine may hold): started, asked for two pages, stopped."""
    port = _free_port()
    argv = [sys.executable, "-m", "minewatch", *command.argv, "--port", str(port)]
    env = {**os.environ, **command.env}
    server = subprocess.Popen(
        argv, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    answers: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                for page in ("/", "/ogc?f=json"):
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=10) as r:
                        answers.append(f"GET {page}: {r.status}")
                break
            except OSError:
                time.sleep(0.5)
    finally:
        server.terminate()
        try:
            stdout, stderr = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            stdout, stderr = server.communicate()
    if len(answers) != 2:
        return Ran(1, stdout, f"the server did not answer on port {port}\n{stderr}")
    return Ran(0, "\n".join(answers), stderr)


def check(command: Command, folder: Path, postgres: str | None = None) -> Ran:
    if postgres is not None:
        command.argv = [a.replace(POSTGRES_PLACEHOLDER, postgres) for a in command.argv]
    ran = (run_server if command.argv[:1] == ["serve"] else run_in_process)(command, folder)
    said = f"\n--- stdout\n{ran.stdout[-3000:]}\n--- stderr\n{ran.stderr[-3000:]}"
    assert ran.code == 0, f"{command} exited {ran.code}{said}"
    assert "Traceback" not in ran.stdout + ran.stderr, f"{command} printed a traceback{said}"
    # A command that writes a file may keep stdout for data and say so on stderr.
    assert (ran.stdout + ran.stderr).strip(), f"{command} printed nothing{said}"
    for option, value in zip(command.argv, command.argv[1:], strict=False):
        if option in OUTPUT_OPTIONS:
            written = folder / value.removeprefix("~/")
            assert written.exists() and (written.is_dir() or written.stat().st_size), (
                f"{command} did not write {value}{said}"
            )
    for nothing in NOTHING_FOUND:
        assert not nothing.search(ran.stdout), f"{command} found nothing{said}"
    if command.argv[-2:] == ["--format", "json"]:
        assert json.loads(ran.stdout), f"{command} returned an empty listing{said}"
    return ran


# --- the tests ------------------------------------------------------------------------------


def test_the_demo_command_is_what_run_demo_runs() -> None:
    run_script = (ROOT / "run").read_text(encoding="utf-8")
    assert '/minewatch" ' + " ".join(STAND_INS["./run demo"] or []) in run_script


def test_no_placeholders_in_tested_commands() -> None:
    """A reader cannot run ``RPT-000…`` or ``<code>``: codes in the docs are real ones."""
    commands = [*readme_tour(), *(c for doc in TUTORIALS for c in tutorial(doc))]
    assert len(commands) > 10
    for command in commands:
        assert not re.search(r"…|\.\.\.|<[a-z_ -]+>", command.line), command


@pytest.mark.slow
def test_readme_tour_runs_as_written(tmp_path: Path) -> None:
    commands = readme_tour()
    assert commands[0].argv[0] == "demo", "the tour starts by building the demo"
    for command in commands:
        ran = check(command, tmp_path)
        if command is commands[0]:
            # What the demo prints as next steps (with the code of the report it leaves in
            # the queue) must be commands of this tour, so they are tested too.
            suggested = [
                shlex.split(line, comments=True)
                for line in ran.stdout.splitlines()
                if line.strip().startswith("minewatch ")
            ]
            tour = [["minewatch", *c.argv] for c in commands]
            assert suggested and all(s in tour for s in suggested), ran.stdout

    # The tour's story: the old report it approves took its place by Date of Information
    # and did not overwrite the newer status.
    def ask(*argv: str) -> list[dict[str, object]]:
        return json.loads(check(Command("test", shlex.join(argv), list(argv)), tmp_path).stdout)

    approved = [c.argv[2] for c in commands if c.argv[:2] == ["reports", "approve"]]
    history = ask("history", "hazardous_area", "HA-000002", "-s", "demo.gpkg", "-f", "json")
    assert approved and approved[0] in {row["report"] for row in history}
    shown = ask("show", "hazardous_area", "HA-000002", "-s", "demo.gpkg", "-f", "json")
    assert [row["status"] for row in shown] == ["open"]


@pytest.mark.slow
@pytest.mark.parametrize("document", TUTORIALS)
def test_tutorial_runs_as_written(
    document: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    commands = tutorial(document)
    postgres = None
    if any(POSTGRES_PLACEHOLDER in c.line for c in commands):
        # The reader's own PostgreSQL server stands behind the placeholder URL; here, a
        # fresh schema on the test server (skipped where there is none, like every PostGIS
        # test).
        postgres = str(request.getfixturevalue("postgis_url"))
    if document in READERS_FILES:
        READERS_FILES[document](tmp_path)
    for command in commands:
        check(command, tmp_path, postgres)
