"""Forms: they check types and shapes; the rules themselves live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import MONEY_MAX, ImplementationPlan, Indicator, ProgressReport, Proposal


class VersionedForm(forms.ModelForm):
    """A form that carries the version of the record it was loaded from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        for name, field in self.fields.items():
            if name.startswith(("budget_", "spent_")):
                # The model's bounds (0 to MONEY_MAX) with their Korean messages, at once.
                field.validators = list(self._meta.model._meta.get_field(name).validators)
                field.widget.attrs.update(
                    {"min": 0, "max": MONEY_MAX, "step": 1, "inputmode": "numeric"}
                )

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
        self.indicators = indicators
        for indicator in indicators:
            name = f"indicator_{indicator.pk}"
            self.fields[name] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                max_digits=16,
                decimal_places=2,
                help_text=_("올해 누적 실적"),
            )
            if not self.is_bound and indicator.pk in results:
                self.initial[name] = results[indicator.pk]

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


class ImportForm(forms.Form):
    file = forms.FileField(label=_("채운 양식 (xlsx)"))
