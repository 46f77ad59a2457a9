"""Forms for the Team Around the Family pages."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, User
from directory.models import Service
from referrals.contact_forms import level_of_need_field
from referrals.forms import _date, _real_date, _yes_no
from referrals.models import (
    Action,
    Episode,
    FamilyFeedback,
    Meeting,
    NeedArea,
    Outcome,
    OutcomeProgress,
)


def _helper(*fields, button: str, name: str = "submit") -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Submit(name, button))
    return helper


DATE_HINT = "For example, 27 3 2027"
OVERRIDE_HELP = (
    "Only if the family said this agency or person must not see their information: why they "
    "need to be in the team anyway. This is recorded."
)


class InviteMemberForm(forms.Form):
    """Add someone to the team by their details. Whether or not they already have an account,
    the form and its answer are the same, so it cannot be used to find out who has one."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter their last name"}
    )
    email = forms.EmailField(
        label="Work email address",
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    agency = forms.ChoiceField(label="Agency", choices=Agency.choices)
    organisation_name = forms.CharField(
        label="Organisation",
        max_length=200,
        error_messages={"required": "Enter their organisation"},
    )
    job_title = forms.CharField(
        label="Job title", max_length=200, error_messages={"required": "Enter their job title"}
    )
    role_in_team = forms.CharField(
        label="Their role in the team",
        max_length=200,
        error_messages={"required": "Enter their role in the team"},
    )
    override_reason = forms.CharField(
        label="Reason to add them despite the family's wishes (only if asked)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=OVERRIDE_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="invite", **kwargs)
        self.helper = _helper(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.text("email", field_width=30),
            Field.select("agency"),
            Field.text("organisation_name"),
            Field.text("job_title"),
            Field.text("role_in_team"),
            Field.textarea("override_reason"),
            button="Add to the team",
            name="invite",
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def account_data(self) -> dict:
        keys = ("first_name", "last_name", "email", "agency", "organisation_name", "job_title")
        return {key: self.cleaned_data[key] for key in keys}


class HandOverForm(forms.Form):
    new_lead = forms.ModelChoiceField(
        label="New lead practitioner",
        queryset=User.objects.none(),
        empty_label="Choose a team member",
        help_text="Add them to the team first if they are not in the list",
        error_messages={"required": "Choose the new lead practitioner"},
    )
    reason = forms.CharField(
        label="Reason for the handover",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give a reason for the handover"},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_lead"].queryset = User.objects.of_council().filter(
            pk__in=members.values("user"), is_active=True
        )
        self.helper = _helper(
            Field.select("new_lead"), Field.textarea("reason"), button="Hand over"
        )


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["area", "goal"]
        labels = {"area": "Need", "goal": "What do we want to achieve?"}
        help_texts = {"goal": "In the family's words where you can"}
        error_messages = {
            "area": {"required": "Choose the need"},
            "goal": {"required": "Say what you want to achieve"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Choose a need")] + NeedArea.choices
        self.helper = _helper(
            Field.select("area"), Field.textarea("goal", rows=3), button="Add outcome"
        )


def _owner_choices(episode: Episode, members, people) -> list:
    choices = [("", "Choose who will do it")]
    team = [(f"member:{m.pk}", f"{m.user} ({m.user.agency_label})") for m in members]
    family = [(f"person:{p.pk}", f"{p.full_name} (family)") for p in people]
    if team:
        choices.append(("Team", team))
    if family:
        choices.append(("Family", family))
    return choices


class ActionForm(forms.Form):
    outcome = forms.ModelChoiceField(
        label="Outcome it works towards",
        queryset=Outcome.objects.none(),
        empty_label="Choose an outcome",
        error_messages={"required": "Choose the outcome it works towards"},
    )
    what = forms.CharField(
        label="What will be done?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Specific and measurable: for example, attend 8 of the 10 Triple P sessions",
        error_messages={"required": "Say what will be done"},
    )
    owner = forms.ChoiceField(
        label="Who will do it?", error_messages={"required": "Choose who will do it"}
    )
    due_on = _date("By when?", "Enter the date it will be done by", help_text=DATE_HINT)
    meeting = forms.ModelChoiceField(
        label="Agreed at a meeting? (optional)",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Not at a meeting",
    )

    def __init__(self, *args, episode, members, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.people = {str(p.pk): p for p in people}
        self.fields["outcome"].queryset = episode.outcomes.all()
        self.fields["owner"].choices = _owner_choices(episode, members, people)
        self.fields["meeting"].queryset = episode.meetings.all()
        self.helper = _helper(
            Field.select("outcome"),
            Field.textarea("what"),
            Field.select("owner"),
            Field("due_on"),
            Field.select("meeting"),
            button="Add action",
        )

    def owners(self) -> dict:
        kind, _, pk = self.cleaned_data["owner"].partition(":")
        if kind == "member":
            return {"owner_member": self.members[pk], "owner_person": None}
        return {"owner_member": None, "owner_person": self.people[pk]}


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="How is it going?",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it is going"},
    )
    note = forms.CharField(
        label="Progress note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.MEDIUM),
            Field.textarea("note"),
            button="Save progress",
        )


class ConnectionForm(forms.Form):
    service = forms.ModelChoiceField(
        label="Service",
        queryset=Service.objects.none(),
        empty_label="Choose a service",
        error_messages={"required": "Choose the service"},
    )
    reason = forms.CharField(
        label="Why does the family need this service?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the family needs this service"},
    )
    how_to_engage = forms.CharField(
        label="How can they best engage the family?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the best time to call, language, or who to speak to first",
        error_messages={"required": "Say how they can best engage the family"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = (
            Service.objects.published().select_related("organisation").order_by("name")
        )
        self.fields["service"].label_from_instance = lambda s: f"{s.name} ({s.organisation})"
        self.helper = _helper(
            Field.select("service"),
            Field.textarea("reason"),
            Field.textarea("how_to_engage"),
            button="Send connection request",
        )


class ConnectionResponseForm(forms.Form):
    decision = forms.ChoiceField(
        label="Can you support this family?",
        choices=[("accept", "Yes, accept the request"), ("decline", "No, decline the request")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept or decline"},
    )
    response = forms.CharField(
        label="Your reply",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to decline: the practitioner sees it. When accepting, say what happens "
        "next.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("response"),
            button="Send reply",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("response", "").strip():
            self.add_error("response", "Give a reason for declining")
        return cleaned


SCALE = [(str(n), str(n)) for n in range(11)]


class MeetingForm(forms.ModelForm):
    held_on = _date("Date of the meeting", "Enter the date of the meeting", help_text=DATE_HINT)

    class Meta:
        model = Meeting
        fields = [
            "held_on",
            "attendees",
            "apologies",
            "family_attendees",
            "note_taker",
            "notes",
            "decisions",
            "scale_practitioner",
            "scale_parent",
            "scale_child",
            "next_step",
        ]
        labels = {
            "attendees": "Who came from the team?",
            "apologies": "Who sent apologies?",
            "family_attendees": "Who came from the family?",
            "note_taker": "Who took notes?",
            "notes": "Notes of the meeting",
            "decisions": "Decisions (optional)",
            "scale_practitioner": "Practitioner's scaling (0 to 10)",
            "scale_parent": "Parent's scaling (0 to 10)",
            "scale_child": "Child's scaling (0 to 10)",
            "next_step": "What happens next?",
        }
        widgets = {
            "attendees": forms.CheckboxSelectMultiple,
            "apologies": forms.CheckboxSelectMultiple,
            "family_attendees": forms.CheckboxSelectMultiple,
            "next_step": forms.RadioSelect,
        }
        error_messages = {"notes": {"required": "Write the notes of the meeting"}}

    def __init__(self, *args, episode, members, people, outcomes, review: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.review = review
        self.outcomes = list(outcomes)
        self.fields["attendees"].queryset = members
        self.fields["apologies"].queryset = members
        self.fields["note_taker"].queryset = members
        self.fields["note_taker"].empty_label = "Choose who took notes"
        self.fields["family_attendees"].queryset = people
        for name in ("attendees", "apologies", "family_attendees"):
            self.fields[name].required = False
        for name in ("attendees", "apologies", "note_taker"):
            self.fields[name].label_from_instance = lambda m: f"{m.user} ({m.user.agency_label})"
        self.fields["family_attendees"].label_from_instance = lambda p: p.full_name
        fields = [
            Field("held_on"),
            Field.checkboxes("attendees", legend_size=Size.SMALL, small=True),
            Field.checkboxes("apologies", legend_size=Size.SMALL, small=True),
            Field.checkboxes("family_attendees", legend_size=Size.SMALL, small=True),
            Field.select("note_taker"),
            Field.textarea("notes", rows=6),
            Field.textarea("decisions", rows=3),
        ]
        if review:
            for name in ("scale_practitioner", "scale_parent", "scale_child"):
                self.fields[name] = forms.TypedChoiceField(
                    label=self.Meta.labels[name],
                    choices=[("", "Not given")] + SCALE,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
                fields.append(Field.select(name))
            for outcome in self.outcomes:
                name = f"progress_{outcome.pk}"
                area = outcome.get_area_display()
                self.fields[name] = forms.TypedChoiceField(
                    label=f"Progress: {area}",
                    choices=OutcomeProgress.Rating.choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Rate progress on {area.lower()}"},
                )
                fields.append(Field.radios(name, legend_size=Size.SMALL, small=True, inline=True))
            self.fields["next_step"].required = True
            self.fields["next_step"].choices = Meeting.Next.choices
            self.fields["next_step"].error_messages["required"] = "Choose what happens next"
            self.fields["review_weeks"] = forms.TypedChoiceField(
                label="Next review in",
                choices=[(str(w), f"{w} weeks") for w in range(6, 13)],
                coerce=int,
                initial=str(episode.review_weeks),
            )
            self.fields["level_of_need"] = level_of_need_field(
                "Level of need now (optional)", required=False
            )
            fields += [
                Field.radios("level_of_need", legend_size=Size.SMALL, small=True),
                Field.radios("next_step", legend_size=Size.MEDIUM),
                Field.select("review_weeks"),
            ]
        else:
            for name in ("scale_practitioner", "scale_parent", "scale_child", "next_step"):
                del self.fields[name]
        self.helper = _helper(*fields, button="Save meeting")

    def clean_held_on(self):
        from django.utils import timezone

        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("The date of the meeting must be today or in the past")
        opened = timezone.localdate(self.episode.opened_at)
        if held_on < opened:
            raise forms.ValidationError(
                f"The date of the meeting must be on or after {opened:%-d %B %Y}, when the "
                "episode opened"
            )
        return held_on

    def meeting_data(self) -> dict:
        names = [n for n in self.Meta.fields if n in self.fields]
        data = {name: self.cleaned_data.get(name) for name in names}
        if self.cleaned_data.get("level_of_need"):
            data["level_of_need"] = self.cleaned_data["level_of_need"]
        return data

    def progress(self) -> dict:
        return {
            str(o.pk): self.cleaned_data[f"progress_{o.pk}"]
            for o in self.outcomes
            if self.review and self.cleaned_data.get(f"progress_{o.pk}")
        }


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the episode closing?",
        choices=[c for c in Episode.ClosureReason.choices if c[0] != "stepped_up"],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the episode is closing"},
    )
    summary = forms.CharField(
        label="Closure summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What changed for the family, and what support carries on. The family gets "
        "a copy.",
        error_messages={"required": "Write a closure summary"},
    )

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        fields = [Field.radios("reason", legend_size=Size.MEDIUM)]
        for outcome in self.outcomes:
            name = f"result_{outcome.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{outcome.get_area_display()}: {outcome.goal[:80]}",
                choices=Outcome.Result.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Say whether {outcome.get_area_display().lower()} was achieved"
                },
            )
            fields.append(Field.radios(name, legend_size=Size.SMALL, small=True, inline=True))
        self.fields["moving_on_contacts"] = forms.CharField(
            label="Moving on: who can the family turn to now?",
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=3000,
            help_text="Services, groups and people who carry on supporting the family, with "
            "how to reach them",
            error_messages={"required": "Say who the family can turn to now"},
        )
        self.fields["moving_on_if_worse"] = forms.CharField(
            label="Moving on: what should the family do if things get worse?",
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=3000,
            help_text="For example, who to phone at the hub, and the emergency numbers",
            error_messages={"required": "Say what the family should do if things get worse"},
        )
        self.fields["level_of_need"] = level_of_need_field("Level of need at closure")
        fields += [
            Field.textarea("summary"),
            Field.textarea("moving_on_contacts", rows=3),
            Field.textarea("moving_on_if_worse", rows=3),
            Field.radios("level_of_need", legend_size=Size.SMALL, small=True),
        ]
        self.helper = _helper(*fields, button="Ask for sign-off and close")

    def results(self) -> dict:
        return {str(o.pk): self.cleaned_data[f"result_{o.pk}"] for o in self.outcomes}


class StepUpForm(forms.Form):
    reason = forms.CharField(
        label="Why does this family need children's social care?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the reason for stepping up"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason"), button="Record the step up")


class StepDownForm(forms.Form):
    assessment = forms.ChoiceField(
        label="Which family?",
        help_text="From the latest assessments your hubs received",
        error_messages={"required": "Choose the family"},
    )
    lead_email = forms.EmailField(
        label="Lead practitioner's work email address",
        error_messages={
            "required": "Enter the lead practitioner's work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    reason = forms.CharField(
        label="Why is children's social care stepping down to early help?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for the step-down"},
    )

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessments = {str(a.pk): a for a in assessments}
        self.fields["assessment"].choices = [("", "Choose a family")] + [
            (
                pk,
                f"{a.support_request.reference}: "
                f"{', '.join(p.full_name for p in a.subjects.all())}",
            )
            for pk, a in self.assessments.items()
        ]
        self.lead = None
        self.helper = _helper(
            Field.select("assessment"),
            Field.text("lead_email", field_width=30),
            Field.textarea("reason"),
            button="Open the episode",
        )

    def clean_lead_email(self):
        email = self.cleaned_data["lead_email"].strip().lower()
        self.lead = User.objects.of_council().filter(email__iexact=email, is_active=True).first()
        if self.lead is None or not self.lead.has_perm("referrals.view_episode"):
            raise forms.ValidationError("No practitioner has an account with this email address")
        return email


class ReviewWeeksForm(forms.Form):
    review_weeks = forms.TypedChoiceField(
        choices=[(str(w), f"{w} weeks") for w in range(6, 13)], coerce=int
    )


class SignOffForm(forms.Form):
    approve = _yes_no(
        "Do you sign off this closure?",
        "Select whether you sign off the closure",
        yes="Yes, close the episode",
        no="No, send it back to the lead",
    )
    note = forms.CharField(
        label="Note for the lead practitioner (needed if you send it back)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("approve", legend_size=Size.MEDIUM),
            Field.textarea("note", rows=3),
            button="Record sign-off",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("approve") is False and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say why you are sending the closure back")
        return cleaned


class MashOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What did the MASH decide?",
        choices=Episode.MashOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the MASH decided"},
    )
    on = _date("When did they decide?", "Enter the date the MASH decided")

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.fields["on"].help_text = DATE_HINT
        self.helper = _helper(
            Field.radios("outcome", legend_size=Size.MEDIUM), Field("on"), button="Save"
        )

    def clean_on(self):
        from django.utils import timezone

        on = _real_date(self.cleaned_data["on"], "The date")
        if on > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        if self.episode.closed_at and on < timezone.localdate(self.episode.closed_at):
            raise forms.ValidationError("The date must be on or after the step up")
        return on


class FeedbackForm(forms.ModelForm):
    helpful = forms.TypedChoiceField(
        label=_("How helpful was the support your family got?"),
        choices=FamilyFeedback.Helpful.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how helpful the support was")},
    )

    class Meta:
        model = FamilyFeedback
        fields = ["helpful", "what_changed", "had_a_say", "anything_else"]
        labels = {
            "what_changed": _("What has changed for your family? (optional)"),
            "had_a_say": _("Did you have a say in who your lead practitioner was? (optional)"),
            "anything_else": _("Is there anything else you want to tell us? (optional)"),
        }
        widgets = {
            "what_changed": forms.Textarea(attrs={"rows": 4}),
            "anything_else": forms.Textarea(attrs={"rows": 3}),
            "had_a_say": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["had_a_say"].choices = FamilyFeedback.Say.choices
        for name in ("what_changed", "anything_else"):
            self.fields[name].max_length = 3000
            self.fields[name].validators.append(MaxLengthValidator(3000))
        self.helper = _helper(
            Field.radios("helpful", legend_size=Size.MEDIUM),
            Field.textarea("what_changed", rows=4),
            Field.radios("had_a_say", legend_size=Size.SMALL, inline=True),
            Field.textarea("anything_else", rows=3),
            button=gettext("Send feedback"),
        )

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SustainedForm(forms.Form):
    sustained = _yes_no(
        "Has this outcome lasted?",
        "Select whether the outcome has lasted",
        yes="Yes, it has lasted",
        no="No, it has not lasted",
    )
    evidence = forms.CharField(
        label="What is the evidence?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example, the school's attendance figures for the last two terms",
        error_messages={"required": "Say what the evidence is"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("sustained", legend_size=Size.MEDIUM),
            Field.textarea("evidence", rows=3),
            button="Save",
        )


class ClaimForm(forms.Form):
    status = forms.ChoiceField(
        label="Claim status",
        choices=Episode.ClaimStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the claim status"},
    )
    quarter = forms.RegexField(
        label="Quarter claimed in (if claimed)",
        regex=r"^20[0-9]{2}-Q[1-4]$",
        required=False,
        help_text="Financial year and quarter, like 2026-Q3",
        error_messages={"invalid": "Enter the quarter like 2026-Q3"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.MEDIUM),
            Field.text("quarter", field_width=10),
            button="Save claim status",
        )
