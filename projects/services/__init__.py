"""Writes that span several models: keyword-only, typed, each in one transaction.

One module per subject; callers use the package (`services.report_save(...)`), which lists
what each subject offers.
"""

from ..models import bump_data_version
from .attachments import ALLOWED_UPLOADS, attachment_add, attachment_delete
from .evaluations import (
    SELF_EVALUATION_FIELDS,
    evaluation_grade,
    evaluation_return,
    evaluation_save,
    evaluation_submit,
    grade_refusal,
    self_evaluation_refusal,
)
from .filings import (
    PLAN_FIELDS,
    REPORT_FIELDS,
    ConflictError,
    comment_add,
    edit_refusal,
    filing_approve,
    filing_reopen,
    filing_return,
    filing_submit,
    filing_withdraw,
    filings_approve,
    indicator_value_check,
    past_year_refusal,
    plan_save,
    report_check,
    report_save,
    withdraw_refusal,
)
from .lifecycle import ended_refusal, project_end, project_end_undo, project_from_proposal
from .periods import (
    deadline_of,
    extension_grant,
    period_accepts,
    period_change_dates,
    period_create,
    period_set_closed,
    plan_due_on,
)
from .plan_changes import (
    change_edit_refusal,
    plan_change_approve,
    plan_change_return,
    plan_change_save,
    plan_change_submit,
    request_refusal,
)
from .plan_structure import plan_load, plan_structure_replace
from .proposals import proposal_answer, proposal_create
from .reminders import reminder_chase, reminders_send
from .report_import import ReportUpload, reports_import
from .sign_ins import sign_in_unlock
from .signoff import filing_sign_off, filing_sign_off_return

__all__ = [
    "ALLOWED_UPLOADS",
    "PLAN_FIELDS",
    "REPORT_FIELDS",
    "ReportUpload",
    "ConflictError",
    "SELF_EVALUATION_FIELDS",
    "attachment_add",
    "attachment_delete",
    "bump_data_version",
    "comment_add",
    "deadline_of",
    "edit_refusal",
    "evaluation_grade",
    "evaluation_return",
    "evaluation_save",
    "evaluation_submit",
    "grade_refusal",
    "self_evaluation_refusal",
    "ended_refusal",
    "extension_grant",
    "filing_approve",
    "filing_reopen",
    "filing_return",
    "filing_sign_off",
    "filing_sign_off_return",
    "filing_submit",
    "filing_withdraw",
    "filings_approve",
    "indicator_value_check",
    "period_accepts",
    "period_change_dates",
    "period_create",
    "period_set_closed",
    "plan_due_on",
    "change_edit_refusal",
    "plan_change_approve",
    "plan_change_return",
    "plan_change_save",
    "plan_change_submit",
    "plan_load",
    "request_refusal",
    "project_end",
    "project_end_undo",
    "project_from_proposal",
    "plan_save",
    "plan_structure_replace",
    "proposal_answer",
    "proposal_create",
    "reminder_chase",
    "reminders_send",
    "report_check",
    "report_save",
    "reports_import",
    "sign_in_unlock",
    "withdraw_refusal",
    "past_year_refusal",
]
