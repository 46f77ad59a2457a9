"""Form fields shared by the apps."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError


class GovDateField(DateInputField):
    """GOV.UK day, month and year inputs. A date that does not exist (31 2 2027) or a number too
    big for a date gets this field's "invalid" message, never Python's words or a server error.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label = str(self.label or "The date").rstrip("?")
        self.error_messages["invalid"] = f"{label} must be a real date"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
