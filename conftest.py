"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """With a real replica (DATABASE_REPLICA_URL, as scripts/ci-replica.sh
    starts), its connection reads the test database there, which the replica
    received from the primary; otherwise the replica is a test mirror of the
    test database (lms/settings/test.py)."""
    import environ
    from django.conf import settings
    from django.db import connections

    url = settings.DATABASE_REPLICA_URL
    if url:
        replica = connections["replica"]
        replica.close()
        replica.settings_dict = {
            **replica.settings_dict,
            **{
                key: value
                for key, value in environ.Env.db_url_config(url).items()
                if key in ("HOST", "PORT", "USER", "PASSWORD")
            },
            "NAME": connections["default"].settings_dict["NAME"],
        }
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded and rendered files of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start and end every test with an empty cache.

    Cached pages and Sites are purged by signals, but a test's rolled-back
    transaction sends none, so a later test could see rows that no longer exist.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _commit_hooks_as_in_production():
    """Run ``transaction.on_commit`` callbacks where production runs them.

    A test runs inside its test case's transaction, which never commits, so
    Django would never call them, and what is done after a write commits (the
    reports' counts) would go untested. Here, a block of the test case's own
    counts as no transaction: a callback runs at once outside the code's own
    atomic blocks, and when the code's outermost block ends without an error,
    as after its commit. A block rolled back drops its callbacks, as Django
    does."""
    from django.db import transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    def only_test_blocks(connection) -> bool:
        return all(block._from_testcase for block in connection.atomic_blocks)

    def call(func, robust):
        if not robust:
            return func()
        try:
            func()
        except Exception:  # as Django's robust callbacks: logged, not raised
            import logging

            logging.getLogger("django.db.backends.base").exception(
                "Error calling %s in on_commit()", func.__qualname__
            )

    on_commit, atomic_exit = BaseDatabaseWrapper.on_commit, transaction.Atomic.__exit__

    def test_on_commit(self, func, robust=False):
        if self.in_atomic_block and only_test_blocks(self):
            return call(func, robust)
        return on_commit(self, func, robust)

    def test_atomic_exit(self, exc_type, exc_value, traceback):
        result = atomic_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if (
            exc_type is None
            and not self._from_testcase
            and connection.in_atomic_block
            and only_test_blocks(connection)
            and not connection.needs_rollback
        ):
            callbacks, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, func, robust in callbacks:
                call(func, robust)
        return result

    BaseDatabaseWrapper.on_commit = test_on_commit
    transaction.Atomic.__exit__ = test_atomic_exit
    yield
    BaseDatabaseWrapper.on_commit = on_commit
    transaction.Atomic.__exit__ = atomic_exit


@pytest.fixture(autouse=True, scope="session")
def _credential_signing_key(tmp_path_factory):
    """Sign Open Badges credentials with a key made for this test run, outside
    the repository, as ``manage.py credential_key_generate`` makes one."""
    from django.conf import settings

    from certificates.signing import key_cache_clear, key_generate

    path = tmp_path_factory.mktemp("credential-key") / "credential-ed25519.pem"
    key_generate(path=path)
    previous = settings.CREDENTIAL_SIGNING_KEY_FILE
    settings.CREDENTIAL_SIGNING_KEY_FILE = str(path)
    yield path
    settings.CREDENTIAL_SIGNING_KEY_FILE = previous
    key_cache_clear()
