"""List import: formats, encodings, header detection, validation, rejection, versions, diff, ledger."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from homeward.exceptions import FileInputError, InputError
from homeward.exchange import diff, importer, services
from homeward.exchange.models import ListEntry, ListRejection, ListVersion, PartyList, RejectedRow
from tests.factories import UA_ROWS, ua_csv


@pytest.fixture(autouse=True)
def _no_matching(settings: Any) -> None:
    settings.EXCHANGE_MATCH_ON_IMPORT = False


def do_import(user: Any, parties: dict[str, Any], data: bytes, title: str = "Sought in RU", **kw: Any) -> Any:
    return services.import_list(user, party=parties["UA"], title=title, filename=kw.pop("filename", "list.csv"),
                                data=data, **kw)


# --- reading and mapping (pure) -----------------------------------------------------------------


def test_cp1251_semicolon_csv_with_ukrainian_headers_is_detected():
    table = importer.read_table(ua_csv(), "список.csv")
    assert (table.file_format, table.encoding, table.delimiter) == ("csv", "cp1251", ";")
    mapping = importer.detect_mapping(table.headers)
    assert mapping == {"record_id": None, "surname": 0, "given_name": 1, "patronymic": 2, "full_name": None,
                       "birth_date": 3, "sex": 4, "birth_place": 5}
    check = importer.check_rows(table, mapping)
    assert not check.problems
    first = check.valid[0]
    assert first.row == 2
    assert first.values["surname"] == "Коваленко" and first.values["sex"] == "F"
    assert first.values["birth_date"].isoformat() == "2013-04-12"
    assert check.valid[1].values["sex"] == "M"


def test_utf8_bom_comma_csv_with_russian_full_name_column():
    data = "\ufeffФИО,Дата рождения,Пол,Место рождения\nИванова Мария Петровна,05.03.2014,ж,Курск\n" \
           "Петров Иван Сергеевич,2012-01-02,м,Суджа\n"
    table = importer.read_table(data.encode("utf-8"), "ru.csv")
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")
    mapping = importer.detect_mapping(table.headers)
    assert mapping["full_name"] == 0 and mapping["surname"] is None
    check = importer.check_rows(table, mapping)
    assert not check.problems
    v = check.valid[0].values
    assert (v["surname"], v["given_name"], v["patronymic"], v["sex"]) == ("Иванова", "Мария", "Петровна", "F")
    assert check.valid[1].values["sex"] == "M"


def test_plain_utf8_english_headers_and_latin_sex():
    data = b"id,Surname,First name,Date of birth,Sex\nA1,Kovalenko,Daryna,2013-04-12,F\nA2,Bondarenko,Maksym,,M\n"
    table = importer.read_table(data, "en.csv")
    assert table.encoding == "utf-8"
    mapping = importer.detect_mapping(table.headers)
    assert mapping["record_id"] == 0 and mapping["given_name"] == 2
    check = importer.check_rows(table, mapping)
    assert not check.problems and check.valid[1].values["birth_date"] is None


def test_xlsx_and_json_are_read():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол"])
    import datetime as dt

    ws.append(["Иванов", "Иван", "Иванович", dt.datetime(2012, 5, 6), "М"])
    buf = io.BytesIO()
    wb.save(buf)
    table = importer.read_table(buf.getvalue(), "ru.xlsx")
    check = importer.check_rows(table, importer.detect_mapping(table.headers))
    assert table.file_format == "xlsx" and not check.problems
    assert check.valid[0].values["birth_date"].isoformat() == "2012-05-06" and check.valid[0].values["sex"] == "M"

    data = json.dumps({"records": [{"surname": "Kovalenko", "given_name": "Daryna", "sex": "f"}]}).encode()
    table = importer.read_table(data, "list.json")
    check = importer.check_rows(table, importer.detect_mapping(table.headers))
    assert table.file_format == "json" and check.valid[0].row == 1 and check.valid[0].values["sex"] == "F"


def test_validation_names_row_and_field_never_the_value():
    rows = [*UA_ROWS, "Коваленко;Дарина;Олександрівна;12.04.2013;ж;Херсон", ";Іван;;01.01.2012;ч;",
            "Петренко;Олег;;31.02.2013;x;", "Мороз;Ян;;01.01.2099;ч;"]
    table = importer.read_table(ua_csv(rows), "l.csv")
    check = importer.check_rows(table, importer.detect_mapping(table.headers))
    got = {(p.row, p.field, p.code) for p in check.problems}
    assert got == {(5, "surname", "duplicate"), (6, "surname", "required"), (7, "birth_date", "bad_date"),
                   (7, "sex", "bad_sex"), (8, "birth_date", "future_date")}
    dup = next(p for p in check.problems if p.code == "duplicate")
    assert dup.other_row == 2 and "2" in dup.text()
    report = importer.problems_csv(check.problems)
    assert "row,field,column,problem" in report and "Петренко" not in report and "31.02" not in report


def test_limits_are_refused_with_a_clear_message(settings: Any):
    settings.EXCHANGE_MAX_BYTES = 100
    with pytest.raises(FileInputError, match="larger than"):
        importer.read_table(b"x" * 101, "big.csv")
    settings.EXCHANGE_MAX_BYTES = 10**6
    settings.EXCHANGE_MAX_ROWS = 2
    with pytest.raises(FileInputError, match="more than 2 rows"):
        importer.read_table(ua_csv(), "many.csv")


def test_the_row_report_neutralises_formulas_in_column_names():
    text = importer.problems_csv([importer.Problem(2, "surname", "required", column="=HYPERLINK(1)")])
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


# --- storing -------------------------------------------------------------------------------------


def test_import_creates_version_entries_and_ledger_entry(users, parties):
    from homeward.ledger.models import EntryOpening, LedgerEntry

    outcome = do_import(users["ua"], parties, ua_csv())
    v = outcome.version
    assert v.number == 1 and v.accepted_count == 3 and v.party_list.concerning == parties["RU"]
    assert bytes(v.content) == ua_csv() and len(v.sha256) == 64
    entry = LedgerEntry.objects.get(index=v.ledger_index)
    assert entry.kind == "list_submission" and entry.object_id == str(v.pk)
    opening = bytes(EntryOpening.objects.get(entry_id=entry.index).content).decode()
    assert v.sha256 in opening and "Коваленко" not in opening and "Sought" not in opening


def test_impossible_date_rejects_the_whole_file_by_default(users, parties):
    rows = [*UA_ROWS, "Петренко;Олег;Іванович;31.02.2013;ч;Херсон"]
    outcome = do_import(users["ua"], parties, ua_csv(rows))
    assert outcome.version is None
    rej = outcome.rejection
    assert rej.reasons == [{"row": 5, "field": "birth_date", "column": "Дата народження", "code": "bad_date",
                            "other_row": None}]
    assert not ListVersion.objects.exists() and not ListEntry.objects.exists() and not PartyList.objects.exists()
    assert "Петренко" not in json.dumps(rej.reasons, ensure_ascii=False)


def test_accept_valid_keeps_rejected_rows_with_reasons(users, parties):
    rows = [*UA_ROWS, "Петренко;Олег;Іванович;31.02.2013;ч;Херсон"]
    v = do_import(users["ua"], parties, ua_csv(rows), accept_valid=True).version
    assert (v.status, v.accepted_count, v.rejected_count) == ("partial", 3, 1)
    rr = RejectedRow.objects.get(version=v)
    assert rr.row == 5 and rr.reasons[0]["field"] == "birth_date" and rr.values["Прізвище"] == "Петренко"


def test_second_upload_is_a_new_version_and_diff_shows_the_one_change(users, parties):
    v1 = do_import(users["ua"], parties, ua_csv()).version
    changed = [UA_ROWS[0], UA_ROWS[1].replace("Бондаренко", "Бондарчук"), UA_ROWS[2]]
    v2 = do_import(users["ua"], parties, ua_csv(changed)).version
    assert (v2.party_list_id, v2.number) == (v1.party_list_id, 2)
    d = diff.diff_entries(list(v1.entries.all()), list(v2.entries.all()))
    assert not d.added and not d.removed and d.unchanged == 2
    assert len(d.changed) == 1
    assert [(c.field, c.old, c.new) for c in d.changed[0].changes] == [("surname", "Бондаренко", "Бондарчук")]


def test_diff_added_and_removed(users, parties):
    v1 = do_import(users["ua"], parties, ua_csv()).version
    v2 = do_import(users["ua"], parties, ua_csv([UA_ROWS[0], "Мороз;Ян;Ігорович;01.01.2012;ч;Київ"])).version
    d = diff.diff_entries(list(v1.entries.all()), list(v2.entries.all()))
    assert [e.surname for e in d.added] == ["Мороз"]
    assert sorted(e.surname for e in d.removed) == ["Бондаренко", "Шевченко"]


def test_party_officer_cannot_import_for_the_other_party(users, parties):
    with pytest.raises(InputError):
        services.import_list(users["ru"], party=parties["UA"], title="x", filename="l.csv", data=ua_csv())
    with pytest.raises(InputError):
        services.import_list(users["ngo"], party=parties["NGO1"], title="x", filename="l.csv", data=ua_csv())


def test_ledger_verifies_after_imports_and_responses(users, parties):
    from homeward.ledger.verify import verify_ledger

    v = do_import(users["ua"], parties, ua_csv()).version
    services.forward(users["mediator"], v)
    entries = list(ListEntry.objects.filter(version=v).select_related("forwarding"))
    services.respond(users["ru"], [services.Answer(entries[0], "located", "Somewhere"),
                                   services.Answer(entries[1], "not_found")])
    report = verify_ledger()
    assert report.size >= 4


def test_rejection_then_nothing_is_stored_for_unreadable_file(users, parties):
    with pytest.raises(FileInputError):
        do_import(users["ua"], parties, b"PK\x03\x04garbage", filename="x.xlsx")
    assert not ListRejection.objects.exists() and not ListVersion.objects.exists()


def test_uploading_the_identical_file_again_is_refused(users, parties):
    do_import(users["ua"], parties, ua_csv())
    with pytest.raises(InputError, match="identical"):
        do_import(users["ua"], parties, ua_csv())
    assert ListVersion.objects.count() == 1
