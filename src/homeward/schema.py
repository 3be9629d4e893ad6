"""The API's schemas: django-ninja's ``Schema``, but a ``dict`` is validated by pydantic directly.

Ninja wraps whatever a schema validates in its ``DjangoGetter`` (so that a model instance's managers, callables
and files read as values), and pydantic then reads every field through that wrapper's Python ``__getattr__``.
The API's views answer with dicts they built themselves (``SerialisedPage``, ``child_payload`` …), for which the
wrapper only costs: validating and dumping a page of 50 cases took 5.9 ms through it and 0.5 ms without
(docs/benchmarks.md). A dict goes straight to pydantic unless the schema has ``resolve_*`` methods (which need
the wrapper); model instances and anything else take ninja's way, as before. Every API schema derives from this.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema as NinjaSchema
from ninja.schema import DjangoGetter
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator


class Schema(NinjaSchema):
    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        if type(values) is dict and not cls._ninja_resolvers:
            return handler(values)
        # ninja.Schema's own validator (ninja 1.x), for model instances and schemas with resolvers
        if cls.model_config.get("extra") == "forbid" or cls.model_config.get("validate_assignment", False):
            handler(values)
        return handler(DjangoGetter(values, cls, info.context))
