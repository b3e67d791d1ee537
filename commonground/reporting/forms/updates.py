"""Forms of the updates and milestones pages. They parse and render; the services decide what
is allowed and their refusals land on these fields (core.forms.add_domain_error)."""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonground.reporting.models import ProgressUpdate, Visibility
from commonground.reporting.services.updates import MAX_BODY, MAX_COMMENT, MAX_SECTION


class DateInput(forms.DateInput):
    input_type = "date"


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Update"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Markdown: **bold**, *italic*, [a link](https://…), lists with - or 1. "
            "Pictures go in the image field below."
        ),
    )
    achievements = forms.CharField(
        label=_("Achievements to highlight"),
        required=False,
        max_length=MAX_SECTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What went well: shown highlighted in the feed."),
    )
    challenges = forms.CharField(
        label=_("Challenges to highlight"),
        required=False,
        max_length=MAX_SECTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is hard or stuck, and what would help."),
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
        help_text=_("Optional: a PNG, JPEG, GIF or WebP image of up to 5 MB."),
    )
    image_alt = forms.CharField(
        label=_("Image description (alt text)"),
        required=False,
        max_length=250,
        help_text=_("Needed with an image: what it shows, for people who cannot see it."),
    )
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Visibility.choices,
        initial=Visibility.INTERNAL,
        widget=forms.RadioSelect,
        help_text=_("Partners only, or also on the partnership's public page."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, update: ProgressUpdate | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if update is not None:
            self.fields["version"].required = True
        if update is None or not update.image:
            del self.fields["remove_image"]
        else:
            self.fields["image"].help_text = gettext(
                "A new image replaces the current one. Optional: a PNG, JPEG, GIF or WebP "
                "image of up to 5 MB."
            )

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            key: data.get(key, "")
            for key in ("title", "body", "achievements", "challenges", "image_alt", "visibility")
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment or question"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_question = forms.BooleanField(
        label=_("This is a question for the author"),
        required=False,
        help_text=_("Questions are marked so the author can see what needs an answer."),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    """A button's form that changes a row: it names the version the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)
