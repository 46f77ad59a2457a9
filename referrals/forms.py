import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    HTML,
    ConditionalQuestion,
    ConditionalRadios,
    Div,
    Field,
    Fieldset,
    Layout,
    Size,
    Submit,
)
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.core.validators import MaxLengthValidator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Agency, User
from directory.models import Service
from earlyhelp.fields import GovDateField as DateInputField
from hubs import councils
from hubs.models import Hub
from hubs.postcodes import parse
from referrals.models import (
    Assessment,
    Child,
    Consent,
    Decision,
    Episode,
    Family,
    FamilyRequest,
    NeedArea,
    Person,
    Professional,
    SupportRequest,
)

# Translators: the answers to a yes or no question.
_YES, _NO = _("Yes"), _("No")


def _yes_no(
    label: str, required_message: str = "", *, yes=_YES, no=_NO, **kwargs
) -> forms.TypedChoiceField:
    """Radios for True or False. With no ``required_message`` the question is optional and an
    unanswered one is None."""
    if not required_message:
        kwargs.update(required=False, empty_value=None)
    return forms.TypedChoiceField(
        label=label,
        choices=[(True, yes), (False, no)],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
        **kwargs,
    )


def _date(label: str, required_message: str, *, required=True, help_text="") -> DateInputField:
    field = DateInputField(label=label, required=required, help_text=help_text)
    field.error_messages["required"] = required_message
    field.error_messages["incomplete"] = required_message
    return field


def _real_date(value: date | None, what: str) -> date | None:
    if value is None:
        return None
    if value.year < 1900:
        raise forms.ValidationError(f"{what} must be after 1900")
    return value


def _postcode(value: str, *, required_message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise forms.ValidationError(required_message)
    parsed = parse(value)
    if parsed is None or not parsed.is_full:
        raise forms.ValidationError(gettext("Enter a full postcode, like N2 8LG"))
    return parsed.postcode


def _helper(*fields, submit="Save and continue") -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class SafeguardingScreenForm(forms.Form):
    risk = _yes_no(
        "Do you think a child is at risk of significant harm?",
        "Select yes if you think a child is at risk of significant harm",
        help_text="For example, you think a child has been or is likely to be abused or neglected.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("risk", legend_size=Size.LARGE, legend_tag="h1", inline=True),
            submit="Continue",
        )


class FamilyLookupForm(forms.Form):
    first_name = forms.CharField(
        label="Child's first name",
        max_length=100,
        error_messages={"required": "Enter the child's first name"},
    )
    last_name = forms.CharField(
        label="Child's last name",
        max_length=100,
        error_messages={"required": "Enter the child's last name"},
    )
    date_of_birth = _date("Child's date of birth", "Enter the child's date of birth")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].help_text = "For example, 27 3 2019"
        self.helper = _helper(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field("date_of_birth"),
            submit="Search",
        )

    def clean_date_of_birth(self):
        value = _real_date(self.cleaned_data["date_of_birth"], "Date of birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError("Date of birth must be today or in the past")
        return value


class AboutYouForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["assessor_role", "assessor_organisation", "assessor_phone"]
        error_messages = {
            "assessor_role": {"required": "Enter your role"},
            "assessor_organisation": {"required": "Enter your organisation"},
            "assessor_phone": {"required": "Enter your work phone number"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
        self.fields["assessor_phone"].widget.attrs["autocomplete"] = "tel"
        self.helper = _helper(
            Field.text("assessor_role"),
            Field.text("assessor_organisation"),
            Field.text("assessor_phone", field_width=20),
        )


class FamilyForm(forms.ModelForm):
    interpreter_needed = _yes_no(
        "Does the family need an interpreter?", "Select yes if the family needs an interpreter"
    )

    class Meta:
        model = Family
        fields = [
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "home_language",
            "interpreter_needed",
        ]
        labels = {"address_line_2": "Address line 2 (optional)"}
        error_messages = {
            "address_line_1": {"required": "Enter the first line of the family's address"},
            "town": {"required": "Enter the town or city"},
            "home_language": {"required": "Enter the main language spoken at home"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("address_line_1", "town", "postcode", "home_language"):
            self.fields[name].required = True
        self.fields["postcode"].max_length = 20
        self.fields["postcode"].validators = []  # the model's 8 characters apply once cleaned
        self.fields["postcode"].widget.attrs["maxlength"] = 20
        self.fields["postcode"].help_text = "We send the assessment to the hub for this postcode."
        self.helper = _helper(
            Fieldset(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=20),
                Field.text("postcode", field_width=10),
                legend="Address",
                legend_size=Size.MEDIUM,
            ),
            Field.text("home_language", field_width=20),
            Field.radios("interpreter_needed", legend_size=Size.SMALL, inline=True),
        )

    def clean_postcode(self) -> str:
        return _postcode(self.cleaned_data.get("postcode"), required_message="Enter the postcode")


class PersonForm(forms.ModelForm):
    date_of_birth = _date("Date of birth", "Enter their date of birth", required=False)
    expected_due_date = _date(
        "Expected due date (unborn baby only)", "Enter the expected due date", required=False
    )
    parental_responsibility = _yes_no(
        "Do they have parental responsibility?",
        "Select yes if they have parental responsibility for a child in the family",
    )
    lives_in_household = _yes_no(
        "Do they live in the household?", "Select yes if they live in the household"
    )

    class Meta:
        model = Person
        fields = [
            "role",
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_due_date",
            "relationship",
            "parental_responsibility",
            "lives_in_household",
            "ethnicity",
            "religion",
        ]
        labels = {
            "role": "Who are they?",
            "ethnicity": "Ethnicity (optional)",
            "religion": "Religion (optional)",
        }
        widgets = {
            "role": forms.RadioSelect,
            "ethnicity": forms.RadioSelect,
            "religion": forms.RadioSelect,
        }
        error_messages = {
            "role": {"required": "Select who they are"},
            "first_name": {"required": "Enter their first name"},
            "last_name": {
                "required": "Enter their last name (for an unborn baby, the family's surname)"
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Person.Role.choices
        self.fields["ethnicity"].choices = Person.Ethnicity.choices
        self.fields["religion"].choices = Person.Religion.choices
        self.fields["date_of_birth"].help_text = "For example, 27 3 2019"
        self.fields["expected_due_date"].help_text = "For example, 14 2 2027"
        # The due date is asked only under "Unborn baby" (shown beneath it without JavaScript).
        self.helper = _helper(
            ConditionalRadios(
                "role",
                *(
                    ConditionalQuestion(label, "expected_due_date")
                    if value == Person.Role.UNBORN
                    else str(label)
                    for value, label in self.fields["role"].choices
                ),
            ),
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field("date_of_birth"),
            Field.text("relationship", field_width=20),
            Field.radios("parental_responsibility", legend_size=Size.SMALL, inline=True),
            Field.radios("lives_in_household", legend_size=Size.SMALL, inline=True),
            Field.radios("ethnicity", legend_size=Size.SMALL, small=True),
            Field.radios("religion", legend_size=Size.SMALL, small=True),
        )

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        today = timezone.localdate()
        born = _real_date(cleaned.get("date_of_birth"), "Date of birth")
        due = cleaned.get("expected_due_date")
        if role == Person.Role.UNBORN:
            if not due and "expected_due_date" not in self.errors:
                self.add_error("expected_due_date", "Enter the expected due date")
            elif due and not today - timedelta(days=31) <= due <= today + timedelta(days=300):
                self.add_error(
                    "expected_due_date", "Expected due date must be within the next 10 months"
                )
            if born:
                self.add_error("date_of_birth", "Leave date of birth blank for an unborn baby")
        elif role:
            if due:
                self.add_error("expected_due_date", "Only enter a due date for an unborn baby")
            if not born and "date_of_birth" not in self.errors:
                self.add_error("date_of_birth", "Enter their date of birth")
            elif born and born > today:
                self.add_error("date_of_birth", "Date of birth must be today or in the past")
            elif born and role == Person.Role.CHILD and born < today - timedelta(days=366 * 26):
                self.add_error(
                    "date_of_birth",
                    "A child or young person must be under 26 (early help is for 0 to 19, "
                    "or up to 25 with SEND). Choose ‘other adult’ for an older person",
                )
        return cleaned


class ChildrenForm(forms.Form):
    subjects = forms.ModelMultipleChoiceField(
        label="Which children is this assessment about?",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one child"},
    )

    def __init__(self, *args, family: Family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = family.people.filter(
            role__in=[Person.Role.CHILD, Person.Role.UNBORN]
        )
        self.helper = _helper(Field.checkboxes("subjects", legend_size=Size.MEDIUM))


EQUALITY_HELP = (
    "We ask so the council can check that early help reaches every community fairly. It is "
    "optional, and 'prefer not to say' is always an answer."
)


class ChildDetailsForm(forms.ModelForm):
    """About one child: identifiers for matching, and equality and support needs (all optional)."""

    young_carer = _yes_no("Are they a young carer? (optional)")
    interpreter_needed = _yes_no("Do they need an interpreter? (optional)")

    class Meta:
        model = Person
        fields = [
            "upn",
            "nhs_number",
            "sex",
            "gender_identity",
            "ethnicity_code",
            "disability",
            "disability_detail",
            "send",
            "school",
            "young_carer",
            "first_language",
            "interpreter_needed",
        ]
        labels = {
            "upn": "Unique pupil number (UPN) (optional)",
            "nhs_number": "NHS number (optional)",
            "sex": "Sex (optional)",
            "gender_identity": "Gender identity, if different from sex (optional)",
            "ethnicity_code": "Ethnicity (optional)",
            "disability": "Do they have a disability? (optional)",
            "disability_detail": "What is the disability? (optional)",
            "send": "Special educational needs (optional)",
            "school": "School, college or early years setting (optional)",
            "first_language": "First language (optional)",
        }
        widgets = {"sex": forms.RadioSelect, "disability": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        from referrals.ethnicity import grouped_choices

        super().__init__(*args, **kwargs)
        self.fields["upn"].help_text = "13 characters, from the school, like H801200001001"
        self.fields["nhs_number"].help_text = "10 digits, like 943 476 5919"
        for name in ("upn", "nhs_number"):  # spaces are allowed; the cleaned value is checked
            self.fields[name].max_length = 20
            self.fields[name].validators = [MaxLengthValidator(20)]
            self.fields[name].widget.attrs["maxlength"] = "20"
        self.fields["sex"].choices = Child.Sex.choices
        self.fields["disability"].choices = Person.Disability.choices
        self.fields["send"].choices = [("", "Not recorded"), *Person.Send.choices]
        self.fields["ethnicity_code"] = forms.ChoiceField(
            label="Ethnicity (optional)",
            choices=[("", "Not recorded"), *grouped_choices()],
            required=False,
            help_text="The Department for Education's codes, as schools use",
        )
        self.helper = _helper(
            Fieldset(
                Field.text("upn", field_width=20),
                Field.text("nhs_number", field_width=10),
                legend="Identifiers (never shown in web addresses)",
                legend_size=Size.SMALL,
            ),
            Fieldset(
                HTML(f'<p class="govuk-hint">{EQUALITY_HELP}</p>'),
                Field.radios("sex", legend_size=Size.SMALL, small=True, inline=True),
                Field.text("gender_identity", field_width=20),
                Field.select("ethnicity_code"),
                Field.radios("disability", legend_size=Size.SMALL, small=True, inline=True),
                Field.text("disability_detail"),
                legend="Equality information",
                legend_size=Size.SMALL,
            ),
            Field.select("send"),
            Field.text("school"),
            Field.radios("young_carer", legend_size=Size.SMALL, small=True, inline=True),
            Field.text("first_language", field_width=20),
            Field.radios("interpreter_needed", legend_size=Size.SMALL, small=True, inline=True),
        )

    def clean_upn(self) -> str:
        from referrals.identifiers import normalise_upn, upn_problem

        value = normalise_upn(self.cleaned_data.get("upn") or "")
        if value and (problem := upn_problem(value)):
            raise forms.ValidationError(problem)
        return value

    def clean_nhs_number(self) -> str:
        from referrals.identifiers import nhs_number_problem, normalise_nhs_number

        value = normalise_nhs_number(self.cleaned_data.get("nhs_number") or "")
        if value and (problem := nhs_number_problem(value)):
            raise forms.ValidationError(problem)
        return value


class ProfessionalForm(forms.ModelForm):
    family_agreed_to_share = _yes_no(
        "Has the family agreed to share information with them?",
        "Select yes if the family agreed to share information with them",
    )

    class Meta:
        model = Professional
        fields = ["role", "name", "organisation", "contact", "child", "family_agreed_to_share"]
        labels = {
            "role": "Their role",
            "name": "Their name (optional)",
            "organisation": "Organisation (optional)",
            "contact": "Phone number or email (optional)",
            "child": "Which child are they involved with?",
        }
        error_messages = {"role": {"required": "Select their role"}}

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Choose a role"), *Professional.Role.choices]
        self.fields["child"].queryset = assessment.family.people.filter(
            role__in=[Person.Role.CHILD, Person.Role.UNBORN]
        )
        self.fields["child"].empty_label = "The whole family"
        self.fields["child"].required = False
        self.helper = _helper(
            Field.select("role"),
            Field.text("name", field_width=20),
            Field.text("organisation", field_width=20),
            Field.text("contact", field_width=20),
            Field.select("child"),
            Field.radios("family_agreed_to_share", legend_size=Size.SMALL, inline=True),
            submit="Save professional",
        )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("name") or cleaned.get("organisation")):
            self.add_error("name", "Enter their name or their organisation")
        return cleaned


class ConsentForm(forms.ModelForm):
    given_on = _date("When was consent given?", "Enter the date consent was given")
    to_assessment = _yes_no(
        "Do they agree to this early help assessment?",
        "Select yes if they agree to the early help assessment",
    )
    to_share = _yes_no(
        "Do they agree to the assessment being shared with the agencies that can help?",
        "Select yes if they agree to the assessment being shared",
    )

    class Meta:
        model = Consent
        fields = [
            "given_by",
            "given_on",
            "method",
            "to_assessment",
            "to_share",
            "share_with",
            "must_not_see_agencies",
            "must_not_see",
            "competent",
            "competence_reason",
        ]
        labels = {
            "given_by": "Who gave consent?",
            "method": "How was consent given?",
            "share_with": "Which agencies may see it? (optional)",
            "must_not_see": "Is there any other person or organisation who must not see it? "
            "(optional)",
        }
        widgets = {"given_by": forms.RadioSelect, "method": forms.RadioSelect}
        error_messages = {
            "given_by": {"required": "Select who gave consent"},
            "method": {"required": "Select how consent was given"},
        }

    must_not_see_agencies = forms.MultipleChoiceField(
        label="Which agencies must NOT see it? (optional)",
        choices=Agency.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Someone from these agencies is added to the team around the family only with "
        "a recorded reason.",
    )
    share_with = forms.MultipleChoiceField(
        label="Which agencies may see it? (optional)",
        choices=Agency.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    competent = _yes_no(
        "Is the child competent to decide for themselves? (under 16 only)",
        help_text="A child under 16 who understands what the assessment and sharing mean, and "
        "what follows from them, can decide for themselves (Gillick competence)",
    )
    competence_reason = forms.CharField(
        label="Why do you judge this? (under 16 only)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        family = person.family
        self.fields["given_by"].queryset = family.people.filter(
            pk=person.pk
        ) | family.people.filter(parental_responsibility=True).exclude(
            role__in=[Person.Role.CHILD, Person.Role.UNBORN]
        )
        self.fields["given_by"].empty_label = None
        self.fields["method"].choices = Consent.Method.choices
        self.fields["given_on"].help_text = "For example, 3 11 2026"
        self.fields["must_not_see"].help_text = (
            "For example, a named relative or an agency the family does not want involved. "
            "They will not be added to the team around the family without a recorded reason."
        )
        age = person.age_on(timezone.localdate())
        under_16 = person.role == Person.Role.CHILD and not person.must_give_own_consent(
            timezone.localdate()
        )
        # Too young to be judged competent (a 7-year-old does not consent for himself).
        youngest = councils.youngest_age_judged_competent()
        self.too_young = under_16 and (age is None or age < youngest)
        under_16 = under_16 and not self.too_young
        if person.role == Person.Role.CHILD:
            self.fields["to_assessment"].label = "Do they agree to this early help assessment?"
        else:
            # An adult consents to their own information being recorded.
            self.fields[
                "to_assessment"
            ].label = "Do they agree to their information being recorded in this assessment?"
        competence = (
            [
                Field.radios("competent", legend_size=Size.SMALL, inline=True),
                Field.textarea("competence_reason", rows=3),
            ]
            if under_16
            else []
        )
        if not under_16:
            del self.fields["competent"], self.fields["competence_reason"]
        self.helper = _helper(
            *competence,
            Field.radios("given_by", legend_size=Size.SMALL),
            Field("given_on"),
            Field.radios("method", legend_size=Size.SMALL, inline=True),
            Field.radios("to_assessment", legend_size=Size.SMALL, inline=True),
            Field.radios("to_share", legend_size=Size.SMALL, inline=True),
            Field.checkboxes("share_with", legend_size=Size.SMALL, small=True),
            Field.checkboxes("must_not_see_agencies", legend_size=Size.SMALL, small=True),
            Field.textarea("must_not_see", rows=3),
        )

    def clean_given_on(self):
        value = _real_date(self.cleaned_data["given_on"], "The date consent was given")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date consent was given must be today or in the past")
        return value

    def clean(self):
        cleaned = super().clean()
        given_by = cleaned.get("given_by")
        person = self.person
        if given_by is None:
            return cleaned
        competent = cleaned.get("competent")
        if "competent" in self.fields:
            if competent is None:
                self.add_error(
                    "competent", f"Select whether {person.first_name} is competent to decide"
                )
            elif not (cleaned.get("competence_reason") or "").strip():
                self.add_error("competence_reason", "Say why you judge the child competent or not")
        if person.must_give_own_consent(timezone.localdate()) and given_by != person:
            if person.role == Person.Role.CHILD:
                message = f"{person.first_name} is 16 or over, so they give their own consent"
            else:
                message = f"{person.first_name} gives their own consent"
            self.add_error("given_by", message)
        elif competent and given_by != person:
            self.add_error(
                "given_by",
                f"{person.first_name} is judged competent, so they give their own consent",
            )
        elif competent is False and given_by == person:
            self.add_error(
                "given_by",
                f"{person.first_name} is not judged competent: someone with parental "
                "responsibility gives consent",
            )
        elif given_by == person and self.too_young:
            self.add_error(
                "given_by",
                f"{person.first_name} is under {councils.youngest_age_judged_competent()}: someone "
                "with parental responsibility gives consent",
            )
        elif given_by == person and person.role == Person.Role.UNBORN:
            self.add_error("given_by", "A parent gives consent for an unborn baby")
        elif given_by != person and not given_by.parental_responsibility:
            self.add_error(
                "given_by",
                "Consent for a child must come from someone with parental responsibility",
            )
        return cleaned


class NeedsForm(forms.Form):
    """Needs by Supporting Families headline outcome, with the framework's descriptors and where
    the evidence came from (the council's framework file, referrals/framework.py)."""

    reason = forms.CharField(
        label="Why are you asking for early help now?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter why you are asking for early help"},
        help_text="In the family's words where you can.",
    )

    def __init__(self, *args, **kwargs):
        from referrals.framework import framework

        super().__init__(*args, **kwargs)
        sf = framework()
        areas = []
        for area in NeedArea:
            headline = sf.headline(area.value)
            self.fields[f"need_{area.value}"] = forms.CharField(
                label="What is the need? (optional)",
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"descriptors_{area.value}"] = forms.MultipleChoiceField(
                label="Which descriptions fit? (optional)",
                choices=[(d.key, d.text) for d in headline.descriptors] if headline else [],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"evidence_{area.value}"] = forms.CharField(
                label="Where does the evidence come from? (optional)",
                required=False,
                max_length=200,
                help_text="For example, school attendance data, or the family told us",
            )
            self.fields[f"evidence_on_{area.value}"] = _date(
                "Date of the evidence (optional)",
                "Enter the date of the evidence",
                required=False,
                help_text="For example, 3 11 2026",
            )
            areas.append(
                Fieldset(
                    Field.textarea(f"need_{area.value}", rows=3, label_size=Size.SMALL),
                    Field.checkboxes(f"descriptors_{area.value}", small=True),
                    Field.text(f"evidence_{area.value}", field_width=30),
                    Field(f"evidence_on_{area.value}"),
                    legend=area.label,
                    legend_size=Size.SMALL,
                )
            )
        self.helper = _helper(
            Field.textarea("reason", rows=5),
            HTML(
                '<h2 class="govuk-heading-m">What does the family need help with?</h2>'
                '<p class="govuk-body">Describe each need under the Supporting Families '
                "headline outcome it belongs to, and tick the descriptions that fit. Fill in "
                "only the areas where the family needs help: at least one.</p>"
            ),
            *areas,
        )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"need_{area.value}", "").strip() for area in NeedArea):
            self.add_error(
                f"need_{NeedArea.EDUCATION.value}",
                "Describe at least one need, under the area it belongs to",
            )
        today = timezone.localdate()
        for area in NeedArea:
            detail = cleaned.get(f"need_{area.value}", "").strip()
            extras = cleaned.get(f"descriptors_{area.value}") or cleaned.get(
                f"evidence_{area.value}"
            )
            if extras and not detail:
                self.add_error(f"need_{area.value}", f"Describe the need: {area.label.lower()}")
            on = cleaned.get(f"evidence_on_{area.value}")
            if on:
                try:
                    _real_date(on, "The date of the evidence")
                except forms.ValidationError as error:
                    self.add_error(f"evidence_on_{area.value}", error)
                else:
                    if on > today:
                        self.add_error(
                            f"evidence_on_{area.value}",
                            "The date of the evidence must be today or in the past",
                        )
        return cleaned

    def needs(self) -> dict[str, dict]:
        """Each area with a need: its detail, descriptors and evidence."""
        return {
            area.value: {
                "detail": self.cleaned_data[f"need_{area.value}"].strip(),
                "descriptors": self.cleaned_data.get(f"descriptors_{area.value}") or [],
                "evidence_source": self.cleaned_data.get(f"evidence_{area.value}", ""),
                "evidence_on": self.cleaned_data.get(f"evidence_on_{area.value}"),
            }
            for area in NeedArea
            if self.cleaned_data.get(f"need_{area.value}", "").strip()
        }


_SCALE_MEANING = (
    "0 means things are so bad the child cannot stay at home. 10 means things are good "
    "enough that no one else needs to be involved."
)


def _scale(label: str, whose: str, *, required: bool = True, hint: str = "") -> forms.IntegerField:
    """A 0 to 10 scaling as one short number box (not 11 radios), saying what 0 and 10 mean."""
    message = f"Enter {whose} scaling as a number from 0 to 10"
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        required=required,
        help_text=f"{hint} {_SCALE_MEANING}".strip(),
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class SignsOfSafetyForm(forms.ModelForm):
    """What is working well, the worries and what needs to happen, then scalings: the
    practitioner's, the parent's and each child's own (a child the assessment is about)."""

    scale_practitioner = _scale("Your scaling", "your")
    scale_parent = _scale("The parent or carer's scaling", "the parent or carer's")

    class Meta:
        model = Assessment
        fields = ["working_well", "worries", "next_steps", "scale_practitioner", "scale_parent"]
        error_messages = {
            "working_well": {"required": "Enter what is working well"},
            "worries": {"required": "Enter what we are worried about"},
            "next_steps": {"required": "Enter what needs to happen"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("working_well", "worries", "next_steps"):
            self.fields[name].required = True
        self.children = (
            list(self.instance.subjects.order_by("date_of_birth", "first_name"))
            if self.instance.pk
            else []
        )
        for child in self.children:
            name = f"own_scaling_{child.pk}"
            self.fields[name] = _scale(
                f"{child.first_name}'s own scaling (optional)",
                f"{child.first_name}'s",
                required=False,
                hint=f"Leave blank if {child.first_name} is too young to be asked.",
            )
            self.initial.setdefault(name, child.own_scaling)
        scales = [
            Field.text(name, field_width=2)
            for name in self.fields
            if name.startswith(("scale_", "own_scaling_"))
        ]
        if not self.children:
            scales.append(
                HTML(
                    '<p class="govuk-body">To record a child\'s own scaling, first say which '
                    "children this assessment is about.</p>"
                )
            )
        self.helper = _helper(
            Field.textarea("working_well", rows=4),
            Field.textarea("worries", rows=4),
            Field.textarea("next_steps", rows=4),
            Fieldset(*scales, legend="Scaling, from 0 to 10", legend_size=Size.MEDIUM),
        )

    def save(self, commit: bool = True):
        assessment = super().save(commit=commit)
        values = [self.cleaned_data.get(f"own_scaling_{child.pk}") for child in self.children]
        for child, value in zip(self.children, values, strict=True):
            Person.objects.filter(pk=child.pk).update(own_scaling=value)
        # The single figure older reports read: the child's, where the assessment is about one.
        assessment.scale_child = values[0] if len(values) == 1 else None
        if commit:
            assessment.save(update_fields=["scale_child"])
        return assessment


class VoicesForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "child_voice",
            "parent_voice",
            "agencies_involved",
            "analysis",
            "support_recommended",
        ]
        help_texts = {
            "child_voice": "What the child or young person says, in their own words if you can.",
            "parent_voice": "What the parent or carer says about the family's situation.",
            "agencies_involved": "Who already works with the family, and how.",
        }
        error_messages = {
            "child_voice": {"required": "Enter the child's voice"},
            "parent_voice": {"required": "Enter the parent or carer's voice"},
            "analysis": {"required": "Enter your analysis"},
            "support_recommended": {"required": "Enter the support you recommend"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("child_voice", "parent_voice", "analysis", "support_recommended"):
            self.fields[name].required = True
        self.helper = _helper(*(Field.textarea(name, rows=4) for name in self.Meta.fields))


class DeclarationForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm the information is correct to the best of my knowledge, and the "
        "family agreed to this assessment as recorded",
        error_messages={"required": "Confirm the declaration to send the assessment"},
    )

    def __init__(self, *args, completing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if completing:
            self.fields["confirm"].error_messages["required"] = (
                "Confirm the declaration to complete the assessment"
            )
        self.helper = _helper(
            Field.checkbox("confirm"),
            submit="Complete the assessment" if completing else "Send assessment",
        )


# --- Parents ---------------------------------------------------------------------------------


class AskForHelpForm(forms.ModelForm):
    safe_to_leave_message = _yes_no(
        _("Can we leave a message or voicemail?"),
        _("Select yes if we can leave a message"),
    )
    interpreter_needed = _yes_no(
        _("Would you like an interpreter?"), _("Select yes if you would like an interpreter")
    )
    consent_to_contact = forms.BooleanField(
        label=_("I agree to the early help hub contacting me about this request"),
        error_messages={"required": _("You must agree to us contacting you, so we can help")},
    )
    consent_to_share = forms.BooleanField(
        label=_("I agree to this request being shared with the early help hub for my area"),
        error_messages={"required": _("You must agree to us sharing this with your hub")},
    )
    # A field people never see: a bot that fills every field fills this one too.
    # Translators: the label of a hidden field that only spam robots fill in.
    website = forms.CharField(required=False, label=_("Leave this blank"))

    class Meta:
        model = FamilyRequest
        fields = [
            "name",
            "relationship",
            "contact_method",
            "phone",
            "email",
            "best_time",
            "safe_to_leave_message",
            "postcode",
            "children_ages",
            "worries",
            "language",
            "interpreter_needed",
            "consent_to_contact",
            "consent_to_share",
        ]
        labels = {
            "name": _("Your name"),
            # Translators: a question asking how the person is related to the family.
            "relationship": _("Who are you?"),
            "contact_method": _("How should we contact you?"),
            "phone": _("Phone number"),
            "email": _("Email address"),
            "best_time": _("When is a good time to contact you? (optional)"),
            "postcode": _("What is your postcode?"),
            "children_ages": _("How old are the children?"),
            "worries": _("What is worrying you?"),
            "language": _("Which language would you like us to use? (optional)"),
        }
        help_texts = {
            "phone": _("We will use this to call or text you."),
            "email": _("We only need this if you would like us to email you."),
            "best_time": _("For example, weekday mornings"),
            # Translators: N2 8LG is a UK postcode: keep it as it is.
            "postcode": _("We use it to find your local hub. For example, N2 8LG"),
            "children_ages": _("For example, 3 and 7, or expecting a baby"),
            "worries": _(
                "Tell us as much or as little as you like. You do not need to use special words."
            ),
        }
        widgets = {
            "relationship": forms.RadioSelect,
            "contact_method": forms.RadioSelect,
            "worries": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "name": {"required": _("Enter your name")},
            "relationship": {"required": _("Select who you are")},
            "contact_method": {"required": _("Select how we should contact you")},
            "email": {"invalid": _("Enter an email address like name@example.com")},
            "children_ages": {"required": _("Enter how old the children are")},
            "worries": {"required": _("Tell us what is worrying you")},
            "postcode": {"required": _("Enter your postcode")},
        }

    def __init__(
        self, *args, only: Sequence[str] | None = None, heading: str | None = None, **kwargs
    ):
        """``only`` names the fields of one question page, and ``heading`` the one whose label
        is the page's heading; without them the form holds every answer, as "check your
        answers" does."""
        super().__init__(*args, **kwargs)
        self.fields["relationship"].choices = FamilyRequest.Relationship.choices
        self.fields["contact_method"].choices = FamilyRequest.ContactMethod.choices
        self.fields["postcode"].max_length = 20
        self.fields["postcode"].validators = []  # the model's 8 characters apply once cleaned
        self.fields["postcode"].widget.attrs.update(
            {"maxlength": 20, "autocomplete": "postal-code"}
        )
        self.fields["worries"].max_length = 5000
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.contact_method = (self.data if self.is_bound else self.initial).get("contact_method")
        if self.contact_method == FamilyRequest.ContactMethod.EMAIL:
            # Nobody is phoned, so there is no message to leave; a phone number is a fallback.
            self.fields["safe_to_leave_message"].required = False
            self.fields["phone"].label = gettext("Phone number (optional)")
            self.fields["phone"].help_text = gettext("In case an email does not reach you.")
            self.fields["email"].help_text = ""
        if only is not None:
            for name in list(self.fields):
                if name not in only:
                    del self.fields[name]

        def label(name):  # a question page's one question is its heading
            return {"label_tag": "h1", "label_size": Size.LARGE} if name == heading else {}

        def legend(name):
            return {"legend_tag": "h1", "legend_size": Size.LARGE} if name == heading else {}

        small = {"legend_size": Size.SMALL}
        layout = {
            "name": Field.text("name", field_width=20),
            "relationship": Field.radios("relationship", **small),
            "contact_method": Field.radios("contact_method", **(legend("contact_method") or small)),
            "phone": Field.text("phone", field_width=20),
            "email": Field.text("email", field_width=30),
            "best_time": Field.text("best_time", field_width=30),
            "safe_to_leave_message": Field.radios("safe_to_leave_message", **small, inline=True),
            "postcode": Field.text("postcode", field_width=10, **label("postcode")),
            "children_ages": Field.text("children_ages", field_width=20),
            "worries": Field.textarea("worries", rows=6),
            "language": Field.text("language", field_width=20),
            "interpreter_needed": Field.radios("interpreter_needed", **small, inline=True),
            "consent_to_contact": Field.checkbox("consent_to_contact"),
            "consent_to_share": Field.checkbox("consent_to_share"),
            "website": Div(Field.text("website"), css_class="app-honeypot"),
        }
        order = list(only) if only is not None else list(self.fields)
        self.helper = _helper(
            *(layout[name] for name in order if name in self.fields),
            # Translators: the button that goes on to the next question.
            submit=gettext("Continue"),
        )

    def clean_postcode(self) -> str:
        return _postcode(
            self.cleaned_data.get("postcode"), required_message=gettext("Enter your postcode")
        )

    def _get_validation_exclusions(self):
        # clean() says what contact details are missing in a parent's words; the database's
        # constraint still stands behind it, but its wording never reaches a parent.
        return super()._get_validation_exclusions() | {"phone", "email"}

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("contact_method", self.contact_method)
        if (
            cleaned.get("safe_to_leave_message") in (None, "")
            and "safe_to_leave_message" in self.fields
        ):
            cleaned["safe_to_leave_message"] = False  # not asked: no message is the safe answer
        if "phone" not in self.fields:
            return cleaned  # a question page without the contact details
        if method in ("phone", "text") and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", gettext("Enter a phone number, so we can call or text you"))
        if method == "email" and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", gettext("Enter an email address, so we can email you"))
        phone = cleaned.get("phone", "")
        if phone and sum(ch.isdigit() for ch in phone) < 10:
            self.add_error(
                "phone",
                # Translators: example UK phone numbers: keep them as they are.
                gettext("Enter a phone number, like 07700 900 982 or 020 8359 4066"),
            )
        return cleaned


@dataclass(frozen=True)
class AskForHelpStep:
    """One question page of "ask for help". A page with a ``title`` has it as its heading;
    otherwise its one question (``heading``) is the heading."""

    slug: str
    fields: tuple[str, ...]
    title: str = ""
    heading: str = ""

    def fields_for(self, answers: dict) -> tuple[str, ...]:
        if self.slug == "contact-details" and answers.get("contact_method") == "email":
            return ("email", "phone")
        return self.fields


ASK_FOR_HELP_STEPS = (
    AskForHelpStep(
        "worries", ("worries", "children_ages", "website"), _("Ask for help for your family")
    ),
    AskForHelpStep("postcode", ("postcode",), heading="postcode"),
    AskForHelpStep("you", ("name", "relationship"), _("About you")),
    AskForHelpStep("contact", ("contact_method",), heading="contact_method"),
    AskForHelpStep(
        "contact-details",
        ("phone", "best_time", "safe_to_leave_message"),
        _("Your contact details"),
    ),
    # Translators: a page heading: the language the family would like us to use.
    AskForHelpStep("language", ("language", "interpreter_needed"), _("Your language")),
    AskForHelpStep("agreement", ("consent_to_contact", "consent_to_share"), _("Your agreement")),
)


# --- Front door ------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is your decision?",
        choices=Decision.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    reason = forms.CharField(
        label="Reason for your decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="The person who sent it will see this. For ‘ask for more information’, say "
        "what you need to know.",
        error_messages={"required": "Enter the reason for your decision"},
    )
    lead_practitioner = forms.ModelChoiceField(
        label="Lead practitioner (if allocating)",
        queryset=User.objects.none(),
        required=False,
    )
    to_hub = forms.ModelChoiceField(
        label="Hub to transfer to (if transferring)", queryset=Hub.objects.none(), required=False
    )
    lead_search = forms.CharField(
        label="Or find someone else who can lead",
        required=False,
        max_length=100,
        help_text="Search by name, email address or job title",
    )
    service_search = forms.CharField(
        label="Find services to suggest",
        required=False,
        max_length=100,
        help_text="For example, feeding, toddler or debt. Search, then tick the ones to suggest.",
    )
    services = forms.ModelMultipleChoiceField(
        label="Services to suggest (if signposting)",
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_outcome = forms.ChoiceField(
        label="What happened when you contacted the family? (if recording contact)",
        choices=Decision.ContactOutcome.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    level_of_need = forms.ChoiceField(
        label="Level of need (if allocating, stepping up or signposting)",
        choices=(),
        required=False,
        widget=forms.RadioSelect,
        help_text="On the council's continuum of need",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args, support_request, service_query: str = "", lead_query: str = "", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.support_request = support_request
        self.fields["level_of_need"].choices = [
            (level["key"], level["label"]) for level in councils.levels_of_need()
        ]
        self._lead_choices(support_request, lead_query)
        hubs = Hub.objects.all()
        if support_request.hub_id:
            hubs = hubs.exclude(pk=support_request.hub_id)
            # A parent has no account to resend from: the hub contacts them instead.
            unwanted = (
                Decision.Kind.MORE_INFORMATION
                if support_request.kind != SupportRequest.Kind.ASSESSMENT
                else Decision.Kind.CONTACT_FAMILY
            )
            self.fields["kind"].choices = [c for c in Decision.Kind.choices if c[0] != unwanted]
        else:
            # Nobody can act on an unrouted request until it has a hub.
            self.fields["kind"].choices = [(Decision.Kind.TRANSFER, "Send to a hub")]
        self.fields["to_hub"].queryset = hubs
        self.fields["services"].queryset = Service.objects.published().order_by("name")
        found, shown = self._service_choices(service_query)
        self.nothing_found = self._nothing_found(service_query)
        # Each decision reveals only its own question (GOV.UK conditional reveals: without
        # JavaScript every question shows under its decision, still in order).
        revealed = {
            Decision.Kind.ALLOCATE: [
                "lead_practitioner",
                Field.text("lead_search", field_width=20),
                HTML(
                    '<button type="submit" name="find_leads" value="1" class="govuk-button '
                    'govuk-button--secondary" data-module="govuk-button">Find someone else'
                    "</button>"
                ),
                *(
                    [
                        HTML(
                            '<p class="govuk-body">No one else who can lead matches '
                            "‘{{ form.lead_query }}’.</p>"
                        )
                    ]
                    if self.lead_query and not self.others_found
                    else []
                ),
            ],
            Decision.Kind.TRANSFER: ["to_hub"],
            Decision.Kind.SIGNPOST: [
                Field.text("service_search", field_width=20),
                HTML(
                    '<button type="submit" name="find_services" value="1" class="govuk-button '
                    'govuk-button--secondary" data-module="govuk-button">Find services</button>'
                ),
                # What was typed reaches the page as a variable, never as template text.
                *(
                    [HTML('<p class="govuk-body">{{ form.nothing_found }}</p>')]
                    if not found
                    else []
                ),
                *([Field.checkboxes("services", small=True)] if shown else []),
            ],
            Decision.Kind.CONTACT_FAMILY: ["contact_outcome"],
        }
        self.helper = _helper(
            ConditionalRadios(
                "kind",
                *(
                    ConditionalQuestion(label, *revealed[value])
                    if value in revealed
                    else str(label)
                    for value, label in self.fields["kind"].choices
                ),
            ),
            Field.radios("level_of_need", legend_size=Size.SMALL, small=True),
            Field.textarea("reason", rows=4),
            Field("version"),
            submit="Record decision",
        )
        for name in ("lead_practitioner", "to_hub", "services", "contact_outcome"):
            self.fields[name].label = self.fields[name].label.split(" (if ")[0]

    def _service_choices(self, query: str) -> tuple[int, int]:
        """Show as boxes to tick only the services the search found (at most 20) and any
        already ticked, not all of them; any published service is still accepted."""
        values = self.data.getlist("services") if hasattr(self.data, "getlist") else []
        values = values or self.initial.get("services") or []
        chosen = []
        for value in values:
            try:
                chosen.append(uuid.UUID(str(value)))
            except ValueError:
                continue
        matches = Q(pk__in=chosen)
        query = " ".join(query.split())[:100]
        found = []
        if query:
            words = SearchQuery(query, config="english", search_type="websearch")
            found = list(
                Service.objects.published()
                .filter(Q(search_vector=words) | Q(name__icontains=query))
                .order_by("name")
                .values_list("pk", flat=True)[:20]
            )
            matches |= Q(pk__in=found)
        shown = Service.objects.published().filter(matches).order_by("name")
        choices = [(str(pk), name) for pk, name in shown.values_list("pk", "name")]
        self.fields["services"].choices = choices  # shown; the queryset still validates
        return len(found), len(choices)

    @staticmethod
    def _nothing_found(query: str) -> str:
        if not query.strip():
            return "Search for the services to suggest to the family."
        return f"No services found for ‘{query.strip()[:100]}’. Try another word."

    def _lead_choices(self, support_request, lead_query: str) -> None:
        """Practitioners and this hub's managers who can lead, with the families each leads
        now: first those already leading this hub's families, then everyone else who can.
        Administrators and other hubs' managers are not offered."""
        other_managers = (
            User.objects.of_council()
            .filter(managed_hubs__isnull=False)
            .exclude(managed_hubs=support_request.hub_id)
        )
        leads = (
            User.objects.of_council()
            .filter(
                groups__permissions__codename="view_episode",
                groups__permissions__content_type__app_label="referrals",
                is_active=True,
            )
            .exclude(groups__name=roles.ADMINISTRATOR)
            .exclude(is_superuser=True)
            .exclude(pk__in=other_managers.values("pk"))
            .annotate(
                open_here=Count(
                    "led_episodes",
                    filter=Q(led_episodes__hub=support_request.hub_id)
                    & ~Q(led_episodes__status=Episode.Status.CLOSED),
                    distinct=True,
                ),
                caseload=Count(
                    "led_episodes",
                    filter=~Q(led_episodes__status=Episode.Status.CLOSED),
                    distinct=True,
                ),
                manages_here=Count(
                    "managed_hubs", filter=Q(managed_hubs=support_request.hub_id), distinct=True
                ),
            )
            .order_by("first_name", "last_name")
        )
        field = self.fields["lead_practitioner"]
        field.queryset = leads
        people = list(leads)

        def label(user) -> str:
            role = user.job_title or user.get_agency_display()
            families = f"{user.caseload} open famil{'y' if user.caseload == 1 else 'ies'}"
            return f"{user.get_full_name() or user.email} ({role}): {families}"

        # Those already leading this hub's families are listed; anyone else who can lead is
        # found by a search (and stays listed once chosen).
        query = " ".join(lead_query.split()).casefold()[:100]
        chosen = str(self.data.get("lead_practitioner") or self.initial.get("lead_practitioner"))

        def found(user) -> bool:
            name = f"{user.get_full_name()} {user.email} {user.job_title}".casefold()
            return (bool(query) and query in name) or str(user.pk) == chosen

        def hubs_own(user) -> bool:
            return bool(user.open_here or user.manages_here)

        here = [(u.pk, label(u)) for u in people if hubs_own(u)]
        elsewhere = [(u.pk, label(u)) for u in people if not hubs_own(u) and found(u)]
        self.others_found = len(elsewhere)
        self.lead_query = lead_query.strip()[:100]
        hub_name = support_request.hub.name if support_request.hub_id else "this hub"
        field.choices = [("", "Choose the lead practitioner")] + [
            group
            for group in [
                (f"{hub_name}: its managers and those leading its families", here),
                ("Others you searched for" if query else "Chosen before", elsewhere),
            ]
            if group[1]
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Decision.Kind.ALLOCATE and not cleaned.get("lead_practitioner"):
            self.add_error("lead_practitioner", "Choose the lead practitioner")
        if kind == Decision.Kind.TRANSFER and not cleaned.get("to_hub"):
            self.add_error("to_hub", "Choose the hub to transfer to")
        if kind == Decision.Kind.SIGNPOST and not cleaned.get("services"):
            self.add_error("services", "Choose at least one service to suggest")
        needs_level = (Decision.Kind.ALLOCATE, Decision.Kind.STEP_UP, Decision.Kind.SIGNPOST)
        if kind in needs_level and not cleaned.get("level_of_need"):
            self.add_error("level_of_need", "Select the level of need")
        if kind == Decision.Kind.CONTACT_FAMILY and not cleaned.get("contact_outcome"):
            self.add_error("contact_outcome", "Select what happened when you contacted the family")
        return cleaned


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("open", "Awaiting decision or more information"), ("all", "All")],
    )
    kind = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[
            ("", "All types"),
            ("assessment", "Assessments"),
            ("family_request", "Family requests"),
            ("phone", "Contacts by phone"),
            ("mash", "MASH step-across"),
            ("step_down", "Step-downs"),
        ],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("due", "Decision due, soonest first"), ("received", "Newest first")],
    )
