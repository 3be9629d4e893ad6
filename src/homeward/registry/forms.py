from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.registry.choices import Relationship
from homeward.registry.models import Child, NameForm, Person, TracingRequest
from homeward.ui.dates import LocaleDateField

DESCRIPTION_FIELDS = [
    "surname", "given_name", "patronymic", "sex", "birth_date", "birth_date_precision", "estimated_age",
    "age_estimated_on", "birth_place", "region", "last_known_location", "current_facility",
    "separation_category", "separation_details", "medical_needs", "disability",
]
RESTRICTED = ("medical_needs", "disability", "phone", "email", "address")
PLACE_FIELDS = ("birth_place", "last_known_location")


class VersionedForm(forms.ModelForm):
    """Carries the version the user started from, for optimistic locking; dates are typed as text in the
    user's order (``homeward.ui.dates``) and an impossible date is an error on its field, never a blank."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:  # a new instance already has its random id
            self.fields["version"].initial = self.instance.version
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.DateField):
                self.fields[name] = LocaleDateField(label=field.label, required=field.required,
                                                    not_in_future=True, help_text=field.help_text)
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(rows=3)
            if name in RESTRICTED:
                field.widget.attrs["data-restricted"] = "1"
            if name in PLACE_FIELDS:
                field.widget.attrs["list"] = "known-places"
                field.help_text = _("Choose from the list, or type another place.")


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
    """The child sought. Which relative asks is chosen (or created) in :class:`RequesterForm`."""

    class Meta:
        model = TracingRequest
        fields = DESCRIPTION_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("surname") or data.get("given_name")):
            self.add_error("surname", _("Give at least the surname or the given name of the child sought."))
        if data.get("birth_date_precision") == "estimated" and data.get("estimated_age") is None:
            self.add_error("estimated_age", _("Give the estimated age."))
        return data


class RequesterForm(forms.Form):
    """Who asks: a relative already recorded, or a new one typed in the same form."""

    existing = forms.ModelChoiceField(label=_("A relative already recorded"), queryset=Person.objects.none(),
                                      required=False, empty_label=_("— a new relative (fill in below) —"))
    surname = forms.CharField(label=_("Relative's surname"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Relative's given name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Relative's patronymic"), max_length=100, required=False)
    relationship = forms.ChoiceField(label=_("Relationship to the child"), required=False,
                                     choices=[("", "—"), *Relationship.choices])
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), max_length=200, required=False)

    def __init__(self, *args: Any, persons: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if persons is not None:
            self.fields["existing"].queryset = persons  # type: ignore[attr-defined]
        self.fields["existing"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.full_name} — {p.get_relationship_display()} (#{p.pk})")
        for name in ("phone", "email"):
            self.fields[name].widget.attrs["data-restricted"] = "1"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("existing"):
            return data
        if not data.get("surname"):
            self.add_error("surname", _("Choose a relative already recorded, or give the new relative's surname."))
        if not data.get("relationship"):
            self.add_error("relationship", _("Give the new relative's relationship to the child."))
        return data

    def new_person(self) -> Person | None:
        data = self.cleaned_data
        if data.get("existing"):
            return None
        return Person(surname=data["surname"], given_name=data.get("given_name", ""),
                      patronymic=data.get("patronymic", ""), relationship=data["relationship"],
                      phone=data.get("phone", ""), email=data.get("email") or "")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
