"""Shared fixtures: role fixtures, the loaded demo, and Chromium for browser tests."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, PlanFactory, UserFactory

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium. CI sets WAYMARK_REQUIRE_BROWSER=1 so a missing
    browser fails loudly there instead of skipping."""
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
    from django.core.cache import cache

    cache.clear()
    yield


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
