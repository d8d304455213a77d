"""THE access matrix: who may call which route, on whose records.

One row per route the application serves under /api/v1 (method and rule, as in its route
table); one column per caller. A cell is the expected status (``403``) or status class
(``2xx``). Where the route names a record, ``own|other`` gives the outcome on a record of
the caller's own centre, then on one of another centre.

Reading guide:
  2xx   allowed, and done
  401   no credentials
  403   the role may not do this at all (caseflow.access.policy.PERMISSIONS)
  404   the record is outside the caller's reach: it does not exist for her (mentors and
        community psychologists get 404 on every case and survivor record: their whole view
        is the visit card)
  409   allowed, but the record's state refuses it (e.g. closing without an approved closure)
  4xx   any refusal, when which one depends on the generated input

Each role acts in a centre of its own, seeded with one record of every kind by that centre's
caseworker (testkit/world.py); the liaison works at the centre's partner hospital. Bodies are
valid requests (BODIES); a cell is played once. A new route without a row fails
tests/access/test_matrix.py with its name.
"""

COLUMNS = ("anon", "admin", "supervisor", "caseworker", "mentor", "psychologist", "liaison")

TABLE = """
# method route                                anon        admin       supervisor  caseworker  mentor      psychologist liaison
GET    /approvals/{approval_id}               401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /approvals/{approval_id}/decision      401         403|403     200|404     403|404     403|403     403|403     403|403
GET    /audit                                 401         200         200         403         403         403         403
POST   /auth/login                            401         401         401         401         401         401         401
POST   /auth/logout                           401         204         204         204         204         204         204
GET    /auth/me                               401         200         200         200         200         200         200
POST   /auth/tokens                           401         401         401         401         401         401         401
DELETE /auth/tokens/current                   401         204         204         204         204         204         204
POST   /auth/activate                         422         422         422         422         422         422         422
POST   /auth/password                         401         401         401         401         401         401         401
POST   /auth/reauthenticate                   401         204         204         204         204         204         204
POST   /auth/mfa/totp                         401         201         201         201         201         201         201
POST   /auth/mfa/totp/confirm                 401         4xx         4xx         4xx         4xx         4xx         4xx
POST   /auth/mfa/recovery-codes               401         409         409         409         409         409         409
DELETE /auth/mfa/totp                         401         409         409         409         409         409         409
GET    /auth/sessions                         401         200         200         200         200         200         200
DELETE /auth/sessions/{session_id}            401         404|404     404|404     404|404     404|404     404|404     404|404
GET    /cases                                 401         403         200         200         403         403         403
POST   /cases                                 401         403         201         201         403         403         403
GET    /cases/{case_id}                       401         403|403     200|404     200|404     404|404     404|404     403|403
PATCH  /cases/{case_id}                       401         403|403     200|404     200|404     404|404     404|404     403|403
GET    /cases/{case_id}/access-log            401         403|403     200|404     403|403     404|404     404|404     403|403
GET    /cases/{case_id}/approvals             401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/approvals             401         403|403     201|404     201|404     403|403     403|403     403|403
POST   /cases/{case_id}/assign                401         403|403     200|404     200|404     404|404     404|404     403|403
POST   /cases/{case_id}/close                 401         403|403     409|404     409|404     403|403     403|403     403|403
GET    /cases/{case_id}/closures              401         403|403     200|404     200|404     403|403     403|403     403|403
GET    /cases/{case_id}/conferences           401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/conferences           401         403|403     201|404     201|404     403|403     403|403     403|403
GET    /cases/{case_id}/consents              401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/consents              401         403|403     201|404     201|404     403|403     403|403     403|403
GET    /cases/{case_id}/consents/coverage     401         403|403     200|404     200|404     403|403     403|403     403|403
GET    /cases/{case_id}/incidents             401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/incidents             401         403|403     201|404     201|404     403|403     403|403     403|403
GET    /cases/{case_id}/plan-items            401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/plan-items            401         403|403     201|404     201|404     403|403     403|403     403|403
POST   /cases/{case_id}/reopen                401         403|403     409|404     409|404     403|403     403|403     403|403
GET    /cases/{case_id}/risk-assessments      401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/risk-assessments      401         403|403     201|404     201|404     403|403     403|403     403|403
GET    /cases/{case_id}/sessions              401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/sessions              401         403|403     201|404     201|404     403|403     403|403     403|403
GET    /consents/{consent_id}                 401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /consents/{consent_id}/withdraw        401         403|403     200|404     200|404     403|403     403|403     403|403
GET    /incidents/{incident_id}               401         403|403     200|404     200|404     403|403     403|403     403|403
PATCH  /incidents/{incident_id}               401         403|403     200|404     200|404     403|403     403|403     403|403
GET    /code-lists                            401         200         200         200         200         200         200
GET    /conferences/{conference_id}           401         403|403     200|404     200|404     403|403     403|403     403|403
GET    /instruments                           401         403         200         200         403         403         403
GET    /instruments/{instrument_id}           401         403         200         200         403         403         403
GET    /openapi.json                          200         200         200         200         200         200         200
GET    /organizations                         401         200         200         200         200         200         200
POST   /organizations                         401         201         403         403         403         403         403
GET    /organizations/{organization_id}       401         200         200         200         200         200         200
PATCH  /organizations/{organization_id}       401         200         403         403         403         403         403
GET    /plan-items/{item_id}                  401         403|403     200|404     200|404     403|403     403|403     403|403
PATCH  /plan-items/{item_id}                  401         403|403     200|404     200|404     403|403     403|403     403|403
GET    /risk-assessments/{assessment_id}      401         403|403     200|404     200|404     403|403     403|403     403|403
GET    /sessions/{session_id}                 401         403|403     200|404     200|404     403|403     403|403     403|403
GET    /survivors                             401         403         200         200         403         403         403
POST   /survivors                             401         403         201         201         403         403         403
GET    /survivors/{survivor_id}               401         403|403     200|404     200|404     404|404     404|404     403|403
PATCH  /survivors/{survivor_id}               401         403|403     200|404     200|404     404|404     404|404     403|403
POST   /survivors/{survivor_id}/erase         401         403|403     202|404     403|403     404|404     404|404     403|403
GET    /survivors/{survivor_id}/export        401         403|403     200|404     200|404     404|404     404|404     403|403
GET    /users                                 401         200         200         403         403         403         403
POST   /users                                 401         201         403         403         403         403         403
GET    /users/{user_id}                       401         200|200     200|404     200|404     200|404     200|404     404|404
PATCH  /users/{user_id}                       401         200|200     403|403     403|403     403|403     403|403     403|403
GET    /users/{user_id}/trainings             401         403|403     200|404     403|403     403|403     403|403     403|403
POST   /users/{user_id}/trainings             401         403|403     201|404     403|403     403|403     403|403     403|403
POST   /users/{user_id}/reset                 401         200|200     403|403     403|403     403|403     403|403     403|403
POST   /users/{user_id}/confirm               401         403|403     409|404     403|403     403|403     403|403     403|403
# visits, notifications and the calendar
DELETE /me/feed-token                     401         204         204         204         204         204         204
POST   /me/feed-token                     401         403         201         201         201         201         403
GET    /me/visits.ics                     401         403         200         200         200         200         403
GET    /notifications                     401         200         200         200         200         200         200
POST   /notifications/read                401         200         200         200         200         200         200
GET    /notifications/{message_id}        401         404|404     200|404     404|404     404|404     404|404     404|404
POST   /notifications/{message_id}/read   401         404|404     200|404     404|404     404|404     404|404     404|404
GET    /cases/{case_id}/visit-plans       401         403|403     200|404     200|404     404|404     404|404     403|403
POST   /cases/{case_id}/visit-plans       401         403|403     201|404     201|404     404|404     404|404     403|403
GET    /visit-plans/{plan_id}             401         403|403     200|404     200|404     200|404     404|404     403|403
PATCH  /visit-plans/{plan_id}             401         403|403     200|404     200|404     404|404     404|404     403|403
GET    /visits                            401         403         200         200         200         200         403
GET    /visits/visitors                   401         403         200         200         403         403         403
GET    /visits/{visit_id}                 401         403|403     200|404     200|404     200|404     404|404     403|403
POST   /visits/{visit_id}/log             401         403|403     201|404     201|404     201|404     404|404     403|403
GET    /supervision/workload              401         403         200         403         403         403         403
# referrals, the timeline, supervision and deadline rules
GET    /cases/{case_id}/referrals         401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/referrals         401         403|403     201|404     201|404     403|403     403|403     403|403
GET    /referrals                         401         403         200         200         403         403         200
GET    /referrals/{referral_id}           401         403|403     200|404     200|404     403|403     403|403     200|404
POST   /referrals/{referral_id}/transitions 401       403|403     403|404     403|404     403|403     403|403     200|404
POST   /referrals/{referral_id}/onward    401         403|403     403|404     403|404     403|403     403|403     4xx|404
GET    /cases/{case_id}/timeline          401         403|403     200|404     200|404     404|404     404|404     403|403
GET    /supervision/overdue               401         403         200         403         403         403         403
GET    /reports/referral-timelines        401         403         200         403         403         403         403
# statistics (de-identified; supervisors and national oversight)
GET    /statistics                        401         403         200         403         403         403         403
GET    /statistics/compliance             401         403         200         403         403         403         403
GET    /statistics/{indicator}            401         403         200         403         403         403         403
GET    /exports/incident-recorder         401         403         200         403         403         403         403
GET    /reports/accompaniment             401         403         200         403         403         403         403
GET    /deadline-rules                    401         200         200         200         200         200         200
POST   /deadline-rules                    401         201         403         403         403         403         403
GET    /deadline-rules/{rule_id}          401         200         200         200         200         200         200
PATCH  /deadline-rules/{rule_id}          401         200         403         403         403         403         403
# survivors deprived of liberty (the realm's liaison works at a hospital, not a facility)
GET    /survivors/{survivor_id}/custody   401         403|403     200|404     200|404     404|404     404|404     403|403
POST   /survivors/{survivor_id}/custody   401         403|403     201|404     201|404     404|404     404|404     403|403
GET    /cases/{case_id}/supplies          401         403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/supplies          401         403|403     201|404     201|404     403|403     403|403     403|403
GET    /supplies/{supply_id}              401         403|403     200|404     200|404     403|403     403|403     403|403
GET    /cases/{case_id}/visit-restrictions 401        403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/visit-restrictions 401        403|403     201|404     201|404     403|403     403|403     403|403
GET    /visit-restrictions/{restriction_id} 401       403|403     200|404     200|404     403|403     403|403     403|403
GET    /facility/visit-restrictions       401         403         403         403         403         403         403
GET    /cases/{case_id}/custody-screenings 401        403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/custody-screenings 401        403|403     201|404     201|404     403|403     403|403     403|403
GET    /custody-screenings/{screening_id} 401         403|403     200|404     200|404     403|403     403|403     403|403
GET    /cases/{case_id}/custody-disclosures 401       403|403     200|404     200|404     403|403     403|403     403|403
POST   /cases/{case_id}/custody-disclosures 401       403|403     201|404     201|404     403|403     403|403     403|403
GET    /custody-disclosures/{disclosure_id} 401       403|403     200|404     200|404     403|403     403|403     403|403
"""

#: Valid request bodies; ``{name}`` is filled from testkit/world.py's Realm.values() of the
#: centre whose records the cell aims at (``{n}`` and ``{dni}`` are unique per cell).
BODIES = {
    "POST /auth/login": {"username": "nobody.{n}", "password": "wrong-password"},
    "POST /auth/tokens": {"username": "nobody.{n}", "password": "wrong-password"},
    "POST /organizations": {"code": "ORG-M{n}", "name": "Organización {n}", "sector": "ngo"},
    "PATCH /organizations/{organization_id}": {"name": "Renombrada {n}"},
    "POST /users": {"username": "new.user{n}", "role": "caseworker", "discipline": "legal",
                    "organization_id": "{org_id}"},
    "POST /auth/activate": {"token": "cfa_not-a-real-token-{n}", "password": "a chosen passphrase {n} for her"},
    "POST /auth/password": {"current_password": "not-her-password-{n}", "new_password": "another phrase {n} of hers"},
    "POST /auth/reauthenticate": {"password": "correct-horse-battery-staple"},
    "POST /auth/mfa/totp/confirm": {"code": "000000"},
    "POST /auth/mfa/recovery-codes": {"password": "correct-horse-battery-staple"},
    "DELETE /auth/mfa/totp": {"password": "correct-horse-battery-staple"},
    "PATCH /users/{user_id}": {"full_name": "Nombre {n}"},
    "POST /users/{user_id}/trainings": {"held_on": "{today}", "topic": "Sesión {n}"},
    "POST /survivors": {"given_names": "Nueva {n}", "alias": "N{n}", "document_type": "DNI",
                        "document_number": "{dni}"},
    "PATCH /survivors/{survivor_id}": {"alias": "Alias {n}"},
    "POST /survivors/{survivor_id}/erase": {"reason": "survivor_request"},
    "POST /cases": {"survivor_id": "{survivor_id}", "intake_channel": "walk_in", "priority": "medium"},
    "PATCH /cases/{case_id}": {"priority": "low"},
    "POST /cases/{case_id}/assign": {"user_id": "{colleague_id}"},
    "POST /cases/{case_id}/incidents": {
        "occurred_at": "{now}", "acts": {"psychological_abuse": True}, "violence_types": ["psicologica"],
        "perpetrator_relationship": "partner", "location_type": "home"},
    "PATCH /incidents/{incident_id}": {"place_ubigeo": "190101", "consent_for_statistics": True},
    "POST /cases/{case_id}/conferences": {"held_at": "{now}", "organization_ids": ["{hospital_id}"],
                                          "decisions": "Acuerdos {n}."},
    "POST /cases/{case_id}/consents": {"recipient_sector": "health", "given_by": "survivor",
                                       "method": "verbal", "given_at": "{now}"},
    "POST /consents/{consent_id}/withdraw": {"note": "Cambió de idea."},
    "POST /cases/{case_id}/risk-assessments": {"instrument": "fvr-demo-v1", "answers": {
        "escalation": False, "weapon": False, "threats_to_kill": False, "strangulation": False,
        "forced_sex": False, "stalking": False, "jealousy_control": 0, "separation": False,
        "pregnancy": False, "threats_to_children": False}},
    "POST /cases/{case_id}/sessions": {"discipline": "admission", "started_at": "{now}",
                                       "duration_minutes": 30, "summary": "Sesión {n}."},
    "POST /cases/{case_id}/plan-items": {"need": "safety", "service_type": "shelter", "decision": "referred"},
    "PATCH /plan-items/{item_id}": {"note": "Nota {n}"},
    "POST /cases/{case_id}/approvals": {"kind": "closure"},
    "POST /approvals/{approval_id}/decision": {"decision": "approved", "note": "Aprobado."},
    "POST /cases/{case_id}/close": {"reason": "needs_met", "needs_met": True, "safety_plan_reviewed": True,
                                    "survivor_informed_may_return": True},
    "POST /cases/{case_id}/reopen": {"reason": "new_incident"},
    "POST /notifications/read": {},
    "POST /cases/{case_id}/visit-plans": {"assignee_id": "{mentor_user_id}", "kind": "mentor_accompaniment",
                                          "starts_on": "{today}", "count": 2},
    "PATCH /visit-plans/{plan_id}": {"cadence_days": 10},
    "POST /visits/{visit_id}/log": {"outcome": "done", "happened_at": "{now}", "modality": "phone",
                                    "notes": "Nota {n}"},
    "POST /cases/{case_id}/referrals": {"to_organization_id": "{hospital_id}", "service_type": "hiv_pep",
                                        "priority": "high"},
    "POST /referrals/{referral_id}/transitions": {"status": "accepted"},
    "POST /referrals/{referral_id}/onward": {"to_organization_id": "{hospital_id}", "service_type": "hiv_pep"},
    "POST /deadline-rules": {"code": "matrix_rule_{n}", "label": "Regla {n}", "service_type": "other",
                             "anchor": "referral_sent", "milestone": "accepted", "hours": 48,
                             "source": "Matriz de acceso", "effective_from": "{now}"},
    "PATCH /deadline-rules/{rule_id}": {"label": "Etiqueta {n}"},
    "POST /survivors/{survivor_id}/custody": {"status": "in_custody", "facility_id": "{facility_id}",
                                              "since": "{today}"},
    "POST /cases/{case_id}/supplies": {"kind": "hygiene_kit", "delivered_at": "{now}"},
    "POST /cases/{case_id}/visit-restrictions": {"person_name": "Persona {n}", "relationship": "other"},
    "POST /cases/{case_id}/custody-screenings": {"screened_at": "{now}", "findings": {"mental_health": True}},
    "POST /cases/{case_id}/custody-disclosures": {"disclosed_at": "{now}", "legal_recourse": "undecided"},
}

#: Query strings a route needs.
QUERIES = {
    "GET /cases/{case_id}/consents/coverage": "organization_id={hospital_id}",
}
