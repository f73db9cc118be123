"""One-time form tokens: the first save stores the token, a second is recognised."""

from __future__ import annotations

import pytest
from django.db import transaction

from planning import idempotency
from planning.models import SubmissionToken
from tests.factories import UserFactory


@pytest.mark.django_db
class TestOneTimeTokens:
    def test_a_token_is_consumed_once(self):
        user = UserFactory()
        token = idempotency.new_token()
        assert not idempotency.already_used(token, user=user)
        with transaction.atomic():
            idempotency.consume(token, user=user)
        assert idempotency.already_used(token, user=user)
        with pytest.raises(idempotency.DuplicateSubmission), transaction.atomic():
            idempotency.consume(token, user=user)
        assert SubmissionToken.objects.count() == 1

    def test_a_rolled_back_save_leaves_the_token_unused(self):
        user = UserFactory()
        token = idempotency.new_token()
        with pytest.raises(RuntimeError), transaction.atomic():
            idempotency.consume(token, user=user)
            raise RuntimeError("the save failed")
        assert not idempotency.already_used(token, user=user)

    def test_no_token_means_no_protection(self):
        user = UserFactory()
        with transaction.atomic():
            idempotency.consume("", user=user)
            idempotency.consume("", user=user)
        assert not idempotency.already_used("", user=user)
        assert not SubmissionToken.objects.exists()

    def test_another_users_token_is_not_theirs(self):
        token = idempotency.new_token()
        with transaction.atomic():
            idempotency.consume(token, user=UserFactory())
        assert not idempotency.already_used(token, user=UserFactory())

    def test_tokens_are_unguessable_and_fit_the_field(self):
        tokens = {idempotency.new_token() for _ in range(100)}
        assert len(tokens) == 100 and all(16 < len(t) <= 64 for t in tokens)
