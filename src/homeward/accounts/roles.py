"""Roles and party kinds: the vocabulary every access decision is made in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    AUTHORITY = "authority", _("Authority of a party")
    MEDIATOR = "mediator", _("Mediator")
    NGO = "ngo", _("Non-governmental organisation")


class Role(models.TextChoices):
    MEDIATOR_ADMIN = "mediator_admin", _("Mediator administrator")
    MEDIATOR_CASEWORKER = "mediator_caseworker", _("Mediator case worker")
    PARTY_OFFICER = "party_officer", _("Party officer")
    NGO_CASEWORKER = "ngo_caseworker", _("NGO case worker")
    AUDITOR = "auditor", _("Auditor")


MEDIATOR_ROLES = frozenset({Role.MEDIATOR_ADMIN, Role.MEDIATOR_CASEWORKER})

# Which party kinds a role may belong to.
ROLE_PARTY_KINDS: dict[str, frozenset[str]] = {
    Role.MEDIATOR_ADMIN: frozenset({PartyKind.MEDIATOR}),
    Role.MEDIATOR_CASEWORKER: frozenset({PartyKind.MEDIATOR}),
    Role.PARTY_OFFICER: frozenset({PartyKind.AUTHORITY}),
    Role.NGO_CASEWORKER: frozenset({PartyKind.NGO}),
    Role.AUDITOR: frozenset({PartyKind.MEDIATOR, PartyKind.AUTHORITY, PartyKind.NGO}),
}
