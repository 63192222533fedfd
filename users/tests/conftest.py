import pytest

from regions.tests.factories import CommuneFactory, ProvinceFactory

from .factories import PASSWORD, UserFactory


@pytest.fixture
def hung_yen(db):
    return ProvinceFactory(name="Tỉnh Hưng Yên")


@pytest.fixture
def dong_hung(hung_yen):
    """Xã Đông Hưng, Tỉnh Hưng Yên."""
    return CommuneFactory(parent=hung_yen, name="Xã Đông Hưng")


@pytest.fixture
def lan(db):
    """A learner with a phone and an email, whose password is PASSWORD."""
    return UserFactory(
        full_name="Nguyễn Thị Lan", phone="+84912345678", email="lan@example.com"
    )


@pytest.fixture
def password():
    return PASSWORD
