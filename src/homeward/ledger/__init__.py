"""The verifiable ledger: an RFC 6962 Merkle log with signed, cosigned checkpoints."""
