"""Results in Spanish: the messages the services, the import checks and the API write come out in
the reader's language, and nothing kept (import jobs, cached API bodies, progress summaries)
freezes one language for everybody.

The catalogue must be compiled (`make test` does it; by hand: `commonground compilemessages`).
"""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import translation

from commonground.partnerships.models import Seat
from commonground.results import imports, progress
from commonground.results.api import serialised
from commonground.results.models import ImportJob, ImportJobStatus, IndicatorProgress, Result
from commonground.results.services import import_jobs
from commonground.results.tests.factories import make_indicator, make_objective
from commonground.results.tests.test_api import Caller, a_path, error, report
from commonground.results.tests.test_api import fw as api_fw  # noqa: F401 (fixture)
from commonground.results.tests.test_import_jobs import _client, _rows, _upload
from commonground.results.tests.test_import_jobs import indicators as job_indicators  # noqa: F401
from commonground.results.tests.test_imports import csv_bytes, plan_for
from commonground.results.tests.test_imports import fw as import_fw  # noqa: F401 (fixture)
from conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    translation.activate("en")


# --- the import's dry run ------------------------------------------------------------------


def test_a_dry_run_in_spanish_names_the_bad_row_and_column_in_spanish(import_fw) -> None:  # noqa: F811
    beds = import_fw.beds.pk
    data = csv_bytes(f"{beds},,2025-Q1,,12,,,", f"{beds},,2025-Q1,,3,,other,")
    with translation.override("es"):
        plan = plan_for(import_fw, data)
        problems = [str(problem) for problem in plan.problems]
    assert not plan.ok
    assert problems == [
        "Fila 3, columna sex: «other» no es un valor permitido de sex (permitidos: female, male)."
    ]


def test_a_problem_is_worded_when_it_is_read_not_when_it_was_found(import_fw) -> None:  # noqa: F811
    """The same plan read in two languages: the worker checks once, people read it in theirs."""
    plan = plan_for(import_fw, csv_bytes("999999,,2025-Q1,,12,,,"))
    [problem] = plan.problems
    assert (
        str(problem)
        == "Row 2, column indicator_id: There is no indicator 999999 in this partnership."
    )
    with translation.override("es"):
        assert str(problem) == (
            "Fila 2, columna indicator_id: No hay ningún indicador 999999 en esta alianza."
        )


def test_a_period_of_the_wrong_frequency_is_explained_in_spanish(import_fw) -> None:  # noqa: F811
    with translation.override("es"):
        plan = plan_for(import_fw, csv_bytes(f"{import_fw.beds.pk},,2025-03,,12,,,"))
        [message] = [str(problem) for problem in plan.problems]
    assert message == (
        "Fila 2, columna period: «2025-03» es un periodo mensual, pero este indicador se informa "
        "trimestralmente (p. ej., 2025-Q1)."
    )


def test_a_refused_file_says_why_in_spanish() -> None:
    with translation.override("es"), pytest.raises(imports.FileRefused) as refused:
        imports.parse(b"", name="vacio.csv")
    assert refused.value.message == "El archivo está vacío: descargue la plantilla y complétela."


def test_the_import_template_explains_itself_in_spanish_with_the_column_names_kept(
    import_fw,  # noqa: F811
) -> None:
    with translation.override("es"):
        text = imports.template_csv(import_fw.world.a, today=dt.date(2025, 7, 15))
    header = next(line for line in text.splitlines() if not line.startswith(('"#', "#")))
    assert header == "indicator_id,indicator,period,partner,value,text_value,sex,note"
    assert "# Complete value (o text_value) e importe el archivo" in text
    assert "se informa trimestralmente (p. ej., 2025-Q1 … 2025-Q4)" in text


# --- the worker's import jobs --------------------------------------------------------------


@pytest.fixture
def _worker_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.CACHES = {
        **settings.CACHES,
        "progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "progress"),
        },
    }
    with time_machine.travel(dt.datetime(2025, 8, 15, 9, tzinfo=dt.UTC), tick=True):
        yield


@pytest.mark.usefixtures("_worker_settings")
def test_a_jobs_problems_are_kept_in_every_language_and_read_in_the_readers(
    world: World,
    job_indicators,  # noqa: F811
    run_tasks,
) -> None:
    rows = _rows(job_indicators)
    rows[2][0] = 999999  # row 4 names an indicator that does not exist
    _upload(_client(world.reporter), world, _csv_of(rows))
    assert run_tasks() == ["problems"]
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    # What is stored names no one language: each is kept, and the reader's is shown.
    [kept] = job.plan["problems"]
    assert set(kept["messages"]) == {"en", "es"}
    with translation.override("es"):
        [problem] = job.problems
        assert problem["row"] == 4 and problem["column"] == "indicator_id"
        assert problem["message"] == kept["messages"]["es"]
        assert job.message_text == "El archivo tiene problemas."
    with translation.override("en"):
        assert job.problems[0]["message"] == kept["messages"]["en"]
        assert job.message_text == "The file has problems."
    assert kept["messages"] == {
        "en": "There is no indicator 999999 in this partnership.",
        "es": "No hay ningún indicador 999999 en esta alianza.",
    }
    assert kept["message"] == kept["messages"]["en"]  # what older pages read


def _csv_of(rows: list[list[object]]) -> bytes:
    from commonground.results.tests.test_import_pages import _csv

    return _csv(rows)


@pytest.mark.usefixtures("_worker_settings")
def test_a_failed_jobs_message_follows_the_reader(world: World, job_indicators, run_tasks) -> None:  # noqa: F811
    _upload(_client(world.reporter), world, _csv_of(_rows(job_indicators)))
    assert run_tasks() == ["checked"]
    job = import_jobs.job_confirm(actor=world.reporter, job=ImportJob.objects.get())
    Seat.objects.filter(user=world.reporter, partnership=world.a).update(role="viewer")
    assert run_tasks() == ["failed"]
    job.refresh_from_db()
    assert "no longer allows reporting" in job.message  # the site's default, as before
    with translation.override("es"):
        assert job.message_text == (
            "Su puesto en esta alianza ya no permite informar resultados; no se importó nada."
        )
    assert "no longer allows reporting" in job.message_text


# --- the API ---------------------------------------------------------------------------------


def test_an_api_refusal_of_a_results_rule_has_a_spanish_message(world: World, api_fw) -> None:  # noqa: F811
    editor = Caller(world.editor)
    result = report(world, editor, api_fw.housed, value=5).json()
    path = a_path(world, f"/results/{result['id']}")
    assert editor.post(path + "/submit").status_code == 200
    response = editor.client.generic(
        "POST",
        "/api/v1" + path + "/approve",
        "",
        content_type="application/json",
        headers={"Accept-Language": "es"},
    )
    body = error(response, 409)
    assert body["code"] == "own_submission"
    assert body["message"] == "Nadie aprueba su propio envío: pida a otro revisor que lo haga."
    assert Result.objects.get(pk=result["id"]).status == "submitted"


def test_an_api_field_refusal_names_the_field_in_spanish(world: World, api_fw) -> None:  # noqa: F811
    response = Caller(world.reporter).client.post(
        "/api/v1" + a_path(world, "/results"),
        {"indicator_id": api_fw.rate.pk, "period": "2025-Q1", "value": 140},
        content_type="application/json",
        headers={"Accept-Language": "es"},
    )
    body = error(response, 400)
    assert body["message"] == "Hay valores que corregir."
    assert body["fields"]["value"] == ["140 no es un porcentaje: debe estar entre 0 y 100."]


def test_the_same_error_in_english_without_accept_language(world: World, api_fw) -> None:  # noqa: F811
    response = Caller(world.reporter).client.post(
        "/api/v1" + a_path(world, "/results"),
        {"indicator_id": api_fw.rate.pk, "period": "2025-Q1", "value": 140},
        content_type="application/json",
    )
    assert error(response, 400)["message"] == "Some values need correcting."


# --- status labels -----------------------------------------------------------------------------


def test_indicator_status_labels_are_spanish_in_spanish() -> None:
    with translation.override("es"):
        labels = {status.value: str(label) for status, label in progress.STATUS_LABELS.items()}
    assert labels == {
        "achieved": "Logrado",
        "on_track": "En camino",
        "at_risk": "En riesgo",
        "off_track": "Desviado",
        "not_started": "Sin iniciar",
        "no_recent_data": "Sin datos recientes",
    }
    assert str(progress.STATUS_LABELS[progress.Status.AT_RISK]) == "At risk"


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cached_progress_body_is_kept_per_language(
    world: World,
    api_fw,  # noqa: F811
    monkeypatch,
    enabled: bool,
) -> None:
    """The progress API's body is cached (api/serialised.py): a Spanish reader after an English
    one gets Spanish labels, and the English reader after that English ones again; the summary
    in the database holds only the status code."""
    monkeypatch.setattr(serialised, "ENABLED", enabled)
    client = Caller(world.coordinator).client
    path = "/api/v1" + a_path(world, "/progress")

    def labels(language: str) -> dict[int, tuple[str, str]]:
        body = client.get(path, headers={"Accept-Language": language}).json()
        return {row["id"]: (row["status"], row["status_label"]) for row in body["indicators"]}

    english, spanish, again = labels("en"), labels("es"), labels("en")
    assert english[api_fw.housed.pk] == ("not_started", "Not started")
    assert spanish[api_fw.housed.pk] == ("not_started", "Sin iniciar")
    assert again == english
    stored = IndicatorProgress.objects.get(indicator=api_fw.housed).status
    assert stored == "not_started"


def test_an_indicators_choices_are_labelled_in_spanish(world: World) -> None:
    indicator = make_indicator(world, make_objective(world), measure="2", aggregation="latest")
    with translation.override("es"):
        assert str(indicator.get_measure_display()) == "Porcentaje"
        assert str(indicator.get_frequency_display()) == "Trimestral"
        assert str(indicator.objective.get_level_display()) == "Efecto"


def test_numbers_on_results_pages_use_the_languages_separators() -> None:
    from decimal import Decimal

    from commonground.results.templatetags.results_tags import number, percent

    assert (number(Decimal("1250.5")), percent(Decimal("56.14"))) == ("1,250.5", "56.1%")
    with translation.override("es"):
        assert (number(Decimal("1250.5")), percent(Decimal("56.14"))) == ("1.250,5", "56,1%")
