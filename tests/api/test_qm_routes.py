"""The quality-management calculators and classification over HTTP: answers equal the
analysis functions and values worked out here by hand; bad input is a 422 naming the field;
every caller, the public included, may use them. Synthetic data."""

from __future__ import annotations

import itertools
import math

import pytest
from api_support import Api

from minewatch.analysis import classification, sampling, zero_find
from minewatch.config import load_config
from minewatch.domain.records import Evidence, EvidenceSource, EvidenceType, HazardousArea


def _hypergeom_accept(lot: int, dirty: int, n: int, ac: int) -> float:
    """P(at most ``ac`` dirty units in a sample of n), by direct counting."""
    ways = sum(math.comb(dirty, d) * math.comb(lot - dirty, n - d) for d in range(ac + 1))
    return ways / math.comb(lot, n)


def test_sampling_plan_matches_the_tables_and_the_analysis(api: Api) -> None:
    body = api.client().get(
        "/api/qm/sampling-plan", params={"lot_size": 1200, "aql": 1.0, "level": "II"}
    )
    assert body.status_code == 200
    plan = body.json()["plan"]
    # ISO 2859-1 Table 1: 501–1200 units at level II is J; Table 2-A: J is n = 80, and at
    # AQL 1.0 Ac = 2, Re = 3.
    assert (plan["code_letter"], plan["sample_size"]) == ("J", 80)
    assert (plan["acceptance_number"], plan["rejection_number"]) == (2, 3)
    expected = sampling.single_sampling_plan(1200, "II", 1.0)
    assert plan["acceptance_number"] == expected.acceptance_number
    assert "Ac" in body.json()["formula"]

    tightened = api.client().get(
        "/api/qm/sampling-plan",
        params={"lot_size": 1200, "aql": 1.0, "severity": "tightened"},
    )
    assert tightened.json()["plan"]["acceptance_number"] == (
        sampling.single_sampling_plan(1200, "II", 1.0, "tightened").acceptance_number
    )


def test_oc_curve_points_are_hypergeometric_acceptance_probabilities(api: Api) -> None:
    curve = (
        api.client()
        .get("/api/qm/sampling-plan", params={"lot_size": 1200, "aql": 1.0, "max_percent": 10})
        .json()["oc_curve"]
    )
    assert curve[0] == {"percent_nonconforming": 0.0, "p_accept": 1.0}
    assert curve[-1]["percent_nonconforming"] == pytest.approx(10.0)
    accepts = [p["p_accept"] for p in curve]
    assert all(a >= b - 1e-12 for a, b in itertools.pairwise(accepts))
    for point in curve[::25]:
        dirty = round(point["percent_nonconforming"] / 100 * 1200)
        assert point["p_accept"] == pytest.approx(_hypergeom_accept(1200, dirty, 80, 2), abs=1e-9)


def test_accept_on_zero_equals_a_direct_hypergeometric_count(api: Api) -> None:
    body = (
        api.client()
        .get(
            "/api/qm/accept-on-zero",
            params={"units": 400, "clean_fraction": 0.99, "confidence": 0.95},
        )
        .json()
    )
    # 99 % of 400 clean breaks from D* = 5 dirty units; n is the smallest sample that misses
    # all five with probability at most 5 %.
    n = body["sample_size"]
    assert body["dirty_limit"] == 5
    assert _hypergeom_accept(400, 5, n, 0) <= 0.05 < _hypergeom_accept(400, 5, n - 1, 0)
    assert n == zero_find.accept_on_zero_sample_size(400, 0.99, 0.95).sample_size
    assert body["achieved_confidence"] == pytest.approx(1 - _hypergeom_accept(400, 5, n, 0))


def test_zero_find_bounds_by_hand_and_with_a_prior(api: Api) -> None:
    body = (
        api.client()
        .get(
            "/api/qm/zero-find",
            params={
                "searched_fraction": 0.1,
                "detection_probability": 0.9,
                "confidence": 0.95,
                "prior_shape": 1,
                "prior_rate": 0.5,
            },
        )
        .json()
    )
    poisson, binomial, gamma = body["bounds"]
    q = 0.1 * 0.9
    assert poisson["items_left_upper"] == pytest.approx(-math.log(0.05) / q * (1 - q))
    k = binomial["items_left_upper"]
    assert (1 - q) ** k >= 0.05 > (1 - q) ** (k + 1)
    assert poisson["unsearched_upper"] + poisson["missed_in_searched_upper"] == pytest.approx(
        poisson["items_left_upper"]
    )
    expected = zero_find.zero_find_gamma_posterior(0.1, 0.9, 0.95, 1.0, 0.5)
    assert gamma["model"] == "gamma-poisson"
    assert gamma["items_left_upper"] == expected.items_upper
    assert gamma["posterior_mean_left"] == pytest.approx(1.0 * (1 - q) / (0.5 + q))


def test_a_search_too_weak_for_floating_point_answers_at_once(api: Api) -> None:
    """Once a request with f·p ≈ 1e-300 never returned (binomial repair loop)."""
    weak = {"searched_fraction": 1e-300, "detection_probability": 0.5}
    assert api.client().get("/api/qm/zero-find", params=weak).status_code == 200
    tiny = {"searched_fraction": 5e-324, "detection_probability": 1}
    response = api.client().get("/api/qm/zero-find", params=tiny)
    assert response.status_code == 422
    assert response.json()["location"]["field"] == "searched_fraction"


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/qm/accept-on-zero", {"units": 400, "clean_fraction": 1.5}, "clean_fraction"),
        ("/api/qm/accept-on-zero", {"units": 0, "clean_fraction": 0.9}, "units"),
        ("/api/qm/sampling-plan", {"lot_size": 1200, "aql": 1.1}, "aql"),
        ("/api/qm/sampling-plan", {"lot_size": 1200, "aql": 1.0, "level": "IV"}, "level"),
        ("/api/qm/sampling-plan", {"lot_size": 1, "aql": 1.0}, "lot_size"),
        (
            "/api/qm/zero-find",
            {"searched_fraction": 0.1, "detection_probability": 0.9, "prior_shape": 1},
            "prior_rate",
        ),
        ("/api/qm/zero-find", {"searched_fraction": 0, "detection_probability": 0.9}, None),
    ],
)
def test_bad_input_is_422_naming_the_field(
    api: Api, path: str, params: dict[str, object], field: str | None
) -> None:
    response = api.client().get(path, params=params)
    assert response.status_code == 422
    body = response.json()
    named = (
        body["location"]["field"]
        if "location" in body
        else body["detail"][0]["loc"][-1]  # FastAPI's own validation
    )
    assert named == (field or "searched_fraction")


def test_classification_from_an_evidence_list_uses_the_national_weights(api: Api) -> None:
    evidence = [
        {"type": "eo_seen", "source": "told"},
        {"type": "marking", "source": "seen", "note": "synthetic"},
    ]
    body = api.client().post("/api/qm/classify", json={"evidence": evidence}).json()
    expected = classification.suggest_classification(
        [
            Evidence(type=EvidenceType.EO_SEEN, source=EvidenceSource.TOLD),
            Evidence(type=EvidenceType.MARKING, source=EvidenceSource.SEEN),
        ],
        load_config().classification,
    )
    assert body["suggestion"] == (expected.hazard_class.value if expected.hazard_class else "none")
    assert body["confidence"] == pytest.approx(expected.confidence, abs=1e-4)
    strengths = [m["strength"] for m in body["matrix"]]
    assert body["evidence_strength"] == pytest.approx(
        1 - math.prod(1 - s for s in strengths), abs=1e-3
    )
    nothing = api.client().post("/api/qm/classify", json={"evidence": []}).json()
    assert nothing["suggestion"] == "none"


def test_classification_settings_are_the_national_configuration(api: Api) -> None:
    body = api.client().get("/api/qm/classification-settings").json()
    cfg = load_config().classification
    assert body["type_weights"] == {t.value: cfg.type_weights[t] for t in EvidenceType}
    assert body["sha_threshold"] == cfg.sha_threshold
    assert set(body["direct_evidence"]) == {t.value for t in cfg.direct_evidence}


def test_classification_reports_all_reasonable_effort_when_given(api: Api) -> None:
    body = (
        api.client()
        .post(
            "/api/qm/classify",
            json={
                "evidence": [{"type": "eo_seen", "source": "seen"}],
                "effort": {"informants": 0, "site_visited": False, "records_checked": False},
            },
        )
        .json()
    )
    assert body["all_reasonable_effort"] is False
    assert body["unmet"]


def test_classification_refuses_unknown_evidence_naming_it(api: Api) -> None:
    response = api.client().post(
        "/api/qm/classify", json={"evidence": [{"type": "ufo", "source": "seen"}]}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "evidence", 0, "type"]


def test_classification_of_an_approved_area(api: Api) -> None:
    code = api.approved("w1", evidence=[{"type": "eo_seen", "source": "seen"}])
    body = api.client().get(f"/api/qm/classify/{code}").json()
    assert body["hazardous_area_code"] == code
    assert body["evidence"] == [{"type": "eo_seen", "source": "seen"}]
    assert body["suggestion"] == "CHA"
    assert api.client().get("/api/qm/classify/HA-999999").status_code == 404
    api.store.put_items([HazardousArea(code="HA-777777")])  # no evidence: nothing supported
    assert api.client().get("/api/qm/classify/HA-777777").json()["suggestion"] == "none"
