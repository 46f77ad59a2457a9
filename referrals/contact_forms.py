"""Forms for the family record: contacts hub staff record (a phone call, a MASH step-across, a
step-down), children added to a contact, matching decisions and merges."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone

from accounts.models import User
from hubs import councils
from referrals.forms import _date, _postcode, _real_date, _yes_no
from referrals.models import Child, Person, Source, SupportRequest

CHILD_SLOTS = 3
ORDINALS = ["First child", "Second child (optional)", "Third child (optional)"]


def levels_of_need() -> list[tuple[str, str]]:
    return [(level["key"], level["label"]) for level in councils.levels_of_need()]


def level_of_need_field(label="Level of need", required=True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=levels_of_need(),
        required=required,
        widget=forms.RadioSelect,
        help_text="On the council's continuum of need",
        error_messages={"required": "Select the level of need"},
    )


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Submit("submit", button))
    return helper


def _text(label, *, required=False, max_length=100, message="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={"required": message or f"Enter the {label.lower()}"},
    )


class ChildDetailsMixin:
    """Up to three children's names and dates of birth, the first required."""

    def add_child_fields(self) -> list:
        layout = []
        for slot in range(CHILD_SLOTS):
            required = slot == 0
            prefix = f"child_{slot + 1}_"
            self.fields[prefix + "first_name"] = _text(
                "First name", required=required, message="Enter the child's first name"
            )
            self.fields[prefix + "last_name"] = _text(
                "Last name", required=required, message="Enter the child's last name"
            )
            self.fields[prefix + "date_of_birth"] = _date(
                "Date of birth",
                "Enter the child's date of birth",
                required=required,
                help_text="For example, 27 3 2019",
            )
            self.fields[prefix + "sex"] = forms.ChoiceField(
                label="Sex (optional)",
                choices=[("", "Not recorded"), *Child.Sex.choices],
                required=False,
            )
            layout.append(
                Fieldset(
                    Field.text(prefix + "first_name", field_width=20),
                    Field.text(prefix + "last_name", field_width=20),
                    Field(prefix + "date_of_birth"),
                    Field.select(prefix + "sex"),
                    legend=ORDINALS[slot],
                    legend_size=Size.SMALL,
                )
            )
        return layout

    def clean_children(self, cleaned) -> None:
        today = timezone.localdate()
        for slot in range(CHILD_SLOTS):
            prefix = f"child_{slot + 1}_"
            names = [cleaned.get(prefix + "first_name"), cleaned.get(prefix + "last_name")]
            born = cleaned.get(prefix + "date_of_birth")
            if slot and (any(names) or born):
                for name, value in zip(("first_name", "last_name"), names, strict=True):
                    if not (value or "").strip():
                        what = name.replace("_", " ")
                        self.add_error(prefix + name, f"Enter the child's {what}")
                if not born and prefix + "date_of_birth" not in self.errors:
                    self.add_error(prefix + "date_of_birth", "Enter the child's date of birth")
            if born:
                try:
                    _real_date(born, "Date of birth")
                except forms.ValidationError as error:
                    self.add_error(prefix + "date_of_birth", error)
                    continue
                if born > today:
                    self.add_error(prefix + "date_of_birth", "Date of birth must be in the past")
                elif born.year < today.year - 25:
                    self.add_error(
                        prefix + "date_of_birth", "Early help is for children and young people"
                    )

    def children(self) -> list[dict]:
        found = []
        for slot in range(CHILD_SLOTS):
            prefix = f"child_{slot + 1}_"
            first = (self.cleaned_data.get(prefix + "first_name") or "").strip()
            if not first:
                continue
            found.append(
                {
                    "first_name": first,
                    "last_name": self.cleaned_data[prefix + "last_name"].strip(),
                    "date_of_birth": self.cleaned_data[prefix + "date_of_birth"],
                    "sex": self.cleaned_data.get(prefix + "sex") or "",
                    "role": Person.Role.CHILD,
                }
            )
        return found


class ContactForm(ChildDetailsMixin, forms.Form):
    """A contact hub staff record from a phone call or a MASH step-across decision."""

    kind = forms.ChoiceField(
        label="How did this contact come in?",
        choices=[
            (SupportRequest.Kind.PHONE, "A phone call (from a professional or the family)"),
            (SupportRequest.Kind.MASH, "The MASH decided early help (a step-across)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the contact came in"},
    )
    source = forms.ChoiceField(
        label="Who made the contact?",
        choices=[("", "Choose who"), *Source.choices],
        error_messages={"required": "Select who made the contact"},
    )
    contact_name = _text("Their name (optional)", max_length=200)
    contact_role = _text("Their role and organisation (optional)", max_length=200)
    contact_details = _text("Their phone number or email (optional)", max_length=200)
    mash_reference = _text("MASH reference (optional)", max_length=50)
    summary = forms.CharField(
        label="What is the contact about?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What the family needs, and anything the front door should know",
        error_messages={"required": "Enter what the contact is about"},
    )
    family_agreed = _yes_no(
        "Does the family agree to early help?",
        "Select yes if the family agrees to early help",
        help_text="Early help is voluntary: the family must agree",
    )
    postcode = forms.CharField(
        label="Family's postcode", max_length=10, error_messages={"required": "Enter a postcode"}
    )
    parent_first_name = _text("Parent or carer's first name (optional)")
    parent_last_name = _text("Parent or carer's last name (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        children = self.add_child_fields()
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.select("source"),
            Fieldset(
                Field.text("contact_name", field_width=30),
                Field.text("contact_role", field_width=30),
                Field.text("contact_details", field_width=30),
                Field.text("mash_reference", field_width=10),
                legend="About who made the contact",
                legend_size=Size.SMALL,
            ),
            *self.family_layout(children),
            button="Record the contact",
        )

    @staticmethod
    def family_layout(children: list) -> list:
        """What the contact is about, the family's agreement and postcode, and its people."""
        return [
            Field.textarea("summary", rows=5),
            Field.radios("family_agreed", legend_size=Size.SMALL, inline=True),
            Field.text("postcode", field_width=10),
            *children,
            Fieldset(
                Field.text("parent_first_name", field_width=20),
                Field.text("parent_last_name", field_width=20),
                legend="Parent or carer (optional)",
                legend_size=Size.SMALL,
            ),
        ]

    def clean_postcode(self) -> str:
        return _postcode(self.cleaned_data["postcode"], required_message="Enter a postcode")

    def clean(self):
        cleaned = super().clean()
        self.clean_children(cleaned)
        if cleaned.get("family_agreed") is False:
            self.add_error(
                "family_agreed",
                "Early help needs the family's agreement. If you think a child is at risk of "
                "significant harm, contact the MASH now.",
            )
        if cleaned.get("kind") == SupportRequest.Kind.MASH:
            cleaned["source"] = Source.MASH
        return cleaned

    def contact(self) -> dict:
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "contact_name": data["contact_name"],
            "contact_role": data["contact_role"],
            "contact_details": data["contact_details"],
            "mash_reference": data["mash_reference"],
            "family_agreed": data["family_agreed"],
        }

    def adults(self) -> list[dict]:
        first = self.cleaned_data.get("parent_first_name", "").strip()
        last = self.cleaned_data.get("parent_last_name", "").strip()
        if not (first or last):
            return []
        return [
            {
                "first_name": first or "(not given)",
                "last_name": last or "(not given)",
                "role": Person.Role.PARENT,
                "parental_responsibility": True,
            }
        ]


class StepDownForm(ContactForm):
    """Children's social care hands a family to early help."""

    social_care_reference = _text(
        "Children's social care reference",
        required=True,
        max_length=50,
        message="Enter the children's social care reference",
    )
    social_worker_name = _text(
        "Social worker's name",
        required=True,
        max_length=200,
        message="Enter the social worker's name",
    )
    social_worker_contact = _text(
        "Social worker's phone number or email",
        required=True,
        max_length=200,
        message="Enter the social worker's phone number or email",
    )
    lead_email = forms.EmailField(
        label="Lead practitioner's work email address",
        error_messages={
            "required": "Enter the lead practitioner's work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"], self.fields["source"], self.fields["mash_reference"]
        for name in ("contact_name", "contact_role", "contact_details"):
            del self.fields[name]
        self.fields["transfer_meeting_on"] = _date(
            "Date of the transfer meeting (optional)",
            "Enter the date of the transfer meeting",
            required=False,
            help_text="For example, 14 1 2027",
        )
        self.fields["family_agreed"].label = "Has the family agreed to the step-down?"
        self.fields["summary"].label = "Why is children's social care stepping down to early help?"
        self.fields["summary"].error_messages["required"] = "Give the reason for the step-down"
        self.fields["level_of_need"] = level_of_need_field()
        children = self.add_child_fields()
        self.lead = None
        self.helper = _helper(
            Fieldset(
                Field.text("social_care_reference", field_width=10),
                Field.text("social_worker_name", field_width=30),
                Field.text("social_worker_contact", field_width=30),
                Field("transfer_meeting_on"),
                legend="The handover from children's social care",
                legend_size=Size.MEDIUM,
            ),
            *self.family_layout(children),
            Field.radios("level_of_need", legend_size=Size.SMALL),
            Field.text("lead_email", field_width=30),
            button="Open the episode",
        )

    def clean_lead_email(self):
        email = self.cleaned_data["lead_email"].strip().lower()
        self.lead = User.objects.of_council().filter(email__iexact=email, is_active=True).first()
        if self.lead is None or not self.lead.has_perm("referrals.view_episode"):
            raise forms.ValidationError("No practitioner has an account with this email address")
        return email

    def clean(self):
        cleaned = forms.Form.clean(self)
        self.clean_children(cleaned)
        if cleaned.get("family_agreed") is False:
            self.add_error(
                "family_agreed",
                "Early help needs the family's agreement. Talk to the social worker about "
                "keeping the case open in children's social care.",
            )
        meeting = cleaned.get("transfer_meeting_on")
        if meeting:
            try:
                _real_date(meeting, "The transfer meeting date")
            except forms.ValidationError as error:
                self.add_error("transfer_meeting_on", error)
        return cleaned

    def contact(self) -> dict:
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "family_agreed": data["family_agreed"],
            "social_care_reference": data["social_care_reference"],
            "social_worker_name": data["social_worker_name"],
            "social_worker_contact": data["social_worker_contact"],
            "transfer_meeting_on": data.get("transfer_meeting_on"),
        }


class AddChildForm(forms.Form):
    first_name = _text("First name", required=True, message="Enter the child's first name")
    last_name = _text("Last name", required=True, message="Enter the child's last name")
    date_of_birth = _date(
        "Date of birth", "Enter the child's date of birth", help_text="For example, 27 3 2019"
    )
    sex = forms.ChoiceField(
        label="Sex (optional)", choices=[("", "Not recorded"), *Child.Sex.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field("date_of_birth"),
            Field.select("sex"),
            button="Add the child",
        )

    def clean_date_of_birth(self):
        born = _real_date(self.cleaned_data["date_of_birth"], "Date of birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        return born

    def details(self) -> dict:
        return {
            "first_name": self.cleaned_data["first_name"].strip(),
            "last_name": self.cleaned_data["last_name"].strip(),
            "date_of_birth": self.cleaned_data["date_of_birth"],
            "sex": self.cleaned_data["sex"],
            "role": Person.Role.CHILD,
        }


class MatchForm(forms.Form):
    """For one child on a contact: which record they are, or a new child."""

    NEW = "new"

    record = forms.ChoiceField(
        label="Is this the same child?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's record, or that this is a new child"},
    )

    def __init__(self, *args, matches, person, **kwargs):
        super().__init__(*args, prefix=str(person.pk), **kwargs)
        self.matches = {str(m.child.pk): m for m in matches}
        self.fields["record"].label = f"Is {person.first_name} one of these children?"
        self.fields["record"].choices = [
            *[(pk, f"Yes, {m.child.reference}") for pk, m in self.matches.items()],
            (self.NEW, "No, none of these: this is a new child"),
        ]
        self.helper = _helper(
            Field.radios("record", legend_size=Size.SMALL, small=True),
            button=f"Save for {person.first_name}",
        )


class MergeForm(forms.Form):
    other = forms.CharField(
        label="Child ID of the duplicate record",
        max_length=12,
        help_text="For example, C-000123. That record's contacts and episodes move to this one.",
        error_messages={"required": "Enter the child ID of the duplicate record"},
    )
    reason = forms.CharField(
        label="Why are these the same child?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for merging the records"},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.other_child = None
        self.helper = _helper(
            Field.text("other", field_width=10),
            Field.textarea("reason", rows=3),
            button="Merge the records",
        )

    def clean_other(self):
        value = self.cleaned_data["other"].strip().upper().replace(" ", "")
        number = value.removeprefix("C-").removeprefix("C")
        if not number.isdigit() or len(number) > 9:
            raise forms.ValidationError("Enter a child ID in the correct format, like C-000123")
        self.other_child = self.candidates.filter(number=int(number)).first()
        if self.other_child is None:
            raise forms.ValidationError(
                "There is no record with this child ID that you can see, or it was merged already"
            )
        return value
