from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Layout, Size, Submit
from django import forms

from earlyhelp.models import ServiceFeedback


class ServiceFeedbackForm(forms.ModelForm):
    website = forms.CharField(required=False, label="Leave this empty")  # honeypot

    class Meta:
        model = ServiceFeedback
        fields = ["rating", "improve"]
        labels = {
            "rating": "Overall, how did you feel about this service?",
            "improve": "How could we improve it? (optional)",
        }
        help_texts = {
            "improve": "Do not include personal details, such as your name or your family's. "
            "We cannot reply: to ask for help, phone your hub.",
        }
        widgets = {"rating": forms.RadioSelect}
        error_messages = {"rating": {"required": "Select how you felt about this service"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = ServiceFeedback.Rating.choices
        self.fields["improve"].max_length = 1200
        self.fields["improve"].widget.attrs["maxlength"] = 1200
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("rating", legend_size=Size.MEDIUM),
            Field.textarea("improve", rows=5, max_characters=1200),
            Div(Field.text("website"), css_class="app-honeypot"),
            Submit("submit", "Send feedback"),
        )
