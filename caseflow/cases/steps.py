"""Where a case stands among the six steps of the Inter-Agency GBV Case Management
Guidelines (2017), and the rules for moving between them.

Steps move forward on their own when the record that starts a step is written (a risk
assessment starts *assessment*, a plan item *action_plan*, the supervisor's approval of the
plan *implementation*); a caseworker may also move a case by hand (``PATCH /cases/{id}``),
within the entry rules below. *closure* is reached only by closing the case, which needs
the supervisor's approval. Every change is a case event. See docs/casework.md.
"""

from __future__ import annotations

from flask_babel import lazy_gettext

from caseflow.audit.services import record_model_write
from caseflow.cases import signals
from caseflow.cases.models import STEPS, Case
from caseflow.core.errors import Conflict

STEP_ORDER = {step: index for index, step in enumerate(STEPS)}


#: What must be true before a case enters a step: ``step -> (check(case), message)``. The
#: features that hold the records register their rules in their ``init_app`` (risk: an
#: assessment before the action plan; approvals: the supervisor's approval of the plan).
ENTRY_RULES: dict = {}


def register_entry_rule(step: str, check, message) -> None:
    """``check(case) -> bool`` must hold before the case enters ``step``; ``message`` (lazy)
    answers the 409 otherwise."""
    ENTRY_RULES[step] = (check, message)


def ensure_open(case: Case) -> None:
    if case.status != "open":
        raise Conflict(lazy_gettext("The case is closed."))


def _set_step(case: Case, step: str, cause: str) -> None:
    from caseflow.cases.services import add_event

    previous = case.step
    case.step = step
    add_event(case, "step_changed", {"from": previous, "to": step, "cause": cause})
    record_model_write("update", case, fields=["step"], detail={"from": previous, "to": step})


def advance(case: Case, step: str, cause: str) -> bool:
    """Move forward to ``step`` if the case is not there yet (never backwards)."""
    if case.status != "open" or STEP_ORDER[case.step] >= STEP_ORDER[step]:
        return False
    _set_step(case, step, cause)
    return True


def move(case: Case, step: str, cause: str = "manual") -> None:
    """A caseworker's move: forward within the entry rules, or back (to reassess, re-plan)."""
    ensure_open(case)
    if step == case.step:
        return
    if step == "closure":
        raise Conflict(lazy_gettext("A case reaches closure only by being closed (POST /cases/{id}/close)."))
    if STEP_ORDER[step] > STEP_ORDER[case.step]:
        for later in STEPS[STEP_ORDER[case.step] + 1: STEP_ORDER[step] + 1]:
            rule = ENTRY_RULES.get(later)
            if rule and not rule[0](case):
                raise Conflict(rule[1])
    _set_step(case, step, cause)


def close(case: Case, reason: str) -> None:
    from caseflow.cases.services import add_event

    previous_step = case.step
    case.step = "closure"
    case.status = "closed"
    add_event(case, "status_changed", {"from": "open", "to": "closed", "reason": reason,
                                       "step_from": previous_step})


def reopen(case: Case, reason: str) -> None:
    """A reopened case starts again at assessment: what brought her back is assessed anew."""
    from caseflow.cases.services import add_event

    case.status = "open"
    case.step = "assessment"
    case.closed_at = None
    case.closure_reason = None
    add_event(case, "status_changed", {"from": "closed", "to": "open", "reason": reason,
                                       "step_to": "assessment"})
    signals.case_reopened.send(case)
