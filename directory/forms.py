"""Forms for keeping listings right (/manage/) and for the public's reports and registrations.

Each section of a service is one short form; the section registry (SECTIONS) drives the add-a-
service journey, the edit links on the summary page and the history labels.
"""

from dataclasses import dataclass
from datetime import timedelta

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Div, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltrans.utils import build_localized_fieldname

from directory.filters import LANGUAGES
from directory.models import (
    Course,
    Feedback,
    LifeStage,
    Location,
    LocationType,
    Organisation,
    Registration,
    Service,
    TaxonomyTerm,
    Weekday,
)
from earlyhelp.fields import GovDateField as DateInputField
from earlyhelp.languages import english_name
from hubs.postcodes import parse
from hubs.scoped_forms import scoped_formfield

TIME_FORMATS = ["%H:%M", "%H.%M", "%I:%M%p", "%I:%M %p", "%I%p", "%I %p", "%H%M"]
TIME_HINT = "Use the 24-hour clock, for example 09:30 or 14:00"


def _helper(*fields, button: str = "Save and continue") -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Submit("submit", button))
    return helper


def _phone(value: str, *, example: str) -> str:
    """An optional UK phone number: at least 10 digits, and only digits, spaces, + ( ) -."""
    phone = value.strip()
    digits = [c for c in phone if c.isdigit()]
    if phone and (len(digits) < 10 or any(c not in "0123456789 +()-" for c in phone)):
        raise forms.ValidationError(
            gettext("Enter a phone number, like %(example)s") % {"example": example}
        )
    return phone


def _time(label: str, required_message: str, *, required=True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=TIME_FORMATS,
        help_text=TIME_HINT,
        # crispy-forms-gds styles text inputs only: a TimeInput would be drawn unstyled.
        widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off"}),
        error_messages={
            "required": required_message,
            "invalid": f"{label} must be a time, like 09:30 or 14:00",
        },
    )


class SectionForm(forms.ModelForm):
    """A section of a service: a ModelForm whose cleaned data is saved by editing.save_changes."""

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which organisation runs the service?",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation that runs the service"},
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = _helper(Field.select("organisation", label_size=Size.MEDIUM))

    def values(self) -> dict:
        return {"organisation": self.cleaned_data["organisation"]}


class NameForm(SectionForm):
    class Meta:
        model = Service
        fields = ["name", "summary"]
        labels = {"name": "Name of the service", "summary": "Summary"}
        help_texts = {"summary": "One sentence a parent would understand, up to 300 characters"}
        error_messages = {
            "name": {
                "required": "Enter the name of the service",
                "max_length": "Name must be 200 characters or fewer",
            },
            "summary": {
                "required": "Enter a one-sentence summary",
                "max_length": "Summary must be 300 characters or fewer",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].widget = forms.Textarea(attrs={"rows": 3})
        self.helper = _helper(Field.text("name"), Field.textarea("summary", max_characters=300))


class DescriptionForm(SectionForm):
    class Meta:
        model = Service
        fields = ["description"]
        labels = {"description": "Describe the service"}
        help_texts = {
            "description": "What happens, who runs it and what a family gets from it. "
            "Use plain English: many readers speak English as an additional language."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = True
        self.fields["description"].error_messages["required"] = "Describe the service"
        self.helper = _helper(Field.textarea("description", rows=10, label_size=Size.MEDIUM))


class SupportForm(forms.Form):
    """The support offered: level-2 terms of the DfE Family Hubs taxonomy, a fieldset per
    category."""

    def __init__(self, *args, instance: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        chosen = {str(pk) for pk in instance.terms.values_list("pk", flat=True)}
        categories = TaxonomyTerm.objects.filter(parent=None).prefetch_related("children")
        self.category_fields = []
        for category in categories:
            name = f"category_{category.slug}"
            self.fields[name] = forms.MultipleChoiceField(
                label=category.name,
                choices=[(str(term.pk), term.name) for term in category.children.all()],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[str(t.pk) for t in category.children.all() if str(t.pk) in chosen],
            )
            self.category_fields.append(name)
        self.helper = _helper(
            *(
                Field.checkboxes(name, legend_size=Size.SMALL, small=True)
                for name in self.category_fields
            )
        )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in self.category_fields):
            self.add_error(self.category_fields[0], "Choose at least one kind of support")
        return cleaned

    def values(self) -> dict:
        ids = [pk for name in self.category_fields for pk in self.cleaned_data.get(name, [])]
        return {"terms": list(TaxonomyTerm.objects.filter(pk__in=ids))}


class WhoForm(SectionForm):
    class Meta:
        model = Service
        fields = ["minimum_age", "maximum_age", "life_stages", "send_up_to_25"]
        labels = {
            "minimum_age": "Youngest age (years)",
            "maximum_age": "Oldest age (years)",
            "life_stages": "Life stages",
            "send_up_to_25": "Young people with SEND can use it up to age 25",
        }
        help_texts = {
            "minimum_age": "Leave empty if there is no lower limit. Use 0 for babies.",
            "maximum_age": "Leave empty if there is no upper limit.",
            "life_stages": "Select all that apply",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stages = forms.MultipleChoiceField(
            label="Life stages",
            choices=LifeStage.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Select all that apply",
        )
        self.fields["life_stages"] = stages
        for name in ("minimum_age", "maximum_age"):
            self.fields[name].error_messages["invalid"] = (
                f"{self.fields[name].label} must be a whole number, like 5"
            )
            self.fields[name].error_messages["min_value"] = (
                f"{self.fields[name].label} must be 0 or more"
            )
        self.helper = _helper(
            Field.text("minimum_age", field_width=2),
            Field.text("maximum_age", field_width=2),
            Field.checkboxes("life_stages", legend_size=Size.SMALL),
            Field.checkbox("send_up_to_25"),
        )

    def clean_maximum_age(self):
        value = self.cleaned_data.get("maximum_age")
        if value is not None and value > 25:
            raise forms.ValidationError("Oldest age must be 25 or under")
        return value

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "Oldest age must be the same as or more than youngest")
        return cleaned

    def _post_clean(self):
        # The constraints are checked here, once, by save_changes; skip model validation.
        pass


class LanguagesForm(SectionForm):
    class Meta:
        model = Service
        fields = ["languages"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = dict(LANGUAGES)
        extra = [(code, code) for code in (self.instance.languages or []) if code not in known]
        self.fields["languages"] = forms.MultipleChoiceField(
            label="Which languages is it given in?",
            choices=LANGUAGES + extra,
            widget=forms.CheckboxSelectMultiple,
            help_text="Select all that apply",
            error_messages={"required": "Choose at least one language"},
        )
        self.helper = _helper(Field.checkboxes("languages", legend_size=Size.MEDIUM, small=True))

    def _post_clean(self):
        pass


class CostForm(SectionForm):
    is_free = forms.TypedChoiceField(
        label="Is it free?",
        choices=[(True, "Yes, it is free"), (False, "No, there is a cost")],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the service is free"},
    )

    class Meta:
        model = Service
        fields = ["is_free", "cost_description"]
        labels = {"cost_description": "What does it cost?"}
        help_texts = {
            "cost_description": "For example, £3 a session, or free for families on "
            "Universal Credit"
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("is_free", legend_size=Size.MEDIUM, inline=True),
            Field.text("cost_description"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_free") is False and not cleaned.get("cost_description"):
            self.add_error("cost_description", "Say what it costs")
        return cleaned


class AccessForm(SectionForm):
    class Meta:
        model = Service
        fields = ["how_to_access", "accessibility"]
        labels = {
            "how_to_access": "How does a family get the service?",
            "accessibility": "Accessibility (optional)",
        }
        help_texts = {"accessibility": "For example, step-free access, hearing loop, BSL"}
        widgets = {"how_to_access": forms.RadioSelect}
        error_messages = {"how_to_access": {"required": "Choose how a family gets the service"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["how_to_access"].choices = Service.Access.choices
        self.helper = _helper(
            Field.radios("how_to_access", legend_size=Size.MEDIUM),
            Field.textarea("accessibility", rows=3),
        )


class DeliveryForm(SectionForm):
    class Meta:
        model = Service
        fields = ["delivery"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery"] = forms.MultipleChoiceField(
            label="How is it given?",
            choices=Service.Delivery.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text="Select all that apply",
            error_messages={"required": "Choose how the service is given"},
        )
        self.helper = _helper(Field.checkboxes("delivery", legend_size=Size.MEDIUM))

    def _post_clean(self):
        pass


class ContactsForm(SectionForm):
    url = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a website address in the correct format, like https://www.example.org"
        },
    )

    class Meta:
        model = Service
        fields = ["email", "phone", "url"]
        labels = {
            "email": "Email address (optional)",
            "phone": "Phone number (optional)",
            "url": "Website (optional)",
        }
        help_texts = {"email": "A team address, not a person's: it is published"}
        error_messages = {
            "email": {
                "invalid": "Enter an email address in the correct format, like team@example.org"
            },
            "url": {
                "invalid": "Enter a website address in the correct format, like "
                "https://www.example.org"
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("email", field_width=30),
            Field.text("phone", field_width=20),
            Field.text("url"),
        )

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"], example="020 8359 6622")

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(f) for f in ("email", "phone", "url")):
            self.add_error("email", "Give at least one way to contact the service")
        return cleaned


class TranslationsForm(forms.Form):
    """The name, summary and description in each of the council's other languages (#16). Any
    left empty shows the English on that language's pages, marked "(in English)"."""

    PARTS = (("name", "Name", 200), ("summary", "Summary", 300), ("description", "Description", 0))

    def __init__(self, *args, instance: Service, **kwargs):
        super().__init__(*args, **kwargs)
        saved = instance.i18n or {}
        fieldsets = []
        for code, own_name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            language = english_name(code, own_name)
            keys = []
            for part, label, longest in self.PARTS:
                key = build_localized_fieldname(part, code)
                field = forms.CharField(
                    label=f"{label} in {language}",
                    required=False,
                    max_length=longest or None,
                    initial=saved.get(key, ""),
                    widget=forms.TextInput if part == "name" else forms.Textarea,
                    error_messages={
                        "max_length": f"{label} in {language} must be {longest} characters or fewer"
                    },
                )
                # Typed and read in that language, in its own direction.
                field.widget.attrs.update({"lang": code, "dir": "auto"})
                self.fields[key] = field
                keys.append(
                    Field.text(key)
                    if part == "name"
                    else Field.textarea(key, rows=3 if part == "summary" else 6)
                )
            fieldsets.append(
                Fieldset(*keys, legend=f"{language} ({own_name})", legend_size=Size.MEDIUM)
            )
        self.helper = _helper(
            HTML(
                '<p class="govuk-body">Give the name, summary and description in the languages '
                "you can. Where one is left empty, that language's pages show the English, "
                "marked “(in English)”. Have a translation checked by someone who speaks the "
                "language well before you save it.</p>"
            ),
            *fieldsets,
        )

    def values(self) -> dict:
        given = {key: value.strip() for key, value in self.cleaned_data.items() if value.strip()}
        return {"i18n": given}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    form_class: type
    fields: tuple[str, ...]
    # Asked in turn when a service is added; otherwise changed from its summary page only.
    in_journey: bool = True


SECTIONS = [
    Section("organisation", "Organisation", OrganisationForm, ("organisation",)),
    Section("name", "Name and summary", NameForm, ("name", "summary")),
    Section("description", "Description", DescriptionForm, ("description",)),
    Section("support", "Support offered", SupportForm, ("terms",)),
    Section(
        "who",
        "Who it is for",
        WhoForm,
        ("minimum_age", "maximum_age", "life_stages", "send_up_to_25"),
    ),
    Section("languages", "Languages", LanguagesForm, ("languages",)),
    Section("cost", "Cost", CostForm, ("is_free", "cost_description")),
    Section("access", "How to get it", AccessForm, ("how_to_access", "accessibility")),
    Section("delivery", "How it is given", DeliveryForm, ("delivery",)),
    Section("places", "Places and times", None, ("places",)),
    Section("contacts", "Contact details", ContactsForm, ("email", "phone", "url")),
    Section("translations", "Translations", TranslationsForm, ("i18n",), in_journey=False),
]
SECTION_BY_KEY = {section.key: section for section in SECTIONS}


def next_section(key: str) -> str | None:
    keys = [section.key for section in SECTIONS if section.in_journey]
    index = keys.index(key) + 1
    return keys[index] if index < len(keys) else None


class StartServiceForm(forms.Form):
    """The add-a-service journey's first page after the organisation: it creates the draft."""

    name = forms.CharField(
        label="Name of the service",
        max_length=200,
        error_messages={
            "required": "Enter the name of the service",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    summary = forms.CharField(
        label="Summary",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One sentence a parent would understand, up to 300 characters",
        error_messages={
            "required": "Enter a one-sentence summary",
            "max_length": "Summary must be 300 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("name"), Field.textarea("summary", max_characters=300))


class AddPlaceForm(forms.Form):
    location = forms.ModelChoiceField(
        label="Place",
        queryset=Location.objects.none(),  # the council's places, set per form
        empty_label="Choose a place",
        error_messages={"required": "Choose a place"},
    )
    weekday = forms.TypedChoiceField(
        label="Day (optional)",
        choices=[("", "No regular session")] + Weekday.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    opens_at = _time("Starts at", "Enter the time it starts", required=False)
    closes_at = _time("Ends at", "Enter the time it ends", required=False)
    term_time_only = forms.BooleanField(label="Term time only", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(is_confidential=False).order_by(
            "name"
        )
        self.helper = _helper(
            Field.select("location"),
            Field.select("weekday"),
            Field.text("opens_at", field_width=5),
            Field.text("closes_at", field_width=5),
            Field.checkbox("term_time_only"),
            button="Add place",
        )

    def clean(self):
        cleaned = super().clean()
        day, opens, closes = (cleaned.get(f) for f in ("weekday", "opens_at", "closes_at"))
        if day is not None:
            if opens is None and "opens_at" not in self.errors:
                self.add_error("opens_at", "Enter the time it starts")
            if closes is None and "closes_at" not in self.errors:
                self.add_error("closes_at", "Enter the time it ends")
        elif opens or closes:
            self.add_error("weekday", "Choose the day of the session")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", "The end time must be after the start time")
        return cleaned

    def session(self) -> dict | None:
        data = self.cleaned_data
        if data.get("weekday") is None:
            return None
        return {
            "weekday": data["weekday"],
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "term_time_only": data["term_time_only"],
        }


class StatusForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("publish", "close", "unpublish", "archive")]
    )


class RejectForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve the change"), ("reject", "Reject the change")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or reject the change"},
    )
    reason = forms.CharField(
        label="Reason (needed to reject)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The provider sees this in an email",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("reason"),
            button="Save decision",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Give a reason for rejecting the change")
        return cleaned


class ResolveFeedbackForm(forms.Form):
    resolution = forms.CharField(
        label="What did you do?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what you did about this report"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("resolution"), button="Mark as resolved")


# --- Places -------------------------------------------------------------------------------------


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "name",
            "location_type",
            "address_1",
            "postal_code",
            "description",
            "opening_hours",
            "accessibility",
            "is_confidential",
        ]
        labels = {
            "name": "Name of the place",
            "location_type": "Type of place",
            "address_1": "Address",
            "postal_code": "Postcode",
            "description": "Description (optional)",
            "opening_hours": "Opening hours (optional)",
            "accessibility": "Accessibility (optional)",
            "is_confidential": "Keep the address confidential (for example, a refuge)",
        }
        error_messages = {
            "name": {"required": "Enter the name of the place"},
            "location_type": {"required": "Choose the type of place"},
            "address_1": {"required": "Enter the address"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address_1"].required = True
        self.fields["postal_code"].required = True
        self.fields["postal_code"].error_messages["required"] = "Enter the postcode"
        self.fields["location_type"].choices = [("", "Choose a type")] + LocationType.choices
        self.postcode = None
        self.helper = _helper(
            Field.text("name"),
            Field.select("location_type"),
            Field.text("address_1"),
            Field.text("postal_code", field_width=10),
            Field.textarea("description", rows=3),
            Field.textarea("opening_hours", rows=3),
            Field.textarea("accessibility", rows=3),
            Field.checkbox("is_confidential"),
            button="Save place",
        )

    def clean_postal_code(self) -> str:
        from hubs.models import Postcode

        parsed = parse(self.cleaned_data["postal_code"])
        if parsed is None or not parsed.is_full:
            raise forms.ValidationError("Enter a full postcode, like NW9 4BR")
        found = Postcode.objects.filter(postcode=parsed.postcode).first()
        if found is None:
            raise forms.ValidationError(
                "We could not find this postcode. Check it, or ask an administrator to add it."
            )
        self.postcode = found
        return parsed.postcode


# --- Courses ------------------------------------------------------------------------------------


class CourseForm(forms.ModelForm):
    start_date = DateInputField(
        label="Date of the first session", help_text="For example, 12 1 2027"
    )
    starts_at = _time("Starts at", "Enter the time each session starts")
    ends_at = _time("Ends at", "Enter the time each session ends")

    class Meta:
        formfield_callback = scoped_formfield
        model = Course
        fields = [
            "location",
            "start_date",
            "sessions",
            "starts_at",
            "ends_at",
            "capacity",
            "booking",
            "notes",
        ]
        labels = {
            "location": "Place",
            "sessions": "Number of weekly sessions",
            "capacity": "Number of places",
            "booking": "How do parents join?",
            "notes": "Anything else parents should know (optional)",
        }
        widgets = {"booking": forms.RadioSelect}
        error_messages = {
            "sessions": {"required": "Enter the number of weekly sessions"},
            "capacity": {"required": "Enter the number of places"},
            "booking": {"required": "Choose how parents join"},
        }

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = places
        self.fields["location"].empty_label = "Online or to be confirmed"
        self.fields["booking"].choices = Course.Booking.choices
        self.fields["start_date"].error_messages["required"] = "Enter the date of the first session"
        self.fields["start_date"].error_messages["incomplete"] = (
            "Enter the date of the first session"
        )
        for name, what in (("sessions", "sessions"), ("capacity", "places")):
            self.fields[name].error_messages["invalid"] = f"Enter the number of {what}, like 10"
            self.fields[name].error_messages["min_value"] = f"There must be at least 1 of {what}"
            self.fields[name].min_value = 1
            self.fields[name].widget.attrs["min"] = 1
        self.fields["sessions"].max_value = 52
        self.fields["capacity"].max_value = 500
        self.fields["sessions"].validators.append(_at_most(52, "sessions"))
        self.fields["capacity"].validators.append(_at_most(500, "places"))
        self.helper = _helper(
            Field.select("location"),
            Field("start_date"),
            Field.text("sessions", field_width=2),
            Field.text("starts_at", field_width=5),
            Field.text("ends_at", field_width=5),
            Field.text("capacity", field_width=3),
            Field.radios("booking", legend_size=Size.SMALL),
            Field.text("notes"),
            button="Save course",
        )

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if self.instance._state.adding and start < timezone.localdate() - timedelta(days=1):
            raise forms.ValidationError("The first session must be today or in the future")
        return start

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("starts_at"), cleaned.get("ends_at")
        if opens and closes and opens >= closes:
            self.add_error("ends_at", "The end time must be after the start time")
        return cleaned


def _at_most(limit: int, what: str):
    def check(value):
        if value is not None and value > limit:
            raise forms.ValidationError(f"There can be at most {limit} {what}")

    return check


class RegistrationForm(forms.ModelForm):
    """A parent registers interest in a course."""

    consent = forms.BooleanField(
        label=_(
            "I agree that the organisers can keep these details to contact me about this "
            "course, and delete them when it ends"
        ),
        error_messages={"required": _("Tick the box to agree, so the organisers can contact you")},
    )
    # Translators: the label of a field hidden from people (it catches spam robots).
    website = forms.CharField(required=False, label=_("Leave this empty"))  # honeypot

    class Meta:
        model = Registration
        fields = ["name", "email", "phone", "child_ages", "consent"]
        labels = {
            "name": _("Your name"),
            "email": _("Email address (optional)"),
            "phone": _("Phone number (optional)"),
        }
        help_texts = {"phone": _("Give an email address or a phone number, or both")}
        error_messages = {
            "name": {"required": _("Enter your name")},
            "email": {
                "invalid": _("Enter an email address in the correct format, like name@example.com")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child_ages"] = forms.MultipleChoiceField(
            label=gettext("How old are your children?"),
            choices=Registration.ChildAge.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=gettext("Select all that apply"),
            error_messages={"required": gettext("Choose your children's ages")},
        )
        self.helper = _helper(
            Field.text("name", field_width=20),
            Field.text("email", field_width=30),
            Field.text("phone", field_width=20),
            Field.checkboxes("child_ages", legend_size=Size.SMALL),
            Field.checkbox("consent"),
            Div(Field.text("website"), css_class="app-honeypot"),
            button=gettext("Register interest"),
        )

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"], example="07700 900 982")

    def clean(self):
        cleaned = super().clean()
        no_errors = "email" not in self.errors and "phone" not in self.errors
        if no_errors and not cleaned.get("email") and not cleaned.get("phone"):
            self.add_error("email", gettext("Give an email address or a phone number"))
        return cleaned

    def _post_clean(self):
        pass


class RegistrationStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Registration.Status.choices)


class FeedbackForm(forms.ModelForm):
    # Translators: the label of a field hidden from people (it catches spam robots).
    website = forms.CharField(required=False, label=_("Leave this empty"))  # honeypot

    class Meta:
        model = Feedback
        fields = ["message", "contact"]
        labels = {
            "message": _("What is wrong with this page?"),
            "contact": _("Your email address or phone number (optional)"),
        }
        help_texts = {
            "message": _(
                "For example, the times have changed or the phone number does not work. "
                "Do not include personal details about your family."
            ),
            "contact": _("Only if you would like us to reply"),
        }
        error_messages = {"message": {"required": _("Tell us what is wrong with this page")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].max_length = 2000
        self.fields["message"].validators.append(_max_chars(2000))
        self.helper = _helper(
            Field.textarea("message", max_characters=2000),
            Field.text("contact"),
            Div(Field.text("website"), css_class="app-honeypot"),
            button=gettext("Send report"),
        )


def _max_chars(limit: int):
    def check(value):
        if len(value) > limit:
            raise forms.ValidationError(
                gettext("What is wrong must be %(limit)s characters or fewer")
                % {"limit": number_format(limit, force_grouping=True)}
            )

    return check


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("file"), Submit("submit", "Check the file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be a CSV file saved as UTF-8") from None
