"""The framework pages: the tree with progress and the SMART check, objectives (with the SDG
target picker) and disaggregation dimensions."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commonground.core.access import signed_in_user
from commonground.core.codelists import sdg_targets
from commonground.core.errors import DomainError
from commonground.core.forms import add_domain_error
from commonground.partnerships.access import Perm, can, partnership_view
from commonground.partnerships.models import Partnership, Seat
from commonground.results import fragments, progress, selectors
from commonground.results.access import ResultsPerm, access_dimension, access_objective
from commonground.results.forms import DimensionForm, ObjectiveForm
from commonground.results.models import Dimension, Indicator, IndicatorProgress, Objective
from commonground.results.services import framework as framework_services
from commonground.results.views._shared import (
    page_context,
    require_version,
    shown,
    status_bar,
    status_label,
    status_slug,
    summary_of,
    url_pattern,
)


@dataclass
class IndicatorRow:
    indicator: Indicator
    summary: IndicatorProgress | None
    status: str
    status_label: str
    bar: SafeString
    url: str


@dataclass
class NodeView:
    objective: Objective
    heading: int
    status: str
    status_label: str
    percent: Decimal | None
    bar: SafeString
    indicators: list[IndicatorRow] = field(default_factory=list)
    children: list["NodeView"] = field(default_factory=list)
    # Shown to those who may edit the framework only; empty otherwise.
    edit_url: str = ""
    add_indicator_url: str = ""
    add_child_url: str = ""


@dataclass
class SmartItem:
    kind: str
    message: str
    indicator: Indicator | None
    objective: Objective | None
    url: str


CHILD_LEVEL = {"impact": "outcome", "outcome": "output"}


class _Links:
    """The tree's links, each pattern reversed once rather than by ~100 {% url %} tags (about a
    quarter of the template's time before the body was cached)."""

    def __init__(self, partnership_id: int, can_edit: bool) -> None:
        self.can_edit = can_edit
        self.indicator = url_pattern("results:indicator", partnership_id)
        self.indicator_edit = url_pattern("results:indicator_edit", partnership_id)
        self.objective_edit = url_pattern("results:objective_edit", partnership_id)
        self.indicator_create = url_pattern("results:indicator_create", partnership_id)
        self.objective_create = reverse("results:objective_create", args=[partnership_id])

    def page(self, partnership_id: int) -> dict[str, str]:
        def url(name: str) -> str:
            return reverse(f"results:{name}", args=[partnership_id])

        return {
            "add_impact": f"{self.objective_create}?level=impact",
            "dimensions": url("dimensions"),
            "review": url("review"),
            "import": url("import"),
            "indicators_csv": url("indicators_csv"),
            "indicators_xlsx": url("indicators_xlsx"),
        }


def _indicator_row(indicator: Indicator, links: _Links) -> IndicatorRow:
    summary = summary_of(indicator)
    state = summary.status if summary else ""
    return IndicatorRow(
        indicator=indicator,
        summary=summary,
        status=status_slug(state),
        status_label=status_label(state),
        bar=status_bar(indicator.title, summary.percent if summary else None, state),
        url=links.indicator(indicator.pk),
    )


def _node_view(node: selectors.ObjectiveNode, heading: int, links: _Links) -> NodeView:
    objective = node.objective
    state = node.progress.status.value if node.progress.status else ""
    percent = progress.round_percent(node.progress.percent)
    view = NodeView(
        objective=objective,
        heading=min(heading, 6),
        status=status_slug(state),
        status_label=status_label(state),
        percent=percent,
        bar=status_bar(objective.title, percent, state),
        indicators=[_indicator_row(i, links) for i in node.indicators],
        children=[_node_view(child, heading + 1, links) for child in node.children],
    )
    if links.can_edit:
        view.edit_url = links.objective_edit(objective.pk)
        view.add_indicator_url = links.indicator_create(objective.pk)
        child = CHILD_LEVEL.get(objective.level)
        if child:
            view.add_child_url = f"{links.objective_create}?level={child}&parent={objective.pk}"
    return view


def _smart_items(issues: list[selectors.SmartIssue], links: _Links) -> list[SmartItem]:
    items = []
    for issue in issues:
        url = ""
        if issue.indicator is not None:
            url = links.indicator_edit(issue.indicator.pk)
        elif issue.objective is not None:
            url = links.indicator_create(issue.objective.pk)
        items.append(SmartItem(issue.kind, issue.message, issue.indicator, issue.objective, url))
    return items


def _framework_body(partnership_id: int, permissions: dict[str, bool]) -> str:
    """The page's body: the overall figure, the actions, the SMART check (for those who may
    edit) and the tree. Rendered without the request, from the partnership's data and the
    permissions only, because it is shared through the cache (fragments.py). Everything it
    shows is read here, after the key, the partnership too (its title and end date): the
    seat's copy was read before the key."""
    partnership = Partnership.objects.get(pk=partnership_id)
    can_edit = permissions["can_edit"]
    links = _Links(partnership.pk, can_edit)
    roots, overall = selectors.framework_tree(partnership)
    state = overall.status.value if overall.status else ""
    percent = progress.round_percent(overall.percent)
    smart = selectors.smart_check(partnership) if can_edit else None
    return render_to_string(
        "results/_framework_body.html",
        {
            "partnership": partnership,
            **permissions,
            "urls": links.page(partnership.pk),
            "tree": [_node_view(root, 3, links) for root in roots],
            "overall_status": status_slug(state),
            "overall_label": status_label(state),
            "overall_bar": status_bar(partnership.title, percent, state),
            "smart": None if smart is None else _smart_items(smart, links),
        },
    )


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def framework(request: HttpRequest, seat: Seat) -> HttpResponse:
    partnership_id = seat.partnership_id
    permissions = {
        "can_edit": can(seat, ResultsPerm.EDIT_FRAMEWORK),
        "can_review": can(seat, ResultsPerm.REVIEW_RESULTS),
        "can_report": can(seat, ResultsPerm.REPORT_RESULTS),
    }
    # The key is read first, the body's data after it (fragments.py).
    key = fragments.framework_key(partnership_id, **permissions)
    body = fragments.cached(key, lambda: _framework_body(partnership_id, permissions))
    return render(request, "results/framework.html", page_context(seat, body=body))


def _sdg_options(selected: Sequence[str], query: str = "") -> list[tuple[str, str, bool]]:
    """SDG targets for the picker: the selected ones always, plus those matching `query`
    (by code, goal number or words of the title); every target when there is no query."""
    wanted = set(selected)
    needle = query.strip().lower()
    options = []
    for code, title in sdg_targets():
        matches = (
            not needle
            or code == needle
            or code.startswith(needle + ".")
            or ("." in needle and code.startswith(needle))
            or needle in title.lower()
        )
        if code in wanted or matches:
            options.append((code, title, code in wanted))
    # The chosen targets first, so they are seen without scrolling.
    return sorted(options, key=lambda option: not option[2])


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def sdg_target_search(request: HttpRequest, seat: Seat) -> HttpResponse:
    options = _sdg_options(request.GET.getlist("sdg_targets"), request.GET.get("q", "")[:100])
    return render(request, "results/_sdg_options.html", {"sdg_options": options})


def _to_objective(seat: Seat, objective: Objective) -> HttpResponse:
    url = reverse("results:framework", args=[seat.partnership_id])
    return redirect(f"{url}#objective-{objective.pk}")


def _objective_page(
    request: HttpRequest, seat: Seat, form: ObjectiveForm, objective: Objective | None
) -> HttpResponse:
    selected = form["sdg_targets"].value() or []
    return render(
        request,
        "results/objective_form.html",
        page_context(
            seat,
            form=form,
            objective=objective,
            sdg_options=_sdg_options([str(code) for code in selected]),
        ),
    )


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, seat: Seat) -> HttpResponse:
    initial = {
        "level": request.GET.get("level", "outcome"),
        "parent_id": request.GET.get("parent"),
        "weight": 1,
    }
    form = ObjectiveForm(request.POST or None, initial=initial, partnership_id=seat.partnership_id)
    if request.method == "POST" and form.is_valid():
        try:
            objective = framework_services.objective_create(
                actor=signed_in_user(request),
                seat=seat,
                data=form.service_data(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(level)s “%(title)s” added.")
                % {"level": objective.get_level_display(), "title": objective.title},
            )
            return _to_objective(seat, objective)
    return _objective_page(request, seat, form, None)


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, seat: Seat, objective_id: int) -> HttpResponse:
    objective = access_objective(seat, objective_id)
    initial = {
        "level": objective.level,
        "parent_id": objective.parent_id,
        "title": objective.title,
        "description": objective.description,
        "responsible_partner_ids": [p.pk for p in objective.responsible_partners.all()],
        "sdg_targets": objective.sdg_targets,
        "weight": shown(objective.weight),
        "version": objective.version,
    }
    form = ObjectiveForm(
        request.POST or None,
        initial=initial,
        partnership_id=seat.partnership_id,
        objective=objective,
    )
    require_version(form)
    if request.method == "POST" and form.is_valid():
        try:
            framework_services.objective_update(
                actor=signed_in_user(request),
                seat=seat,
                objective=objective,
                data=form.service_data(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _to_objective(seat, objective)
    return _objective_page(request, seat, form, objective)


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_POST
def objective_delete(request: HttpRequest, seat: Seat, objective_id: int) -> HttpResponse:
    objective = access_objective(seat, objective_id)
    try:
        framework_services.objective_delete(
            actor=signed_in_user(request), seat=seat, objective=objective
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("results:objective_edit", seat.partnership_id, objective.pk)
    messages.success(request, _("“%(title)s” removed.") % {"title": objective.title})
    return redirect("results:framework", seat.partnership_id)


def _dimensions_page(request: HttpRequest, seat: Seat, form: DimensionForm | None) -> HttpResponse:
    dimensions = Dimension.objects.filter(partnership_id=seat.partnership_id).prefetch_related(
        "indicators"
    )
    return render(
        request, "results/dimensions.html", page_context(seat, dimensions=dimensions, form=form)
    )


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def dimensions(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = DimensionForm() if can(seat, ResultsPerm.EDIT_FRAMEWORK) else None
    return _dimensions_page(request, seat, form)


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def dimension_create(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = DimensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dimension = framework_services.dimension_create(
                actor=signed_in_user(request),
                seat=seat,
                data=form.service_data(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Dimension “%(name)s” added.") % {"name": dimension.name})
            return redirect("results:dimensions", seat.partnership_id)
    return _dimensions_page(request, seat, form)


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def dimension_edit(request: HttpRequest, seat: Seat, dimension_id: int) -> HttpResponse:
    dimension = access_dimension(seat, dimension_id)
    initial = {
        "name": dimension.name,
        "values": "\n".join(dimension.values),
        "version": dimension.version,
    }
    form = DimensionForm(request.POST or None, initial=initial)
    require_version(form)
    if request.method == "POST" and form.is_valid():
        try:
            framework_services.dimension_update(
                actor=signed_in_user(request),
                seat=seat,
                dimension=dimension,
                data=form.service_data(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("results:dimensions", seat.partnership_id)
    return render(
        request, "results/dimension_form.html", page_context(seat, form=form, dimension=dimension)
    )
