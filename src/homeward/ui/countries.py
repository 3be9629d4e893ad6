"""Countries chosen from ISO 3166-1 (names translated by django-countries), with free text as an explicit
"other". Stored as the alpha-2 code ("UA"); free text only when the user chose "Other" and typed it.

Older records hold English names ("Russia"); :func:`country_name` shows those translated as well.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

OTHER = "__other__"


def country_code(value: str) -> str | None:
    """The ISO alpha-2 code ``value`` stands for (a code, or an English name), or None."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) == 2 and text.upper() in countries:
        return text.upper()
    by_name = countries.by_name(text, language="en")
    return str(by_name) if by_name else None


def country_name(value: Any) -> str:
    """The country's name in the current language; free text as it was typed."""
    text = "" if value is None else str(value)
    code = country_code(text)
    return str(countries.name(code)) if code else text


class CountryWidget(forms.MultiWidget):
    template_name = "ui/country_widget.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.Select(), forms.TextInput(attrs={"maxlength": "100"})], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if not value:
            return ["", ""]
        code = country_code(str(value))
        return [code, ""] if code else [OTHER, str(value)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        self.widgets[0].choices = [("", "—"), *[(c.code, c.name) for c in countries],  # type: ignore[attr-defined]
                                   (OTHER, str(_("Other (type it)")))]
        context = super().get_context(name, value, attrs)
        context["other_value"] = OTHER
        return context


class CountryField(forms.MultiValueField):
    """A select of every ISO 3166-1 country plus "Other", and the text typed for "Other"."""

    widget = CountryWidget

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("require_all_fields", False)
        fields = (forms.CharField(required=False), forms.CharField(required=False, max_length=100))
        super().__init__(fields, *args, **kwargs)

    def compress(self, data_list: list[Any]) -> str:
        if not data_list:
            return ""
        choice, other = (data_list + ["", ""])[:2]
        choice, other = (choice or "").strip(), (other or "").strip()
        if choice == OTHER:
            if not other:
                raise ValidationError(_("Type the country, or choose it from the list."), code="other")
            return other
        if choice and choice not in countries:
            raise ValidationError(_("Choose a country from the list."), code="invalid")
        return choice
