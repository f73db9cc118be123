"""A partnership's people pages, for its administrators (Action.MANAGE_MEMBERS on the
partnership): its member organisations (add, remove) and giving a member organisation's person
a role in the partnership. The partnership's members list, role changes and revoking are the
ordinary people pages (people.views), which show each person's home organisation for a
partnership. Access: planning.permissions (another organisation → 404, no right → 403).
Writes: people.services_partnerships."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from people import services, services_partnerships
from people.forms_partnerships import MemberOrganisationForm, PartnershipRoleForm
from planning import idempotency, partnerships, permissions
from planning.forms import add_errors
from planning.models import Organisation, PartnershipMember
from planning.permissions import Action


def _partnership(request, slug: str) -> Organisation:
    """The partnership named in the URL, for its administrators; another organisation's is not
    found, and an organisation that is not a partnership has no such page (404)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    permissions.require(request.user, Action.MANAGE_MEMBERS, organisation.pk)
    if not partnerships.is_partnership(organisation):
        raise Http404("Only a partnership has member organisations.")
    return organisation


def _members_url(partnership) -> str:
    return reverse("people:partnership_members", args=[partnership.slug])


def _crumbs(partnership, *items) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("planning:home")},
        {
            "text": f"People of {partnership.display_name}",
            "href": reverse("people:list", args=[partnership.slug]),
        },
        *items,
    ]


def member_organisations(request, slug: str):
    partnership = _partnership(request, slug)
    return TemplateResponse(
        request,
        "people/partnership/member_organisations.html",
        {
            "organisation": partnership,
            "links": list(partnerships.links_of(partnership)),
            "breadcrumbs": _crumbs(partnership),
        },
    )


@require_http_methods(["GET", "POST"])
def member_organisation_add(request, slug: str):
    partnership = _partnership(request, slug)
    form = MemberOrganisationForm(
        request.POST if request.method == "POST" else None, partnership=partnership
    )
    token = idempotency.token_from(request.POST)
    if request.method == "POST" and idempotency.already_used(token, user=request.user):
        return redirect(_members_url(partnership))
    if request.method == "POST" and form.is_valid():
        try:
            link = services_partnerships.add_member_organisation(
                partnership=partnership,
                member=form.cleaned_data["member"],
                by=request.user,
                submission_token=form.cleaned_data["submission_token"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{link.member} is a member of {partnership.display_name}. Its people may now "
                "be given a role in the partnership.",
            )
            return redirect(_members_url(partnership))
    return TemplateResponse(
        request,
        "people/partnership/member_organisation_add.html",
        {
            "organisation": partnership,
            "form": form,
            # The first member turns the partnership rule on (planning.permissions).
            "first": not partnerships.member_ids(partnership),
            "breadcrumbs": _crumbs(
                partnership, {"text": "Member organisations", "href": _members_url(partnership)}
            ),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def member_organisation_remove(request, slug: str, pk: int):
    """Confirm, naming whoever would lose their partnership access, then remove."""
    partnership = _partnership(request, slug)
    link = get_object_or_404(
        PartnershipMember.objects.select_related("member"), partnership=partnership, pk=pk
    )
    error = None
    if request.method == "POST":
        try:
            services_partnerships.remove_member_organisation(
                partnership=partnership, link_id=link.pk, by=request.user
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request, f"{link.member} is no longer a member of {partnership.display_name}."
            )
            return redirect(_members_url(partnership))
    return TemplateResponse(
        request,
        "people/partnership/member_organisation_remove.html",
        {
            "organisation": partnership,
            "link": link,
            "losing": services_partnerships.losing_access(partnership=partnership, link_id=link.pk),
            "error": error,
            "breadcrumbs": _crumbs(
                partnership, {"text": "Member organisations", "href": _members_url(partnership)}
            ),
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def role_grant(request, slug: str):
    """Give a person of a member organisation a role in the partnership."""
    partnership = _partnership(request, slug)
    form = PartnershipRoleForm(request.POST if request.method == "POST" else None)
    token = idempotency.token_from(request.POST)
    list_url = reverse("people:list", args=[partnership.slug])
    if request.method == "POST" and idempotency.already_used(token, user=request.user):
        return redirect(list_url)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = services.existing_account(data["email"])
        try:
            if person is None:  # the same words as for an account outside the members
                raise ValidationError(
                    {"email": services_partnerships.NOT_IN_A_MEMBER.format(person=data["email"])}
                )
            membership = services_partnerships.grant_partnership_role(
                partnership=partnership,
                user=person,
                role=data["role"],
                by=request.user,
                submission_token=data["submission_token"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{membership.user} is now {membership.get_role_display().lower()} in "
                f"{partnership.display_name}.",
            )
            return redirect(list_url)
    return TemplateResponse(
        request,
        "people/partnership/role_grant.html",
        {
            "organisation": partnership,
            "form": form,
            "members": list(partnerships.members_of(partnership)),
            "breadcrumbs": _crumbs(partnership),
        },
        status=400 if form.errors else 200,
    )
