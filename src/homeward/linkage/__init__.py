"""Record linkage: matching lists, tracing requests and the registry across scripts, with review."""
