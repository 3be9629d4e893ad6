"""A party's witness talking to the platform over its API. Pure: urllib, no Django.

This is how a party cosigns from its own machine, with its own key and state file::

    homeward ledger cosign --url https://homeward.example --token hw_… --party UA \\
        --key ua.key --log-key "homeward.example/ledger+1a2b3c4d+AQ…"

It reads ``/api/v1/ledger/checkpoint``, ``/proof/consistency`` and ``/entries``, runs
``witness.cosign`` locally and posts the cosignature line to ``/api/v1/ledger/cosignatures``.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from homeward.ledger import witness
from homeward.ledger.errors import LedgerError
from homeward.ledger.note import Signer, Verifier, parse_checkpoint, parse_note

PAGE = 1000


class RemoteError(LedgerError):
    """The platform's API could not be reached or answered with an error."""


class Client:
    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise RemoteError("the platform URL must start with https:// (or http:// for a local test)")
        self.base = base_url.rstrip("/") + "/api/v1/ledger"
        self.token = token
        self.timeout = timeout

    def _request(self, path: str, params: dict[str, Any] | None = None, body: Any = None) -> Any:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")  # noqa: S310
        req.add_header("Authorization", f"Bearer {self.token}")
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - scheme checked above
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            detail = ""
            try:
                detail = json.loads(exc.read()).get("detail", "")
            except ValueError:
                pass
            raise RemoteError(f"{path}: HTTP {exc.code} {detail}".strip()) from None
        except (urllib.error.URLError, TimeoutError) as exc:
            raise RemoteError(f"{path}: {exc}") from None

    def get(self, path: str, **params: Any) -> Any:
        return self._request(path, params)

    def post(self, path: str, body: Any) -> Any:
        return self._request(path, body=body)

    def entries(self, start: int, end: int) -> list[bytes]:
        out: list[bytes] = []
        while start < end:
            page = self.get("/entries", start=start, end=min(end, start + PAGE))["entries"]
            if not page:
                break
            out += [str(e["entry"]).encode("utf-8") for e in page]
            start += len(page)
        return out


def cosign(
    client: Client,
    *,
    signer: Signer,
    party_code: str,
    log_key: str,
    store: witness.StateStore,
    full_audit: bool = True,
) -> dict[str, Any]:
    """Fetch the latest checkpoint, check it with the party's witness, post the cosignature."""
    cp = client.get("/checkpoint")
    note = parse_note(cp["checkpoint"])
    checkpoint = parse_checkpoint(note.text)
    log_verifier = Verifier.from_vkey(log_key)
    # Only the log's own signature line goes to the witness (cosignatures are not its business).
    log_only = note.text + "\n" + "".join(s.line() for s in note.signatures if s.name == log_verifier.name)
    state = store.load()
    old = state.size if state is not None else 0
    proof: list[bytes] = []
    if 0 < old < checkpoint.size:
        answer = client.get("/proof/consistency", old=old, new=checkpoint.size)
        proof = [base64.b64decode(h) for h in answer["proof"]]
    new_entries = client.entries(old, checkpoint.size) if old <= checkpoint.size else []
    every = (new_entries if old == 0 else client.entries(0, checkpoint.size)) if full_audit else None
    sig = witness.cosign(
        signer=signer,
        log_verifier=log_verifier,
        origin=log_verifier.name,  # the log's key name is its origin: pinned by the party, not the server
        signed_checkpoint=log_only,
        consistency_proof=proof,
        new_entries=new_entries,
        store=store,
        timestamp=int(time.time()),
        all_entries=every,
    )
    result: dict[str, Any] = client.post(
        "/cosignatures", {"party": party_code, "size": checkpoint.size, "line": sig.line()}
    )
    return result
