"""Settings for the test suite: a throwaway data directory and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("HOMEWARD_HOME", tempfile.mkdtemp(prefix="homeward-test-"))
os.environ["HOMEWARD_TESTING"] = "1"

from homeward.settings import *  # noqa: E402,F403
