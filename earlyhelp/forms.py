from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from earlyhelp.models import ServiceFeedback


class ServiceFeedbackForm(forms.ModelForm):
    website = forms.CharField(required=False, label=_("Leave this empty"))  # honeypot

    class Meta:
        model = ServiceFeedback
        fields = ["rating", "improve"]
        labels = {
            "rating": _("Overall, how did you feel about this service?"),
            "improve": _("How could we improve it? (optional)"),
        }
        help_texts = {
            "improve": _(
                "Do not include personal details, such as your name or your family's. "
                "We cannot reply: to ask for help, phone your hub."
            ),
        }
        widgets = {"rating": forms.RadioSelect}
        error_messages = {"rating": {"required": _("Select how you felt about this service")}}

    def __init__(self, *args, about: str = ServiceFeedback.About.SERVICE, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["improve"].max_length = 1200
        self.fields["improve"].widget.attrs["maxlength"] = 1200
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.helper = FormHelper()
        if about == ServiceFeedback.About.TRANSLATION:
            # A wrong translation: only what is wrong, for the hub managers (feedback report).
            del self.fields["rating"]
            improve = self.fields["improve"]
            improve.required = True
            improve.label = _("What is wrong with the translation?")
            improve.help_text = _(
                "Tell us which words are wrong and, if you can, what they should say. Do not "
                "include personal details, such as your name or your family's."
            )
            improve.error_messages["required"] = _("Tell us what is wrong with the translation")
            self.helper.layout = Layout(
                Field.textarea("improve", rows=5, max_characters=1200),
                Div(Field.text("website"), css_class="app-honeypot"),
                Submit("submit", _("Send")),
            )
            return
        self.fields["rating"].choices = ServiceFeedback.Rating.choices
        self.fields["rating"].required = True
        self.helper.layout = Layout(
            Field.radios("rating", legend_size=Size.MEDIUM),
            Field.textarea("improve", rows=5, max_characters=1200),
            Div(Field.text("website"), css_class="app-honeypot"),
            Submit("submit", _("Send feedback")),
        )
