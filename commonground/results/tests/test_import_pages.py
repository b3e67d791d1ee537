"""The import pages: template download, upload with its dry run (problems by row and column,
or what would change), confirmation, and the stored upload scoped to the person who made it."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commonground.results.models import Result, ResultStatus
from commonground.results.tests.factories import make_indicator, make_objective

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2025(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(dt.datetime(2025, 8, 15, 9, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def indicators(world):
    outcome = make_objective(world, title="People housed quickly")
    housed = make_indicator(world, outcome, title="People housed")
    beds = make_indicator(world, outcome, title="Beds opened", target_value=400)
    return {"housed": housed, "beds": beds}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _url(world, name: str) -> str:
    return reverse(f"results:{name}", args=[world.a.pk])


def _csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["indicator_id", "indicator", "period", "partner", "value", "note"])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _upload(client: Client, world, data: bytes, name: str = "results.csv"):
    return client.post(_url(world, "import"), {"file": SimpleUploadedFile(name, data)})


def _token(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "no Import now form"
    return match[1]


def _rows(indicators, housed_q2: object = 12) -> list[list[object]]:
    housed, beds = indicators["housed"], indicators["beds"]
    return [
        [housed.pk, housed.title, "2025-Q1", "", 10, ""],
        [housed.pk, housed.title, "2025-Q2", "", housed_q2, ""],
        [beds.pk, beds.title, "2025-Q1", "", 3, "new shelter"],
    ]


def test_import_page_offers_the_templates_and_a_labelled_upload(world, indicators):
    response = _client(world.reporter).get(_url(world, "import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_file">Results file' in html
    assert 'accept=".csv,.xlsx' in html
    assert "up to 20 MB" in _text(response)
    assert f'href="{_url(world, "import_template_csv")}"' in html
    assert f'href="{_url(world, "import_template_xlsx")}"' in html


def test_framework_and_indicator_pages_link_to_the_import(world, indicators):
    client = _client(world.reporter)
    framework = client.get(_url(world, "framework")).content.decode()
    assert f'href="{_url(world, "import")}">Import results (CSV/XLSX)' in framework
    indicator_page = client.get(
        reverse("results:indicator", args=[world.a.pk, indicators["housed"].pk])
    ).content.decode()
    assert "Import results (CSV/XLSX)" in indicator_page
    assert f"{_url(world, 'import')}?indicator={indicators['housed'].pk}" in indicator_page


def test_template_download_lists_the_indicators_with_the_reporters_organisation(world, indicators):
    response = _client(world.reporter).get(_url(world, "import_template_csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    assert "People housed" in body and "Beds opened" in body
    assert world.ngo_a.organisation.name in body
    xlsx = _client(world.reporter).get(_url(world, "import_template_xlsx"))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_an_indicator_template_has_only_that_indicator(world, indicators):
    url = _url(world, "import_template_csv") + f"?indicator={indicators['beds'].pk}"
    body = _client(world.reporter).get(url).content.decode()
    assert "Beds opened" in body and "People housed" not in body


def test_an_indicator_of_another_partnership_is_not_found(world, indicators):
    other = make_indicator(
        world,
        make_objective(world, partnership=world.b, actor=world.other_coordinator),
        actor=world.other_coordinator,
    )
    client = _client(world.reporter)
    for name in ("import_template_csv", "import"):
        assert client.get(_url(world, name) + f"?indicator={other.pk}").status_code == 404


def test_a_bad_row_is_shown_by_row_and_column_and_nothing_is_written(world, indicators):
    response = _upload(_client(world.reporter), world, _csv(_rows(indicators, "twelve")))
    assert response.status_code == 200
    text = _text(response)
    assert "Nothing was imported: 1 problem in 1 row. Fix the file and upload it again." in text
    assert 'role="alert"' in response.content.decode()
    assert re.search(r"Row 3 value .*twelve", text), text
    assert "Import now" not in text
    assert not Result.objects.exists()


def test_a_valid_file_is_previewed_then_imported_as_drafts_and_a_reupload_changes_nothing(
    world, indicators, settings
):
    client = _client(world.reporter)
    data = _csv(_rows(indicators))
    preview = _upload(client, world, data)
    assert "3 results created, 0 updated, 0 unchanged." in _text(preview)
    assert not Result.objects.exists()

    done = client.post(_url(world, "import_confirm"), {"token": _token(preview)}, follow=True)
    assert done.redirect_chain[-1][0] == _url(world, "framework")
    assert (
        "Imported: 3 created, 0 updated, 0 unchanged. Submit them for review from each "
        "indicator." in _text(done)
    )
    results = Result.objects.all()
    assert results.count() == 3
    assert {r.status for r in results} == {ResultStatus.DRAFT}
    assert {r.partner_id for r in results} == {world.ngo_a.pk}
    assert client.session.get("result_imports") == {}
    assert not any((settings.MEDIA_ROOT / "imports").iterdir())  # the upload is gone

    again = _upload(client, world, data)
    assert "0 results created, 0 updated, 3 unchanged." in _text(again)
    assert "Import now" not in _text(again)


def test_a_confirmed_token_cannot_be_used_twice(world, indicators):
    client = _client(world.reporter)
    token = _token(_upload(client, world, _csv(_rows(indicators))))
    assert client.post(_url(world, "import_confirm"), {"token": token}).status_code == 302
    assert client.post(_url(world, "import_confirm"), {"token": token}).status_code == 404


def test_a_token_not_in_the_session_is_not_found(world, indicators):
    token = _token(_upload(_client(world.reporter), world, _csv(_rows(indicators))))
    # The editor may import too, but did not upload this file.
    response = _client(world.editor).post(_url(world, "import_confirm"), {"token": token})
    assert response.status_code == 404
    forged = _client(world.reporter).post(
        _url(world, "import_confirm"), {"token": "../../settings.py"}
    )
    assert forged.status_code == 404
    assert not Result.objects.exists()


def test_data_changed_between_check_and_confirm_shows_the_problems_again(world, indicators):
    client = _client(world.reporter)
    token = _token(_upload(client, world, _csv(_rows(indicators))))
    indicators["beds"].delete()
    response = client.post(_url(world, "import_confirm"), {"token": token})
    assert response.status_code == 200
    assert "Nothing was imported: 1 problem in 1 row." in _text(response)
    assert not Result.objects.exists()


def test_a_confirm_without_a_token_goes_back_to_the_upload(world, indicators):
    response = _client(world.reporter).post(_url(world, "import_confirm"), {}, follow=True)
    assert response.redirect_chain[-1][0] == _url(world, "import")
    assert "There is no checked file to import: upload it first." in _text(response)


def test_a_png_renamed_csv_is_refused_with_a_clear_message(world, indicators):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    response = _upload(_client(world.reporter), world, png, name="results.csv")
    assert response.status_code == 200
    html = response.content.decode()
    errors = re.search(r'<ul class="errorlist" id="id_file_error">(.*?)</ul>', html, re.S)
    assert errors and "is not a CSV or XLSX file" in errors[1]


def test_an_upload_without_a_file_asks_for_one(world, indicators):
    response = _client(world.reporter).post(_url(world, "import"), {})
    assert "Choose the file to import." in _text(response)


def test_a_viewer_may_not_import(world, indicators):
    client = _client(world.viewer)
    assert client.get(_url(world, "import")).status_code == 403
    assert client.get(_url(world, "import_template_csv")).status_code == 403
    assert not re.search(r"Import results", client.get(_url(world, "framework")).content.decode())
