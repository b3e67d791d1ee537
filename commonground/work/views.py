"""My work: the home page after signing in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from commonground.core.access import signed_in, signed_in_user
from commonground.work.selectors import SOON_DAYS, my_work, when, work_counts


@signed_in
@require_GET
def my_work_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    work = my_work(user)
    work_counts(user, work)  # the header's counts, from this page's own work
    groups = [
        ("overdue", _("Overdue"), work.overdue, _("Nothing is overdue.")),
        (
            "due-soon",
            ngettext("Due in the next %(n)s day", "Due in the next %(n)s days", SOON_DAYS)
            % {"n": SOON_DAYS},
            work.due_soon,
            _("Nothing is due in the next two weeks."),
        ),
        ("review", _("Waiting for my review"), work.to_review, _("Nothing waits for your review.")),
        ("to-do", _("To do, no deadline"), work.to_do, ""),
        (
            "waiting",
            _("My submissions waiting for review"),
            work.waiting_for_others,
            "",
        ),
        ("done", _("Recently done"), work.done, _("Nothing done in the last two weeks.")),
    ]
    return render(
        request,
        "work/my_work.html",
        {
            "work": work,
            "groups": [
                (slug, title, [(item, when(item, work.today)) for item in items], empty)
                for slug, title, items, empty in groups
                if items or empty
            ],
        },
    )


@signed_in
@require_GET
def review_queue_page(request: HttpRequest) -> HttpResponse:
    """One review queue across partnerships: results and partner reports waiting for this
    person's review, oldest first; their own submissions apart, not actionable."""
    user = signed_in_user(request)
    work = my_work(user)
    work_counts(user, work)
    return render(
        request,
        "work/review_queue.html",
        {
            "to_review": [(item, when(item, work.today)) for item in work.to_review],
            "own": [(item, when(item, work.today)) for item in work.waiting_for_others],
        },
    )


app_name = "work"

urlpatterns = [
    path("work/", my_work_page, name="mine"),
    path("work/review/", review_queue_page, name="review"),
]
