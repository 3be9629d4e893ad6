"""``get_FOO_display()`` (``homeward.displays``) answers what Django's own does, in the active language, for every
choice field of the project's models, while translating only the label it returns."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import translation


def _choice_fields() -> list[tuple[type[Model], object]]:
    return [(model, field) for model in apps.get_models() if model.__module__.startswith("homeward.")
            for field in model._meta.concrete_fields if field.choices is not None]


def test_every_choice_field_of_the_projects_models_has_the_cheap_display() -> None:
    fields = _choice_fields()
    assert len(fields) > 20
    slow = [f"{model.__name__}.{field.name}" for model, field in fields  # type: ignore[attr-defined]
            if getattr(model, f"get_{field.name}_display").__module__ != "homeward.displays"]  # type: ignore[attr-defined]
    assert slow == []


@pytest.mark.parametrize("language", ["en", "uk", "ar"])
def test_each_display_answers_as_djangos_own_for_every_choice_and_an_unknown_value(language: str) -> None:
    for model, field in _choice_fields():
        obj = model()
        values = [value for value, _label in field.flatchoices] + ["not-a-choice"]  # type: ignore[attr-defined]
        for value in values:
            setattr(obj, field.attname, value)  # type: ignore[attr-defined]
            with translation.override(language):
                ours = getattr(obj, f"get_{field.name}_display")()  # type: ignore[attr-defined]
                django = Model._get_FIELD_display(obj, field)  # type: ignore[attr-defined]
            assert ours == django and type(ours) is type(django), (model.__name__, field.name, value)


def test_a_display_translates_only_the_label_it_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    from homeward.registry.models import Case

    case = Case(status="located")
    case.get_status_display()  # built once
    calls: list[str] = []
    translation.gettext("Located")  # django.utils.translation binds its implementation at first use
    original = translation._trans.gettext  # type: ignore[attr-defined]

    def counting(message: str) -> str:
        calls.append(message)
        return original(message)

    monkeypatch.setattr(translation._trans, "gettext", counting)  # type: ignore[attr-defined]
    with translation.override("uk"):
        assert case.get_status_display() == original("Located")
    assert calls == ["Located"]
