from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm

from accounts import roles
from accounts.models import User
from hubs import councils
from hubs.scoped_forms import scoped_formfield


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Work email address"
        self.fields["username"].error_messages["required"] = "Enter your work email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("username", label_size=Size.SMALL),
            Field.text("password", label_size=Size.SMALL),
            Submit("submit", "Sign in"),
        )

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        # Staff sign in at their own council's address; elsewhere the account does not exist
        # (the same words as a wrong password, so no one learns who works where).
        council = getattr(self.request, "council", None)
        if council is not None and not councils.belongs_to(user, council):
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")

    def clean_username(self) -> str:
        # Django sets the field's max_length after creating it, which adds no validator: an
        # over-long "email" would reach authentication (and django-axes' 255-character column).
        username = self.cleaned_data["username"]
        if len(username) > User._meta.get_field("email").max_length:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return username


class TwoFactorForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit number, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("code", field_width=5, label_size=Size.SMALL),
            Submit("submit", "Continue"),
        )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the code as 6 digits, for example 123456")
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                "You have entered too many wrong codes. Wait a minute, then try again"
            )
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "That code is not right. Check the time on your phone is correct and enter the "
                "code your app shows now"
            )
        return code


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Create a password"
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Three random words make a strong password you can remember. "
            "Do not use a password you use anywhere else."
        )
        self.fields["new_password2"].label = "Type the password again"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password1"].error_messages["required"] = "Create a password"
        self.fields["new_password2"].error_messages["required"] = "Type the password again"
        self.error_messages["password_mismatch"] = "The two passwords do not match"  # noqa: S105
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("new_password1", label_size=Size.SMALL),
            Field.text("new_password2", label_size=Size.SMALL),
            Submit("submit", "Set password"),
        )


class InviteForm(forms.ModelForm):
    role = forms.ChoiceField(
        label="Role",
        choices=[
            (roles.PRACTITIONER, "Practitioner – writes early help assessments"),
            (roles.HUB_MANAGER, "Hub manager – decides requests at a hub's front door"),
            (roles.ADMINISTRATOR, "Administrator – invites staff and routes every hub's requests"),
            (
                roles.PROVIDER_EDITOR,
                "Provider editor – proposes changes to their organisation's directory listings",
            ),
            (
                roles.PERFORMANCE_ANALYST,
                "Performance analyst – reports and returns for every hub, no case records",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )

    class Meta:
        formfield_callback = scoped_formfield  # the council's hubs and organisations
        model = User
        fields = [
            "first_name",
            "last_name",
            "email",
            "agency",
            "organisation_name",
            "job_title",
            "work_phone",
            "managed_hubs",
            "provider_organisation",
        ]
        labels = {
            "email": "Work email address",
            "organisation_name": "Organisation (optional)",
            "job_title": "Job title",
            "work_phone": "Work phone number (optional)",
            "managed_hubs": "Hubs they manage",
            "provider_organisation": "Organisation whose listings they edit",
        }
        help_texts = {
            "managed_hubs": "Hub managers decide requests for these hubs only.",
            "organisation_name": "For example, Hendon Primary School",
            "provider_organisation": "For a provider editor only",
        }
        widgets = {"managed_hubs": forms.CheckboxSelectMultiple, "agency": forms.Select}
        error_messages = {
            "first_name": {"required": "Enter their first name"},
            "last_name": {"required": "Enter their last name"},
            "email": {
                "required": "Enter their work email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
                "unique": "Someone already has an account with this email address",
            },
            "job_title": {"required": "Enter their job title"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "job_title"):
            self.fields[name].required = True
        self.fields["managed_hubs"].required = False
        self.fields["provider_organisation"].required = False
        self.fields["provider_organisation"].empty_label = "None"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.text("email", field_width=30),
            Field.select("agency"),
            Field.text("organisation_name"),
            Field.text("job_title"),
            Field.text("work_phone", field_width=20),
            Field.radios("role", legend_size=Size.SMALL),
            Field.checkboxes("managed_hubs", legend_size=Size.SMALL),
            Field.select("provider_organisation"),
            Submit("submit", "Send invitation"),
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone already has an account with this email address")
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == roles.HUB_MANAGER and not cleaned.get("managed_hubs"):
            self.add_error("managed_hubs", "Choose the hubs this hub manager decides requests for")
        if cleaned.get("role") == roles.PROVIDER_EDITOR and not cleaned.get(
            "provider_organisation"
        ):
            self.add_error(
                "provider_organisation", "Choose the organisation whose listings they edit"
            )
        return cleaned
