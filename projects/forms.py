"""Forms: they check types and shapes; the rules themselves live in services."""

import re

from django import forms
from django.core.validators import DecimalValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .choices import FundingSource, ProjectEnd
from .models import (
    Evaluation,
    ImplementationPlan,
    Indicator,
    PlanChange,
    ProgressReport,
    Project,
    Proposal,
)

MONEY_TYPED = re.compile(r"-?(\d+|\d{1,3}(,\d{3})+)")  # a minus: refused by the bound


class MoneyInput(forms.TextInput):
    """Whole won typed as text, with or without thousands separators, shown with them."""

    def format_value(self, value):
        if isinstance(value, int) or (
            isinstance(value, str) and value.isascii() and value.isdigit()
        ):
            return f"{int(value):,}"
        return super().format_value(value)


class MoneyField(forms.IntegerField):
    """Whole won: "1,234,567" or "1234567" (spaces around are ignored)."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": _("원 단위 숫자로 적어 주세요 (예: 1,234,567)."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value and not MONEY_TYPED.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = value.replace(",", "")
        return super().to_python(value)

    def widget_attrs(self, widget):
        # Not IntegerField's min/max/step: a text input, which takes the separators.
        return {"inputmode": "numeric", "autocomplete": "off", "class": "money-input"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Any number of files; each is checked by the service that stores it."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(EvidenceField, self).clean(file, initial) for file in files]


class VersionedForm(forms.ModelForm):
    """A form that carries the version of the record it was loaded from, and the record's
    evidence files: new ones to add and a checkbox per stored one to remove."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    evidence = EvidenceField(
        label=_("증빙자료 추가"),
        required=False,
        help_text=_(
            "pdf, hwp, hwpx, docx, xlsx, pptx, jpg, png · 여러 개를 함께 선택할 수 있습니다"
        ),
    )
    remove_evidence = forms.TypedMultipleChoiceField(
        label=_("지울 증빙자료"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("이 문서의 증빙자료만 지울 수 있습니다.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.show_attachments(list(self.instance.attachments.all()) if self.instance.pk else [])
        self.fields["evidence"].widget.attrs.update({"accept": ",".join(services.ALLOWED_UPLOADS)})
        for name in self.fields:
            if name.startswith(("budget_", "spent_")):
                model_field = self._meta.model._meta.get_field(name)
                field = MoneyField(label=model_field.verbose_name, required=True)
                # The model's bounds (0 to MONEY_MAX) with their Korean messages, at once.
                field.validators = list(model_field.validators)
                self.fields[name] = field

    def show_attachments(self, attachments: list) -> None:
        """The stored files the form lists, each with its remove box."""
        self.attachments = attachments
        self.fields["remove_evidence"].choices = [(a.pk, a) for a in attachments]

    def money_names(self) -> list[str]:
        return [name for name in self.fields if isinstance(self.fields[name], MoneyField)]

    def typed_money(self, name: str) -> int | None:
        """The amount the input shows now (as typed when the form comes back), or None."""
        try:
            return self.fields[name].to_python(self[name].value())
        except forms.ValidationError:
            return None

    def describe(self, name: str, **context) -> None:
        """Figures to show beside one input (templates/projects/_field.html), which its
        screen reader reads with it."""
        bound = self[name]
        bound.context = context
        # Django names the error and the help text itself, unless told otherwise: as it does.
        parts = [("error", bound.errors), ("context", True), ("helptext", bound.help_text)]
        ids = [f"{bound.auto_id}_{part}" for part, shown in parts if shown]
        bound.field.widget.attrs["aria-describedby"] = " ".join(ids)

    def describe_money(self, context=None) -> None:
        """Each amount in 백만원 as typed; on a report, the planned budget, 집행률 and the last
        approved quarter's amount (`context`: selectors.FormContext)."""
        for name in self.money_names():
            typed = self.typed_money(name)
            extra = context.spending(name.split("_", 1)[1], typed) if context else {}
            self.describe(name, money=True, typed=typed, **extra)

    def uploads(self) -> list:
        return self.cleaned_data.get("evidence") or []

    def removals(self) -> list[int]:
        return self.cleaned_data.get("remove_evidence") or []

    def _post_clean(self):
        # Model rules are checked by the services with the full record; here only the fields.
        pass


class PlanForm(VersionedForm):
    class Meta:
        model = ImplementationPlan
        fields = sorted(services.PLAN_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["goal", "content", "q1_plan", "q2_plan", "q3_plan", "q4_plan"]
        }


# An indicator value's digits (DecimalField(16, 2)), said in words a person uses.
INDICATOR_DIGITS = {
    **dict.fromkeys(
        ("max_digits", "max_whole_digits"),
        _("값이 너무 큽니다. 정수 부분은 14자리까지 적을 수 있습니다."),
    ),
    "max_decimal_places": _("소수 둘째 자리까지 적어 주세요."),
}


class ReportForm(VersionedForm):
    class Meta:
        model = ProgressReport
        fields = sorted(services.REPORT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["achievements", "problems", "countermeasures", "next_steps"]
        }

    def __init__(self, *args, indicators: list[Indicator], results: dict[int, object], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100, "step": "0.1"})
        # The model's 0–100 rule checked with the other fields: a refused save lists it too,
        # not only once everything else is right.
        # (Its digits only once: the form field has its own DecimalValidator, and the model's
        # beside it said "전체 자릿수가 4 개를…" twice.)
        progress = self.fields["progress"]
        progress.validators.extend(
            v
            for v in ProgressReport._meta.get_field("progress").validators
            if not isinstance(v, DecimalValidator)
        )
        progress.error_messages.update(
            dict.fromkeys(
                ("max_digits", "max_whole_digits", "max_decimal_places"),
                _("진척률은 0에서 100 사이의 숫자로, 소수 첫째 자리까지 적어 주세요."),
            )
        )
        self.indicators = indicators
        for indicator in indicators:
            name = f"indicator_{indicator.pk}"
            self.fields[name] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                max_digits=16,
                decimal_places=2,
                help_text=_("올해 누적 실적"),
                error_messages=INDICATOR_DIGITS,
            )
            if not self.is_bound and indicator.pk in results:
                self.initial[name] = results[indicator.pk]

    def describe_context(self, context) -> None:
        """The year's target and the last approved quarter beside each input."""
        self.describe_money(context)
        last = context.last
        if last is not None:
            self.describe("progress", last=last.progress, when=last, percent=True)
        for indicator in self.indicators:
            self.describe(
                f"indicator_{indicator.pk}",
                when=context.last_of_year,
                **context.indicator(indicator.pk),
            )

    def indicator_fields(self):
        return [self[f"indicator_{indicator.pk}"] for indicator in self.indicators]

    def results(self) -> dict[int, object]:
        return {i.pk: self.cleaned_data.get(f"indicator_{i.pk}") for i in self.indicators}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("사유"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("의견"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("증빙자료"))


class ExtensionForm(forms.Form):
    department = forms.ModelChoiceField(queryset=None, label=_("부서"))
    due_on = forms.DateField(label=_("연장 기한"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("사유"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from .models import Department

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)


def _date_field(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class PeriodDatesForm(forms.Form):
    """A period's dates (the calendar proposes them; the coordinator may change them)."""

    opens_on = _date_field(_("작성 시작일"))
    due_on = _date_field(_("제출 기한"))


class PeriodForm(PeriodDatesForm):
    """Next quarter's reporting period, as the calendar opens it."""

    year = forms.IntegerField(label=_("연도"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("분기"), coerce=int, choices=[(q, str(q)) for q in range(1, 5)]
    )
    field_order = ["year", "quarter", "opens_on", "due_on"]


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "content", "year", "department"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}


class ProposalAnswerForm(forms.ModelForm):
    """A department's answer. The proposals page shows one per proposal: each gets element
    ids of its own (id_answer<pk>_response), the field names stay those of the model."""

    class Meta:
        model = Proposal
        fields = ["response", "response_reason"]
        widgets = {"response_reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("auto_id", f"id_answer{instance.pk}_%s")
        super().__init__(*args, **kwargs)


class SelfEvaluationForm(forms.ModelForm):
    """The department's self-evaluation of a year (saved as a draft, or submitted)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Evaluation
        fields = ["achievement", "indicator_comment", "budget_comment", "narrative",
                  "proposed_grade"]  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("achievement", "indicator_comment", "budget_comment", "narrative")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class GradeForm(forms.ModelForm):
    """The grade of a submitted self-evaluation, with its comment (both required)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Evaluation
        fields = ["grade", "grade_comment"]
        widgets = {"grade_comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].required = True
        self.fields["grade_comment"].required = True
        self.fields["grade"].error_messages["required"] = _("평가 등급을 고르세요.")
        self.fields["grade_comment"].error_messages["required"] = _("평가 의견을 적어 주세요.")
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


def _with_years(project: Project) -> str:
    return f"{project.code} {project.name} ({project.start_year}–{project.end_year})"


class ProjectEndForm(forms.Form):
    """The end of a project (중단, 폐지, 통합): services.project_end checks it."""

    kind = forms.ChoiceField(label=_("종료 구분"), choices=[("", "---------"), *ProjectEnd.choices])
    ended_on = _date_field(_("종료일"))
    reason = forms.CharField(label=_("종료 사유"), widget=forms.Textarea(attrs={"rows": 3}))
    merged_into = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("통합된 사업"),
        help_text=_("종료 구분이 통합일 때만 고릅니다."),
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].help_text = _(
            "이날이 속한 분기의 실적까지 집계하고, 그 뒤 분기부터는 집계하지 않습니다."
        )
        # Projects not ended whose years reach at least last year (an end dated in December
        # may be recorded in January), each with its years; services.project_end checks the
        # one chosen against the end date's year.
        merged_into = self.fields["merged_into"]
        merged_into.queryset = (
            Project.objects.filter(task__direction__plan_id=project.task.direction.plan_id)
            .filter(ended_on__isnull=True, end_year__gte=timezone.localdate().year - 1)
            .exclude(pk=project.pk)
            .order_by("code")
        )
        merged_into.label_from_instance = _with_years


class ProposalProjectForm(forms.ModelForm):
    """The project an accepted committee proposal becomes (services.project_from_proposal)."""

    class Meta:
        model = Project
        fields = [
            "code", "name", "task", "lead_department", "start_year", "end_year", "summary",
            "cost_national", "cost_provincial", "cost_city", "cost_private", "cost_other",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, proposal: Proposal, plan, **kwargs):
        super().__init__(*args, **kwargs)
        from strategies.models import Task

        self.fields["task"].queryset = Task.objects.filter(direction__plan=plan).order_by("number")
        self.fields["lead_department"].queryset = self.fields["lead_department"].queryset.filter(
            is_active=True
        )
        if not self.is_bound:
            self.initial.setdefault("name", proposal.title)
            self.initial.setdefault("summary", proposal.content)
            self.initial.setdefault("lead_department", proposal.department_id)
            # An idea answered this year is planned for the next (the year's plans are made by
            # March).
            start = min(max(proposal.year + 1, plan.start_year), plan.end_year)
            self.initial.setdefault("start_year", start)
            self.initial.setdefault("end_year", plan.end_year)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("채운 양식 (xlsx)"))


class PlanChangeForm(forms.ModelForm):
    """A change request of an approved plan: its type and reason, the proposed values (a new
    request starts from the plan's current ones) and a proposed target per indicator; each
    input shows the plan's current value beside it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = PlanChange
        fields = ["kind", "reason", "goal", "q1_plan", "q2_plan", "q3_plan", "q4_plan"] + [
            f"budget_{source}" for source in FundingSource.values
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["reason", "goal", "q1_plan", "q2_plan", "q3_plan", "q4_plan"]
        }
        error_messages = {"reason": {"required": _("변경 사유를 적어 주세요.")}}

    def __init__(self, *args, plan, indicators, current_targets, proposed_targets, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.indicators = indicators
        for name in list(self.fields):
            if name.startswith("budget_"):
                model_field = PlanChange._meta.get_field(name)
                field = MoneyField(label=model_field.verbose_name, required=True)
                field.validators = list(model_field.validators)
                self.fields[name] = field
        for indicator in indicators:
            name = f"target_{indicator.pk}"
            self.fields[name] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                max_digits=16,
                decimal_places=2,
                help_text=_("비워 두면 현재 목표가 바뀌지 않습니다."),
                error_messages=INDICATOR_DIGITS,
            )
            if not self.is_bound:
                value = proposed_targets.get(indicator.pk, current_targets.get(indicator.pk))
                # 32, not 32.00: as the target reads elsewhere
                self.initial[name] = None if value is None else format(value.normalize(), "f")
        # What the plan says now, beside each input (templates/projects/_field.html).
        for name in self.fields:
            if name.startswith("budget_"):
                try:
                    typed = self.fields[name].to_python(self[name].value())
                except forms.ValidationError:
                    typed = None
                self[name].context = {
                    "money": True,
                    "typed": typed,
                    "current_money": getattr(plan, name),
                }
            elif name.startswith("target_"):
                current = current_targets.get(int(name.removeprefix("target_")))
                self[name].context = {"current_value": current, "has_current": True}
            elif name in ("goal", "q1_plan", "q2_plan", "q3_plan", "q4_plan"):
                self[name].context = {"current_text": getattr(plan, name) or "—"}
        for bound in self:
            if getattr(bound, "context", None):
                described = [f"{bound.auto_id}_context"]
                if bound.help_text:
                    described.append(f"{bound.auto_id}_helptext")
                bound.field.widget.attrs["aria-describedby"] = " ".join(described)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def targets(self) -> dict:
        return {i.pk: self.cleaned_data.get(f"target_{i.pk}") for i in self.indicators}

    def target_fields(self):
        return [self[f"target_{indicator.pk}"] for indicator in self.indicators]

    def _post_clean(self):
        # The rules are the service's, checked with the whole request.
        pass
