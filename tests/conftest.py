"""Shared fixtures: role fixtures, the loaded demo, and Chromium for browser tests."""

from __future__ import annotations

import os
import shutil
import uuid

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, PlanFactory, UserFactory

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


# The slowest file first: run in parallel (make test), each file goes whole to one process in
# the order collected, and this one (about 9 minutes of a 28-minute CI run) would otherwise start
# late and leave the other processes idle at the end.
FIRST = ("tests/browser/test_every_page_layout.py",)


def pytest_collection_modifyitems(config, items):
    """The slowest file first (FIRST). Browser tests need Debian's chromium. CI sets
    WAYMARK_REQUIRE_BROWSER=1 so a missing browser fails loudly there instead of skipping."""
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in FIRST)  # stable: else as found
    if shutil.which(CHROMIUM) or os.environ.get("WAYMARK_REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: with REDIS_URL set (CI) the cache outlives the
    test process, and ids repeat between test databases."""
    from django.core.cache import caches

    from kpis import analysis

    for cache in caches.all():
        cache.clear()
    analysis.forget_local()  # the SPC readings this process keeps (kpis.analysis)
    yield


@pytest.fixture(autouse=True)
def _own_bucket_prefix(request):
    """With the S3 settings set (a real bucket: MinIO, AWS), each test's files go under a prefix
    of its own, removed afterwards: what another run left in the bucket must not pass for what
    this test rendered. Without them, files go to MEDIA_ROOT as before."""
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        yield
        return
    settings = request.getfixturevalue("settings")
    prefix = f"waymark-test-{uuid.uuid4().hex}"
    in_bucket = {
        alias: {**config, "OPTIONS": {**config.get("OPTIONS", {}), "location": prefix}}
        for alias, config in settings.STORAGES.items()
        if config["BACKEND"] == "storages.backends.s3.S3Storage"
    }
    settings.STORAGES = {**settings.STORAGES, **in_bucket}
    yield
    from django.core.files.storage import storages

    for alias in in_bucket:
        storages[alias].bucket.objects.filter(Prefix=f"{prefix}/").delete()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory()


@pytest.fixture
def plan(organisation):
    return PlanFactory(organisation=organisation)


def _member(organisation, role):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def viewer(organisation):
    return _member(organisation, "viewer")


@pytest.fixture
def contributor(organisation):
    return _member(organisation, "contributor")


@pytest.fixture
def planner(organisation):
    return _member(organisation, "planner")


@pytest.fixture
def org_admin(organisation):
    return _member(organisation, "admin")


@pytest.fixture
def outsider(other_organisation):
    """A planner of another organisation: must see nothing of `organisation`."""
    return _member(other_organisation, "planner")


@pytest.fixture
def demo(db):
    """Both demo plans, loaded as `make run` loads them."""
    from demo.loader import load_demo

    load_demo()
