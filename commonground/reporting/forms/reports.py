"""Forms of the reporting pages. They only shape input; the services decide what is valid."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.partnerships.models import Partner, Partnership
from commonground.reporting.models import Frequency, PartnerReport, ReportingSchedule


class ScheduleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Quarterly partner report"))
    frequency = forms.ChoiceField(
        label=_("Frequency"), choices=Frequency.choices, initial=Frequency.QUARTERLY
    )
    due_days = forms.IntegerField(
        label=_("Due (days after the period ends)"), min_value=0, max_value=180, initial=30
    )
    reminder_offsets = forms.CharField(
        label=_("Reminders (days from the due date)"),
        initial="-7, 0, 3",
        required=False,
        help_text=_(
            "Negative is before the due date, 0 the day itself, positive after (overdue: "
            "the coordinators are told too). Separate with commas."
        ),
    )
    partner_ids = forms.MultipleChoiceField(
        label=_("Partners who report"), widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        partnership: Partnership,
        schedule: ReportingSchedule | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        partners = Partner.objects.filter(partnership=partnership).select_related("organisation")
        field = self.fields["partner_ids"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(p.pk, p.organisation.name) for p in partners]
        if schedule is not None and not self.is_bound:
            self.initial.update(
                title=schedule.title,
                frequency=schedule.frequency,
                due_days=schedule.due_days,
                reminder_offsets=", ".join(str(o) for o in schedule.reminder_offsets),
                partner_ids=[
                    str(i) for i in schedule.reporters.values_list("partner_id", flat=True)
                ],
                version=schedule.version,
            )


class ReportForm(forms.Form):
    achievements = forms.CharField(
        label=_("Achievements"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What was achieved in the period. Needed to submit."),
    )
    challenges = forms.CharField(
        label=_("Challenges and how they were handled"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Needed to submit."),
    )
    lessons = forms.CharField(
        label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    next_steps = forms.CharField(
        label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    support_needed = forms.CharField(
        label=_("Support needed from other partners"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_report(cls, report: PartnerReport, data: Any = None) -> "ReportForm":
        return cls(
            data,
            initial={
                "achievements": report.achievements,
                "challenges": report.challenges,
                "lessons": report.lessons,
                "next_steps": report.next_steps,
                "support_needed": report.support_needed,
                "version": report.version,
            },
        )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments for the partner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen it?"), widget=forms.Textarea(attrs={"rows": 2}), required=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttachmentForm(forms.Form):
    evidence_file = forms.FileField(label=_("File"), required=False)
    evidence_url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")
    name = forms.CharField(label=_("Name (optional)"), max_length=255, required=False)
