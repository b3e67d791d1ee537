"""The invitation flow in a real browser, as a keyboard or screen-reader user would find things.

The coordinator signs in, creates a partnership, invites a new person (the link read from the
mail the server wrote), the person accepts and sees the partnership in "My partnerships"; the
outsider signs in and sees nothing of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.browser.conftest import LiveApp, Person, Visitor

pytestmark = [pytest.mark.browser]

TITLE = "Riverside Food Security Partnership"
INVITEE = "robin.reporter@shelter.test"
INVITEE_NAME = "Robin Reporter"
INVITEE_PASSWORD = "quiet-lantern-meadow-42"

Shoot = Callable[[Page, str], Path]


def sign_in(page: Page, person: Person, password: str) -> None:
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("E-mail address").fill(person.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


def test_invitation_flow(
    live_app: LiveApp, visitor: Callable[..., Visitor], screenshot: Shoot
) -> None:
    # 1. The coordinator signs in, lands on "My work" and goes to "My partnerships".
    coordinator = visitor()
    page = coordinator.page
    page.goto("/accounts/login/")
    screenshot(page, "01-login")
    page.get_by_label("E-mail address").fill(live_app.coordinator.email)
    page.get_by_label("Password").fill(live_app.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My partnerships").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My partnerships")
    expect(page).to_have_title(re.compile("My partnerships"))
    screenshot(page, "02-my-partnerships-empty")

    # 2. Creates a partnership.
    page.get_by_role("link", name="New partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New partnership")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Lead organisation").select_option(label="City of Testville")
    page.get_by_label("Purpose").fill("Make sure nobody in Riverside goes to bed hungry.")
    page.get_by_label("Start date").fill("2026-03-01")
    goals = page.get_by_role("group", name="SDG goals")
    goals.get_by_role("checkbox", name=re.compile(r"^2\. End hunger")).check()
    screenshot(page, "03-new-partnership-form")
    page.get_by_role("button", name="Create partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text(f"{TITLE} created")
    expect(page.get_by_text("SDG 2: End hunger")).to_be_visible()
    match = re.search(r"/partnerships/(\d+)/$", page.url)
    assert match, page.url
    partnership_id = int(match.group(1))
    screenshot(page, "04-partnership-overview")

    # 3. Invites a new person from "People".
    page.get_by_role("navigation", name=TITLE).get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"People in {TITLE}")
    invite = page.get_by_role("form", name="Invite a person")
    invite.get_by_label("E-mail address").fill(INVITEE)
    invite.get_by_label("Role").select_option(label="Reporter")
    invite.get_by_label("On behalf of").select_option(label="City of Testville")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {INVITEE}")
    expect(page.get_by_role("listitem").filter(has_text=INVITEE)).to_contain_text("as reporter")
    screenshot(page, "05-people-invitation-sent")

    # 4. The link, from the mail the server wrote.
    body = live_app.mail_to(INVITEE)
    links = re.findall(re.escape(live_app.base_url) + r"/invitations/[A-Za-z0-9_-]+/", body)
    assert len(links) == 1, body
    link = links[0]
    assert TITLE in body and "reporter" in body, body

    # 5. The new person, not signed in, accepts in a fresh browser context.
    newcomer = visitor()
    page2 = newcomer.page
    page2.goto(link)
    expect(page2.get_by_role("heading", level=1)).to_have_text(f"Join {TITLE}")
    expect(page2.get_by_text(INVITEE)).to_be_visible()
    screenshot(page2, "06-invitation-accept")
    page2.get_by_label("Your name").fill(INVITEE_NAME)
    page2.get_by_label("Choose a password").fill(INVITEE_PASSWORD)
    page2.get_by_role("button", name="Create account and join").click()
    expect(page2.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page2.get_by_role("status")).to_contain_text(f"Welcome to {TITLE}")
    expect(page2.locator(".lede")).to_contain_text("you are reporter for City of Testville")
    screenshot(page2, "07-newcomer-overview")
    page2.get_by_role("navigation", name="Main").get_by_role("link", name="My partnerships").click()
    expect(page2.get_by_role("heading", level=1)).to_have_text("My partnerships")
    row = page2.get_by_role("row").filter(has=page2.get_by_role("link", name=TITLE))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Reporter")
    expect(page2.get_by_role("link", name="Dune Restoration")).to_have_count(0)
    screenshot(page2, "08-newcomer-my-partnerships")

    # 6. The link works once.
    again = visitor()
    response = again.page.goto(link)
    assert response is not None and response.status == 410
    expect(again.page.get_by_role("heading", level=1)).to_have_text(
        "This invitation cannot be used"
    )
    expect(again.page.get_by_role("alert")).to_contain_text("already been used")
    screenshot(again.page, "09-invitation-used")

    # The coordinator sees the newcomer among the people, no longer as a pending invitation.
    page.reload()
    expect(page.get_by_role("rowheader").filter(has_text=INVITEE)).to_contain_text(INVITEE_NAME)
    expect(page.get_by_text("None.")).to_be_visible()

    # 7. The outsider sees nothing of it.
    outsider = visitor()
    page3 = outsider.page
    sign_in(page3, live_app.outsider, live_app.password)
    expect(page3.get_by_role("main")).to_contain_text("0 things wait for you")
    page3.goto("/partnerships/")
    expect(page3.get_by_role("main")).to_contain_text("You have no seat in a partnership yet")
    expect(page3.get_by_text(TITLE)).to_have_count(0)
    screenshot(page3, "10-outsider-my-partnerships")
    response = page3.goto(f"/partnerships/{partnership_id}/")
    assert response is not None and response.status == 404
    expect(page3.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page3.get_by_text(TITLE)).to_have_count(0)
    screenshot(page3, "11-outsider-not-found")
    for path in (
        f"/partnerships/{partnership_id}/people/",
        f"/partnerships/{partnership_id}/activity/",
    ):
        response = page3.goto(path)
        assert response is not None and response.status == 404, path
    api = page3.request.get(f"/api/v1/partnerships/{partnership_id}")
    assert api.status == 404
    assert api.headers["content-type"].startswith("application/json")
    assert api.json()["code"] == "not_found"
    assert TITLE not in api.text()
    listing = page3.request.get("/api/v1/partnerships")
    assert listing.status == 200
    assert listing.json()["count"] == 0

    for seen in (coordinator, newcomer, again, outsider):
        assert seen.csp_violations == [], seen.csp_violations


def test_small_screen_and_keyboard(
    live_app: LiveApp, visitor: Callable[..., Visitor], screenshot: Shoot
) -> None:
    person = visitor(width=360, height=740)
    page = person.page

    # Keyboard users get the skip link first.
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    assert focused.evaluate("el => el.tagName") == "A"
    screenshot(page, "20-small-login-skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # No horizontal scrolling at 360 px, with a table on the page.
    sign_in(page, live_app.other_coordinator, live_app.password)
    page.goto("/partnerships/")
    expect(page.get_by_role("link", name="Dune Restoration")).to_be_visible()
    screenshot(page, "21-small-my-partnerships")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"My partnerships scrolls sideways at 360 px: scrollWidth={width}"

    page.get_by_role("link", name="Dune Restoration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dune Restoration")
    screenshot(page, "22-small-overview")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the overview scrolls sideways at 360 px: scrollWidth={width}"

    assert person.csp_violations == [], person.csp_violations
