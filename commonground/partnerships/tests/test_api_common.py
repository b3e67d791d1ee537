"""partnership_operation: the one way an API operation under /partnerships/{partnership_id}
declares, enforces and receives its access."""

import pytest
from django.http import HttpRequest
from ninja import NinjaAPI, Router
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.testing import TestClient

from commonground.core.api import ActiveSessionAuth, install_error_handlers
from commonground.partnerships.access import Perm
from commonground.partnerships.api_common import BASE, ERRORS, operation_perm, partnership_operation
from commonground.partnerships.models import Seat
from commonground.results.access import ResultsPerm
from config.api import api as the_api

pytestmark = pytest.mark.django_db

router = Router()


@partnership_operation(
    router.get, f"{BASE}/probe/{{n}}", ResultsPerm.REVIEW_RESULTS, response={200: dict, **ERRORS}
)
def probe(request: HttpRequest, seat: Seat, n: int, flag: bool = False) -> dict:
    """Hands back what it was given."""
    return {"seat": seat.pk, "partnership": seat.partnership_id, "n": n, "flag": flag}


@partnership_operation(
    router.get,
    f"{BASE}/probe-list",
    Perm.VIEW,
    response={200: list[int], **ERRORS},
    openapi_extra={"x-note": "kept"},
)
@paginate(LimitOffsetPagination)
def probe_list(request: HttpRequest, seat: Seat) -> list[int]:
    return [seat.pk, seat.partnership_id, 3]


@partnership_operation(router.get, f"{BASE}/probe-id", Perm.VIEW, response={200: int, **ERRORS})
def probe_id(request: HttpRequest, partnership_id: int) -> int:
    return partnership_id


probe_api = NinjaAPI(auth=ActiveSessionAuth(), urls_namespace="probe-api")
install_error_handlers(probe_api)
probe_api.add_router("/", router)


@pytest.fixture
def client() -> TestClient:
    return TestClient(probe_api)


def test_an_outsider_gets_404(world, client):
    response = client.get(f"/partnerships/{world.a.pk}/probe/1", user=world.outsider)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_seat_without_the_permission_gets_403(world, client):
    response = client.get(f"/partnerships/{world.a.pk}/probe/1", user=world.viewer)
    assert response.status_code == 403


def test_the_body_gets_the_callers_seat_and_its_own_parameters(world, client):
    response = client.get(f"/partnerships/{world.a.pk}/probe/7?flag=true", user=world.editor)
    assert response.status_code == 200, response.content
    seat = world.seat(world.editor)
    assert response.json() == {"seat": seat.pk, "partnership": world.a.pk, "n": 7, "flag": True}


def test_paginated_operations_are_checked_then_paginated(world, client):
    url = f"/partnerships/{world.a.pk}/probe-list?limit=2"
    assert client.get(url, user=world.outsider).status_code == 404
    response = client.get(url, user=world.viewer)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "items": [world.seat(world.viewer).pk, world.a.pk],
        "count": 3,
    }


def test_a_body_may_take_the_partnership_id_instead_of_the_seat(world, client):
    assert (
        client.get(f"/partnerships/{world.a.pk}/probe-id", user=world.outsider).status_code == 404
    )
    response = client.get(f"/partnerships/{world.a.pk}/probe-id", user=world.viewer)
    assert response.json() == world.a.pk


def test_the_schema_declares_the_policy_and_the_path_parameter_but_not_the_seat():
    paths = probe_api.get_openapi_schema(path_prefix="")["paths"]
    probe_op = paths["/partnerships/{partnership_id}/probe/{n}"]["get"]
    assert probe_op["x-access"] == "partnership:results.review"
    assert probe_op["operationId"].endswith("_probe")
    params = [(p["in"], p["name"]) for p in probe_op["parameters"]]
    assert params == [("path", "partnership_id"), ("path", "n"), ("query", "flag")]
    listing = paths["/partnerships/{partnership_id}/probe-list"]["get"]
    assert listing["x-access"] == "partnership:partnership.view"
    assert listing["x-note"] == "kept"
    assert [p["name"] for p in listing["parameters"]] == ["partnership_id", "limit", "offset"]
    assert "seat" not in str(paths)


def test_the_wrapper_keeps_the_name_and_is_marked():
    assert probe.__name__ == "probe"
    assert operation_perm(probe) is ResultsPerm.REVIEW_RESULTS
    assert operation_perm(probe_list) is Perm.VIEW


def _operations(api: NinjaAPI):
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield prefix + path.lstrip("/"), operation


def test_every_partnership_operation_is_made_by_partnership_operation():
    """No operation under /partnerships/{partnership_id} checks access by hand: each is declared
    with partnership_operation, and its declared policy is the one it enforces."""
    found = 0
    for path, operation in _operations(the_api):
        if not path.lstrip("/").startswith("partnerships/{partnership_id}"):
            continue
        found += 1
        perm = operation_perm(operation.view_func)
        name = operation.view_func.__qualname__
        assert perm is not None, f"{path} {name}: declare it with partnership_operation"
        assert operation.openapi_extra["x-access"] == f"partnership:{perm.value}", name
    assert found > 50
