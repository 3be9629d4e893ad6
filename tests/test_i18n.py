"""Translation catalogues: complete, consistent with their sources, compiled, and actually used by the pages.

English is the source language. Ukrainian must be complete and reviewed (no empty or fuzzy entries); Russian
and Arabic must have a translation for every message. Placeholders and markup must survive translation, the
plural rules in the headers must be the languages' real ones, and the committed ``django.mo`` must be the
compilation of the committed ``django.po`` (a fresh machine has no gettext tools to recompile them).
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "src" / "homeward" / "locale"
LANGUAGES = ("uk", "ru", "ar")
NPLURALS = {"uk": 3, "ru": 3, "ar": 6}
# n -> index of the plural form each language must choose (CLDR categories in gettext order).
PLURAL_SAMPLES = {
    # uk/ru: one (1, 21, 101), few (2-4, 22-24), many (0, 5-20, 25-30, 111-114)
    "uk": {0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 20: 2, 21: 0, 22: 1, 25: 2, 101: 0, 111: 2, 112: 2},
    "ru": {0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 20: 2, 21: 0, 22: 1, 25: 2, 101: 0, 111: 2, 112: 2},
    # ar: zero, one, two, few (3-10), many (11-99), other (100-102, ...)
    "ar": {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 101: 5, 102: 5, 103: 3, 111: 4, 1000: 5},
}


# --- a small .po reader ------------------------------------------------------------------------------------

@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file (the header included, as the entry with an empty msgid); obsolete ones skipped."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None
    seen_keyword = False

    def finish() -> None:
        nonlocal current, seen_keyword, target
        if seen_keyword:
            entries.append(current)
        current, seen_keyword, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if seen_keyword:
                finish()
            if line.startswith("#,"):
                current.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            value = ast.literal_eval(literal)
            if keyword in ("msgctxt", "msgid") and target is not None and target[0].startswith("msgstr"):
                finish()  # a new entry without a blank line before it
            if not seen_keyword:
                current.line = number
            seen_keyword = True
            if keyword.startswith("msgstr["):
                current.msgstr_plural[int(index)] = value
                target = ("msgstr_plural", int(index))
            else:
                setattr(current, keyword, value)
                target = (keyword, None)
            continue
        if line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            name, index = target
            if name == "msgstr_plural":
                current.msgstr_plural[index] += value  # type: ignore[index]
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    finish()
    return entries


def catalogue(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def header(entries: list[Entry]) -> dict[str, str]:
    head = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    fields = {}
    for line in head.msgstr.splitlines():
        if ":" in line:
            name, value = line.split(":", 1)
            fields[name.strip()] = value.strip()
    return fields


def messages(lang: str) -> list[Entry]:
    return [e for e in parse_po(catalogue(lang)) if e.msgid]


def where(lang: str, e: Entry) -> str:
    return f"{lang}/LC_MESSAGES/django.po:{e.line} {e.msgid!r}"


# --- placeholders ------------------------------------------------------------------------------------------

_PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
                      r"(?P<conv>[diouxXeEfFgGcrsa%])")
_BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def percent_placeholders(text: str) -> list[str]:
    found = []
    for m in _PERCENT.finditer(text):
        if m.group("conv") == "%":
            continue
        found.append(f"%({m.group('name')}){m.group('conv')}" if m.group("name") is not None else f"%{m.group('conv')}")
    return sorted(found)


def brace_placeholders(text: str) -> list[str]:
    return sorted(_BRACE.findall(text))


def tags(text: str) -> list[str]:
    return sorted(m.group(0).split()[0].rstrip(">").lower() for m in _TAG.finditer(text))


def check_placeholders(e: Entry) -> list[str]:
    problems = []
    sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
    for i, text in enumerate(e.translations):
        if not text:
            continue
        if "python-format" in e.flags or percent_placeholders(e.msgid):
            # Named placeholders must be the same set; a plural form may be about one item, but here every form
            # keeps the count, so the rule is simply: the same placeholders as the source.
            expected = {p for s in sources for p in percent_placeholders(s)}
            got = set(percent_placeholders(text))
            if got != expected:
                problems.append(f"form {i}: placeholders {sorted(got)} != {sorted(expected)}")
        if "python-brace-format" in e.flags:
            expected = {p for s in sources for p in brace_placeholders(s)}
            got = set(brace_placeholders(text))
            if got != expected:
                problems.append(f"form {i}: placeholders {sorted(got)} != {sorted(expected)}")
        if tags(text) != tags(e.msgid):
            problems.append(f"form {i}: markup {tags(text)} != {tags(e.msgid)}")
    return problems


# --- the catalogues ----------------------------------------------------------------------------------------

def test_parser_reads_multiline_plural_and_context_entries(tmp_path):
    po = tmp_path / "x.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: uk\\n"\n\n#, fuzzy, python-format\nmsgctxt "verb"\nmsgid "Rec"\n'
                  'msgstr "За"\n"пис"\n\nmsgid "%(n)s a"\nmsgid_plural "%(n)s b"\nmsgstr[0] "x"\nmsgstr[1] ""\n\n'
                  '#~ msgid "old"\n#~ msgstr "стар"\n', encoding="utf-8")
    entries = parse_po(po)
    assert [e.key for e in entries] == ["", "verb\x04Rec", "%(n)s a"]
    assert entries[1].msgstr == "Запис" and entries[1].fuzzy
    assert entries[2].msgstr_plural == {0: "x", 1: ""}
    assert header(entries)["Language"] == "uk"
    assert percent_placeholders("%(n)s of %(total)d, 100%%") == ["%(n)s", "%(total)d"]
    assert brace_placeholders("by {source} {{literal}}") == ["source"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_exists_with_the_right_header(lang):
    entries = parse_po(catalogue(lang))
    fields = header(entries)
    assert fields["Language"] == lang
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    match = re.fullmatch(r"nplurals=(\d+); plural=(.+?);?", fields["Plural-Forms"])
    assert match, fields["Plural-Forms"]
    assert int(match.group(1)) == NPLURALS[lang]
    choose = gettext.c2py(match.group(2))
    assert {n: choose(n) for n in PLURAL_SAMPLES[lang]} == PLURAL_SAMPLES[lang]
    assert len(entries) > 100, "the catalogue is nearly empty: run makemessages from src/homeward"


def test_catalogues_cover_every_app():
    """makemessages must run from src/homeward, so that every app's templates and Python code are scanned."""
    references = {ref.rsplit(":", 1)[0] for line in catalogue("uk").read_text(encoding="utf-8").splitlines()
                  if line.startswith("#:") for ref in line[2:].split()}
    for place in ("templates/registry/", "templates/accounts/", "linkage/templates/", "ledger/templates/",
                  "registry/", "accounts/", "linkage/", "ledger/"):
        assert any(ref.startswith(place) for ref in references), f"no message from {place}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_same_messages_in_every_language(lang):
    assert {e.key for e in messages(lang)} == {e.key for e in messages("uk")}


def test_ukrainian_is_complete_and_reviewed():
    problems = []
    for e in messages("uk"):
        if e.fuzzy:
            problems.append(where("uk", e) + " is fuzzy")
        if not all(t.strip() for t in e.translations):
            problems.append(where("uk", e) + " is untranslated")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_every_message_has_a_translation(lang):
    missing = [where(lang, e) for e in messages(lang) if not all(t.strip() for t in e.translations)]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_entries_have_every_form(lang):
    wrong = [where(lang, e) for e in messages(lang)
             if e.msgid_plural is not None and sorted(e.msgstr_plural) != list(range(NPLURALS[lang]))]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_and_markup_survive_translation(lang):
    problems = [f"{where(lang, e)}: {p}" for e in messages(lang) for p in check_placeholders(e)]
    assert not problems, "\n".join(problems)


def test_placeholder_check_catches_mistakes():
    good = Entry(msgid="Case #%(id)s closed.", msgstr="Справу №%(id)s закрито.", flags={"python-format"})
    renamed = Entry(msgid="Case #%(id)s closed.", msgstr="Справу №%(ид)s закрито.", flags={"python-format"})
    dropped = Entry(msgid="Now in <strong>%(p)s</strong>.", msgstr="Зараз у %(p)s.", flags={"python-format"})
    brace = Entry(msgid="by {source}", msgstr="від {джерело}", flags={"python-brace-format"})
    assert check_placeholders(good) == []
    assert check_placeholders(renamed) and check_placeholders(dropped) and check_placeholders(brace)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_its_source(lang):
    """The committed .mo holds exactly the non-fuzzy translations of the committed .po."""
    expected: dict[object, str] = {}
    for e in messages(lang):
        if e.fuzzy or not all(e.translations):
            continue
        if e.msgid_plural is None:
            expected[e.key] = e.msgstr
        else:
            for i, text in e.msgstr_plural.items():
                expected[(e.key, i)] = text
    mo = catalogue(lang).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    actual = {k: v for k, v in compiled._catalog.items() if k != "" and not (isinstance(k, tuple) and k[0] == "")}
    stale = sorted(str(k) for k in expected.keys() - actual.keys())
    extra = sorted(str(k) for k in actual.keys() - expected.keys())
    changed = sorted(str(k) for k in expected.keys() & actual.keys() if expected[k] != actual[k])
    assert not (stale or extra or changed), (
        f"{mo.name} for {lang} is out of date; run compilemessages. Missing: {stale[:5]}, extra: {extra[:5]}, "
        f"changed: {changed[:5]}")
    assert compiled.info().get("language") == lang


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools not installed")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_msgfmt_check_passes(lang, tmp_path):
    result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(catalogue(lang))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- the catalogues in use ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "text", "n", "expected"), [
    ("uk", "%(n)s child", 1, "1 дитина"), ("uk", "%(n)s child", 3, "3 дитини"), ("uk", "%(n)s child", 11, "11 дітей"),
    ("ru", "%(n)s child", 22, "22 ребёнка"), ("ru", "%(n)s child", 25, "25 детей"),
    ("ar", "%(n)s child", 2, "2 طفلان"), ("ar", "%(n)s child", 5, "5 أطفال"),
])
def test_django_uses_the_project_plural_rules(lang, text, n, expected):
    from django.utils import translation

    with translation.override(lang):
        assert translation.ngettext(text, "%(n)s children", n) % {"n": n} == expected


def test_django_translates_python_strings():
    from django.utils import translation

    from homeward.registry.workflow import CaseStatus

    with translation.override("uk"):
        assert str(CaseStatus.REUNITED.label) == "Возз'єднано"
        assert translation.gettext("Tracing request") == "Запит на розшук"
    with translation.override("ru"):
        assert translation.gettext("Case") == "Дело"


def login_with_language(client, users, lang):
    user = users["ua"]
    assert client.login(username=user.username, password="pw-" + user.username)
    resp = client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    assert resp.status_code == 302
    return client.get("/")


@pytest.mark.django_db
def test_dashboard_in_ukrainian(client, users):
    resp = login_with_language(client, users, "uk")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert '<html lang="uk" dir="ltr">' in body
    assert "Діти" in body and ">Children<" not in body
    assert "Запити на розшук" in body


@pytest.mark.django_db
def test_dashboard_in_russian(client, users):
    body = login_with_language(client, users, "ru").content.decode()
    assert '<html lang="ru" dir="ltr">' in body
    assert "Дети" in body and "Запросы на розыск" in body


@pytest.mark.django_db
def test_dashboard_in_arabic_is_right_to_left(client, users):
    body = login_with_language(client, users, "ar").content.decode()
    assert 'dir="rtl"' in body and '<html lang="ar"' in body
    assert "الأطفال" in body


@pytest.mark.django_db
def test_dashboard_in_english_by_default(client, users):
    user = users["ua"]
    assert client.login(username=user.username, password="pw-" + user.username)
    body = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in body and "Children" in body


# --- stored codes are shown through translated labels ------------------------------------------------------

@pytest.fixture(autouse=True)
def _back_to_english():
    """A page request in another language leaves that language active in the thread: reset it."""
    yield
    from django.utils import translation

    translation.activate("en")


SRC = Path(__file__).resolve().parents[1] / "src" / "homeward"
# Models that are plumbing, never named on a page (tokens, throttling, caches, the ledger's own rows).
INTERNAL_MODELS = {"apitoken", "loginfailure", "pendingupload", "ledgerhead", "ledgerentry", "checkpoint",
                   "cosignature", "witnessstate", "auditevent", "caseevent", "tracingevent", "namevariant",
                   "closurereason", "party", "entryopening", "treenode", "periodicrun", "workerheartbeat",
                   "nameref", "nameposting", "namevalue", "namevaluekey"}  # the search index: never audited or shown


def _literals(pattern: str) -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        found.update(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def stored_codes() -> dict[str, set[str]]:
    """Every code the program can store in a field that pages show: read from the source, so a new code
    without a label fails here."""
    from django.apps import apps

    from homeward.ledger.entry import KINDS

    actions = _literals(r'audit\.record\(\s*[^,()]+(?:\([^()]*\))?[^,()]*,\s*"([a-z_]+)"') | _literals(
        r'_audit\(\s*[^,]+,\s*"([a-z_]+)"')
    kinds = set(KINDS) | _literals(r'kind="([a-z_]+)"[^\n]*actor=') | _literals(r'Record\(\s*"([a-z_]+)"') \
        | _literals(r'ledger\.record\(\s*"([a-z_]+)"')
    object_types = {m._meta.model_name for m in apps.get_models() if m.__module__.startswith("homeward.")} \
        - INTERNAL_MODELS | _literals(r'object_type="([a-z_.]+)"') \
        | _literals(r'_ledger\([A-Z_]+, [^,]+, [^,]+, "([a-z_.]+)"') \
        | _literals(r'service\.Record\("[a-z_]+", [^,]+, [^,]+, "([a-z_.]+)"')
    vias = _literals(r'via="([a-z_]+)"')
    return {"audit_action": actions, "ledger_kind": kinds, "object_type": object_types, "via": vias}


def test_the_code_scanner_finds_codes_in_use():
    codes = stored_codes()
    assert {"view", "add_member", "forward", "transition"} <= codes["audit_action"]
    assert {"case_transition", "handover_signoff", "list_response"} <= codes["ledger_kind"]
    assert {"returnoperation", "child", "exchange.forwarding"} <= codes["object_type"]
    assert {"api", "cli", "demo"} <= codes["via"]


@pytest.mark.django_db
def test_every_stored_code_has_a_label():
    from homeward.ui.labels import LABELS

    missing = [f"{domain}: {code}" for domain, codes in stored_codes().items() for code in sorted(codes)
               if code not in LABELS[domain]]
    assert not missing, "codes shown without a label (add them to homeward/ui/labels.py):\n" + "\n".join(missing)


def _catalogue_keys(lang: str) -> dict[str, list[str]]:
    return {e.key: e.translations for e in messages(lang)}


def _key(label: object) -> str:
    """The catalogue key of a lazy (p)gettext label."""
    args = getattr(label, "_args", ())
    func = getattr(getattr(label, "_proxy____func", None), "__name__", "") or ""
    if len(args) == 2 or "pgettext" in func:
        return f"{args[0]}\x04{args[1]}"
    return str(args[0]) if args else str(label)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_label_and_choice_is_translated(lang):
    """Labels of stored codes, and the labels of every model field's choices (statuses, roles, kinds)."""
    from django.apps import apps

    from homeward.ui.labels import LABELS

    labels = [(f"{domain}:{code}", lab) for domain, table in LABELS.items() for code, lab in table.items() if lab]
    for model in apps.get_models():
        if not model.__module__.startswith("homeward."):
            continue
        for f in model._meta.get_fields():
            for value, lab in getattr(f, "choices", None) or []:
                labels.append((f"{model._meta.label}.{f.name}:{value}", lab))
    catalogue = _catalogue_keys(lang)
    untranslated = [f"{where} ({_key(lab)!r})" for where, lab in labels
                    if not all(t.strip() for t in catalogue.get(_key(lab), [""]))]
    assert not untranslated, f"shown in {lang} as English:\n" + "\n".join(sorted(set(untranslated)))


def _visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|datalist|select)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return " ".join(html.split())


@pytest.mark.django_db
def test_audit_trail_and_ledger_show_no_raw_codes(client, users):
    """Every stored audit action, record type, channel and ledger kind, rendered in Ukrainian: none appears
    as its code."""
    from django.db import transaction

    from homeward.accounts.models import AuditEvent
    from homeward.ledger import service

    codes = stored_codes()
    objects = sorted(codes["object_type"])
    vias = sorted(codes["via"])
    for i, action in enumerate(sorted(codes["audit_action"])):
        AuditEvent.objects.create(user=users["mediator"], party_code="QA", action=action,
                                  object_type=objects[i % len(objects)], object_id=str(i), via=vias[i % len(vias)])
    for code in objects:
        AuditEvent.objects.create(user=users["mediator"], party_code="QA", action="view", object_type=code,
                                  object_id="1")
    with transaction.atomic():
        for kind in sorted(codes["ledger_kind"]):
            service.record(kind, actor=users["mediator"], party_code="QA", object_type=objects[0], object_id=1,
                           content={"k": kind})
    client.force_login(users["mediator"])
    client.post("/i18n/setlang/", {"language": "uk", "next": "/"})
    shown = ""
    page_no = 1
    while True:
        resp = client.get(f"/audit/?page={page_no}")
        assert resp.status_code == 200
        shown += _visible_text(resp.content.decode())
        if f"page={page_no + 1}" not in resp.content.decode():
            break
        page_no += 1
    shown += _visible_text(client.get("/ledger/").content.decode())
    words = set(re.findall(r"[a-z][a-z_.]*[a-z]", shown))
    raw = sorted(c for domain in ("audit_action", "ledger_kind", "object_type") for c in codes[domain]
                 if c in words and not ({"api", "cli"} & {c}))
    assert not raw, f"codes shown raw in Ukrainian: {raw}"


@pytest.mark.django_db
def test_the_review_queue_names_each_records_type_in_the_readers_language(client, users):
    from django.utils import translation

    from tests.factories import make_pairs

    make_pairs(users, n=1)
    client.force_login(users["mediator"])
    client.cookies["django_language"] = "uk"
    body = client.get("/linkage/review/").content.decode()
    with translation.override("uk"):
        registered = str(translation.gettext("Registered child"))
    assert registered != "Registered child" and f"{registered} #" in body
    assert "child #" not in body
