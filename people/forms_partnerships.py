"""Forms of a partnership's people pages: add a member organisation, give a member
organisation's person a role in the partnership. The rules are people.services_partnerships'."""

from __future__ import annotations

from django import forms

from people.forms import _role_field
from planning import idempotency
from planning.models import MembershipRole, Organisation, OrganisationKind
from planning.validation import CheckedInputs


class MemberOrganisationForm(CheckedInputs, forms.Form):
    member = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        help_text="Its people may then be given a role in the partnership.",
        error_messages={
            "required": "Choose an organisation",
            "invalid_choice": "Choose an organisation from the list",
        },
    )
    submission_token = idempotency.TokenField()

    def __init__(self, *args, partnership: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered: organisations that are not partnerships and not members yet; the service
        # refuses the others with a message, whatever is posted.
        self.fields["member"].queryset = (
            Organisation.objects.exclude(kind=OrganisationKind.PARTNERSHIP)
            .exclude(partnership_links__partnership=partnership)
            .order_by("name")
        )
        if not self.is_bound:
            self.initial.setdefault("submission_token", idempotency.new_token())


class PartnershipRoleForm(CheckedInputs, forms.Form):
    email = forms.EmailField(
        label="Their e-mail address",
        max_length=150,
        help_text="The address they sign in with at their own organisation, a member of the "
        "partnership.",
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address in the right format, like name@example.nhs.uk",
        },
    )
    role = _role_field()
    submission_token = idempotency.TokenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].label = "Role in the partnership"
        if not self.is_bound:
            self.initial.setdefault("submission_token", idempotency.new_token())
            self.initial.setdefault("role", MembershipRole.CONTRIBUTOR)
