"""The people pages: an organisation's administrators list, invite and manage its members
(Action.MANAGE_MEMBERS); planners and administrators see who has not updated for the quarter
(Action.EDIT_PLAN); an invitee accepts an invitation (signed out). Access: planning.permissions
(another organisation → 404, a member without the right → 403). Writes: people.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from people import selectors, services, services_partnerships
from people.forms import (
    AcceptForm,
    AccessForm,
    InviteForm,
    LinkPeopleForm,
    MemberFilter,
    MembershipForm,
)
from people.tables import MemberTable
from planning import audit, idempotency, partnerships, permissions
from planning.concurrency import StaleEditError
from planning.forms import add_errors
from planning.models import Membership, Organisation, Person
from planning.permissions import Action

PAGE_SIZE = 50


def _organisation(request, slug: str, action: Action = Action.MANAGE_MEMBERS) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    permissions.require(request.user, action, organisation.pk)
    return organisation


def _membership(organisation: Organisation, pk: int) -> Membership:
    """One of this organisation's members: another organisation's is not found (404)."""
    return get_object_or_404(
        Membership.objects.select_related("user").prefetch_related("org_units"),
        organisation=organisation,
        pk=pk,
    )


def _list_url(organisation) -> str:
    return reverse("people:list", args=[organisation.slug])


def _member_url(organisation, membership) -> str:
    return reverse("people:member", args=[organisation.slug, membership.pk])


def _crumbs(organisation, *items) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": f"People of {organisation.display_name}", "href": _list_url(organisation)},
        *items,
    ]


def index(request):
    """The header's "People": the one organisation's page straight away, else a choice."""
    user = request.user
    managed = permissions.organisations_where(user, Action.MANAGE_MEMBERS).order_by("name")
    chased = permissions.organisations_where(user, Action.EDIT_PLAN).order_by("name")
    entries = [(org, reverse("people:list", args=[org.slug])) for org in managed] or [
        (org, reverse("people:not_updated", args=[org.slug])) for org in chased
    ]
    if not entries:
        raise PermissionDenied("Only administrators and planners can see the people pages.")
    if len(entries) == 1:
        return redirect(entries[0][1])
    return TemplateResponse(request, "people/index.html", {"entries": entries})


def member_list(request, slug: str):
    organisation = _organisation(request, slug)
    # A partnership with member organisations: each person's home organisation is shown.
    homes = bool(partnerships.member_ids(organisation))
    filterset = MemberFilter(request.GET, queryset=selectors.members(organisation, homes=homes))
    table = _table(request, organisation, filterset, homes=homes)
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "people/member_list.html",
        {
            "organisation": organisation,
            "filter": filterset,
            "table": table,
            "invitations": list(selectors.pending_invitations(organisation, timezone.now())),
            "report": selectors.not_updated(organisation, today),
            "is_partnership": partnerships.is_partnership(organisation),
            "breadcrumbs": [{"text": "Home", "href": reverse("planning:home")}],
        },
        status=400 if filterset.form.errors else 200,
    )


def _table(request, organisation, filterset, *, homes: bool = False):
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    table = MemberTable(rows, organisation=organisation, homes=homes)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return table


def not_updated(request, slug: str):
    """Who has not updated for the quarter being reported: for planners to chase by hand."""
    organisation = _organisation(request, slug, Action.EDIT_PLAN)
    return TemplateResponse(
        request,
        "people/not_updated.html",
        {
            "organisation": organisation,
            "report": selectors.not_updated(organisation, timezone.localdate()),
            "may_manage": permissions.has_permission(
                request.user, Action.MANAGE_MEMBERS, organisation.pk
            ),
            "breadcrumbs": [{"text": "Home", "href": reverse("planning:home")}],
        },
    )


@require_http_methods(["GET", "POST"])
def invite(request, slug: str):
    organisation = _organisation(request, slug)
    form = InviteForm(request.POST or None, organisation=organisation)
    token = idempotency.token_from(request.POST)
    if request.method == "POST" and idempotency.already_used(token, user=request.user):
        messages.success(request, "The invitation was sent.")
        return redirect(_list_url(organisation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite(
                organisation=organisation,
                email=data["email"],
                role=data["role"],
                org_units=data["org_units"],
                by=request.user,
                submission_token=data["submission_token"],
            )
        except ValidationError as error:
            add_errors(form, error)
        except OSError:  # the mail server refused or could not be reached (smtplib, socket)
            form.add_error(
                None,
                "The invitation e-mail could not be sent, so nothing was saved. Try again in a "
                "few minutes; if it still fails, tell your IT service desk.",
            )
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. Its link works once, until "
                f"{timezone.localtime(invitation.expires_at):%-d %B %Y}.",
            )
            return redirect(_list_url(organisation))
    return TemplateResponse(
        request,
        "people/invite.html",
        {"organisation": organisation, "form": form, "breadcrumbs": _crumbs(organisation)},
        status=400 if form.errors else 200,
    )


@require_POST
def invitation_withdraw(request, slug: str, pk: int):
    organisation = _organisation(request, slug)
    try:
        invitation = services.withdraw_invitation(
            organisation=organisation, invitation_id=pk, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect(_list_url(organisation))


def member_detail(request, slug: str, pk: int):
    organisation = _organisation(request, slug)
    membership = _membership(organisation, pk)
    people = list(
        Person.objects.filter(organisation=organisation, user=membership.user).prefetch_related(
            "roles"
        )
    )
    records = list(
        membership.history.select_related("history_user").order_by("history_date", "history_id")
    )
    history = audit.object_changes(records)  # newest first
    for change, record in zip(history, reversed(records), strict=True):
        change["reason"] = record.history_change_reason or ""
    return TemplateResponse(
        request,
        "people/member_detail.html",
        {
            "organisation": organisation,
            "membership": membership,
            "member": membership.user,
            "linked_people": people,
            "history": history,
            "breadcrumbs": _crumbs(organisation),
        },
    )


def _form_page(request, organisation, membership, *, form, save, success, template, heading):
    """A member's change page: GET shows `form`; a valid POST runs `save(cleaned_data)` and
    goes back to the member's page. Refused: 400 with the form's errors, 409 when somebody
    changed the member since the page was opened (the form then shows them as they are)."""
    stale = None
    if request.method == "POST":
        if idempotency.already_used(idempotency.token_from(request.POST), user=request.user):
            messages.success(request, success)
            return redirect(_member_url(organisation, membership))
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except StaleEditError as error:
                stale = error
                # Shown again at the member's version now, so a second try can save.
                data = form.data.copy()
                data["version"] = str(error.current.version)
                form.data = data
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, success)
                return redirect(_member_url(organisation, membership))
    return TemplateResponse(
        request,
        template,
        {
            "organisation": organisation,
            "membership": membership,
            "member": membership.user,
            "form": form,
            "stale": stale,
            "page_heading": heading,
            "is_self": membership.user_id == request.user.pk,
            "breadcrumbs": _crumbs(
                organisation,
                {"text": str(membership.user), "href": _member_url(organisation, membership)},
            ),
        },
        status=409 if stale else (400 if form.errors else 200),
    )


def _bound(request, form_class, membership, **kwargs):
    """The page's form: as posted, or fresh at the member's version."""
    if request.method != "POST":
        return form_class(version=membership.version, **kwargs)
    return form_class(request.POST, version=membership.version, **kwargs)


@require_http_methods(["GET", "POST"])
def member_change(request, slug: str, pk: int):
    organisation = _organisation(request, slug)
    membership = _membership(organisation, pk)
    initial = {"role": membership.role, "org_units": list(membership.org_units.all())}
    form = _bound(request, MembershipForm, membership, organisation=organisation, initial=initial)

    def save(data):
        services.change_membership(
            organisation=organisation,
            membership_id=membership.pk,
            role=data["role"],
            org_units=data["org_units"],
            by=request.user,
            expected_version=data["version"],
            submission_token=data["submission_token"],
        )

    return _form_page(
        request,
        organisation,
        membership,
        form=form,
        save=save,
        success=f"{membership.user}'s role and units were saved.",
        template="people/member_change.html",
        heading="Change role and units",
    )


@require_http_methods(["GET", "POST"])
def member_people(request, slug: str, pk: int):
    organisation = _organisation(request, slug)
    membership = _membership(organisation, pk)
    initial = {
        "people": list(Person.objects.filter(organisation=organisation, user_id=membership.user_id))
    }
    form = _bound(request, LinkPeopleForm, membership, organisation=organisation, initial=initial)

    def save(data):
        services.link_people(
            organisation=organisation,
            membership_id=membership.pk,
            people=data["people"],
            by=request.user,
            expected_version=data["version"],
            submission_token=data["submission_token"],
        )

    return _form_page(
        request,
        organisation,
        membership,
        form=form,
        save=save,
        success=f"The plan records {membership.user} is linked to were saved.",
        template="people/member_records.html",
        heading="Link to plan records",
    )


def _access(request, slug, pk, *, service, success, heading, template, in_partnership=None):
    """`in_partnership`: (service, success) instead, for a partnership with members."""
    organisation = _organisation(request, slug)
    membership = _membership(organisation, pk)
    if in_partnership is not None and partnerships.member_ids(organisation):
        service, success = in_partnership
    form = _bound(request, AccessForm, membership)

    def save(data):
        service(
            organisation=organisation,
            membership_id=membership.pk,
            by=request.user,
            expected_version=data["version"],
        )

    return _form_page(
        request,
        organisation,
        membership,
        form=form,
        save=save,
        success=success.format(member=membership.user),
        template=template,
        heading=heading,
    )


def _revoke(*, organisation, **kwargs):
    return services_partnerships.revoke_partnership_role(partnership=organisation, **kwargs)


@require_http_methods(["GET", "POST"])
def member_deactivate(request, slug: str, pk: int):
    # In a partnership with member organisations, deactivating revokes the partnership role
    # only: the person keeps their home organisation's access and sessions.
    return _access(
        request,
        slug,
        pk,
        service=services.deactivate,
        in_partnership=(
            _revoke,
            "{member}'s role in this partnership is revoked. Their own organisation's access "
            "stays.",
        ),
        success="{member} is deactivated: they are signed out everywhere and have no access "
        "to this organisation.",
        heading="Deactivate this member",
        template="people/member_deactivate.html",
    )


@require_http_methods(["GET", "POST"])
def member_reactivate(request, slug: str, pk: int):
    return _access(
        request,
        slug,
        pk,
        service=services.reactivate,
        success="{member} is active again.",
        heading="Reactivate this member",
        template="people/member_reactivate.html",
    )


# --- accepting an invitation (signed out) ------------------------------------------------------


def _refused(request, message: str):
    return TemplateResponse(
        request, "people/invitation_refused.html", {"message": message}, status=400
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def accept(request, token: str):
    """The link in the invitation: choose a password (or join with an existing account)."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationRefused as refusal:
        return _refused(request, str(refusal))
    account = services.existing_account(invitation.email)
    if account is not None:
        return _join(request, token, invitation, account)
    form = AcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.accept_invitation(
                token=token,
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except services.InvitationRefused as refusal:
            return _refused(request, str(refusal))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"Welcome to Waymark. You are signed in as a member of {invitation.organisation}; "
            f"next time, sign in with {user.username} and the password you chose.",
        )
        return redirect("planning:landing")
    return TemplateResponse(
        request,
        "people/accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )


def _join(request, token, invitation, account):
    signed_in_as_account = request.user.is_authenticated and request.user.pk == account.pk
    if request.method == "POST" and signed_in_as_account:
        try:
            services.join_with_account(token=token, user=request.user)
        except services.InvitationRefused as refusal:
            return _refused(request, str(refusal))
        messages.success(request, f"You are now a member of {invitation.organisation}.")
        return redirect("planning:landing")
    return TemplateResponse(
        request,
        "people/accept_join.html",
        {
            "invitation": invitation,
            "signed_in_as_account": signed_in_as_account,
            "login_url": f"{reverse('login')}?next={request.path}",
        },
        status=200 if request.method == "GET" else 400,
    )
