"""The results pages. Thin: resolve the seat (partnership_view), call a service or selector,
render. One module per part: the framework, indicators, targets, reporting and review, exports,
evaluation sessions and the portfolio."""

from commonground.results.views.evaluations import (
    evaluation_create,
    evaluation_detail,
    evaluations,
    recommendation_complete,
)
from commonground.results.views.exports import indicators_csv, indicators_xlsx
from commonground.results.views.framework import (
    dimension_create,
    dimension_edit,
    dimensions,
    framework,
    objective_create,
    objective_delete,
    objective_edit,
    sdg_target_search,
)
from commonground.results.views.imports import (
    import_confirm,
    import_job,
    import_job_confirm,
    import_results,
    import_template_csv,
    import_template_xlsx,
)
from commonground.results.views.indicators import (
    indicator_breakdown_csv,
    indicator_chart_csv,
    indicator_create,
    indicator_detail,
    indicator_edit,
    indicator_library,
)
from commonground.results.views.portfolio import portfolio
from commonground.results.views.reporting import (
    result_approve,
    result_comment,
    result_detail,
    result_edit,
    result_evidence,
    result_reopen,
    result_report,
    result_return,
    result_submit,
    review_queue,
)
from commonground.results.views.targets import period_target_set, target_revise

__all__ = [
    "dimension_create",
    "dimension_edit",
    "dimensions",
    "evaluation_create",
    "evaluation_detail",
    "evaluations",
    "framework",
    "import_confirm",
    "import_job",
    "import_job_confirm",
    "import_results",
    "import_template_csv",
    "import_template_xlsx",
    "indicator_breakdown_csv",
    "indicator_chart_csv",
    "indicator_create",
    "indicator_detail",
    "indicator_edit",
    "indicator_library",
    "indicators_csv",
    "indicators_xlsx",
    "objective_create",
    "objective_delete",
    "objective_edit",
    "period_target_set",
    "portfolio",
    "recommendation_complete",
    "result_approve",
    "result_comment",
    "result_detail",
    "result_edit",
    "result_evidence",
    "result_reopen",
    "result_report",
    "result_return",
    "result_submit",
    "review_queue",
    "sdg_target_search",
    "target_revise",
]
