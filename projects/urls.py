"""Pages (the stable URLs of SPEC §5) and one URL per action, posted from their pages."""

from django.urls import path, register_converter

from .views import (
    calendar,
    chase,
    evaluations,
    filings,
    history,
    lifecycle,
    pages,
    plan_changes,
    proposals,
    review,
    sign_ins,
    signoff,
    submission,
    transfer,
)


class CodeConverter:
    """A project code in a URL: any text but a slash or a control character (a NUL, which
    PostgreSQL cannot compare, would otherwise reach the database)."""

    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "code")

app_name = "projects"

PLAN = "projects/<code:code>/plans/<int:year>/"
EVALUATION = "projects/<code:code>/evaluations/<int:year>/"
REPORT = "projects/<code:code>/reports/<int:year>/<int:quarter>/"
FILING_ACTIONS = {
    "save": filings.save,
    "submit": filings.submit,
    "submission": submission.submission,
    "confirm": submission.confirm,
    "withdraw": submission.withdraw,
    "approve": filings.approve,
    "return": filings.return_,
    "reopen": filings.reopen,
    "signoff": signoff.sign_off,
    "signoff-return": signoff.sign_off_return,
    "comment": filings.comment,
}

CHANGE = f"{PLAN}changes/<int:pk>/"
CHANGE_ACTIONS = {
    "save": plan_changes.change_save,
    "submit": plan_changes.change_submit,
    "withdraw": plan_changes.change_withdraw,
    "approve": plan_changes.change_approve,
    "return": plan_changes.change_return,
    "signoff": plan_changes.change_signoff,
    "signoff-return": plan_changes.change_signoff_return,
    "comment": plan_changes.change_comment,
}

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("dashboard/grid/", pages.status_grid, name="grid"),
    path("plan/", pages.plan_tree, name="plan_tree"),
    path("plan/<code:code>/", pages.plan_part, name="plan_part"),
    path("projects/", pages.project_list, name="list"),
    path("projects/<code:code>/", pages.project_detail, name="detail"),
    path("projects/<code:code>/end/", lifecycle.end_page, name="end"),
    path("projects/<code:code>/end/apply/", lifecycle.end_apply, name="end_apply"),
    path("projects/<code:code>/end/undo/", lifecycle.end_undo, name="end_undo"),
    path(PLAN, filings.plan_page, name="plan"),
    *(path(f"{PLAN}{a}/", view, name=f"plan_{a}") for a, view in FILING_ACTIONS.items()),
    path(f"{PLAN}versions/", history.plan_versions, name="plan_versions"),
    path(f"{PLAN}changes/new/", plan_changes.change_new, name="plan_change_new"),
    path(f"{PLAN}changes/create/", plan_changes.change_create, name="plan_change_create"),
    path(CHANGE, plan_changes.change_page, name="plan_change"),
    *(
        path(f"{CHANGE}{a}/", view, name=f"plan_change_{a.replace('-', '_')}")
        for a, view in CHANGE_ACTIONS.items()
    ),
    path(REPORT, filings.report_page, name="report"),
    path(f"{REPORT}versions/", history.report_versions, name="report_versions"),
    *(path(f"{REPORT}{a}/", view, name=f"report_{a}") for a, view in FILING_ACTIONS.items()),
    path(f"{REPORT}attachments/", filings.attach, name="report_attach"),
    path(f"{REPORT}attachments/<int:pk>/delete/", filings.detach, name="report_detach"),
    path("attachments/<int:pk>/", filings.attachment_download, name="attachment"),
    path(EVALUATION, evaluations.evaluation_page, name="evaluation"),
    path(f"{EVALUATION}save/", evaluations.evaluation_save, name="evaluation_save"),
    path(f"{EVALUATION}submit/", evaluations.evaluation_submit, name="evaluation_submit"),
    path(f"{EVALUATION}return/", evaluations.evaluation_return, name="evaluation_return"),
    path(f"{EVALUATION}grade/", evaluations.evaluation_grade, name="evaluation_grade"),
    path("evaluations/", evaluations.evaluation_table, name="evaluations"),
    path("my/", pages.my_work, name="my"),
    path("review/", review.review_queue, name="review"),
    path("review/approve/", review.bulk_approve, name="bulk_approve"),
    path("review/approve/confirm/", review.bulk_confirm, name="bulk_confirm"),
    path("review/missing/", chase.missing_page, name="missing"),
    path("review/missing/<int:pk>/chase/", chase.chase_late, name="chase_late"),
    path(
        "review/missing/<int:pk>/departments/<int:department>/chase/",
        chase.chase_department,
        name="chase_department",
    ),
    path("review/periods/", calendar.calendar_page, name="periods"),
    path("review/periods/new/", calendar.period_create, name="period_create"),
    path("review/periods/<int:pk>/dates/", calendar.period_dates, name="period_dates"),
    path("review/periods/<int:pk>/close/", calendar.period_close, name="period_close"),
    path("review/periods/<int:pk>/open/", calendar.period_open, name="period_open"),
    path("review/periods/<int:pk>/extend/", calendar.period_extend, name="period_extend"),
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/new/", proposals.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/answer/", proposals.proposal_answer, name="proposal_answer"),
    path("proposals/<int:pk>/project/", lifecycle.proposal_project_page, name="proposal_project"),
    path(
        "proposals/<int:pk>/project/create/",
        lifecycle.proposal_project_create,
        name="proposal_project_create",
    ),
    path("accounts/landing/", sign_ins.landing, name="landing"),
    path("accounts/lockouts/", sign_ins.lockout_list, name="lockouts"),
    path("accounts/lockouts/unlock/", sign_ins.lockout_unlock, name="lockout_unlock"),
    path("session/keep-alive/", sign_ins.keep_alive, name="keep_alive"),
    path("public/", pages.public_page, name="public"),
    path("export/workbook.xlsx", transfer.workbook_download, name="workbook"),
    path("export/briefing.pdf", transfer.briefing_download, name="briefing"),
    path("import/", transfer.import_page, name="import"),
    path("import/preview/", transfer.import_preview, name="import_preview"),
    path("import/apply/", transfer.import_apply, name="import_apply"),
    path("import/template/reports.xlsx", transfer.report_template_download, name="report_template"),
    path("import/template/plan.xlsx", transfer.plan_template_download, name="plan_template"),
]
