"""Progress updates: posting, editing with a version, images, comments and questions that notify
the author, the feed and the API."""

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from commonground.core.errors import InvalidInput, StaleVersion
from commonground.core.models import AuditEvent
from commonground.notifications.models import Notification
from commonground.reporting.models import Achievement, ProgressUpdate
from commonground.reporting.services import updates
from commonground.reporting.tests.updates_factories import (
    PNG,
    image,
    make_comment,
    make_milestone,
    make_update,
    mark_done,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- services --------------------------------------------------------------------------------


def test_reporter_posts_an_update_for_their_organisation(world):
    update = make_update(world, achievements="12 people housed.", visibility="public")
    assert update.partner == world.ngo_a and update.author == world.reporter
    assert update.body_html == "<p>We opened <strong>ten</strong> beds this week.</p>\n"
    assert update.visibility == "public"
    event = AuditEvent.objects.filter(action="update.create").get()
    assert event.partnership_id == world.a.pk
    assert event.changes["title"] == [None, "Ten new beds at the night shelter"]


def test_viewer_cannot_post_an_update(world):
    with pytest.raises(PermissionDenied):
        make_update(world, author=world.viewer)


def test_update_needs_a_title_and_a_text(world):
    with pytest.raises(InvalidInput) as error:
        make_update(world, title="  ", body="")
    assert set(error.value.fields) == {"title", "body"}


def test_an_image_needs_alt_text(world):
    with pytest.raises(InvalidInput) as error:
        make_update(world, image_file=image())
    assert list(error.value.fields) == ["image_alt"]


def test_an_image_is_stored_under_a_random_name_of_its_real_type(world):
    update = make_update(world, image_file=image("../../evil.jpg"), image_alt="The new beds")
    assert update.image.name.startswith("updates/") and update.image.name.endswith(".png")
    assert "evil" not in (update.image.name or "")
    with update.image.open("rb") as stored:
        assert stored.read() == PNG


def test_a_file_that_is_not_an_image_is_refused(world):
    fake = image("beds.png", b"<html><script>alert(1)</script>", "image/png")
    with pytest.raises(InvalidInput) as error:
        make_update(world, image_file=fake, image_alt="x")
    assert list(error.value.fields) == ["image"]
    assert not ProgressUpdate.objects.exists()


def _edit(world, update, user, **data):
    return updates.update_edit(
        actor=user,
        seat=world.seat(user),
        update=update,
        data={
            "title": update.title,
            "body": update.body,
            "visibility": update.visibility,
            "image_alt": update.image_alt,
            **data,
        },
        expected_version=data.pop("version", update.version),
    )


def test_author_edits_their_update_and_the_html_follows(world):
    update = make_update(world)
    _edit(world, update, world.reporter, body="Now *twelve* beds.")
    update.refresh_from_db()
    assert update.version == 2 and "<em>twelve</em>" in update.body_html
    event = AuditEvent.objects.filter(action="update.edit").get()
    assert event.changes["body"] == ["We opened **ten** beds this week.", "Now *twelve* beds."]


def test_coordinator_and_editor_edit_any_update_but_another_reporter_cannot(world):
    update = make_update(world, author=world.editor)
    assert not updates.may_edit(world.seat(world.reporter), update)
    with pytest.raises(PermissionDenied):
        _edit(world, update, world.reporter, title="Mine now")
    _edit(world, update, world.coordinator, title="Checked by the city")
    assert updates.may_edit(world.seat(world.editor), update)


def test_a_stale_edit_is_refused(world):
    update = make_update(world)
    stale = ProgressUpdate.objects.get(pk=update.pk)
    _edit(world, update, world.reporter, title="First")
    with pytest.raises(StaleVersion):
        _edit(world, stale, world.coordinator, title="Second")
    update.refresh_from_db()
    assert update.title == "First"


def test_removing_the_image_removes_its_file_after_commit(
    world, django_capture_on_commit_callbacks
):
    update = make_update(world, image_file=image(), image_alt="Beds")
    name = update.image.name
    with django_capture_on_commit_callbacks(execute=True):
        updates.update_edit(
            actor=world.reporter,
            seat=world.seat(world.reporter),
            update=update,
            data={"title": "t", "body": "b", "image_alt": "Beds"},
            expected_version=update.version,
            remove_image=True,
        )
    update.refresh_from_db()
    assert not update.image and update.image_alt == ""
    assert not update.image.storage.exists(name)


def test_a_question_notifies_the_author_once_by_e_mail(world, run_tasks):
    update = make_update(world)
    comment = make_comment(world, update, body="Who pays for the beds?", is_question=True)
    notification = Notification.objects.get()
    assert notification.user == world.reporter
    assert notification.key == f"update-comment:{comment.pk}:{world.reporter.pk}"
    assert notification.kind == "update_question"
    assert notification.link.endswith(f"/updates/{update.pk}/#comment-{comment.pk}")
    run_tasks()
    [message] = mail.outbox
    assert message.to == [world.reporter.email]
    assert "asked a question" in message.subject and "Who pays for the beds?" in message.body
    assert AuditEvent.objects.filter(action="update.question").count() == 1


def test_the_author_is_not_notified_of_their_own_comment(world):
    update = make_update(world)
    make_comment(world, update, author=world.reporter, body="Photos to follow.")
    assert not Notification.objects.exists()


def test_a_comment_needs_text(world):
    with pytest.raises(InvalidInput) as error:
        make_comment(world, make_update(world), body=" ")
    assert list(error.value.fields) == ["body"]


# --- pages -----------------------------------------------------------------------------------


def test_feed_shows_updates_and_achievements_newest_first(world):
    first = make_update(world, title="First news")
    milestone = make_milestone(world, title="Shelter opens")
    mark_done(world, milestone)
    last = make_update(world, title="Latest news", challenges="Staff shortage.")
    html = _client(world.viewer).get(reverse("reporting:updates", args=[world.a.pk])).text
    assert html.index("Latest news") < html.index("Milestone reached: Shelter opens")
    assert html.index("Milestone reached: Shelter opens") < html.index("First news")
    assert "highlight-challenge" in html and "Staff shortage." in html
    assert reverse("reporting:update", args=[world.a.pk, first.pk]) in html
    assert reverse("reporting:update", args=[world.a.pk, last.pk]) in html
    assert 'aria-current="page">Updates' in html and 'aria-current="page">Feed' in html


def test_feed_pages_through_updates_and_achievements(world):
    for n in range(3):
        make_update(world, title=f"News {n}")
    mark_done(world, make_milestone(world))
    from commonground.reporting.selectors.updates import feed_page

    page = feed_page(world.a, 1, per_page=3)
    assert page.paginator.count == 4
    assert [item.kind for item in page.object_list] == ["achievement", "update", "update"]
    assert [item.item.title for item in feed_page(world.a, 2, per_page=3).object_list] == ["News 0"]


def test_internal_and_public_updates_carry_their_badge(world):
    make_update(world, title="For partners")
    make_update(world, title="For everyone", visibility="public")
    html = _client(world.viewer).get(reverse("reporting:updates", args=[world.a.pk])).text
    assert "visibility-internal" in html and "Partners only" in html
    assert "visibility-public" in html


def test_outsider_and_other_partnership_do_not_see_updates(world):
    update = make_update(world, visibility="public")
    for user in (world.outsider, world.other_coordinator):
        client = _client(user)
        assert client.get(reverse("reporting:updates", args=[world.a.pk])).status_code == 404
        url = reverse("reporting:update", args=[world.a.pk, update.pk])
        assert client.get(url).status_code == 404
    # Nor through another partnership's address.
    url = reverse("reporting:update", args=[world.b.pk, update.pk])
    assert _client(world.other_coordinator).get(url).status_code == 404


def test_post_an_update_with_an_image_through_the_page(world):
    client = _client(world.reporter)
    response = client.post(
        reverse("reporting:update_create", args=[world.a.pk]),
        {
            "title": "Beds",
            "body": "Ten.",
            "visibility": "internal",
            "image": image(),
            "image_alt": "Two rows of beds",
        },
    )
    update = ProgressUpdate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:update", args=[world.a.pk, update.pk])
    page = client.get(response["Location"]).text
    assert 'alt="Two rows of beds"' in page
    served = client.get(reverse("reporting:update_image", args=[world.a.pk, update.pk]))
    assert served["Content-Type"] == "image/png"
    assert served.getvalue() == PNG
    assert "sandbox" in served["Content-Security-Policy"]


def test_image_errors_show_on_the_image_fields(world):
    response = _client(world.reporter).post(
        reverse("reporting:update_create", args=[world.a.pk]),
        {"title": "Beds", "body": "Ten.", "visibility": "internal", "image": image()},
    )
    assert response.status_code == 200
    assert 'id="id_image_alt_error"' in response.text


def test_edit_page_refuses_another_reporters_update(world):
    update = make_update(world, author=world.editor)
    url = reverse("reporting:update_edit", args=[world.a.pk, update.pk])
    assert _client(world.reporter).get(url).status_code == 403
    assert _client(world.coordinator).get(url).status_code == 200


def test_a_stale_edit_through_the_page_says_so_on_the_form(world):
    update = make_update(world)
    _edit(world, update, world.coordinator, title="Changed meanwhile")
    response = _client(world.reporter).post(
        reverse("reporting:update_edit", args=[world.a.pk, update.pk]),
        {"title": "Mine", "body": "b", "visibility": "internal", "version": 1},
    )
    assert response.status_code == 200 and "Someone else changed this" in response.text


def test_viewer_asks_a_question_through_the_page(world):
    update = make_update(world)
    response = _client(world.viewer).post(
        reverse("reporting:update_comment", args=[world.a.pk, update.pk]),
        {"body": "When does it open?", "is_question": "on"},
    )
    comment = update.comments.get()
    assert comment.is_question and comment.author == world.viewer
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = _client(world.reporter).get(response["Location"]).text
    assert "question-badge" in page and "When does it open?" in page


def test_milestones_and_plan_are_linked_from_the_feed(world):
    html = _client(world.viewer).get(reverse("reporting:updates", args=[world.a.pk])).text
    assert reverse("reporting:milestones", args=[world.a.pk]) in html
    assert reverse("reporting:plan", args=[world.a.pk]) in html
    assert "Post an update" not in html  # a viewer cannot


# --- API -------------------------------------------------------------------------------------


def test_api_posts_and_edits_an_update_with_if_match(world):
    client = _client(world.reporter)
    base = f"/api/v1/partnerships/{world.a.pk}/updates"
    created = client.post(
        base, json.dumps({"title": "API news", "body": "# Hi"}), content_type="application/json"
    )
    assert created.status_code == 201 and created["ETag"] == '"v1"'
    body = created.json()
    assert body["body_html"] == "<h3>Hi</h3>\n" and body["visibility"] == "internal"
    url = f"{base}/{body['id']}"
    missing = client.patch(url, json.dumps({"title": "x"}), content_type="application/json")
    assert missing.status_code == 428
    changed = client.patch(
        url,
        json.dumps({"title": "API news, corrected"}),
        "application/json",
        headers={"If-Match": '"v1"'},
    )
    assert changed.status_code == 200 and changed.json()["title"] == "API news, corrected"
    stale = client.patch(
        url, json.dumps({"title": "again"}), "application/json", headers={"If-Match": '"v1"'}
    )
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"


def test_api_comment_and_list_with_the_field_named_on_error(world):
    update = make_update(world)
    client = _client(world.viewer)
    url = f"/api/v1/partnerships/{world.a.pk}/updates/{update.pk}/comments"
    bad = client.post(url, json.dumps({"body": ""}), content_type="application/json")
    assert bad.status_code == 400 and list(bad.json()["fields"]) == ["body"]
    ok = client.post(
        url, json.dumps({"body": "Great!", "is_question": False}), content_type="application/json"
    )
    assert ok.status_code == 201
    listed = client.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["author"]["id"] == world.viewer.pk


def test_api_lists_achievements(world):
    mark_done(world, make_milestone(world, title="Shelter opens"))
    items = _client(world.viewer).get(f"/api/v1/partnerships/{world.a.pk}/achievements").json()
    assert items["count"] == 1 and items["items"][0]["kind"] == "milestone_done"
    assert Achievement.objects.get().title == "Milestone reached: Shelter opens"
