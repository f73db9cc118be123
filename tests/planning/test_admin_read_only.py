"""Records written only by their services (or the database) are read-only in the admin, even to
a superuser (planning.admin.ReadOnlyAdmin); bookkeeping that is safe to clear may be deleted."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from kpis.models import KPITarget
from planning.admin import ReadOnlyAdmin
from planning.models import ContentVersion, PlanVersion, QuarterReopening, SubmissionToken
from tests.factories import UserFactory

READ_ONLY = {
    SubmissionToken: True,  # deletable
    QuarterReopening: True,
    ContentVersion: False,
    PlanVersion: False,
    KPITarget: False,
}


@pytest.fixture
def superuser_request(db):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    return request


@pytest.mark.parametrize(("model", "deletable"), READ_ONLY.items(), ids=lambda v: str(v))
def test_no_one_adds_or_changes_them(superuser_request, model, deletable):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ReadOnlyAdmin)
    assert not model_admin.has_add_permission(superuser_request)
    assert not model_admin.has_change_permission(superuser_request)
    assert model_admin.has_delete_permission(superuser_request) is deletable


def test_the_change_list_still_opens(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/kpis/kpitarget/").status_code == 200
    assert client.get("/admin/kpis/kpitarget/add/").status_code == 403
