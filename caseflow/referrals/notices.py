"""What a referral tells the people who act on it, in words chosen when a notice is read.

* ``referral_received`` — to the receiving organization's liaisons when a referral (or an
  onward referral) is sent to it: in the app, and by e-mail where it is configured;
* ``referral_due_soon`` / ``referral_breached`` — the scheduler's deadline notices
  (:mod:`caseflow.referrals.scans`), one per referral and moment, naming the clock.

Notices carry the case code, the service type and the rule's code: never her name or
anything about her. Topics are registered from the feature's ``init_app`` (web app and
scheduler alike).
"""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext

from caseflow.referrals import rule_texts
from caseflow.scheduling.messages import register_topic

#: The contract's service types in words (the codes stay in the API).
SERVICE_LABELS = {
    "hiv_pep": lazy_gettext("HIV post-exposure prophylaxis"),
    "emergency_contraception": lazy_gettext("Emergency contraception"),
    "medical_care": lazy_gettext("medical care"),
    "medico_legal_exam": lazy_gettext("medico-legal examination"),
    "mental_health": lazy_gettext("mental health care"),
    "complaint": lazy_gettext("a police complaint"),
    "protective_measures": lazy_gettext("protective measures"),
    "legal_proceedings": lazy_gettext("legal proceedings"),
    "shelter": lazy_gettext("shelter"),
    "social_support": lazy_gettext("social support"),
    "economic_support": lazy_gettext("economic support"),
    "legal_aid": lazy_gettext("legal aid"),
    "sexual_reproductive_health": lazy_gettext("sexual and reproductive health care"),
    "maternity_care": lazy_gettext("maternity care"),
    "reintegration_support": lazy_gettext("reintegration support"),
    "other": lazy_gettext("another service"),
}
#: The seeded rules' labels by code (a rule an administrator adds reads by its code).
RULE_LABELS = {
    "hiv_pep": "HIV post-exposure prophylaxis",
    "emergency_contraception": "Emergency contraception",
    "police_to_family_court": "Police sends the case to the family court",
    "protective_measures": "Family court decides protective measures",
    "acknowledge_high": "Acknowledge a high-priority referral",
    "acknowledge_medium": "Acknowledge a medium-priority referral",
}


def service_words(code: str | None) -> str:
    label = SERVICE_LABELS.get(code or "")
    return str(label) if label is not None else (code or "-")


def rule_words(codes) -> str:
    shown = [rule_texts.shown(RULE_LABELS[c]) if c in RULE_LABELS else c for c in codes if c]
    return "; ".join(shown) if shown else "-"


def _rules_of(detail: dict) -> list:
    return detail.get("rules") or [detail.get("rule")]


def _received(detail: dict) -> dict:
    onward = detail.get("parent_referral_id") is not None
    return {"service": service_words(detail.get("service_type")),
            "onward": gettext(" (sent on by the organization that received it)") if onward else ""}


def _deadline(detail: dict) -> dict:
    return {"service": service_words(detail.get("service_type")), "rule": rule_words(_rules_of(detail))}


def register_topics() -> None:
    register_topic("referral_received", lazy_gettext(
        "Case %(case)s was referred to your organization for %(service)s on %(at)s%(onward)s: "
        "accept or reject it."), _received)
    register_topic("referral_due_soon", lazy_gettext(
        "The referral of case %(case)s for %(service)s is due at %(at)s (%(rule)s)."), _deadline)
    register_topic("referral_breached", lazy_gettext(
        "The referral of case %(case)s for %(service)s missed its deadline at %(at)s (%(rule)s)."), _deadline)
