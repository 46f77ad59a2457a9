"""Form fields choosing among a council's rows (hubs, places, services).

A ModelForm builds its fields when its class is defined, outside any request, when the managers
of council-owned models answer nothing (hubs/councils.py). ``scoped_formfield``, given as a
form's ``Meta.formfield_callback``, makes those fields read their choices afresh, through the
scoped manager, each time a form is made in a request, so they offer only that council's rows.
"""

from django import forms
from django.db import models


class _ReadInScope:
    scoped_model: type[models.Model]

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self.scoped_model._default_manager.all()
        return result


class ScopedModelChoiceField(_ReadInScope, forms.ModelChoiceField):
    pass


class ScopedModelMultipleChoiceField(_ReadInScope, forms.ModelMultipleChoiceField):
    pass


def scoped_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    if not db_field.is_relation or not db_field.editable:
        return db_field.formfield(**kwargs)
    model = db_field.remote_field.model
    form_class = ScopedModelMultipleChoiceField if db_field.many_to_many else ScopedModelChoiceField
    field = db_field.formfield(form_class=form_class, queryset=model._base_manager.none(), **kwargs)
    field.scoped_model = model
    return field
