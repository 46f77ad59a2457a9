from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.conf import settings

from hubs.postcodes import ParsedPostcode, parse


class PostcodeField(forms.Field):
    """A UK postcode or postcode district, tidied and checked.

    Not a CharField: its built-in NUL-byte validator would answer "Null characters are not
    allowed" instead of telling the person what to type.
    """

    widget = forms.TextInput

    def to_python(self, value) -> str:
        return "" if value is None else str(value).replace("\x00", "").strip()

    def validate(self, value: str) -> None:
        if not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def clean(self, value) -> ParsedPostcode:
        value = self.to_python(value)
        self.validate(value)
        parsed = parse(value)
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class FindYourHubForm(forms.Form):
    postcode = PostcodeField(
        label="Postcode",
        help_text=f"For example, {settings.COUNCIL['example_postcode']}",
        error_messages={
            "required": "Enter a postcode",
            "invalid": f"Enter a full UK postcode, like {settings.COUNCIL['example_postcode']}",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs.update(
            {"autocomplete": "postal-code", "spellcheck": "false", "maxlength": "32"}
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.text("postcode", field_width=10, label_size=Size.SMALL),
            Submit("submit", "Find your hub"),
        )
