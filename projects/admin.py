from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attachment,
    Comment,
    Department,
    Evaluation,
    ImplementationPlan,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
    Notification,
    PeriodExtension,
    PlanChange,
    PlanChangeTarget,
    ProgressReport,
    Project,
    Proposal,
    ReportingPeriod,
    User,
)
from .services.periods import extension_refusal, period_year_refusal

WORKFLOW_FIELDS = (
    "state",
    "submitted_by",
    "submitted_at",
    "submitted_late",
    "signed_off_by",
    "signed_off_at",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
    "reopened_by",
    "reopened_at",
)
# The workflow runs only through the app's actions, which apply its rules (nobody approves
# their own filing, a reason for every return): the admin shows the state and stamps only.
FILING_READONLY = [
    "version",
    "edited_by",
    "acknowledged_warnings",  # what the submitter ticked
    "created_at",
    "updated_at",
    *WORKFLOW_FIELDS,
]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("소속"), {"fields": ("department",)}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("소속"), {"fields": ("department", "groups")}),
    )
    list_display = ["username", "last_name", "first_name", "department", "is_active"]
    list_filter = ["groups", "department", "is_active", "is_superuser"]
    list_select_related = ["department"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active", "signoff_required"]
    list_filter = ["is_active", "signoff_required"]
    search_fields = ["name", "code"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["order", "name", "kind", "unit", "baseline", "baseline_year", "higher_is_better"]
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "task",
        "lead_department",
        "start_year",
        "end_year",
        "is_sample",
        "weight",
    ]
    list_editable = ["weight"]
    list_filter = [
        "task__direction",
        "task",
        "lead_department",
        "phases",
        "origin",
        "end_kind",
        "is_continuing",
        "is_sample",
    ]
    search_fields = ["code", "name", "summary"]
    raw_id_fields = ["merged_into"]
    list_select_related = ["task", "lead_department"]
    filter_horizontal = ["support_departments", "phases"]
    inlines = [IndicatorInline]


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "project", "kind", "unit", "baseline", "higher_is_better"]
    list_filter = ["kind", "higher_is_better", "project__lead_department"]
    search_fields = ["name", "project__code", "project__name"]
    list_select_related = ["project"]
    inlines = [IndicatorTargetInline]


class ReportingPeriodForm(forms.ModelForm):
    """The calendar's rule for a period's year (periods.period_year_refusal) here too."""

    def clean_year(self):
        year = self.cleaned_data["year"]
        if "year" in self.changed_data and (refused := period_year_refusal(year)):
            raise forms.ValidationError(refused)
        return year


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    form = ReportingPeriodForm
    list_display = ["__str__", "opens_on", "due_on", "closed"]
    list_filter = ["year", "closed"]


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    fields = ["kind", "author", "body", "created_at"]
    readonly_fields = ["created_at"]


class VersionedAdmin(SimpleHistoryAdmin):
    """A filing changed in the admin takes the next version, as a save through the pages does:
    a department form loaded before it is then refused (409), not saved over the change."""

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
            obj.edited_by = request.user
        super().save_model(request, obj, form, change)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["file", "original_name", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


@admin.register(ImplementationPlan)
class ImplementationPlanAdmin(VersionedAdmin):
    list_display = ["project", "year", "state", "submitted_at", "submitted_late", "reviewed_at"]
    list_filter = ["year", "state", "submitted_late", "project__lead_department"]
    search_fields = ["project__code", "project__name", "goal", "content"]
    list_select_related = ["project"]
    readonly_fields = FILING_READONLY
    inlines = [AttachmentInline, CommentInline]


class IndicatorResultInline(admin.TabularInline):
    model = IndicatorResult
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(VersionedAdmin):
    list_display = [
        "project",
        "year",
        "quarter",
        "status",
        "progress",
        "state",
        "submitted_late",
    ]
    list_filter = [
        "year",
        "quarter",
        "state",
        "status",
        "submitted_late",
        "project__lead_department",
    ]
    search_fields = ["project__code", "project__name", "achievements", "problems"]
    list_select_related = ["project"]
    readonly_fields = FILING_READONLY
    inlines = [IndicatorResultInline, AttachmentInline, CommentInline]


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "proposed_by", "department", "response", "project"]
    list_filter = ["year", "response", "department"]
    search_fields = ["title", "content", "response_reason"]
    list_select_related = ["proposed_by", "department", "project"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "value"]
    list_filter = ["year"]
    search_fields = ["indicator__name", "indicator__project__code"]
    list_select_related = ["indicator"]


@admin.register(IndicatorResult)
class IndicatorResultAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "report", "value"]
    list_filter = ["report__year", "report__quarter"]
    search_fields = ["indicator__name", "report__project__code"]
    list_select_related = ["indicator", "report__project"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "report", "plan", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "report__project__code", "plan__project__code"]
    list_select_related = ["report__project", "plan__project", "uploaded_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["kind", "author", "plan", "report", "created_at"]
    list_filter = ["kind"]
    search_fields = ["body"]
    list_select_related = ["author", "plan__project", "report__project"]


class PeriodExtensionForm(forms.ModelForm):
    """The calendar's rule for an extended deadline (periods.extension_refusal) here too,
    when the deadline is entered or changed (an old extension's reason stays editable)."""

    def clean(self):
        cleaned = super().clean()
        period, due_on = cleaned.get("period"), cleaned.get("due_on")
        changed = {"period", "due_on"} & set(self.changed_data)
        if period and due_on and changed and (refused := extension_refusal(period, due_on)):
            self.add_error("due_on", refused)
        return cleaned


@admin.register(PeriodExtension)
class PeriodExtensionAdmin(admin.ModelAdmin):
    form = PeriodExtensionForm
    list_display = ["period", "department", "due_on", "granted_by", "granted_at"]
    list_filter = ["period__year", "department"]
    search_fields = ["reason", "department__name"]
    list_select_related = ["period", "department", "granted_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "recipient", "department", "outcome", "sent_at"]
    list_filter = ["kind", "outcome"]
    search_fields = ["subject", "key", "recipient__username"]
    list_select_related = ["recipient", "department"]


class ReadOnlyAdmin:
    """Read here, written in the app only, where its rules are (for a plan change: a past
    year's plan kept, the plan's required text, sign-off and review)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PlanChangeTargetInline(ReadOnlyAdmin, admin.TabularInline):
    model = PlanChangeTarget
    extra = 0


@admin.register(PlanChange)
class PlanChangeAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Plan changes are read here; they are requested, reviewed and applied in the app."""

    list_display = ["plan", "kind", "state", "submitted_at", "reviewed_at"]
    list_filter = ["kind", "state", "plan__year"]
    search_fields = ["plan__project__code", "plan__project__name", "reason"]
    list_select_related = ["plan__project"]
    readonly_fields = [*FILING_READONLY, "plan", "original"]
    inlines = [PlanChangeTargetInline]


@admin.register(PlanChangeTarget)
class PlanChangeTargetAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["change", "indicator", "value"]
    search_fields = ["change__plan__project__code", "indicator__name"]
    list_select_related = ["change__plan__project", "indicator"]


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    """Evaluations are read here; the department submits and the coordinator or the committee
    grades in the app, which checks who may (staff never grade their own year)."""

    list_display = ["project", "year", "proposed_grade", "grade", "submitted_at", "graded_at"]
    list_filter = ["year", "grade", "project__lead_department"]
    search_fields = ["project__code", "project__name", "narrative", "grade_comment"]
    list_select_related = ["project"]
    readonly_fields = [
        "version", "edited_by", "created_at", "updated_at",
        "submitted_by", "submitted_at", "returned_by", "returned_at", "return_comment",
        "grade", "grade_comment", "graded_by", "graded_at",
    ]  # fmt: skip
