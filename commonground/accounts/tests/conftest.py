import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _language_reset_after_each_test():  # type: ignore[no-untyped-def]
    """A request activates its language for the rest of the thread (LocaleMiddleware does not
    undo it): a test that asked for Spanish must not leave the next test in the same worker
    speaking Spanish."""
    yield
    translation.deactivate()
