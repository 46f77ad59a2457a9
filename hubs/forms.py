from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hubs import councils
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
        label=_("Postcode"),
        error_messages={"required": _("Enter a postcode")},
    )

    # Drawn by templates/hubs/_postcode_form.html, not crispy-forms (it is on every answer
    # page); the error summary only reads the helper's form_show_errors, so one is shared.
    helper = FormHelper()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here rather than on the field: the example is put in after translation, in the
        # language of the request.
        example = {"example": councils.current().data["example_postcode"]}
        postcode = self.fields["postcode"]
        postcode.help_text = gettext("For example, %(example)s") % example
        postcode.error_messages["invalid"] = (
            gettext("Enter a full UK postcode, like %(example)s") % example
        )


class CoverageRuleForm(forms.ModelForm):
    """Give an area of the council a hub: a district, a sector or one postcode."""

    class Meta:
        from hubs.models import CoverageRule
        from hubs.scoped_forms import scoped_formfield

        formfield_callback = scoped_formfield  # the council's hubs

        model = CoverageRule
        fields = ["area", "hub", "reason"]
        labels = {
            "area": "Area",
            "hub": "Which hub should cover it?",
            "reason": "Why this hub? (optional)",
        }
        help_texts = {
            "area": "A district like HA8, a sector like NW9 4 or a single postcode like N2 8LG. "
            "The most specific rule wins.",
            "reason": "For example, the school most families here use is in this hub's area.",
        }
        widgets = {"hub": forms.RadioSelect, "reason": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "area": {"required": "Enter the area, like NW9 4"},
            "hub": {"required": "Select the hub that should cover this area"},
        }

    def __init__(self, *args, **kwargs):
        from hubs.models import Hub

        super().__init__(*args, **kwargs)
        self.fields["area"].validators = []  # the model's check, in a person's words below
        self.fields["area"].max_length = 20
        self.fields["area"].required = True  # (a ward rule comes only from the data)
        self.fields["hub"].queryset = Hub.objects.order_by("name")
        self.fields["hub"].empty_label = None
        self.fields["reason"].max_length = 1000
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("area", field_width=10),
            Field.radios("hub", legend_size=Size.SMALL),
            Field.textarea("reason", rows=3),
            Submit("submit", "Save the rule"),
        )

    def clean_area(self) -> str:
        from hubs.models import CoverageRule
        from hubs.postcodes import area_level

        area = " ".join((self.cleaned_data.get("area") or "").upper().split())
        if area_level(area) is None:
            raise forms.ValidationError(
                "Enter a district like HA8, a sector like NW9 4 or a postcode like N2 8LG"
            )
        existing = CoverageRule.objects.filter(area=area).select_related("hub").first()
        if existing is not None:
            raise forms.ValidationError(f"{area} already goes to the {existing.hub.name}")
        return area

    def validate_unique(self):
        pass  # clean_area says so in words; the database's unique constraint stands behind it
