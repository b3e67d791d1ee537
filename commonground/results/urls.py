from django.urls import path

from commonground.results import views

app_name = "results"

P = "partnerships/<int:partnership_id>"
R = f"{P}/results"
IND = f"{P}/indicators/<int:indicator_id>"
RESULT = f"{R}/<int:result_id>"
EVAL = f"{R}/evaluations"

urlpatterns = [
    path(f"{R}/", views.framework, name="framework"),
    path(f"{R}/sdg-targets/", views.sdg_target_search, name="sdg_targets"),
    path(f"{R}/review/", views.review_queue, name="review"),
    path(f"{R}/indicators.csv", views.indicators_csv, name="indicators_csv"),
    path(f"{R}/indicators.xlsx", views.indicators_xlsx, name="indicators_xlsx"),
    path(f"{R}/import/", views.import_results, name="import"),
    path(f"{R}/import/confirm/", views.import_confirm, name="import_confirm"),
    path(f"{R}/import/jobs/<uuid:job_id>/", views.import_job, name="import_job"),
    path(
        f"{R}/import/jobs/<uuid:job_id>/confirm/",
        views.import_job_confirm,
        name="import_job_confirm",
    ),
    path(
        f"{R}/import/jobs/<uuid:job_id>/retry/",
        views.import_job_retry,
        name="import_job_retry",
    ),
    path(f"{R}/import/template.csv", views.import_template_csv, name="import_template_csv"),
    path(f"{R}/import/template.xlsx", views.import_template_xlsx, name="import_template_xlsx"),
    path(f"{R}/objectives/new/", views.objective_create, name="objective_create"),
    path(f"{R}/objectives/<int:objective_id>/edit/", views.objective_edit, name="objective_edit"),
    path(
        f"{R}/objectives/<int:objective_id>/delete/",
        views.objective_delete,
        name="objective_delete",
    ),
    path(
        f"{R}/objectives/<int:objective_id>/indicators/new/",
        views.indicator_create,
        name="indicator_create",
    ),
    path(
        f"{R}/objectives/<int:objective_id>/indicators/library/",
        views.indicator_library,
        name="indicator_library",
    ),
    path(f"{R}/dimensions/", views.dimensions, name="dimensions"),
    path(f"{R}/dimensions/new/", views.dimension_create, name="dimension_create"),
    path(f"{R}/dimensions/<int:dimension_id>/edit/", views.dimension_edit, name="dimension_edit"),
    path(f"{IND}/", views.indicator_detail, name="indicator"),
    path(f"{IND}/edit/", views.indicator_edit, name="indicator_edit"),
    path(f"{IND}/chart.csv", views.indicator_chart_csv, name="indicator_chart_csv"),
    path(f"{IND}/breakdown.csv", views.indicator_breakdown_csv, name="indicator_breakdown_csv"),
    path(f"{IND}/targets/", views.target_revise, name="target_revise"),
    path(f"{IND}/targets/periods/", views.period_target_set, name="period_target_set"),
    path(f"{IND}/report/", views.result_report, name="report"),
    path(f"{RESULT}/", views.result_detail, name="result"),
    path(f"{RESULT}/edit/", views.result_edit, name="result_edit"),
    path(f"{RESULT}/submit/", views.result_submit, name="result_submit"),
    path(f"{RESULT}/approve/", views.result_approve, name="result_approve"),
    path(f"{RESULT}/return/", views.result_return, name="result_return"),
    path(f"{RESULT}/reopen/", views.result_reopen, name="result_reopen"),
    path(f"{RESULT}/comment/", views.result_comment, name="result_comment"),
    path(f"{RESULT}/evidence/", views.result_evidence, name="result_evidence"),
    path(f"{EVAL}/", views.evaluations, name="evaluations"),
    path(f"{EVAL}/new/", views.evaluation_create, name="evaluation_create"),
    path(f"{EVAL}/<int:evaluation_id>/", views.evaluation_detail, name="evaluation"),
    path(
        f"{R}/recommendations/<int:recommendation_id>/complete/",
        views.recommendation_complete,
        name="recommendation_complete",
    ),
    path(
        f"{R}/recommendations/<int:recommendation_id>/reopen/",
        views.recommendation_reopen,
        name="recommendation_reopen",
    ),
    path("portfolio/", views.portfolio, name="portfolio"),
]
