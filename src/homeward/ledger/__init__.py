"""The verifiable ledger: an RFC 6962 Merkle log with signed, cosigned checkpoints.

Modules (pure ones need neither Django nor a database)::

    merkle    pure   RFC 6962/9162 hashing, proofs, verification (ProofError)
    note      pure   C2SP signed notes, checkpoints, cosignatures, Ed25519 keys
    entry     pure   the canonical entry encoding, commitments, signed statements
    witness   pure   a party's cosigning step with compare-and-swap state
    bundle    pure   offline inclusion bundles
    remote    pure   the witness over the platform's API
    errors    pure   the exception hierarchy
    models, storage  append-only tables, single-writer append, O(log n) proofs
    service          what other apps call: record, record_many, reveal, checkpoints, keys, cosigning
    verify           full (and quick) verification of the stored ledger
    views, payloads, api, urls   pages and JSON endpoints;  demo   the demo step

See docs/ledger.md.
"""
