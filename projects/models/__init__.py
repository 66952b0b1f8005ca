from .evaluations import Evaluation
from .fields import MONEY_MAX, money_constraints
from .filings import (
    Attachment,
    Comment,
    Filing,
    ImplementationPlan,
    IndicatorResult,
    PeriodExtension,
    ProgressReport,
    ReportingPeriod,
)
from .notifications import Notification
from .people import Department, User
from .plan_changes import PlanChange, PlanChangeTarget
from .versions import DataVersion, bump_data_version
from .work import (
    Indicator,
    IndicatorTarget,
    Project,
    Proposal,
    in_plan_then,
    quarter_start,
    running_then,
)

__all__ = [
    "Attachment",
    "Comment",
    "DataVersion",
    "Department",
    "Evaluation",
    "Filing",
    "ImplementationPlan",
    "Indicator",
    "IndicatorResult",
    "IndicatorTarget",
    "Notification",
    "PeriodExtension",
    "PlanChange",
    "PlanChangeTarget",
    "ProgressReport",
    "Project",
    "Proposal",
    "ReportingPeriod",
    "User",
    "bump_data_version",
    "MONEY_MAX",
    "money_constraints",
    "in_plan_then",
    "quarter_start",
    "running_then",
]
