"""Ledger and key commands: ``homeward ledger …`` and ``homeward keys …``.

``ledger verify-bundle`` and ``keys generate`` work without a database or Django settings; every
other command sets Django up on first use.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import IO

import click


def _setup() -> None:
    from homeward.cli._django import setup

    setup()


def _fail(message: str) -> None:
    click.echo(f"FAIL: {message}", err=True)
    sys.exit(1)


@click.group()
def ledger() -> None:
    """The verifiable ledger: an RFC 6962 Merkle log with signed, cosigned checkpoints.

    \b
    Examples:
      homeward ledger checkpoint                 # sign a checkpoint now if the log grew
      homeward ledger verify                     # recompute and check everything
      homeward ledger prove 41 > entry41.json    # offline inclusion bundle
      homeward ledger verify-bundle entry41.json --log-key "$(cat log.vkey)"
    """


@ledger.command("checkpoint")
@click.option("--every", type=int, default=None, metavar="SECONDS", help="Keep running; sign every SECONDS.")
@click.option("--force", is_flag=True, help="Sign even if the log did not grow.")
def ledger_checkpoint(every: int | None, force: bool) -> None:
    """Sign a checkpoint of the log with the mediator's log key and print it.

    Without --every, signs once (only if the log grew since the last checkpoint, unless --force).
    With --every, runs until stopped and signs at a fixed interval, so that parties' witnesses
    see few, stable checkpoints.

    \b
    Examples:
      homeward ledger checkpoint
      homeward ledger checkpoint --every 300     # run as a service
    """
    _setup()
    from homeward.ledger import service

    if every is None:
        cp = service.make_checkpoint(force=force)
        click.echo(service.checkpoint_note(cp), nl=False)
        return
    if every < 1:
        raise click.BadParameter("must be at least 1", param_hint="--every")
    last_id = None
    while True:  # pragma: no cover - a service loop
        cp = service.checkpoint_if_due(every)
        if cp.pk != last_id:
            click.echo(f"checkpoint size {cp.size} at {cp.created_at:%Y-%m-%dT%H:%M:%SZ}", err=True)
            last_id = cp.pk
        time.sleep(min(every, 60))


@ledger.command("verify")
@click.option("--log-key", "log_keys", multiple=True, metavar="VKEY", help="Trust this log key (repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
def ledger_verify(log_keys: tuple[str, ...], quiet: bool) -> None:
    """Recompute every root from the stored entries and check every checkpoint and cosignature.

    Checks leaf hashes, roots at every checkpoint, log signatures, consistency between consecutive
    checkpoints, cosignatures and party keys.  Exits 1 naming the first bad entry or checkpoint.

    \b
    Examples:
      homeward ledger verify
      homeward ledger verify --log-key "homeward.local/ledger+1a2b3c4d+AQ..."
    """
    _setup()
    from homeward.ledger.errors import LedgerError
    from homeward.ledger.note import Verifier
    from homeward.ledger.verify import verify_ledger

    verifiers = [Verifier.from_vkey(k) for k in log_keys] or None
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=0, desc="entries", unit="entry", file=sys.stderr, leave=False)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    try:
        report = verify_ledger(log_verifiers=verifiers, progress=progress)
    except LedgerError as exc:
        if bar is not None:
            bar.close()
        _fail(str(exc))
        return
    if bar is not None:
        bar.close()
    if not quiet:
        click.echo(
            f"OK: {report.size} entries, root {report.root.hex()}, {report.checkpoints} checkpoints, "
            f"{report.cosignatures} cosignatures, {report.keys} party keys"
        )


@ledger.command("prove")
@click.argument("index", type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option(
    "--reveal", is_flag=True, help="Also include the content and salt behind the commitment (may be personal data)."
)
@click.option("--sealed", is_flag=True, help="Leave the entry's metadata (kind, party, object) closed.")
def ledger_prove(index: int, out: Path | None, reveal: bool, sealed: bool) -> None:
    """Print an inclusion bundle for entry INDEX: entry bytes, proof, cosigned checkpoint, keys.

    The bundle verifies offline with `homeward ledger verify-bundle`.  It opens the entry's
    metadata (kind, party, object, time): give it only to whoever may know them, or pass --sealed
    for a bare proof.  With --reveal it also opens the content commitment for a party you have
    authorised to see the content; hand such a bundle over like the personal data it may contain
    (--out writes it owner-only).

    \b
    Examples:
      homeward ledger prove 41 > entry41.json
      homeward ledger prove 41 --sealed > entry41-sealed.json
      homeward ledger prove 41 --reveal --out entry41-opened.json
    """
    if sealed and reveal:
        raise click.UsageError("--reveal opens the entry; it cannot go with --sealed")
    _setup()
    from homeward.ledger import service
    from homeward.ledger.errors import LedgerError

    try:
        made = service.proof_bundle(index, reveal_content=reveal, open_metadata=not sealed)
        data = json.dumps(made, indent=2, ensure_ascii=False) + "\n"
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from None
    if out:
        import os

        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(data)
    else:
        click.echo(data, nl=False)


@ledger.command("verify-bundle")
@click.argument("file", type=click.File("r"))
@click.option("--log-key", "log_keys", multiple=True, metavar="VKEY", help="Trusted log key (repeatable).")
@click.option("--cosigner-key", "cosigner_keys", multiple=True, metavar="VKEY", help="Trusted party key.")
@click.option("--require-cosigners", type=int, default=0, show_default=True, help="Minimum distinct cosigners.")
def ledger_verify_bundle(
    file: IO[str], log_keys: tuple[str, ...], cosigner_keys: tuple[str, ...], require_cosigners: int
) -> None:
    """Verify an inclusion bundle offline: no database, no Django, only the bundle and keys.

    Give the log key and the parties' keys you trust; without them the keys inside the bundle are
    used and the result says so.  Exits 1 if anything fails.

    \b
    Examples:
      homeward ledger verify-bundle entry41.json --log-key "$(cat log.vkey)" \\
          --cosigner-key "$(cat ua.vkey)" --cosigner-key "$(cat ru.vkey)" --require-cosigners 2
      homeward ledger verify-bundle - < entry41.json
    """
    from homeward.ledger import bundle
    from homeward.ledger.errors import LedgerError

    try:
        result = bundle.verify_bundle(
            bundle.load(file.read()),
            log_keys=log_keys,
            cosigner_keys=cosigner_keys,
            required_cosigners=require_cosigners,
        )
    except LedgerError as exc:
        _fail(str(exc))
        return
    e = result.entry
    click.echo(f"OK: entry {result.index} is in {result.origin} at tree size {result.tree_size}")
    if e is None:
        click.echo("  sealed: the bundle does not open what the entry is about")
    else:
        click.echo(f"  {e.kind} by party {e.party or '-'} on {e.object_type} {e.object_id} at {e.time}")
        click.echo(f"  content commitment {e.commitment}")
    click.echo(f"  cosigned by: {', '.join(result.cosigners) or 'nobody'}")
    if result.opening_checked:
        click.echo("  the content and salt in the bundle open the commitment")
    if result.log_key_from_bundle:
        click.echo("  WARNING: log key taken from the bundle itself; pass --log-key to check authenticity")
    if result.cosigners and result.cosigner_keys_from_bundle:
        click.echo("  WARNING: cosigner keys taken from the bundle itself; pass --cosigner-key")


@ledger.command("cosign")
@click.option("--party", "party_code", required=True, help="Your party code, e.g. UA.")
@click.option("--key", "key_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--state", "state_file", type=click.Path(dir_okay=False, path_type=Path), help="Witness state file.")
@click.option("--incremental", is_flag=True, help="Check only entries added since the last cosignature.")
@click.option("--url", help="Platform URL: cosign from your own machine over the API (no database).")
@click.option("--token", envvar="HOMEWARD_TOKEN", help="API token for --url (or $HOMEWARD_TOKEN).")
@click.option("--log-key", help="The log's verifier key you trust (required with --url).")
def ledger_cosign(
    party_code: str,
    key_file: Path,
    state_file: Path | None,
    incremental: bool,
    url: str | None,
    token: str | None,
    log_key: str | None,
) -> None:
    """Cosign the latest checkpoint as PARTY, after checking it extends the last one you cosigned.

    Your witness verifies the log signature and the consistency proof from its saved state,
    recomputes the new root from the entries themselves (all of them unless --incremental), then
    saves its new state by compare-and-swap and only then signs.  The state file defaults to
    KEY with the suffix .witness.json.

    \b
    Examples:
      homeward ledger cosign --party UA --key ua.key            # on the platform's machine
      homeward ledger cosign --party UA --key ua.key --incremental --state ua.witness.json
      HOMEWARD_TOKEN=hw_... homeward ledger cosign --party UA --key ua.key \\
          --url https://homeward.example --log-key "$(cat log.vkey)"
    """
    from homeward.ledger import witness
    from homeward.ledger.errors import LedgerError
    from homeward.ledger.note import Signer

    try:
        signer = Signer.from_skey(key_file.read_text())
    except LedgerError as exc:
        raise click.ClickException(f"{key_file}: {exc}") from None
    store = witness.FileStateStore(state_file or key_file.with_suffix(".witness.json"))
    if url:
        from homeward.ledger import remote

        if not token or not log_key:
            raise click.UsageError("--url needs --token (or $HOMEWARD_TOKEN) and --log-key")
        try:
            answer = remote.cosign(
                remote.Client(url, token),
                signer=signer,
                party_code=party_code.upper(),
                log_key=log_key,
                store=store,
                full_audit=not incremental,
            )
        except LedgerError as exc:
            _fail(str(exc))
            return
        click.echo(f"Cosigned checkpoint of size {answer['size']} as {answer['key_name']}.")
        return
    _setup()
    from homeward.ledger import service

    try:
        cos = service.cosign_latest(signer, party_code.upper(), store, full_audit=not incremental)
    except LedgerError as exc:
        _fail(str(exc))
        return
    click.echo(f"Cosigned checkpoint of size {cos.checkpoint.size} as {cos.key_name}.")


@ledger.command("show")
@click.option("--start", type=int, default=0, show_default=True)
@click.option("--limit", type=int, default=20, show_default=True)
def ledger_show(start: int, limit: int) -> None:
    """Print entries: index, kind, party, object, time, then the stored bytes (never content).

    The operator's view: the bytes are sealed commitments; kind, party, object and time come from
    each entry's metadata opening.

    \b
    Example:
      homeward ledger show --start 100 --limit 10
    """
    _setup()
    from homeward.ledger import service

    for e in service.entries(start, start + max(0, min(limit, 10_000))):
        click.echo(f"{e.index}\t{e.kind}\t{e.party_code or '-'}\t{e.object_type} {e.object_id}\t"
                   f"{e.recorded_at:%Y-%m-%dT%H:%M:%S}Z\t{e.text}")


@click.group()
def keys() -> None:
    """Ed25519 keys: the parties' signing and cosigning keys.

    \b
    Examples:
      homeward keys generate --name ua.homeward --out ua.key
      homeward keys register --party UA --key ua.key
      homeward keys list
    """


@keys.command("generate")
@click.option("--name", required=True, help="Key name, e.g. ua.homeward (no spaces or '+').")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Private key file.")
def keys_generate(name: str, out: Path) -> None:
    """Generate an Ed25519 key: private key to --out (mode 0600), verifier key to stdout.

    Keep the private key with your party; register the printed verifier key.

    \b
    Example:
      homeward keys generate --name ua.homeward --out ~/.homeward/ua.key > ua.vkey
    """
    from homeward.ledger.errors import NoteError
    from homeward.ledger.note import Signer

    try:
        signer = Signer.generate(name)
    except NoteError as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from None
    import os

    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise click.ClickException(f"{out} exists; refusing to overwrite a key") from None
    with os.fdopen(fd, "w") as fh:
        fh.write(signer.skey + "\n")
    click.echo(signer.verifier().vkey)


@keys.command("register")
@click.option("--party", "party_code", required=True, help="Party code, e.g. UA.")
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Key file.")
@click.option("--vkey", help="Verifier key (instead of --key; no private key needed).")
@click.option("--rotate", is_flag=True, help="Replace the party's current key (old key stays verifiable).")
@click.option(
    "--endorse-with",
    "old_key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --rotate: the old private key, which signs that the new key is its successor.",
)
def keys_register(
    party_code: str, key_file: Path | None, vkey: str | None, rotate: bool, old_key_file: Path | None
) -> None:
    """Register a party's public key through the ledger (a key_registration or key_rotation entry).

    A rotation endorsed by the old key (--endorse-with) shows that the party itself made it;
    without the old key the rotation is recorded as unendorsed.

    \b
    Examples:
      homeward keys register --party UA --vkey "$(cat ua.vkey)"
      homeward keys register --party UA --key ua-2027.key --rotate --endorse-with ua.key
    """
    _setup()
    from homeward.ledger import service
    from homeward.ledger.errors import LedgerError
    from homeward.ledger.note import Verifier

    if bool(key_file) == bool(vkey):
        raise click.UsageError("give exactly one of --key and --vkey")
    try:
        verifier = service.read_private_key(key_file).verifier() if key_file else Verifier.from_vkey(vkey or "")
        code = party_code.upper()
        if rotate:
            endorsement = None
            if old_key_file:
                endorsement = service.endorse_rotation(service.read_private_key(old_key_file), code, verifier)
            key = service.rotate_key(code, verifier, actor=None, endorsement=endorsement)
        elif old_key_file:
            raise click.UsageError("--endorse-with goes with --rotate")
        else:
            key = service.register_key(code, verifier, actor=None)
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Registered {key.vkey} for {key.party_code} at entry {key.registered_index}.")


@keys.command("list")
@click.option("--party", "party_code", help="Only this party.")
def keys_list(party_code: str | None) -> None:
    """List party keys with the entries that registered and retired them.

    \b
    Example:
      homeward keys list --party UA
    """
    _setup()
    from homeward.ledger import service

    click.echo(f"log\t-\t{service.log_verifier().vkey}")
    for k in service.party_keys(party_code.upper() if party_code else None):
        status = "current" if k.retired_index is None else f"retired at {k.retired_index}"
        if not k.endorsed:
            status += ", NOT endorsed by the previous key"
        click.echo(f"{k.party_code}\tentry {k.registered_index}, {status}\t{k.vkey}")


COMMANDS: list[click.Command] = [ledger, keys]
