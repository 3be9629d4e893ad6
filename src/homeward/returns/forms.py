"""Page forms. They only parse input; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Party
from homeward.returns.models import DocumentKind, Item, MemberKind, Outcome, TransportMode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def _parties() -> Any:
    return Party.objects.filter(kind__in=["authority", "mediator"]).order_by("code")


class PartyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name}"


class OperationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    from_party = PartyChoice(label=_("From (handing party)"), queryset=Party.objects.none(), to_field_name="code")
    to_party = PartyChoice(label=_("To (receiving party)"), queryset=Party.objects.none(), to_field_name="code")
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=500, initial=12)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_party", "to_party"):
            self.fields[name].queryset = _parties()  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(MemberKind.ADULT.value, MemberKind.ADULT.label),
                                                       (MemberKind.ESCORT.value, MemberKind.ESCORT.label)])
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    party = PartyChoice(label=_("Party"), queryset=Party.objects.none(), to_field_name="code")
    medical_support = forms.CharField(label=_("Medical support needed"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = _parties()  # type: ignore[attr-defined]


class LegForm(forms.Form):
    from_place = forms.CharField(label=_("From"), max_length=200)
    from_country = forms.CharField(label=_("From country"), max_length=100)
    to_place = forms.CharField(label=_("To"), max_length=200)
    to_country = forms.CharField(label=_("To country"), max_length=100)
    mode = forms.ChoiceField(label=_("Mode"), choices=TransportMode.choices)
    carrier = forms.CharField(label=_("Carrier"), max_length=200, required=False)
    planned_departure = forms.DateTimeField(label=_("Planned departure (UTC)"), required=False, widget=DATETIME,
                                            input_formats=DT_FORMATS)
    planned_arrival = forms.DateTimeField(label=_("Planned arrival (UTC)"), required=False, widget=DATETIME,
                                          input_formats=DT_FORMATS)


class HostingForm(forms.Form):
    place = forms.CharField(label=_("Place"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.CharField(label=_("Country"), max_length=100)
    host = PartyChoice(label=_("Host"), queryset=Party.objects.none(), to_field_name="code")
    starts = forms.DateTimeField(label=_("From (UTC)"), widget=DATETIME, input_formats=DT_FORMATS)
    ends = forms.DateTimeField(label=_("To (UTC)"), widget=DATETIME, input_formats=DT_FORMATS)
    before_leg = forms.IntegerField(label=_("Before leg"), min_value=1, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = _parties()  # type: ignore[attr-defined]


class HandoverForm(forms.Form):
    before_leg = forms.IntegerField(label=_("Before leg (one past the last leg = at the end)"), min_value=1,
                                    initial=1)
    place = forms.CharField(label=_("Place"), max_length=200)
    country = forms.CharField(label=_("Country"), max_length=100)
    from_party = PartyChoice(label=_("Handing party"), queryset=Party.objects.none(), to_field_name="code")
    to_party = PartyChoice(label=_("Receiving party"), queryset=Party.objects.none(), to_field_name="code")
    final = forms.BooleanField(label=_("Final hand-over to the family or receiving authority (reunites)"),
                               required=False)
    planned_at = forms.DateTimeField(label=_("Planned at (UTC)"), required=False, widget=DATETIME,
                                     input_formats=DT_FORMATS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_party", "to_party"):
            self.fields[name].queryset = _parties()  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    item = forms.ChoiceField(label=_("Checklist item"), choices=Item.choices)
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    file = forms.FileField(label=_("File (stored encrypted)"), required=False)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Visit"), choices=[("done", _("Done")), ("missed", _("Missed"))])
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    further_support = forms.BooleanField(label=_("Needs further support"), required=False)
