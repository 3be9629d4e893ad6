"""The server killed (SIGKILL) in the middle of a write: after a restart nothing is half-written, every write it
acknowledged before is there, and the ledger verifies. A real ``homeward serve`` process on loopback, killed at
the named fault points of ``homeward.faults`` (inside the write's transaction); on SQLite, and on PostgreSQL in
the PostgreSQL leg (``HOMEWARD_DATABASE_URL``)."""

from __future__ import annotations

import hmac
import json
import signal
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest

from tests._live import Live, free_port, live_installation_fixture, live_template_fixture  # noqa: F401

KEY = "3132333435363738393031323334353637383930"  # the TOTP secret of the seeded users' authenticators

SEED = """
from django_otp.plugins.otp_totp.models import TOTPDevice
from homeward.accounts.models import Party, User

def user(name, party, role):
    u = User(username=name, party=party, role=role)
    u.set_password("pw-" + name)
    u.save()
    TOTPDevice.objects.create(user=u, name="app", key="KEY", confirmed=True)  # officers and mediators must use one

ua = Party.objects.create(code="UA", name="Ukraine", kind="authority")
ru = Party.objects.create(code="RU", name="Russia", kind="authority")
qa = Party.objects.create(code="QA", name="Qatar", kind="mediator")
user("ua-officer", ua, "party_officer")
user("mediator", qa, "mediator_admin")
""".replace("KEY", KEY)

COUNTS = """
from homeward.exchange.models import ListEntry, ListVersion, PartyList
from homeward.ledger.models import LedgerEntry
from homeward.registry.models import Case, CaseEvent, Child, NamePosting
result = {"lists": PartyList.objects.count(), "versions": ListVersion.objects.count(),
          "entries": ListEntry.objects.count(), "list_keys": NamePosting.objects.count(),
          "children": sorted(Child.objects.values_list("pk", flat=True)),
          "cases": {str(c.pk): [c.status, c.version] for c in Case.objects.all()},
          "events": CaseEvent.objects.count(), "ledger": LedgerEntry.objects.count(),
          "ledger_kinds": sorted(set(LedgerEntry.objects.values_list("object_type", flat=True)))}
if VERIFY:  # what `homeward ledger verify` runs: every leaf, root, checkpoint signature and consistency proof
    from homeward.ledger.verify import verify_ledger
    result["verified"] = verify_ledger().size
"""

UA_CSV = ("Прізвище;Ім'я;По батькові;Дата народження;Стать;Місце народження\r\n"
          "Коваленко;Дарина;Олександрівна;12.04.2013;ж;Херсон\r\n"
          "Бондаренко;Максим;Сергійович;03.09.2011;ч;Маріуполь\r\n").encode("cp1251")


def totp(key_hex: str) -> str:
    """The current code of an authenticator app (RFC 6238: HMAC-SHA1, 30 s, 6 digits)."""
    mac = hmac.new(bytes.fromhex(key_hex), (int(time.time()) // 30).to_bytes(8, "big"), "sha1").digest()
    at = mac[-1] & 0x0F
    return f"{(int.from_bytes(mac[at:at + 4], 'big') & 0x7FFFFFFF) % 10**6:06d}"


class Client:
    """A bearer-token API client for one user of a live server (loopback only). A user's token is obtained once
    per test: it outlives a server restart, and the authenticator refuses a code used already."""

    def __init__(self, port: int, username: str) -> None:
        self.base = f"http://127.0.0.1:{port}/api/v1"
        status, body = self.call("POST", "/auth/token", {"username": username, "password": "pw-" + username,
                                                         "otp": totp(KEY)}, token=False)
        assert status == 200, body
        self.token = body["token"]

    def call(self, method: str, path: str, payload: Any = None, *, token: bool = True,
             files: dict[str, tuple[str, bytes]] | None = None, form: dict[str, str] | None = None,
             ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if token else {}
        data = None
        if files is not None:
            boundary = uuid.uuid4().hex
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                     for k, v in (form or {}).items()]
            for name, (filename, content) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
                             f'\r\nContent-Type: text/csv\r\n\r\n'.encode() + content + b"\r\n")
            data = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif payload is not None:
            data = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - loopback only
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")


def _counts(live: Live, *, verify: bool = False) -> dict[str, Any]:
    """What is stored; with ``verify``, the ledger is verified too (a failure raises in the script)."""
    found = dict(live.py(COUNTS.replace("VERIFY", str(verify))))
    if verify:
        assert found.pop("verified") == found["ledger"]
    return found


def _killed_during(send: Any) -> None:
    """``send()`` reaches the fault point; the server dies with SIGKILL and the client gets no answer."""
    with pytest.raises((ConnectionError, urllib.error.URLError, OSError)):
        send()


def _new_child(api: Client, surname: str) -> int:
    status, child = api.call("POST", "/children", {"given_name": "Марія", "surname": surname, "sex": "F",
                                                   "birth_date": "2014-05-06"})
    assert status == 201, child
    return int(child["id"])


@pytest.mark.slow
def test_a_server_killed_in_the_middle_of_a_list_import_keeps_no_part_of_it_and_loses_nothing_acknowledged(
        live: Live) -> None:
    live.py(SEED)
    port = free_port()
    server = live.serve(port, "--no-worker", HOMEWARD_FAULT="exchange.import.after_entries")
    officer = Client(port, "ua-officer")
    acknowledged = [_new_child(officer, "Шевченко"), _new_child(officer, "Мельник")]
    before = _counts(live)

    _killed_during(lambda: officer.call("POST", "/lists/import", files={"file": ("sought.csv", UA_CSV)},
                                              form={"title": "Sought in RU", "concerning": "RU"}))
    assert server.wait(timeout=20) == -signal.SIGKILL  # killed inside the import's transaction

    after = _counts(live, verify=True)
    assert (after["lists"], after["versions"], after["entries"], after["list_keys"]) == (0, 0, 0, 0)
    assert after == before  # nothing of the import, and everything acknowledged before it
    assert set(acknowledged) <= set(after["children"])

    live.serve(port, "--no-worker")  # restarted without the fault: the same import goes through whole
    status, version = officer.call(
        "POST", "/lists/import", files={"file": ("sought.csv", UA_CSV)}, form={"title": "Sought in RU",
                                                                             "concerning": "RU"})
    assert status == 201, version
    done = _counts(live, verify=True)
    assert (done["lists"], done["versions"], done["entries"]) == (1, 1, 2) and done["list_keys"] > 0


@pytest.mark.slow
def test_a_server_killed_in_the_middle_of_a_case_transition_leaves_the_case_as_it_was(live: Live) -> None:
    live.py(SEED)
    port = free_port()
    server = live.serve(port, "--no-worker", HOMEWARD_FAULT="registry.transition.before_commit")
    officer, mediator = Client(port, "ua-officer"), Client(port, "mediator")
    child = _new_child(officer, "Ткаченко")
    status, case = officer.call("POST", "/cases", {"child_id": child})
    assert status == 201, case
    before = _counts(live)
    assert before["cases"][str(case["id"])] == [case["status"], case["version"]]

    _killed_during(lambda: mediator.call("POST", f"/cases/{case['id']}/transitions",
                                               {"to": "located", "version": case["version"]}))
    assert server.wait(timeout=20) == -signal.SIGKILL

    after = _counts(live, verify=True)
    assert after == before  # same status and version, no event, no ledger entry, the child and its case kept

    live.serve(port, "--no-worker")
    status, moved = mediator.call("POST", f"/cases/{case['id']}/transitions",
                                                  {"to": "located", "version": case["version"]})
    assert status == 200, moved
    done = _counts(live, verify=True)
    assert done["cases"][str(case["id"])] == ["located", case["version"] + 1]
    assert (done["events"], done["ledger"]) == (before["events"] + 1, before["ledger"] + 1)
