"""The ledger's periodic job: sign a checkpoint when the last is older than the interval and the log grew."""

from __future__ import annotations

from homeward import jobs
from homeward.ledger import service


@jobs.job()
def sign_checkpoint() -> int:
    """Sign a checkpoint if due (``LEDGER_CHECKPOINT_INTERVAL``); returns the size of the latest checkpoint."""
    return service.checkpoint_if_due().size
