"""The API's schemas (``homeward.schema.Schema``): a payload the views built as a dict is validated by pydantic
directly, without django-ninja's per-attribute wrapper; model instances and schemas with resolvers still go
through it."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from typing import Any

import pytest
from ninja import Schema as NinjaSchema

import homeward
from homeward import schema


@pytest.fixture
def wrapped(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The objects ninja's ``DjangoGetter`` wrapped while the test ran."""
    seen: list[Any] = []
    original = schema.DjangoGetter

    def counting(obj: Any, cls: Any, context: Any = None) -> Any:
        seen.append(obj)
        return original(obj, cls, context)

    monkeypatch.setattr(schema, "DjangoGetter", counting)
    return seen


EVENT = {"from_status": "open", "to_status": "located", "actor_party": "QA",
         "at": dt.datetime(2026, 12, 3, tzinfo=dt.UTC), "reason": ""}


def test_a_dict_payload_is_validated_without_ninjas_attribute_wrapper(wrapped: list[Any]) -> None:
    from homeward.registry.schemas import CaseEventOut, CaseOut

    case = CaseOut.model_validate({"id": 1, "child_id": 2, "party": "UA", "status": "open", "version": 1,
                                   "requesting_party": None, "caseworker": None, "allowed_transitions": ["located"],
                                   "events": [EVENT, EVENT]})
    assert wrapped == []
    assert case.events[1].to_status == "located" and case.allowed_transitions == ["located"]
    assert CaseEventOut.model_validate(EVENT).model_dump() == EVENT


def test_an_object_is_still_read_through_ninjas_wrapper(wrapped: list[Any]) -> None:
    from homeward.registry.schemas import CaseEventOut

    class Event:
        pass

    event = Event()
    event.__dict__.update(EVENT)
    assert CaseEventOut.model_validate(event).model_dump() == EVENT
    assert wrapped == [event]


def test_a_schema_with_resolvers_resolves_a_dict_too(wrapped: list[Any]) -> None:
    class WithResolver(schema.Schema):
        n: int
        doubled: int = 0

        @staticmethod
        def resolve_doubled(obj: Any) -> int:
            return int(obj["n"]) * 2

    assert WithResolver.model_validate({"n": 4}).doubled == 8
    assert len(wrapped) == 1


def test_a_missing_or_invalid_field_of_a_dict_is_still_refused() -> None:
    from pydantic import ValidationError

    from homeward.registry.schemas import CaseEventOut

    with pytest.raises(ValidationError):
        CaseEventOut.model_validate({k: v for k, v in EVENT.items() if k != "to_status"})
    with pytest.raises(ValidationError):
        CaseEventOut.model_validate({**EVENT, "at": "not a time"})


def test_every_schema_of_the_api_derives_from_homewards_schema() -> None:
    for module in pkgutil.walk_packages(homeward.__path__, "homeward."):
        if module.name.endswith(("api", "schemas")):
            importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    ours = [c for c in subclasses(NinjaSchema) if c.__module__.startswith("homeward.")
            and c.__module__ != "homeward.pagination"]  # pagination's query parameters: ninja's own pagination input
    assert len(ours) > 20
    assert [c.__qualname__ for c in ours if not issubclass(c, schema.Schema)] == []
