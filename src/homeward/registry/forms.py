from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.registry.models import Child, NameForm, Person, TracingRequest

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]

DESCRIPTION_FIELDS = [
    "surname", "given_name", "patronymic", "sex", "birth_date", "birth_date_precision", "estimated_age",
    "age_estimated_on", "birth_place", "region", "last_known_location", "current_facility",
    "separation_category", "separation_details", "medical_needs", "disability",
]


class VersionedForm(forms.ModelForm):
    """Carries the version the user started from, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.input_formats = DATE_FORMATS
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                field.help_text = _("For example 2015-03-31 or 31.03.2015.")
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(rows=3)
            if name in ("medical_needs", "disability", "phone", "email", "address"):
                field.widget.attrs["data-restricted"] = "1"


class ChildForm(VersionedForm):
    class Meta:
        model = Child
        fields = DESCRIPTION_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("surname") or data.get("given_name")):
            self.add_error("surname", _("Give at least a surname or a given name."))
        if data.get("birth_date_precision") == "estimated" and data.get("estimated_age") is None:
            self.add_error("estimated_age", _("Give the estimated age."))
        return data


class NameFormForm(forms.ModelForm):
    class Meta:
        model = NameForm
        fields = ["surname", "given_name", "patronymic", "kind", "source"]


class PersonForm(VersionedForm):
    class Meta:
        model = Person
        fields = ["surname", "given_name", "patronymic", "relationship", "phone", "email", "address"]


class TracingRequestForm(VersionedForm):
    class Meta:
        model = TracingRequest
        fields = DESCRIPTION_FIELDS
