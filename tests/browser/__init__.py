import pytest

# Show the values in the shared page checks' assertions, as in the tests themselves.
pytest.register_assert_rewrite("tests.browser.checks")
