"""Writes of the list exchange. Each is one transaction with its audit record and ledger entry.

Ledger entries carry identifiers, counts, statuses and hashes only, never a name or a whereabouts.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward import access, faults
from homeward.access import Actor
from homeward.accounts import audit
from homeward.accounts.models import Party, User
from homeward.exceptions import FileInputError, InputError
from homeward.exchange import importer
from homeward.exchange.models import (
    EntryResponse,
    Forwarding,
    ListEntry,
    ListRejection,
    ListVersion,
    PartyList,
    RejectedRow,
    ResponseStatus,
)

log = logging.getLogger(__name__)

SIGNED_OBJECT = "file"
SIGNED_KIND = "list_submission"


@dataclass
class ImportOutcome:
    check: importer.CheckResult
    table: importer.Table
    version: ListVersion | None = None
    rejection: ListRejection | None = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def other_party(party: Party) -> Party | None:
    """The party a list concerns by default: the other authority, when there is exactly one."""
    others = list(Party.objects.filter(kind="authority").exclude(pk=party.pk)[:2])
    return others[0] if len(others) == 1 else None


def _ledger(kind: str, user: Actor, party_code: str, object_type: str, object_id: Any,
            content: Mapping[str, Any]) -> int:
    from homeward.ledger import service

    return service.record(kind, actor=access.user_of(user), party_code=party_code,
                          object_type=object_type, object_id=str(object_id), content=dict(content)).index


def _audit(user: Actor, action: str, obj: Any, *, via: str = "page") -> None:
    audit.record(user, action, obj, via=via)


# --- signatures ----------------------------------------------------------------------------------


def signed_statement(party_code: str, digest: str) -> str:
    from homeward.ledger import service

    return service.statement(SIGNED_KIND, party_code, SIGNED_OBJECT, digest)


def verify_signature(party_code: str, digest: str, signature: str) -> str:
    """Check a detached signature (``homeward sign``) over a file with ``digest``; return the key name.

    Raises ``InputError`` naming the ``signature`` field if it is not the party's or not over this file.
    """
    from homeward.ledger import service
    from homeward.ledger.errors import LedgerError
    from homeward.ledger.note import parse_note

    text = signature if signature.endswith("\n") else signature + "\n"
    try:
        good = service.verify_statement(party_code, text)
        body = parse_note(text).text
    except LedgerError:
        raise InputError({"signature": [_("The signature does not verify with the party's registered keys.")]},
                         _("The signature does not verify.")) from None
    if body != signed_statement(party_code, digest):
        raise InputError({"signature": [_("The signature is valid but was made over another file.")]},
                         _("The signature does not match the file."))
    return good[0].name


def attach_signature(user: User, version: ListVersion, signature: str, *, via: str = "page") -> ListVersion:
    party_code = version.party_list.party.code
    access.require(access.is_mediator(user) or access.is_submitter(user, version))
    key = verify_signature(party_code, version.sha256, signature)
    with transaction.atomic():
        version.signature = signature if signature.endswith("\n") else signature + "\n"
        version.signature_key = key
        version.signature_ledger_index = _ledger(
            SIGNED_KIND, user, party_code, "exchange.signature", version.pk,
            {"version": version.pk, "sha256": version.sha256, "signed_by": key,
             "signature_sha256": sha256(version.signature.encode())})
        version.save(update_fields=["signature", "signature_key", "signature_ledger_index"])
        _audit(user, "sign", version, via=via)
    return version


# --- import --------------------------------------------------------------------------------------


def prepare(data: bytes, filename: str, mapping: Mapping[str, Any] | None = None
            ) -> tuple[importer.Table, dict[str, int | None], importer.CheckResult]:
    """Read and check a file without storing anything (the preview)."""
    table = importer.read_table(data, filename)
    cols = importer.clean_mapping(mapping, table.headers) if mapping else importer.detect_mapping(table.headers)
    return table, cols, importer.check_rows(table, cols)


def _check_mapping(filename: str, mapping: Mapping[str, int | None]) -> None:
    if mapping.get("surname") is None and mapping.get("full_name") is None:
        raise FileInputError(filename, 1, "surname", _("No column for the surname or the full name was found; "
                                                       "choose one in the mapping."))


def import_list(user: Actor, *, party: Party, title: str, filename: str, data: bytes,
                concerning: Party | None = None, mapping: Mapping[str, Any] | None = None,
                accept_valid: bool = False, signature: str = "", via: str = "page") -> ImportOutcome:
    """Import a party's list as a new version of the list ``title``, all or nothing.

    With any invalid row and without ``accept_valid``, nothing of the file is stored but a
    ``ListRejection`` with its reasons. With ``accept_valid``, valid rows become the version and
    invalid rows are kept with their reasons. A ``signature`` must verify or nothing is stored.
    Raises ``FileInputError`` for an unreadable, oversized or unmappable file and ``InputError``
    for a bad title, party or signature.
    """
    title = " ".join((title or "").split())
    if not title or len(title) > 200:
        raise InputError({"title": [_("Give the list a title of at most 200 characters.")]})
    if not access.may_import_for(user, party):
        raise InputError({"party": [_("You may submit lists for your own party only.")]})
    if party.kind != "authority":
        raise InputError({"party": [_("Lists are submitted by the parties' authorities.")]})
    concerning = concerning or other_party(party)
    if concerning is None or concerning.pk == party.pk or concerning.kind != "authority":
        raise InputError({"concerning": [_("Choose the other party this list concerns.")]})
    table, cols, check = prepare(data, filename, mapping)
    _check_mapping(filename, cols)
    digest = sha256(data)
    key = verify_signature(party.code, digest, signature) if signature.strip() else ""
    outcome = ImportOutcome(check=check, table=table)
    existing = PartyList.objects.filter(party=party, title=title).first()
    if existing is not None and existing.concerning_id != concerning.pk:
        raise InputError({"concerning": [_("This list already concerns another party.")]})
    if existing is not None:
        latest = existing.latest_version()
        if latest is not None and latest.sha256 == digest:
            msg = _("This file is identical to version %(n)s of the list; nothing changed.") % {"n": latest.number}
            raise InputError({"file": [msg]}, msg)
    with transaction.atomic():
        if (check.problems and not accept_valid) or not check.valid:
            reasons = [p.as_dict() for p in check.problems]
            if not check.valid and not check.problems:
                reasons = [{"row": 0, "field": "file", "column": "", "code": "required", "other_row": None}]
            outcome.rejection = ListRejection.objects.create(
                party=party, party_list=existing, uploaded_by=access.user_of(user),
                sha256=digest, size=len(data), row_count=check.total, reasons=reasons)
            _audit(user, "reject", outcome.rejection, via=via)
            return outcome
        plist = existing or PartyList.objects.create(title=title, party=party, concerning=concerning,
                                                     created_by=access.user_of(user))
        PartyList.objects.select_for_update().filter(pk=plist.pk).first()
        number = (plist.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ListVersion.objects.create(
            party_list=plist, number=number, status="partial" if check.invalid else "accepted",
            file_format=table.file_format, encoding=table.encoding, delimiter=table.delimiter,
            content=data, sha256=digest, size=len(data), mapping=cols, row_count=check.total,
            accepted_count=len(check.valid), rejected_count=len(check.invalid),
            uploaded_by=access.user_of(user))
        entries = ListEntry.objects.bulk_create([
            ListEntry(version=version, row=r.row, **{k: r.values[k] for k in (
                "record_id", "surname", "given_name", "patronymic", "sex", "birth_date", "birth_date_precision",
                "birth_place")}) for r in check.valid], batch_size=2000)
        from homeward.registry import search  # the name search index, in the import's transaction

        # the ids are made in Python (homeward.ids), so the entries just written need not be read back; passed as
        # they are (no (id, names) tuple a row: 7 ms per 10,000 rows, also when the index is not written)
        search.index_list_version(version.pk, entries)
        RejectedRow.objects.bulk_create([
            RejectedRow(version=version, row=r.row, values=r.raw,
                        reasons=[p.as_dict() for p in check.problems_for(r.row)]) for r in check.invalid],
            batch_size=2000)
        faults.point("exchange.import.after_entries")
        version.ledger_index = _ledger(SIGNED_KIND, user, party.code, "exchange.list_version", version.pk, {
            "list": plist.pk, "version": number, "sha256": digest, "size": len(data), "format": table.file_format,
            "rows": check.total, "accepted": len(check.valid), "rejected": len(check.invalid),
            "concerning": concerning.code})
        if key:
            version.signature = signature if signature.endswith("\n") else signature + "\n"
            version.signature_key = key
            version.signature_ledger_index = _ledger(
                SIGNED_KIND, user, party.code, "exchange.signature", version.pk,
                {"version": version.pk, "sha256": digest, "signed_by": key,
                 "signature_sha256": sha256(version.signature.encode())})
        version.save(update_fields=["ledger_index", "signature", "signature_key", "signature_ledger_index"])
        _audit(user, "import", version, via=via)
        background = via in ("page", "api") and bool(getattr(settings, "EXCHANGE_MATCH_IN_BACKGROUND", True))
        if background:  # queued in the import's transaction: an imported list is always matched
            _match(version, user, background=True)
    outcome.version = version
    if not background:
        _match(version, user, background=False)
    return outcome


def _match(version: ListVersion, user: Actor, *, background: bool) -> None:
    if not getattr(settings, "EXCHANGE_MATCH_ON_IMPORT", True):
        return
    from homeward.exchange import matching

    try:
        matching.match_version(version, user=user, background=background)
    except Exception as exc:  # matching is advisory; the import stands
        log.warning("event=list_match_failed version=%s exc=%s", version.pk, type(exc).__name__)


# --- forwarding ----------------------------------------------------------------------------------


def forward(user: User, version: ListVersion, entry_ids: Iterable[int] | None = None, *, note: str = "",
            via: str = "page") -> Forwarding | None:
    """The mediator forwards all (``entry_ids=None``) or some names of a version to the concerning party.

    Names already forwarded are skipped; returns ``None`` when nothing was left to forward.
    """
    access.require(access.is_mediator(user))
    plist = version.party_list
    with transaction.atomic():
        qs = ListEntry.objects.select_for_update().filter(version=version, forwarding__isnull=True)
        if entry_ids is not None:
            ids = {int(i) for i in entry_ids}
            qs = qs.filter(pk__in=ids)
        chosen = sorted(qs.values_list("pk", flat=True))
        if not chosen:
            return None
        fwd = Forwarding.objects.create(version=version, to_party=plist.concerning, by=user, count=len(chosen),
                                        note=note[:500])
        ListEntry.objects.filter(pk__in=chosen).update(forwarding=fwd)
        fwd.ledger_index = _ledger(SIGNED_KIND, user, user.party_code, "exchange.forwarding", fwd.pk, {
            "version": version.pk, "sha256": version.sha256, "to": plist.concerning.code, "entries": chosen})
        fwd.save(update_fields=["ledger_index"])
        _audit(user, "forward", version, via=via)
        from homeward.notifications import services as notifications

        notifications.list_forwarded(fwd)
    return fwd


# --- responses -----------------------------------------------------------------------------------


@dataclass
class Answer:
    entry: ListEntry
    status: str
    whereabouts: str = ""
    note: str = ""


def _check_answer(user: User, a: Answer) -> None:
    if a.status not in ResponseStatus.values:
        raise InputError({"status": [_("Choose one of the offered answers.")]})
    access.require(a.entry.forwarding is not None and a.entry.forwarding.to_party_id == user.party_id)
    if len(a.whereabouts) > 2000 or len(a.note) > 2000:
        raise InputError({"whereabouts": [_("At most 2000 characters.")]})


def respond(user: User, answers: Sequence[Answer], *, via: str = "page") -> list[EntryResponse]:
    """Record the receiving party's answers, all or none, each with its ledger entry."""
    from homeward.ledger import service

    for a in answers:
        _check_answer(user, a)
    if not answers:
        return []
    now = timezone.now()
    party_id = user.party_id
    assert party_id is not None  # _check_answer: every name was forwarded to the user's party
    with transaction.atomic():
        made = [EntryResponse.objects.create(entry=a.entry, status=a.status, whereabouts=a.whereabouts.strip(),
                                             note=a.note.strip(), party_id=party_id, by=user, at=now)
                for a in answers]
        entries = service.record_many([
            service.Record("list_response", user, user.party_code, "exchange.response", r.pk,
                           {"entry": r.entry_id, "version": r.entry.version_id, "status": r.status,
                            "has_whereabouts": bool(r.whereabouts)})
            for r in made])
        for r, e in zip(made, entries, strict=True):
            r.ledger_index = e.index
        EntryResponse.objects.bulk_update(made, ["ledger_index"])
        _audit(user, "respond", made[0].entry.version, via=via)
        from homeward.notifications import services as notifications

        by_version: dict[int, list[EntryResponse]] = {}
        for r in made:
            by_version.setdefault(r.entry.version_id, []).append(r)
        for answered in by_version.values():
            notifications.answers_received(answered[0].entry.version, len(answered), party_id)
    return made


_STATUS_WORDS: dict[str, str] = {
    **{s.value: s.value for s in ResponseStatus},
    **{str(s.label).lower(): s.value for s in ResponseStatus},
    "found": "located", "знайдено": "located", "найден": "located", "не знайдено": "not_found",
    "не найден": "not_found", "помер": "deceased", "умер": "deceased", "returned": "returned",
    "повернуто": "returned", "возвращен": "returned", "оспорюється": "contested", "оспаривается": "contested",
    "more data": "more_data", "потрібні дані": "more_data", "нужны данные": "more_data",
}


def parse_status(text: str) -> str | None:
    return _STATUS_WORDS.get(" ".join(text.strip().lower().replace("_", " ").split())) or \
        _STATUS_WORDS.get(text.strip().lower())


def read_responses(user: User, version: ListVersion, data: bytes, filename: str) -> list[Answer]:
    """Read a response file (CSV/XLSX/JSON with ``entry`` or ``row``, ``status``, ``whereabouts``, ``note``).

    Every row must name a name forwarded to the user's party and a known status, or nothing is read:
    raises ``FileInputError`` naming the first bad row and field.
    """
    table = importer.read_table(data, filename)
    heads = [h.strip().lower() for h in table.headers]

    def idx(*names: str) -> int | None:
        return next((heads.index(n) for n in names if n in heads), None)

    i_entry, i_row = idx("entry", "homeward id", "homeward_id", "id"), idx("row", "рядок", "строка")
    i_status, i_where = idx("status", "статус", "answer", "відповідь", "ответ"), idx("whereabouts", "місцеперебування",
                                                                                      "местонахождение")
    i_note = idx("note", "примітка", "примечание")
    if i_status is None or (i_entry is None and i_row is None):
        raise FileInputError(filename, 1, "status" if i_status is None else "entry",
                             _("The response file needs a 'status' column and an 'entry' or 'row' column."))
    visible = {e.pk: e for e in ListEntry.objects.filter(version=version, forwarding__to_party_id=user.party_id)
               .select_related("forwarding", "version")}
    by_row = {e.row: e for e in visible.values()}
    answers: list[Answer] = []
    for number, cells in table.rows:
        def cell(i: int | None, cells: list[str] = cells) -> str:
            return cells[i].strip() if i is not None and i < len(cells) else ""

        entry = None
        try:
            if i_entry is not None and cell(i_entry):
                entry = visible.get(int(cell(i_entry)))
            elif i_row is not None and cell(i_row):
                entry = by_row.get(int(cell(i_row)))
        except ValueError:
            entry = None
        if entry is None:
            raise FileInputError(filename, number, "entry", _("No forwarded name of this list has this number."))
        status = parse_status(cell(i_status))
        if status is None:
            raise FileInputError(filename, number, "status", _("Not one of the known answers."))
        answers.append(Answer(entry, status, cell(i_where), cell(i_note)))
    return answers
