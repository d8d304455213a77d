import pytest

from tests.keys.factories import keyring_file


@pytest.fixture
def ring_file(app, tmp_path):
    """The app reads its keyring from a 0600 file that key operations rewrite."""
    with keyring_file(app, tmp_path / "keyring.json") as path:
        yield path
