"""The sign-in form: Django's, with the project's input checks (planning.validation)."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm

from planning.validation import CheckedInputs, max_length_validator


class SignInForm(CheckedInputs, AuthenticationForm):
    """Django's AuthenticationForm sets the username's max_length after the field is built, so
    the length is never checked: a long name went on to authenticate(), and django-axes wrote it
    to its failed-attempt log (a 255-character column), a server error on PostgreSQL. The length
    is checked here, and no name longer than any account's is looked up."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(max_length_validator(username.max_length))
