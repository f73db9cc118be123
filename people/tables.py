from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from planning.models import Membership


class MemberTable(tables.Table):
    caption = "Members"

    name = tables.Column(
        verbose_name="Name",
        accessor="user",
        order_by=("user__first_name", "user__last_name", "user__username"),
    )
    email = tables.Column(verbose_name="E-mail address", accessor="user__email")
    role = tables.Column(verbose_name="Role")
    units = tables.Column(verbose_name="Units", accessor="pk", orderable=False)
    # A partnership's members: the member organisations they belong to (people.selectors).
    home = tables.Column(verbose_name="Home organisation", accessor="pk", orderable=False)
    last_login = tables.Column(
        verbose_name="Last signed in", accessor="user__last_login", empty_values=()
    )
    is_active = tables.TemplateColumn(
        verbose_name="Access",
        template_code=(
            "{% if record.is_active %}{% include 'components/tag.html' with text='Active' "
            "colour='green' %}{% else %}{% include 'components/tag.html' with "
            "text='Deactivated' colour='grey' %}{% endif %}"
        ),
        order_by=("-is_active",),
    )

    class Meta:
        model = Membership
        fields = ["name", "email", "role", "units", "home", "last_login", "is_active"]
        order_by = ("name",)
        attrs = {"class": "nhsuk-table app-table--people"}

    def __init__(self, *args, organisation, homes: bool = False, **kwargs):
        self.organisation = organisation
        if not homes:
            kwargs.setdefault("exclude", ("home",))
        super().__init__(*args, **kwargs)

    def render_name(self, record):
        url = reverse("people:member", args=[self.organisation.slug, record.pk])
        return format_html('<a href="{}">{}</a>', url, record.user)

    def render_role(self, record):
        return record.get_role_display()

    def render_units(self, record):
        return ", ".join(unit.name for unit in record.org_units.all()) or "—"

    def render_home(self, record):
        homes = [m.organisation.display_name for m in record.user.home_memberships]
        if homes:
            return ", ".join(homes)
        return format_html(
            '{} <span class="nhsuk-u-visually-hidden">(their role here grants nothing)</span>',
            "None: no access",
        )

    def render_last_login(self, value):
        if value is None:
            return "Never"
        return f"{timezone.localtime(value):%-d %b %Y, %H:%M}"
