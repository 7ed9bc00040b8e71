"""The task order's status workflow, applied by the report workflow: a report that changes
a task order's status must make a move :mod:`minewatch.domain.tasking` allows from the
status the task has when the report is created and again when it is approved (another
report may have moved it in between). A report creating a task may give any status, so a
programme's finished tasks can be migrated as they stand.

>>> from datetime import date
>>> from minewatch.domain.reports import Report
>>> from minewatch.store import open_store
>>> store = open_store(str(tmp / "t.gpkg"), create=True)
>>> transition_problem(store, Report(kind=Kind.TASK_ORDER, date_of_information=date(2024, 1, 1),
...                                  changes={"status": "completed"})) is None   # a new task
True
"""

from __future__ import annotations

from minewatch.domain.records import Kind, TaskOrder, TaskStatus
from minewatch.domain.reports import Report, ReportAction
from minewatch.domain.tasking import transition_refusal
from minewatch.domain.text import Message
from minewatch.errors import Location, NotFound
from minewatch.store.base import Repository

#: The stable code of the rule a refused move names, at every door (``MinewatchError.rule``).
RULE_MOVE = "task_status_move"


def transition_problem(store: Repository, report: Report) -> Message | None:
    """Why ``report`` may not move its task order to the status it gives, or None.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "moves.gpkg"), create=True)
    >>> store.put_items([TaskOrder(code="TSK-000001", status=TaskStatus.COMPLETED)])
    >>> print(transition_problem(store, Report(kind=Kind.TASK_ORDER, item_code="TSK-000001",
    ...     action=ReportAction.UPDATE, date_of_information=date(2024, 1, 1),
    ...     changes={"status": "accepted"})))
    a task that is completed cannot become accepted: it is closed
    """
    if report.kind is not Kind.TASK_ORDER or report.action is not ReportAction.UPDATE:
        return None
    new = report.changes.get("status")
    if new is None or not report.item_code:
        return None
    try:
        task = store.get_item(Kind.TASK_ORDER, report.item_code)
    except NotFound:
        return None
    if not isinstance(task, TaskOrder):  # pragma: no cover - the store returns the kind
        return None
    return transition_refusal(task.status, TaskStatus(new))


def check_report_transition(store: Repository, report: Report) -> None:
    """InvalidInput naming the field ``status`` when :func:`transition_problem` finds one.

    >>> from datetime import date
    >>> from minewatch.store import open_store
    >>> check_report_transition(open_store(str(tmp / "none.gpkg"), create=True),
    ...     Report(kind=Kind.ORGANISATION, date_of_information=date(2024, 1, 1)))
    """
    if (problem := transition_problem(store, report)) is not None:
        raise problem.invalid(Location(field="status")).because(RULE_MOVE)
