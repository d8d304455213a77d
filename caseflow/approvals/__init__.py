"""Supervisor approvals (action plan, closure), four eyes."""


def init_app(app) -> None:
    """The plan's approval gates the implementation and follow-up steps; cases can be
    filtered by a pending approval."""
    from flask_babel import lazy_gettext

    from caseflow.approvals.services import awaiting_approval_filter, has_approved_plan
    from caseflow.cases.services import register_case_filter
    from caseflow.cases.steps import register_entry_rule

    # 3.→4. The supervisor approves the plan before it is carried out.
    for step in ("implementation", "follow_up"):
        register_entry_rule(step, has_approved_plan,
                            lazy_gettext("The action plan needs a supervisor's approval first."))
    register_case_filter("awaiting_approval", awaiting_approval_filter)
    register_notice_topics()


def register_notice_topics() -> None:
    """The words of the notice a centre's other supervisors get when an approval waits."""
    from flask_babel import lazy_gettext

    from caseflow.scheduling.messages import register_topic

    kinds = {"action_plan": lazy_gettext("the action plan"), "closure": lazy_gettext("the closure")}

    def values(detail: dict) -> dict:
        kind = kinds.get(detail.get("kind"))
        return {"kind": str(kind) if kind is not None else "-"}

    register_topic("approval_waiting", lazy_gettext(
        "Case %(case)s asks your approval of %(kind)s (requested %(at)s)."), values)
