"""Children, relatives, tracing requests and cases, with the case workflow."""
