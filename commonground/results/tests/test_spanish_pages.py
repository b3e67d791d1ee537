"""The results pages in Spanish: headings, buttons, dates and numbers in the reader's language,
the page cache keeping one body per language, and form errors in Spanish."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from commonground.results.models import Indicator, Result
from commonground.results.tests.factories import make_indicator, make_objective, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2025():
    with time_machine.travel(dt.datetime(2025, 8, 15, 9, tzinfo=dt.UTC), tick=True):
        yield


def _client(user, language: str = "es") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def housed(world) -> Indicator:
    outcome = make_objective(world, title="People housed quickly")
    indicator = make_indicator(world, outcome, title="People housed", target_value="1250.5")
    report(world, indicator, "2025-Q1", 10)
    return indicator


def test_the_framework_page_speaks_spanish_with_its_headings_and_buttons(world, housed):
    response = _client(world.coordinator).get(reverse("results:framework", args=[world.a.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert "Marco de resultados" in text
    assert "Impacto, efectos y productos" in text
    assert "Añadir un objetivo" in text  # the coordinator's button
    assert "Informe de avance (imprimir o PDF)" in text
    assert "Sesiones de evaluación" in text
    assert "meta 1.250,50 para 2027" in text  # the number in the Spanish way
    assert "Results framework" not in text and "Add an objective" not in text


def test_the_framework_page_keeps_one_cached_body_per_language(world, housed):
    url = reverse("results:framework", args=[world.a.pk])
    english = _text(_client(world.viewer, "en").get(url))
    spanish = _text(_client(world.viewer, "es").get(url))
    assert "Impact, outcomes and outputs" in english and "target 1,250.50 by 2027" in english
    assert "Impacto, efectos y productos" in spanish
    assert "Impact, outcomes and outputs" not in spanish


def test_the_indicator_page_shows_spanish_headings_buttons_and_dates(world, housed):
    client = _client(world.coordinator)
    client.cookies["cg_language"] = "es"  # the language switch's cookie wins over the browser
    response = client.get(
        reverse("results:indicator", args=[world.a.pk, housed.pk]),
        headers={"accept-language": "en"},
    )
    html = response.content.decode()
    text = _text(response)
    assert "Avance" in text and "Valor acumulado" in text and "Definición" in text
    assert "Informar un resultado" in text and "Editar el indicador" in text
    assert "Meta final 1.250,50 people para el 31 de diciembre de 2027" in text
    assert "Línea de base 0 people el 1 de enero de 2025" in text
    assert "15 de agosto de 2025" in text  # the day "expected by today" is drawn for
    assert "Revisiones de las metas" in text
    # IATI's label of the measure stays English, marked as such
    assert re.search(r'<span lang="en">[^<]+</span> <span class="meta">\(medida de indicador', html)


def test_the_result_page_dates_its_history_in_spanish_with_iso_for_machines(world, housed):
    result = Result.objects.get(indicator=housed)
    response = _client(world.viewer).get(reverse("results:result", args=[world.a.pk, result.pk]))
    html = response.content.decode()
    text = _text(response)
    assert "(del 1 ene 2025 al 31 mar 2025)" not in text  # long dates, not short ones
    assert "2025-Q1 (del 1 de enero de 2025 al 31 de marzo de 2025)" in text
    assert "Historial" in text and "lo aprobó" in text
    assert re.search(r'<time datetime="2025-08-15T\d\d:\d\d:\d\d', html)


def test_a_form_error_on_the_result_entry_form_is_in_spanish(world, housed):
    url = reverse("results:report", args=[world.a.pk, housed.pk])
    response = _client(world.reporter).post(url, {"period": "1999-Q1", "value": "12"})
    assert response.status_code == 200
    text = _text(response)
    assert "Corrija los campos señalados abajo." in text
    assert "Escoja una opción válida. 1999-Q1 no es una de las opciones disponibles." in text
    assert "Guardar el borrador" in text and "Enviar a revisión" in text
    assert not Result.objects.filter(period_start="1999-01-01").exists()


def test_saving_a_draft_says_so_in_spanish(world, housed):
    client = _client(world.reporter)
    url = reverse("results:report", args=[world.a.pk, housed.pk])
    response = client.post(url, {"period": "2025-Q2", "value": "7", "action": "save"}, follow=True)
    assert "Resultado de 2025-Q2 guardado como borrador." in _text(response)
    assert Result.objects.get(indicator=housed, period_start="2025-04-01").value == Decimal(7)


@pytest.mark.parametrize(
    ("name", "args", "heading"),
    [
        ("results:review", [], "Resultados por revisar"),
        ("results:import", [], "Importar resultados"),
        ("results:objective_create", [], "Nuevo objetivo"),
        ("results:dimensions", [], "Dimensiones de desagregación"),
        ("results:evaluations", [], "Sesiones de evaluación"),
        ("results:evaluation_create", [], "Registrar una sesión de evaluación"),
        ("results:indicator_edit", ["indicator"], "Editar el indicador: People housed"),
        ("results:target_revise", ["indicator"], "Metas: People housed"),
        ("results:indicator_library", ["objective"], "Partir de la biblioteca"),
        ("results:report", ["indicator"], "Informar un resultado: People housed"),
    ],
)
def test_every_results_page_has_its_heading_in_spanish(world, housed, name, args, heading):
    ids = {"indicator": housed.pk, "objective": housed.objective_id}
    url = reverse(name, args=[world.a.pk, *(ids[a] for a in args)])
    response = _client(world.coordinator).get(url)
    assert response.status_code == 200
    assert re.search(rf"<h1>{re.escape(heading)}</h1>", response.content.decode())


def test_the_portfolio_speaks_spanish(world, housed):
    response = _client(world.coordinator).get(reverse("results:portfolio"))
    html = response.content.decode()
    text = _text(response)
    # IATI's sector names stay English, marked so; the empty choice is ours
    assert re.search(r'<option value="111" lang="en">111 [A-Z]', html)
    assert '<option value="" selected>Cualquier sector</option>' in html
    assert "Cartera" in text and "Filtrar" in text and "Cualquier estado" in text
    assert "1 alianza" in text or "2 alianzas" in text


def test_selects_offer_their_empty_choice_in_spanish(world, housed):
    client = _client(world.coordinator)
    report_page = client.get(reverse("results:report", args=[world.a.pk, housed.pk]))
    assert '<option value="">Elija un socio</option>' in report_page.content.decode()
    edit = client.get(reverse("results:indicator_edit", args=[world.a.pk, housed.pk]))
    assert '<option value="">Aún ningún socio</option>' in edit.content.decode()
