"""Settings for the test suite: a throwaway data directory and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("HOMEWARD_HOME", tempfile.mkdtemp(prefix="homeward-test-"))
os.environ["HOMEWARD_TESTING"] = "1"

from homeward.settings import *  # noqa: E402,F403

# Jobs run inline in tests: a background thread would outlive its test and write into the next one.
BACKGROUND_JOBS = False
EXCHANGE_MATCH_IN_BACKGROUND = False
# Continuous matching would add pairs to the review queue behind other tests' backs; its tests turn it on.
CONTINUOUS_MATCHING = False
# ... and would keep one test's model and registry size for the next (30 s per worker in production)
CONTINUOUS_MATCHING_CACHE_SECONDS = 0

# No role must use two-factor sign-in in the suite, so that tests signing in with a password or force_login
# stay as they are; tests/test_2fa.py turns it on (``settings.TWO_FACTOR_ROLES``) and checks production's value.
TWO_FACTOR_ROLES = frozenset()
