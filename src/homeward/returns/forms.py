"""Page forms. They only parse input; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Party
from homeward.returns.models import DocumentKind, Item, MemberKind, Outcome, TransportMode
from homeward.ui.countries import CountryField, country_name
from homeward.ui.dates import LocaleDateField, LocaleDateTimeField


def _parties() -> Any:
    return Party.objects.filter(kind__in=["authority", "mediator"]).order_by("code")


class PartyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name}"


class OperationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    from_party = PartyChoice(label=_("From (handing party)"), queryset=Party.objects.none(), to_field_name="code")
    to_party = PartyChoice(label=_("To (receiving party)"), queryset=Party.objects.none(), to_field_name="code")
    planned_start = LocaleDateField(label=_("Planned start"))
    planned_end = LocaleDateField(label=_("Planned end"))
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
    from_country = CountryField(label=_("From country"))
    to_place = forms.CharField(label=_("To"), max_length=200)
    to_country = CountryField(label=_("To country"))
    mode = forms.ChoiceField(label=_("Mode"), choices=TransportMode.choices)
    carrier = forms.CharField(label=_("Carrier"), max_length=200, required=False)
    planned_departure = LocaleDateTimeField(label=_("Planned departure (UTC)"), required=False)
    planned_arrival = LocaleDateTimeField(label=_("Planned arrival (UTC)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_place", "to_place"):
            self.fields[name].widget.attrs["list"] = "known-places"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dep, arr = data.get("planned_departure"), data.get("planned_arrival")
        if dep and arr and arr < dep:
            self.add_error("planned_arrival", _("The arrival cannot be before the departure."))
        return data


class RoutePointField(forms.TypedChoiceField):
    """A point of the route (the start of a leg or the end of the last one), as its "before leg" number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int)
        super().__init__(*args, **kwargs)


def _point_choices(points: list[tuple[int, str, str]]) -> list[tuple[Any, str]]:
    last = len(points) - 1
    out: list[tuple[Any, Any]] = [("", _("— choose a point of the route —"))]
    for i, (before_leg, place, country) in enumerate(points):
        where = f"{place} ({country_name(country)})"
        if i == 0:
            text = _("%(where)s — start, before leg 1") % {"where": where}
        elif i == last:
            text = _("%(where)s — end of the route, after leg %(n)s") % {"where": where, "n": before_leg - 1}
        else:
            text = _("%(where)s — between leg %(a)s and leg %(b)s") % {"where": where, "a": before_leg - 1,
                                                                       "b": before_leg}
        out.append((before_leg, text))
    return out


class _PlacedOnRoute(forms.Form):
    """Base of the forms that place something at a point of the route: the point gives the leg and the
    country, so a hand-over at the Moscow embassy cannot be drawn at Kyiv."""

    def __init__(self, *args: Any, points: list[tuple[int, str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points = {n: (place, country) for n, place, country in (points or [])}
        self.fields["point"].choices = _point_choices(points or [])  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        point = data.pop("point", None)
        if point is not None and point in self.points:
            place, country = self.points[point]
            data["before_leg"] = point
            data["country"] = country
            data["stop_place"] = place
        return data


class HostingForm(_PlacedOnRoute):
    point = RoutePointField(label=_("Where on the route"))
    place = forms.CharField(label=_("Place"), max_length=200,
                            help_text=_("For example: Embassy of the State of Qatar."))
    host = PartyChoice(label=_("Host"), queryset=Party.objects.none(), to_field_name="code")
    starts = LocaleDateTimeField(label=_("From (UTC)"))
    ends = LocaleDateTimeField(label=_("To (UTC)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = _parties()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["city"] = data.pop("stop_place", "")
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("The end cannot be before the start."))
        return data


class HandoverForm(_PlacedOnRoute):
    point = RoutePointField(label=_("Where on the route"))
    place = forms.CharField(label=_("Exact place (optional)"), max_length=200, required=False,
                            help_text=_("For example: Embassy of the State of Qatar. The town of the chosen point "
                                        "is added."))
    from_party = PartyChoice(label=_("Handing party"), queryset=Party.objects.none(), to_field_name="code")
    to_party = PartyChoice(label=_("Receiving party"), queryset=Party.objects.none(), to_field_name="code")
    final = forms.BooleanField(label=_("Final hand-over to the family or receiving authority (reunites)"),
                               required=False)
    planned_at = LocaleDateTimeField(label=_("Planned at (UTC)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_party", "to_party"):
            self.fields[name].queryset = _parties()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        town = data.pop("stop_place", "")
        detail = (data.get("place") or "").strip()
        data["place"] = detail if town.casefold() in detail.casefold() else ", ".join(p for p in (detail, town) if p)
        if data.get("from_party") and data.get("from_party") == data.get("to_party"):
            self.add_error("to_party", _("The receiving party must differ from the handing party."))
        return data


class DocumentForm(forms.Form):
    item = forms.ChoiceField(label=_("Checklist item"), choices=Item.choices)
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    file = forms.FileField(label=_("File (stored encrypted)"), required=False)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Visit"), choices=[("", _("— choose —")), ("done", _("Done")),
                                                           ("missed", _("Missed"))])
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    further_support = forms.BooleanField(label=_("Needs further support"), required=False)
