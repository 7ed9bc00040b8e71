"""Evidence-based SHA/CHA suggestion, all-reasonable-effort check and national configuration."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minewatch.analysis.classification import (
    SurveyEffort,
    assess_all_reasonable_effort,
    suggest_classification,
    suggest_classifications,
)
from minewatch.config import default_config_text, load_config
from minewatch.domain.records import Evidence, EvidenceSource, EvidenceType, HazardClass
from minewatch.errors import InvalidInput

CFG = load_config()


def ev(kind: str, source: str) -> Evidence:
    return Evidence(type=EvidenceType(kind), source=EvidenceSource(source))


@pytest.mark.parametrize(
    ("evidence", "expected", "confidence"),
    [
        ([ev("eo_seen", "seen")], HazardClass.CHA, 0.9),
        ([ev("eo_seen", "told")], HazardClass.CHA, 0.9 * 0.6),
        ([ev("accident", "records")], HazardClass.CHA, 0.9 * 0.8),
        ([ev("marking", "seen")], HazardClass.SHA, 0.6),  # strong but indirect
        ([ev("marking", "seen"), ev("military_positions", "seen")], HazardClass.SHA, 1 - 0.4 * 0.6),
        ([ev("scrap", "seen")], HazardClass.SHA, 0.3),  # exactly at the SHA threshold
        ([ev("scrap", "told")], None, 1 - 0.18),
        ([], None, 1.0),
    ],
)
def test_default_matrix_suggestions(evidence, expected, confidence) -> None:
    s = suggest_classification(evidence, CFG.classification)
    assert s.hazard_class is expected
    assert s.confidence == pytest.approx(confidence)


def test_repeating_the_same_indicator_and_source_adds_nothing() -> None:
    once = suggest_classification([ev("scrap", "told")], CFG.classification)
    thrice = suggest_classification([ev("scrap", "told")] * 3, CFG.classification)
    assert thrice.evidence_strength == once.evidence_strength
    assert thrice.contributions[0].mentions == 3


def test_corroboration_from_another_source_adds_strength() -> None:
    told = suggest_classification([ev("scrap", "told")], CFG.classification)
    both = suggest_classification([ev("scrap", "told"), ev("scrap", "records")], CFG.classification)
    assert both.evidence_strength == pytest.approx(1 - (1 - 0.18) * (1 - 0.24))
    assert both.hazard_class is HazardClass.SHA and told.hazard_class is None


def test_indirect_evidence_can_confirm_when_the_programme_allows_it() -> None:
    lenient = CFG.classification.model_copy(update={"require_direct_evidence_for_cha": False})
    evidence = [ev("marking", "seen"), ev("strike_record", "records")]
    assert suggest_classification(evidence, CFG.classification).hazard_class is HazardClass.SHA
    assert suggest_classification(evidence, lenient).hazard_class is HazardClass.CHA


evidence_lists = st.lists(
    st.builds(Evidence, type=st.sampled_from(list(EvidenceType)),
              source=st.sampled_from(list(EvidenceSource))),
    max_size=8,
)  # fmt: skip
RANK = {None: 0, HazardClass.SHA: 1, HazardClass.CHA: 2}


@given(base=evidence_lists, more=evidence_lists)
def test_more_evidence_never_weakens_the_suggestion(base, more) -> None:
    before = suggest_classification(base, CFG.classification)
    after = suggest_classification(base + more, CFG.classification)
    assert after.evidence_strength >= before.evidence_strength - 1e-12
    assert after.direct_strength >= before.direct_strength - 1e-12
    assert RANK[after.hazard_class] >= RANK[before.hazard_class]
    assert 0.0 <= after.confidence <= 1.0


@settings(max_examples=40, deadline=None)
@given(per_area=st.lists(evidence_lists, min_size=1, max_size=6), lenient=st.booleans())
def test_the_vectorised_table_agrees_with_the_one_area_function(per_area, lenient) -> None:
    cfg = CFG.classification.model_copy(update={"require_direct_evidence_for_cha": not lenient})
    rows = [
        {"area": f"HA-{i}", "type": e.type.value, "source": e.source.value}
        for i, items in enumerate(per_area)
        for e in items
    ]
    table = pd.DataFrame(rows, columns=["area", "type", "source"])
    areas = [f"HA-{i}" for i in range(len(per_area))]
    batch = suggest_classifications(table, cfg, areas=areas)
    assert list(batch.index) == areas
    for area, items in zip(areas, per_area, strict=True):
        one = suggest_classification(items, cfg)
        row = batch.loc[area]
        assert row["hazard_class"] == (one.hazard_class.value if one.hazard_class else None)
        assert row["confidence"] == pytest.approx(one.confidence, abs=1e-12)
        assert row["evidence_strength"] == pytest.approx(one.evidence_strength, abs=1e-12)


def test_the_table_refuses_an_unknown_type_with_its_row() -> None:
    table = pd.DataFrame(
        {"area": ["a", "b"], "type": ["eo_seen", "ufo"], "source": ["seen", "told"]}
    )
    with pytest.raises(InvalidInput) as err:
        suggest_classifications(table, CFG.classification)
    assert (err.value.where.row, err.value.where.field) == (2, "type")


# --- all reasonable effort ------------------------------------------------------------------

GOOD = SurveyEffort(informants=3, site_visited=True, records_checked=True,
                    survey_date=date(2026, 6, 1))  # fmt: skip
TODAY = date(2026, 11, 24)


def test_all_reasonable_effort_met() -> None:
    nothing = suggest_classification([], CFG.classification)
    result = assess_all_reasonable_effort(GOOD, nothing, CFG.all_reasonable_effort, TODAY)
    assert result.met and result.unmet == ()


def test_each_unmet_criterion_is_named() -> None:
    poor = SurveyEffort(informants=0, site_visited=False, records_checked=False,
                        survey_date=date(2024, 1, 1))  # fmt: skip
    seen = suggest_classification([ev("eo_seen", "told")], CFG.classification)
    result = assess_all_reasonable_effort(poor, seen, CFG.all_reasonable_effort, TODAY)
    assert not result.met
    text = " | ".join(result.unmet)
    for phrase in ("0 informant(s)", "no site visit", "records not checked", "days old",
                   "direct evidence", "evidence strength"):  # fmt: skip
        assert phrase in text


def test_criteria_can_be_switched_off(tmp_path: Path) -> None:
    path = tmp_path / "lenient.toml"
    path.write_text(
        "[all_reasonable_effort]\nmin_informants = 0\nrequire_site_visit = false\n"
        "max_survey_age_days = 0\n"
    )
    lenient = load_config(path).all_reasonable_effort
    effort = SurveyEffort(informants=0, site_visited=False, records_checked=True)
    nothing = suggest_classification([], CFG.classification)
    assert assess_all_reasonable_effort(effort, nothing, lenient, TODAY).met


# --- national configuration -----------------------------------------------------------------


def test_shipped_defaults() -> None:
    assert CFG.geometry.max_vertex_gap_m == 5000
    assert CFG.geometry.national_boundary is None
    assert CFG.landrelease.area_tolerance_fraction == 0.05
    assert set(CFG.classification.type_weights) == set(EvidenceType)
    assert "illustrative" in default_config_text()


def test_geometry_defaults_match_the_geometry_rules() -> None:
    from minewatch.domain.geometry import GeometryRules

    shipped = CFG.geometry.model_dump(exclude={"national_boundary"})
    assert shipped == GeometryRules().model_dump()


def test_a_programme_file_overrides_only_what_it_sets(tmp_path: Path) -> None:
    path = tmp_path / "national.toml"
    path.write_text(
        '[classification.type_weights]\nscrap = 0.5\n[geometry]\nnational_boundary = "b.gpkg"\n'
    )
    cfg = load_config(path)
    assert cfg.classification.type_weights[EvidenceType.SCRAP] == 0.5
    assert cfg.classification.type_weights[EvidenceType.EO_SEEN] == 0.9
    assert cfg.geometry.national_boundary == tmp_path / "b.gpkg"
    told_scrap = suggest_classification([ev("scrap", "told")], cfg.classification)
    assert told_scrap.hazard_class is HazardClass.SHA  # 0.5 · 0.6 = 0.30


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[classification]\ncha_treshold = 0.4\n", "classification.cha_treshold"),
        ("[classification.source_factors]\ntold = 1.5\n", "classification"),
        ("[landrelease]\narea_tolerance_fraction = -1\n", "landrelease.area_tolerance_fraction"),
        ("[classification]\ndirect_evidence = ['ufo_seen']\n", "classification.direct_evidence.0"),
    ],
)
def test_bad_configuration_is_refused_with_its_key(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as err:
        load_config(path)
    assert err.value.where.field == field
    assert err.value.where.file == str(path)


def test_unreadable_configuration(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not found"):
        load_config(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[classification\n")
    with pytest.raises(InvalidInput, match="not valid TOML"):
        load_config(broken)
