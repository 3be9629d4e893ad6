"""List exchange between parties: import, validation, versions, responses and reconciliation."""
