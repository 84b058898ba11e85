import pytest

from tests.factories import ChairFactory, JurorFactory


@pytest.fixture
def chair(edition):
    """Cecilia, the chair of the test module's `edition`, who reads her mail in Swedish."""
    return ChairFactory(
        edition=edition,
        user__first_name="Cecilia",
        user__last_name="Chair",
        user__language="sv",
    )


@pytest.fixture
def member(edition):
    """A member of the jury of the test module's `edition`, who reads their mail in English."""
    return JurorFactory(edition=edition, user__language="en")
