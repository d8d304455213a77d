"""Indicators and dimensions, declared once as data (definitions: docs/statistics.md).

An indicator counts records of one kind (incidents, cases, referrals) in a period; a
dimension names, per kind of record, the plain coded column it groups by as
``"table.column"``. A column that does not exist yet (the UBIGEO of an incident's place,
the case's complaint) leaves its dimension declared but unavailable: when the column is
added to the model, the dimension works, with no other change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext

GBVIMS, MIMP, ESP, AURORA = "GBVIMS", "MIMP", "ESP", "Aurora"
#: UN Bangkok Rules (A/RES/65/229) and INPE's directive on women in penitentiary establishments.
BANGKOK = "Bangkok Rules"


@dataclass(frozen=True)
class Dimension:
    name: str
    label: object
    sources: tuple[str, ...]
    #: kind of record → "table.column" it groups by
    columns: dict[str, str]
    #: Only the first ``prefix`` characters of the column (UBIGEO: 2 department, 4 province).
    prefix: int | None = None
    #: A list of values per record (``violence_types``): a record counts once per value.
    multi: bool = False
    #: Periods are computed from the record's date, not read from a column.
    period: str | None = None
    #: Place breakdowns are for national oversight only (access.policy.may_break_down_by_place).
    geographic: bool = False


@dataclass(frozen=True)
class Indicator:
    name: str
    label: object
    description: object
    sources: tuple[str, ...]
    #: the kind of record counted
    record: str
    dimensions: tuple[str, ...] = field(default=())


_ALL = ("incident", "case", "referral")


def _per(records, column: str) -> dict[str, str]:
    return {record: column for record in records}


DIMENSIONS: dict[str, Dimension] = {d.name: d for d in (
    Dimension("gbv_type", lazy_gettext("GBV type"), (GBVIMS,), _per(("incident", "referral"), "incidents.gbv_type")),
    Dimension("violence_type", lazy_gettext("Type of violence"), (MIMP,),
              _per(("incident", "referral"), "incidents.violence_types"), multi=True),
    Dimension("age_group", lazy_gettext("Age group (GBVIMS)"), (GBVIMS,),
              _per(("incident", "referral"), "incidents.survivor_age_group")),
    Dimension("age_group_mimp", lazy_gettext("Age group (MIMP)"), (MIMP,),
              _per(("incident", "referral"), "incidents.survivor_age_group_mimp")),
    Dimension("perpetrator_relationship", lazy_gettext("Perpetrator relationship"), (GBVIMS,),
              _per(("incident", "referral"), "incidents.perpetrator_relationship")),
    Dimension("reporting_delay", lazy_gettext("Time from incident to report"), (GBVIMS,),
              _per(("incident", "referral"), "incidents.reporting_delay")),
    Dimension("location_type", lazy_gettext("Place type"), (GBVIMS,), _per(("incident",), "incidents.location_type")),
    Dimension("intake_channel", lazy_gettext("Intake channel"), (MIMP,), _per(_ALL, "cases.intake_channel")),
    Dimension("risk_level", lazy_gettext("Risk level"), (MIMP,), _per(_ALL, "cases.risk_level")),
    Dimension("condition", lazy_gettext("Case condition"), (MIMP,), _per(_ALL, "cases.condition")),
    Dimension("complaint_filed", lazy_gettext("Complaint filed"), (AURORA,), _per(_ALL, "cases.complaint_filed")),
    Dimension("closure_reason", lazy_gettext("Closure reason"), (GBVIMS,), _per(("case",), "cases.closure_reason")),
    Dimension("sex", lazy_gettext("Sex"), (MIMP,), _per(_ALL, "survivors.sex")),
    Dimension("disability", lazy_gettext("Disability"), (MIMP,), _per(_ALL, "survivors.disability")),
    Dimension("mother_tongue", lazy_gettext("Mother tongue"), (MIMP,), _per(_ALL, "survivors.mother_tongue")),
    Dimension("ethnicity", lazy_gettext("Ethnic self-identification"), (MIMP,), _per(_ALL, "survivors.ethnicity")),
    Dimension("department", lazy_gettext("Department"), (MIMP, AURORA),
              _per(("incident", "referral"), "incidents.place_ubigeo"), prefix=2, geographic=True),
    Dimension("province", lazy_gettext("Province"), (MIMP, AURORA),
              _per(("incident", "referral"), "incidents.place_ubigeo"), prefix=4, geographic=True),
    Dimension("district", lazy_gettext("District"), (MIMP, AURORA),
              _per(("incident", "referral"), "incidents.place_ubigeo"), geographic=True),
    Dimension("centre", lazy_gettext("Centre"), (MIMP,), {"incident": "organizations.code", "case": "organizations.code",
                                               "referral": "organizations.code", "supply": "organizations.code"},
              geographic=True),
    Dimension("sector", lazy_gettext("Receiving sector"), (ESP, GBVIMS), _per(("referral",), "referrals.sector")),
    Dimension("service_type", lazy_gettext("Service type"), (ESP, GBVIMS), _per(("referral",), "referrals.service_type")),
    Dimension("outcome", lazy_gettext("Referral outcome"), (ESP,), _per(("referral",), "referrals.status")),
    Dimension("priority", lazy_gettext("Priority"), (GBVIMS,), {"case": "cases.priority", "referral": "referrals.priority"}),
    Dimension("month", lazy_gettext("Month"), (GBVIMS, MIMP), _per((*_ALL, "supply"), ""), period="month"),
    Dimension("quarter", lazy_gettext("Quarter"), (GBVIMS, MIMP), _per((*_ALL, "supply"), ""), period="quarter"),
    Dimension("year", lazy_gettext("Year"), (GBVIMS, MIMP), _per((*_ALL, "supply"), ""), period="year"),
    # Supplies handed to her in custody (caseflow.custody): by facility and kind.
    Dimension("facility", lazy_gettext("Facility"), (BANGKOK,), {"supply": "facilities.code"}),
    Dimension("supply_kind", lazy_gettext("Kind of supply"), (BANGKOK,), {"supply": "supply_deliveries.kind"}),
)}

INDICATORS: dict[str, Indicator] = {i.name: i for i in (
    Indicator("incidents", lazy_gettext("Incidents"), lazy_gettext(
        "Incidents reported in the period (by date of report), counted once per incident; only "
        "with her consent to statistical use unless CASEFLOW_STATISTICS_CONSENT=administrative."),
        (GBVIMS, MIMP), "incident"),
    Indicator("cases", lazy_gettext("Cases"), lazy_gettext("Cases opened in the period (CEM cases attended)."), (MIMP,), "case"),
    Indicator("referrals", lazy_gettext("Referrals"), lazy_gettext(
        "Referrals sent in the period to health, police, justice, social and other services."),
        (ESP, GBVIMS), "referral"),
    Indicator("supplies", lazy_gettext("Supplies handed over"), lazy_gettext(
        "Supplies (hygiene kits and other kinds) handed to survivors in custody in the period, by "
        "the facility where she was held."), (BANGKOK,), "supply"),
)}


def dimensions_of(indicator: Indicator) -> list[Dimension]:
    return [d for d in DIMENSIONS.values() if indicator.record in d.columns]
