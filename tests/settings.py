"""The settings the test suite runs with: the project's own, in development mode.

DEBUG defaults to off in khuyenhoc.settings; the tests need the development defaults (a
generated key, no HTTPS redirect) without anyone setting a variable.
"""

import os

os.environ.setdefault("DEBUG", "true")

from khuyenhoc.settings import *  # noqa: F403

# A second alias on the same test database, as a replica would be: the routing tests turn the
# router on and see which connection each query used (tests/khuyenhoc/test_deploy_settings.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
