"""The settings the test suite runs with: the project's own, in development mode.

DEBUG defaults to off in khuyenhoc.settings; the tests need the development defaults (a
generated key, no HTTPS redirect) without anyone setting a variable.
"""

import os

os.environ.setdefault("DEBUG", "true")

from khuyenhoc.settings import *  # noqa: F403
