from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from earlyhelp.fields import GovDateField
from privacy.models import RightsRequest
from referrals.models import Child


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are they asking for?",
        choices=RightsRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they are asking for"},
    )
    child_reference = forms.CharField(
        label="The child's ID",
        help_text="From the child's record, for example C-000123",
        max_length=20,
        error_messages={"required": "Enter the child's ID"},
    )
    requester_name = forms.CharField(
        label="Who is asking", max_length=200, error_messages={"required": "Enter who is asking"}
    )
    relationship = forms.ChoiceField(
        label="Their relationship to the child",
        choices=RightsRequest.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their relationship to the child"},
    )
    received_on = GovDateField(
        label="When the request was received", help_text="For example, 27 3 2027"
    )
    details = forms.CharField(
        label="What they asked (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = None
        for message in ("required", "incomplete"):
            self.fields["received_on"].error_messages[message] = (
                "Enter the date the request was received"
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("child_reference", field_width=10),
            Field.text("requester_name"),
            Field.radios("relationship", legend_size=Size.SMALL),
            Field("received_on"),
            Field.textarea("details"),
            Submit("submit", "Record the request"),
        )

    def clean_child_reference(self) -> str:
        value = self.cleaned_data["child_reference"].strip().upper().replace(" ", "")
        number = value.removeprefix("C-").removeprefix("C")
        self.child = (
            Child.objects.current().filter(number=int(number)).first() if number.isdigit() else None
        )
        if self.child is None:
            raise forms.ValidationError("Enter the ID of a child with a record, like C-000123")
        return value

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received and received.year < 2000:
            raise forms.ValidationError("The date the request was received must be after 2000")
        if received and received > timezone.localdate():
            raise forms.ValidationError("The date the request was received must be today or before")
        return received


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="What was done",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: export sent, redacted, on 3 January 2027; or why it was refused.",
        error_messages={"required": "Enter what was done"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("outcome"), Submit("close", "Close the request"))
