"""Core in Spanish (issue 10, item 3): SDG titles, chart words and numbers, shared validation
messages, ledger labels and the project's error pages follow the active language."""

from datetime import date
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import translation

from commonground.core import codelists
from commonground.core.charts import ChartPoint, TargetLine, bar_chart, progress_chart
from commonground.core.errors import InvalidInput
from commonground.core.templatetags.ledger import action_label
from commonground.core.validation import Errors, decimal, text

SVG = "{http://www.w3.org/2000/svg}"


def test_sdg_titles_are_spanish_when_the_interface_is_spanish() -> None:
    with translation.override("es"):
        goals = dict(codelists.sdg_goals())
        targets = dict(codelists.sdg_targets())
    assert goals[11].startswith("Lograr que las ciudades")
    assert targets["1.1"].startswith("De aquí a 2030, erradicar")
    with translation.override("en"):
        assert dict(codelists.sdg_goals())[11].startswith("Make cities")


def test_sdg_titles_fall_back_to_english_where_the_translation_is_of_older_text() -> None:
    with translation.override("es"):
        indicators = {code: title for code, _target, title in codelists.sdg_indicators()}
    assert indicators["1.1.1"].startswith("Proporción de la población")
    # Revised in the 2025 review: open-sdg's Spanish translates the old indicator.
    assert indicators["4.6.1"] == "Youth/adult literacy rate"
    # Added in 2025: no Spanish title at all.
    assert indicators["2.2.4"].startswith("Prevalence of minimum dietary diversity")
    assert len(indicators) == len(codelists.sdg_indicators())


def test_open_sdg_reader_handles_quoted_and_folded_titles() -> None:
    titles = codelists.read_open_sdg_yaml(
        codelists.SDG / "open-sdg-translations-es" / "global_indicators.yml"
    )
    assert titles["1-4-2-title"].startswith("Proporción del total de la población adulta")
    assert titles["1-4-2-title"].endswith("desglosada por sexo y tipo de tenencia")
    assert titles["12-8-1-title"].startswith("Grado en que i) la educación")
    assert "\n" not in titles["12-8-1-title"] and "'" not in titles["1-4-2-title"]


def _chart_desc(**overrides: object) -> str:
    arguments: dict[str, object] = {
        "id_prefix": "c",
        "title": "Hogares",
        "points": [
            ChartPoint(date(2025, 3, 31), Decimal("1200.5"), "2025-T1"),
            ChartPoint(date(2025, 6, 30), None, "2025-T2"),
            ChartPoint(date(2025, 9, 30), 1800, "2025-T3"),
        ],
        "target": TargetLine(2500, date(2026, 12, 31)),
        "unit": "hogares",
    }
    arguments.update(overrides)
    chart = str(progress_chart(**arguments))  # type: ignore[arg-type]
    root = ET.fromstring(chart)  # noqa: S314 - our own output
    return root.findtext(f"{SVG}desc") or ""


def test_chart_description_speaks_spanish_with_spanish_numbers_and_dates() -> None:
    with translation.override("es"):
        desc = _chart_desc()
    assert desc.startswith(
        "Los valores reales suben de 1.200,5 hogares en 2025-T1 a 1.800 hogares en 2025-T3 "
        "(2 resultados informados)."
    )
    assert "1 periodo no tiene valor informado." in desc
    assert "La meta es 2.500 hogares para el 31 de diciembre de 2026." in desc


def test_chart_description_in_english_is_unchanged_but_for_the_named_date_format() -> None:
    with translation.override("en"):
        desc = _chart_desc()
    assert "Actual values rise from 1,200.5 hogares in 2025-T1 to 1,800 hogares" in desc
    assert "The target is 2,500 hogares by 31 December 2026." in desc


def test_bar_chart_in_spanish() -> None:
    with translation.override("es"):
        bars = [("Mujeres", 1200), ("", None)]
        chart = str(bar_chart(id_prefix="b", title="Por sexo", bars=bars))
    root = ET.fromstring(chart)  # noqa: S314 - our own output
    assert root.findtext(f"{SVG}desc") == "Mujeres: 1.200 (100%). Sin informar: Sin nombre."


def test_shared_validation_messages_follow_the_language() -> None:
    errors = Errors()
    with translation.override("es"):
        text({}, "title", errors, required=True, label="un título")
        text({"name": "x" * 5}, "name", errors, max_length=3)
        decimal("doce", "value", errors)
        with pytest.raises(InvalidInput) as refused:
            errors.raise_if_any()
    assert errors == {
        "title": ["Indique un título."],
        "name": ["No puede superar los 3 caracteres."],
        "value": ["«doce» no es un número."],
    }
    assert refused.value.message == "Hay que corregir algunos campos."


def test_ledger_action_labels_are_translated() -> None:
    with translation.override("es"):
        assert action_label("partnership.create") == "creó la alianza"
    with translation.override("en"):
        assert action_label("partnership.create") == "created the partnership"


@pytest.mark.django_db
def test_not_found_page_in_spanish() -> None:
    response = Client(headers={"accept-language": "es"}).get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>No encontrado</h1>" in page and "Aquí no hay nada" in page
