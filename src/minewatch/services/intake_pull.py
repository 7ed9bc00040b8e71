"""``minewatch intake pull``: new and edited submissions from a KoboToolbox project or an ODK
Central form, through the same intake as an exported file.

A *source* is named in the national configuration (``[intake.sources.<name>]``,
:class:`minewatch.config.PullSourceConfig`); its secret (a KoboToolbox token, an ODK Central
password) is read from the environment variable or the file the configuration names, when
the pull runs, and goes nowhere else: not into the store, the reports, the audit log or any
message. A pull:

1. asks the server (:mod:`minewatch.io.form_servers`) for the submissions sent, and on ODK
   Central also changed, since the newest server timestamp the last pull saw (everything
   with ``full``), and on KoboToolbox, whose API has no time of edit to filter on, the older
   submissions whose version differs from the one landed (found from a list of IDs alone),
   with their files, into a temporary folder;
2. writes them as the server's own JSON export and reads it with the intake of exported files
   (:func:`minewatch.services.intake.intake`), so the same mapping, checks and rejections
   apply; a submission already landed in the version the server holds is skipped, an edited
   one (its ``meta/instanceID`` changed) becomes new draft reports updating the items its
   first version created;
3. in the transaction that writes each submission's reports, copies its files to
   ``attachments_dir/<source>/<instance>/`` (each report's notes say where) and records the
   version landed; then records where the pull stopped. A rejected submission holds the
   watermark back at its own timestamp, so the next pull offers it again (once fixed on the
   server it lands); so does an edit whose first version still awaits review (its items do
   not exist yet), which lands as an update once that version is approved. A failure before the intake (network, 401, 404, an answer that is not the
   API's JSON) writes nothing at all.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from minewatch.config import NationalConfig, PullSourceConfig
from minewatch.domain import access
from minewatch.errors import InvalidInput, Location, NotFound, PermissionDenied
from minewatch.io.form_exports import Attachment
from minewatch.io.form_mapping import MappingFile, default_mapping, load_mapping
from minewatch.io.form_servers import Pulled, newest
from minewatch.io.form_servers.http import safe_name
from minewatch.io.forms import ParsedExport, SubmissionDrafts, parse_export
from minewatch.services.intake import IntakeResult, intake
from minewatch.services.records import Workflow
from minewatch.store.pull_state import PullState


@dataclass
class PullResult:
    """What one pull did: where it started and stopped on the server's clock, how much it
    fetched, and the intake's own result (created, edited, waiting, skipped, rejected).

    Examples
    --------
    >>> result = PullResult("kobo-nts", "kobo", "https://kf.example.org/api/v2/assets/a1/data/",
    ...                     None, None, 0, 1, None)
    >>> result.as_dict()["fetched"], result.as_dict()["intake"]
    (0, None)
    """

    source: str
    server: str
    address: str
    since: str | None
    watermark: str | None
    fetched: int
    requests: int
    intake: IntakeResult | None
    files_saved: list[str] = field(default_factory=list)
    files_not_fetched: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``minewatch intake pull --json``."""
        return {
            "source": self.source,
            "server": self.server,
            "address": self.address,
            "since": self.since,
            "watermark": self.watermark,
            "fetched": self.fetched,
            "requests": self.requests,
            "files_saved": self.files_saved,
            "files_not_fetched": self.files_not_fetched,
            "intake": self.intake.as_dict() if self.intake is not None else None,
        }


def pull_source(config: NationalConfig, name: str) -> PullSourceConfig:
    """The configured source ``name``; NotFound listing the configured ones otherwise.

    Examples
    --------
    >>> from minewatch.config import load_config
    >>> _ = (tmp / "national.toml").write_text(
    ...     '[intake.sources.kobo-nts]\\nserver = "kobo"\\nurl = "https://kf.example.org"\\n'
    ...     'asset = "aSynthetic"\\ntoken_env = "KOBO_TOKEN"\\n')
    >>> pull_source(load_config(tmp / "national.toml"), "kobo-nts").asset
    'aSynthetic'
    >>> pull_source(load_config(tmp / "national.toml"), "central")
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: no intake source 'central' in the national configuration; known: kobo-nts
    """
    sources = config.intake.sources
    if name not in sources:
        if not sources:
            raise NotFound(
                "no intake source {name!r}: the national configuration names none "
                "(see [intake.sources] in docs/intake-pull.md)",
                name=name,
            )
        raise NotFound(
            "no intake source {name!r} in the national configuration; known: {known}",
            name=name,
            known=", ".join(sorted(sources)),
        )
    return sources[name]


def read_secret(name: str, source: PullSourceConfig, environ: Mapping[str, str]) -> str:
    """The source's token or password: from the environment variable it names, else the
    first line of its credentials file. The message on failure names where it looked, never
    a value.

    Examples
    --------
    >>> from minewatch.config import load_config
    >>> _ = (tmp / "national.toml").write_text(
    ...     '[intake.sources.kobo-nts]\\nserver = "kobo"\\nurl = "https://kf.example.org"\\n'
    ...     'asset = "aSynthetic"\\ntoken_env = "KOBO_TOKEN"\\n')
    >>> source = pull_source(load_config(tmp / "national.toml"), "kobo-nts")
    >>> read_secret("kobo-nts", source, {"KOBO_TOKEN": "synthetic-token"})
    'synthetic-token'
    >>> read_secret("kobo-nts", source, {})
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: intake source 'kobo-nts': environment variable KOBO_TOKEN is not set
    """
    variable = source.password_env if source.server == "odk" else source.token_env
    if variable:
        value = environ.get(variable, "").strip()
        if value:
            return value
        if source.credentials_file is None:
            raise InvalidInput(
                "intake source {name!r}: environment variable {variable} is not set",
                name=name,
                variable=variable,
            )
    file = source.credentials_file
    assert file is not None  # the configuration requires one or the other
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidInput(
            "intake source {name!r}: cannot read the credentials file ({error})",
            Location(file=str(file)),
            name=name,
            error=exc.strerror,
        ) from None
    secret = lines[0].strip() if lines else ""
    if not secret:
        raise InvalidInput(
            "intake source {name!r}: the credentials file is empty",
            Location(file=str(file)),
            name=name,
        )
    return secret


def pull_sources(
    workflow: Workflow, config: NationalConfig, environ: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Every configured source, for a page that offers to pull it: its server and address,
    where its last pull stopped, and whether its credentials can be read here (``ready``),
    never what they are.

    Examples
    --------
    >>> from minewatch.config import load_config
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> _ = (tmp / "national.toml").write_text(
    ...     '[intake.sources.kobo-nts]\\nserver = "kobo"\\nurl = "https://kf.example.org"\\n'
    ...     'asset = "aSynthetic"\\ntoken_env = "KOBO_TOKEN"\\n')
    >>> wf = Workflow(open_store(str(tmp / "p.gpkg"), create=True), local_admin())
    >>> [(s["name"], s["what"], s["ready"], s["last_pull"]) for s in pull_sources(
    ...     wf, load_config(tmp / "national.toml"), {"KOBO_TOKEN": "synthetic"})]
    [('kobo-nts', 'aSynthetic', True, None)]
    """
    if not access.can_create_report(workflow.actor, workflow.actor.organisation_code):
        raise PermissionDenied("{user} may not report field data", user=workflow.actor.username)
    states = workflow.store.pull_states()
    out = []
    for name, source in sorted(config.intake.sources.items()):
        state = states.get(name)
        try:
            read_secret(name, source, environ)
            ready = True
        except InvalidInput:
            ready = False
        out.append(
            {
                "name": name,
                "server": source.server,
                "url": source.url,
                "what": source.asset
                if source.server == "kobo"
                else f"{source.project}/{source.xml_form_id}",
                "ready": ready,
                "last_pull": None
                if state is None
                else {
                    "at": state.pulled_at.isoformat(),
                    "by": state.pulled_by,
                    "watermark": state.watermark,
                    "submissions": state.submissions,
                },
            }
        )
    return out


def _fetch(
    source: PullSourceConfig,
    secret: str,
    since: str | None,
    folder: Path,
    landed_versions: Callable[[list[str]], Mapping[str, str]],
) -> Pulled:
    from minewatch.io.form_servers.kobo import pull_kobo
    from minewatch.io.form_servers.odk import pull_odk

    if source.server == "kobo":
        assert source.asset is not None
        return pull_kobo(
            source.url,
            source.asset,
            secret,
            since=since,
            files_dir=folder,
            page_size=source.page_size,
            timeout=source.timeout_s,
            landed_versions=landed_versions,
        )
    assert source.project is not None and source.xml_form_id and source.email
    return pull_odk(
        source.url,
        source.project,
        source.xml_form_id,
        source.email,
        secret,
        since=since,
        files_dir=folder,
        page_size=source.page_size,
        timeout=source.timeout_s,
    )


def _with_files(
    parsed: ParsedExport, pulled: Pulled, target: Path
) -> tuple[ParsedExport, dict[str, dict[str, Path]]]:
    """Each accepted submission's attachments marked with where they will be saved; and
    instance ID → {final path: fetched file} for the files to copy when it lands."""
    moves: dict[str, dict[str, Path]] = {}
    accepted = []
    for sub in parsed.accepted:
        index = int(sub.where.row or 0) - 1  # rows of a JSON export count from 1
        fetched = pulled.files.get(index, {})
        folder = target / safe_name(sub.instance_id)
        listed = {a.filename for a in sub.attachments}
        extra = tuple(Attachment(n) for n in fetched if n not in listed)
        attachments = []
        for a in (*sub.attachments, *extra):
            if a.filename in fetched:
                final = folder / safe_name(a.filename)
                moves.setdefault(sub.instance_id, {})[str(final)] = fetched[a.filename]
                a = dataclasses.replace(a, saved=str(final))
            attachments.append(a)
        accepted.append(dataclasses.replace(sub, attachments=tuple(attachments)))
    return dataclasses.replace(parsed, accepted=accepted), moves


def _stopped_at(
    pulled: Pulled, parsed: ParsedExport, result: IntakeResult, stamps: Sequence[str | None]
) -> str | None:
    """Where the next pull starts: the newest timestamp seen, held back to the oldest
    rejected or waiting submission's so that it is offered again."""
    rows: list[int | str | None] = [r.row for r in result.rejected]
    rows += [s.where.row for s in parsed.accepted if s.instance_id in result.waiting]
    rejected = [stamps[r - 1] for r in rows if isinstance(r, int) and 0 < r <= len(stamps)]
    held = [s for s in rejected if s]
    return min(held) if held else pulled.watermark


def pull_submissions(
    workflow: Workflow,
    config: NationalConfig,
    name: str,
    *,
    environ: Mapping[str, str],
    attachments_dir: Path,
    full: bool = False,
    dry_run: bool = False,
    keep_going: bool = True,
    mapping: MappingFile | Path | None = None,
) -> PullResult:
    """Pull source ``name`` into draft reports (see the module's description).

    ``environ`` is where the source's environment variable is looked up (the CLI passes
    the process's environment; services never read it themselves). ``full`` asks the server
    for every submission, not only those since the last pull and those edited; ``dry_run``
    fetches and checks but writes nothing, files and pull state included.

    Examples
    --------
    A server that cannot be reached: the pull says so and writes nothing (the tests in
    ``tests/pull`` run it against a local server answering as KoboToolbox and ODK Central).

    >>> from minewatch.config import load_config
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> _ = (tmp / "national.toml").write_text(
    ...     '[intake.sources.kobo-nts]\\nserver = "kobo"\\nurl = "http://127.0.0.1:9"\\n'
    ...     'asset = "aSynthetic"\\ntoken_env = "KOBO_TOKEN"\\n')
    >>> wf = Workflow(open_store(str(tmp / "s.gpkg"), create=True), local_admin())
    >>> pull_submissions(wf, load_config(tmp / "national.toml"), "kobo-nts",
    ...                  environ={"KOBO_TOKEN": "synthetic"}, attachments_dir=tmp / "files")
    Traceback (most recent call last):
    ...
    minewatch.errors.ServerUnavailable: cannot reach KoboToolbox at http://127.0.0.1:9/api/v2/assets/aSynthetic/data/: ConnectError
    >>> wf.store.pull_states().get("kobo-nts") is None
    True
    """
    if not access.can_create_report(workflow.actor, workflow.actor.organisation_code):
        raise PermissionDenied("{user} may not report field data", user=workflow.actor.username)
    source = pull_source(config, name)
    secret = read_secret(name, source, environ)
    states = workflow.store.pull_states()
    before = states.get(name)
    since = None if full or before is None else before.watermark
    extra = load_mapping(mapping) if isinstance(mapping, Path) else mapping
    forms = default_mapping().merged(extra) if extra is not None else default_mapping()
    form_id = source.form or (source.xml_form_id if source.xml_form_id in forms.forms else None)
    with tempfile.TemporaryDirectory(prefix="minewatch-pull-") as tmp:
        pulled = _fetch(
            source, secret, since, Path(tmp) / "files", lambda ids: states.landed(name, ids)
        )
        answer = PullResult(
            name,
            source.server,
            pulled.address,
            since,
            pulled.watermark,
            len(pulled.submissions),
            pulled.requests,
            None,
        )
        answer.files_not_fetched = [
            {"row": i + 1, "file": f, "reason": why}
            for i, files in sorted(pulled.skipped_files.items())
            for f, why in files.items()
        ]
        if not pulled.submissions:
            if not dry_run:
                _record(workflow, name, source, pulled, before, since, 0, {})
            return answer
        export = pulled.write_export(Path(tmp) / f"{safe_name(name)}.json")
        parsed = parse_export(export, forms, form_id, pulled.flavour, None, pulled.attachments_url)
        parsed, moves = _with_files(parsed, pulled, attachments_dir / safe_name(name))
        landed = states.landed(name, [s.instance_id for s in parsed.accepted])

        def keep(subs: Sequence[SubmissionDrafts]) -> None:
            # Inside the transaction of these submissions' reports: their files and versions
            # land with them or not at all.
            for sub in subs:
                for final, fetched in moves.get(sub.instance_id, {}).items():
                    Path(final).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(fetched, final)
                    answer.files_saved.append(final)
            states.record_versions(name, {s.instance_id: s.version or s.instance_id for s in subs})

        result = intake(
            workflow, parsed, dry_run=dry_run, keep_going=keep_going, landed=landed, record=keep
        )
    answer.intake = result
    stamps = [_stamp(pulled, row) for row in pulled.submissions]
    answer.watermark = _stopped_at(pulled, parsed, result, stamps)
    if result.committed and not dry_run:
        seen = {s.instance_id: s.version or s.instance_id for s in parsed.accepted}
        skipped = {i: seen[i] for i in result.skipped if i in seen and i not in landed}
        _record(
            workflow,
            name,
            source,
            dataclasses.replace(pulled, watermark=answer.watermark),
            before,
            since,
            len(result.imported),
            skipped,
            result,
        )
    return answer


def _stamp(pulled: Pulled, row: Mapping[str, Any]) -> str | None:
    if pulled.flavour == "kobo":
        return newest(row.get("_submission_time"))
    system = row.get("__system")
    if not isinstance(system, Mapping):
        return None
    return newest(system.get("submissionDate"), system.get("updatedAt"))


def _record(
    workflow: Workflow,
    name: str,
    source: PullSourceConfig,
    pulled: Pulled,
    before: PullState | None,
    since: str | None,
    landed: int,
    versions: Mapping[str, str],
    result: IntakeResult | None = None,
) -> None:
    """Where this pull stopped (never earlier than the last one's watermark when nothing
    new came), with an audit entry when the workflow keeps a log."""
    watermark = pulled.watermark or (before.watermark if before else None) or since
    state = PullState(
        source=name,
        server=source.server,
        address=pulled.address,
        watermark=watermark,
        pulled_at=datetime.now(UTC),
        pulled_by=workflow.actor.username,
        submissions=(before.submissions if before else 0) + landed,
    )
    states = workflow.store.pull_states()
    with workflow.store.transaction():
        states.record(state, versions)
        accounts = getattr(workflow, "accounts", None)
        if accounts is not None:
            accounts.audit(
                workflow.actor,
                "intake_pull",
                f"intake_source:{name}",
                address=pulled.address,
                since=since,
                watermark=watermark,
                fetched=len(pulled.submissions),
                landed=landed,
                edited=len(result.edited) if result else 0,
                rejected=len(result.rejected) if result else 0,
            )
