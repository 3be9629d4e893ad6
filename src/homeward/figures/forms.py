from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    outlet = forms.CharField(label=_("Outlet"), max_length=200, required=False,
                             help_text=_("Credited for figures the text attributes to no one."))
    url = forms.URLField(label=_("URL"), max_length=500, required=False, assume_scheme="https")
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Detect")), ("en", "English"), ("uk", "Українська"),
                                          ("ru", "Русский")])
    published_on = forms.DateField(label=_("Publication date"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("Resolves 'on Tuesday', 'as of June 2', 'in July last year'."))
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), max_length=200_000)
