"""The daily sweep of uploads that no row names (a rolled-back transaction's files)."""

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from commonground.core import jobs
from commonground.core.files import sweep_orphan_files
from commonground.results.models import Result
from commonground.results.tests.factories import make_indicator, make_objective

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _age(name: str, days: float) -> None:
    when = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(default_storage.path(name), (when, when))


def _result(world) -> Result:
    indicator = make_indicator(world, make_objective(world))
    return Result.objects.create(
        partnership=world.a,
        indicator=indicator,
        partner=world.ngo_a,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 3, 31),
        value=3,
        created_by=world.reporter,
    )


def test_a_file_whose_transaction_rolled_back_is_swept_after_a_day(world):
    result = _result(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        result.evidence_file.save("lost.pdf", ContentFile(b"%PDF-1.7 lost"), save=True)
        lost = result.evidence_file.name
        raise RuntimeError("the service failed after writing the file")
    result.refresh_from_db()
    assert not result.evidence_file and default_storage.exists(lost)

    assert sweep_orphan_files() == []  # a fresh file may belong to a transaction still open
    _age(lost, 2)
    assert sweep_orphan_files() == [lost]
    assert not default_storage.exists(lost)


def test_files_that_rows_name_stay_however_old(world):
    result = _result(world)
    result.evidence_file.save("kept.pdf", ContentFile(b"%PDF-1.7 kept"), save=True)
    _age(result.evidence_file.name, 30)
    stray = default_storage.save("somewhere-else/notes.txt", ContentFile(b"not an upload folder"))
    _age(stray, 30)
    assert sweep_orphan_files() == []
    assert default_storage.exists(result.evidence_file.name) and default_storage.exists(stray)


def test_the_sweep_is_a_daily_periodic_job(world):
    started = jobs.run_due(dt.datetime(2025, 8, 15, 9, tzinfo=dt.UTC))
    assert "commonground.core.tasks.sweep_orphan_files" in started
