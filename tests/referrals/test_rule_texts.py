"""Deadline rules read in her language: labels and sources in Spanish by default, the
citation as the law names it; a rule an administrator wrote reads as written."""

from datetime import timedelta

from caseflow.core.clock import utcnow
from testkit.api import bearer, get
from testkit.factories import UserFactory
from tests.referrals.factories import Network, consent, rape_incident, refer


def _rule(client, user, code, language=None):
    headers = {**bearer(user), **({"Accept-Language": language} if language else {})}
    response = client.get("/api/v1/deadline-rules", query_string={"code": code}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"][0]


def test_seeded_rules_read_in_spanish_by_default_and_english_on_request(client):
    admin = UserFactory(role="admin")
    spanish = _rule(client, admin, "police_to_family_court")
    assert spanish["label"] == "La policía remite el caso al juzgado de familia"
    assert spanish["source"].startswith("Ley 30364, art. 15: la policía remite")
    english = _rule(client, admin, "police_to_family_court", "en")
    assert english["label"] == "Police sends the case to the family court"
    assert _rule(client, admin, "acknowledge_high")["source"].startswith("Primero GBV")


def test_a_referral_shows_its_rule_in_spanish(client):
    net = Network()
    case = net.centre.case()
    rape_incident(client, net.worker, case, utcnow() - timedelta(hours=3))
    consent(client, net.worker, case, sector="health")
    referral = refer(client, net.worker, case, net.hospital, "hiv_pep", priority="high").get_json()
    assert referral["deadline_rule"]["label"] == "Profilaxis posexposición al VIH"
    read = get(client, net.worker, f"/referrals/{referral['id']}").get_json()
    assert read["deadline_rule"]["label"] == "Profilaxis posexposición al VIH"
    assert {c["rule"]["label"] for c in read["clocks"]} >= {"Profilaxis posexposición al VIH"}
    listed = get(client, net.worker, "/referrals").get_json()["items"]
    assert listed[0]["deadline_rule"]["label"] == "Profilaxis posexposición al VIH"


def test_a_rule_written_by_an_administrator_reads_as_written(client):
    admin = UserFactory(role="admin")
    created = client.post("/api/v1/deadline-rules", headers=bearer(admin), json={
        "code": "custom_shelter", "label": "Acogida en casa refugio", "service_type": "shelter",
        "anchor": "referral_sent", "milestone": "accepted", "hours": 48,
        "source": "Protocolo local", "effective_from": utcnow().isoformat()})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["label"] == "Acogida en casa refugio"
    assert _rule(client, admin, "custom_shelter", "en")["source"] == "Protocolo local"
