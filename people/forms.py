"""The people pages' forms. Each carries the project's input checks (planning.validation); the
rules that hold whoever asks are in people.services."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q

from planning import idempotency
from planning.forms import VersionForm
from planning.models import Membership, MembershipRole, OrgUnit, Person, User
from planning.validation import CheckedForm, CheckedInputs

ROLE_ERRORS = {
    "required": "Choose a role",
    "invalid_choice": "Choose a role from the list: %(value)s is not one",
}
UNIT_ERRORS = {
    "invalid_choice": "Choose units of this organisation",
    "invalid_pk_value": "Choose units of this organisation",
}


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Role",
        choices=MembershipRole.choices,
        widget=forms.RadioSelect,
        error_messages=ROLE_ERRORS,
    )


def _units_field(organisation) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label="Units (optional)",
        queryset=OrgUnit.objects.filter(organisation=organisation).order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A contributor updates the items of their units, and those they lead.",
        error_messages=UNIT_ERRORS,
    )


class InviteForm(CheckedInputs, forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=150,
        help_text="Their work address: the invitation's link goes there, and they sign in with it.",
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address in the right format, like name@example.nhs.uk",
        },
    )
    role = _role_field()
    submission_token = idempotency.TokenField()

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_units"] = _units_field(organisation)
        self.order_fields(["email", "role", "org_units"])
        if not self.is_bound:
            self.initial.setdefault("submission_token", idempotency.new_token())
            self.initial.setdefault("role", MembershipRole.CONTRIBUTOR)


class AccessForm(VersionForm):
    """The member's version, opened with the page, and the one-time token: alone, the form
    behind deactivate and reactivate; the base of the member page's other forms."""

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", version)
        self.issue_token()


class MembershipForm(AccessForm):
    role = _role_field()

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_units"] = _units_field(organisation)


def _person_label(person: Person) -> str:
    roles = ", ".join(str(r) for r in person.roles.all())
    label = f"{person}{f' — {roles}' if roles else ''}"
    if person.user_id is not None:
        label += f" (now linked to {person.user})"
    return label


class LinkPeopleForm(AccessForm):
    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        field = forms.ModelMultipleChoiceField(
            label="Plan records this member is",
            queryset=Person.objects.filter(organisation=organisation)
            .select_related("user")
            .prefetch_related("roles")
            .order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Plans name these people and the roles they hold as leads and SROs: the "
            "member then updates those items and sees them in My work.",
            error_messages={
                "invalid_choice": "Choose people of this organisation",
                "invalid_pk_value": "Choose people of this organisation",
            },
        )
        field.label_from_instance = _person_label
        self.fields["people"] = field


class AcceptForm(CheckedInputs, forms.Form):
    """The invitee's name and the password they choose (Django's password validators)."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)
        texts = password_validation.password_validators_help_texts()
        self.fields["password1"].help_text = " ".join(texts)

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are not the same")
        elif first:
            candidate = User(
                username=self.email,
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


STATUS_CHOICES = [("active", "Active"), ("deactivated", "Deactivated")]


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="filter_text", help_text="Words in the name or e-mail address."
    )
    role = django_filters.ChoiceFilter(
        label="Role", choices=MembershipRole.choices, empty_label="Any role"
    )
    status = django_filters.ChoiceFilter(
        label="Access", choices=STATUS_CHOICES, method="filter_status", empty_label="Everyone"
    )

    class Meta:
        model = Membership
        fields = ["q", "role", "status"]
        form = CheckedForm

    def filter_text(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
                | Q(user__username__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")
