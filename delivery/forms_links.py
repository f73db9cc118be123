"""Forms for dependencies, lineage, an item's risks, governance bodies and decisions. Every
choice is narrowed to what the person may link (a tampered id is an invalid choice on its
field); delivery.services_links checks the same again, since the rule is the service's."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from assurance.models import Risk
from delivery import selectors_links
from delivery.models import (
    Decision,
    DeliveryItem,
    Dependency,
    GovernanceBody,
    Lineage,
)
from planning import idempotency, permissions
from planning.forms import VersionForm
from planning.models import Plan, Role
from planning.permissions import Action
from planning.validation import CheckedInputs, VersionField

DATE = forms.DateInput(attrs={"type": "date"})


class ItemChoiceField(forms.ModelChoiceField):
    """An item named by its reference, title and (when it is another plan's) plan."""

    def __init__(self, *args, home_plan_id: int | None = None, **kwargs):
        self.home_plan_id = home_plan_id
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: DeliveryItem) -> str:
        label = f"{obj.reference} {obj.title}"
        if obj.plan_id != self.home_plan_id:
            label += f" ({obj.plan})"
        return label


class ItemsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: DeliveryItem) -> str:
        return f"{obj.reference} {obj.title} ({obj.plan})"


class _VersionedModelForm(CheckedInputs, forms.ModelForm):
    """The version the page was opened at and its one-time token, as every edit form here."""

    version = VersionField(required=False)
    submission_token = idempotency.TokenField()

    FIELDS: tuple[str, ...] = ()

    def _issue(self) -> None:
        if not self.is_bound:
            self.initial["submission_token"] = idempotency.new_token()
            if self.instance.pk:
                self.initial["version"] = self.instance.version

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS if name in self.cleaned_data}


def _no_blank(field) -> None:
    """Radios need no "---------" choice: the question is answered by choosing one."""
    field.choices = [(value, label) for value, label in field.choices if value != ""]


def _items_of(plans):
    return (
        DeliveryItem.objects.filter(plan__in=plans)
        .select_related("plan")
        .order_by("plan__start_year", "plan__title", "plan_id", "order", "pk")
    )


class DependencyForm(_VersionedModelForm):
    FIELDS = ("kind", "on_item", "external", "owner_text", "owner_role", "status", "note")

    class Meta:
        model = Dependency
        fields = ["kind", "on_item", "external", "owner_text", "owner_role", "status", "note"]
        labels = {
            "kind": "How does this item depend on the other?",
            "on_item": "The item it depends on",
            "external": "Or: a programme outside Waymark",
            "owner_text": "Owner, as the plan writes it",
            "owner_role": "Owner's role",
            "status": "Status",
            "note": "Note",
        }
        help_texts = {
            "on_item": "An item of this plan, or of another plan you can see. An item of "
            "another organisation's plan needs you to be able to edit that plan too.",
            "external": "For example “Herefordshire Connects”. Leave the item blank.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"on_item": ItemChoiceField}
        error_messages = {"kind": {"required": "Choose needs, enables or related to."}}

    def __init__(self, *args, item: DeliveryItem, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        visible = Plan.objects.filter(
            organisation__in=permissions.organisations_where(user, Action.VIEW)
        )
        field = self.fields["on_item"]
        field.queryset = _items_of(visible).exclude(pk=item.pk)
        field.home_plan_id = item.plan_id
        field.empty_label = "None (an external programme)"
        self.fields["owner_role"].queryset = Role.objects.filter(
            organisation_id=item.plan.organisation_id
        )
        self.fields["owner_role"].empty_label = "None"
        _no_blank(self.fields["kind"])
        _no_blank(self.fields["status"])
        self._issue()


class LineageForm(_VersionedModelForm):
    FIELDS = ("kind", "other", "reason", "date", "date_text")

    class Meta:
        model = Lineage
        fields = ["kind", "other", "reason", "date", "date_text"]
        labels = {
            "kind": "What happened to this item?",
            "other": "The other item",
            "reason": "Why",
            "date": "Date",
            "date_text": "Date, as the source writes it",
        }
        help_texts = {
            "other": "An item of this plan, or of another plan you may edit.",
            "date_text": "For example “June 2009”, when the source gives no day.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "reason": forms.Textarea(attrs={"rows": 3}),
            "date": DATE,
        }
        field_classes = {"other": ItemChoiceField}
        error_messages = {
            "kind": {"required": "Choose merged into, split from or superseded by."},
            "other": {"required": "Choose the other item."},
            "reason": {"required": "Say why: the reason stays with both items."},
        }

    def __init__(self, *args, item: DeliveryItem, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        editable = Plan.objects.filter(
            Q(pk=item.plan_id)
            | Q(organisation__in=permissions.organisations_where(user, Action.EDIT_PLAN))
        )
        field = self.fields["other"]
        field.queryset = _items_of(editable).exclude(pk=item.pk)
        field.home_plan_id = item.plan_id
        _no_blank(self.fields["kind"])
        self._issue()


class ItemRisksForm(CheckedInputs, forms.Form):
    version = VersionField()
    risks = forms.ModelMultipleChoiceField(
        queryset=Risk.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Risks from the risk register",
    )

    def __init__(self, *args, item: DeliveryItem, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risks"].queryset = queryset
        if not self.is_bound:
            self.initial["version"] = item.version
            self.initial["risks"] = [r.pk for r in item.risks.all()]


class BodyForm(_VersionedModelForm):
    FIELDS = (
        "name",
        "kind",
        "parent",
        "chair_text",
        "chair_role",
        "members_text",
        "meeting_frequency",
        "member_roles",
        "plans",
        "items",
    )

    class Meta:
        model = GovernanceBody
        fields = [
            "name",
            "kind",
            "parent",
            "chair_text",
            "chair_role",
            "members_text",
            "member_roles",
            "meeting_frequency",
            "plans",
            "items",
        ]
        labels = {
            "name": "Name",
            "kind": "What kind of body is it?",
            "parent": "The body it reports to",
            "chair_text": "Chair, as written",
            "chair_role": "Chair's role",
            "members_text": "Members, as written",
            "member_roles": "Members' roles",
            "meeting_frequency": "How often it meets",
            "plans": "Plans it oversees",
            "items": "Programmes and workstreams it oversees",
        }
        help_texts = {"meeting_frequency": "For example “Monthly” or “Every six weeks”."}
        widgets = {
            "kind": forms.RadioSelect,
            "members_text": forms.Textarea(attrs={"rows": 3}),
            "member_roles": forms.CheckboxSelectMultiple,
            "plans": forms.CheckboxSelectMultiple,
            "items": forms.CheckboxSelectMultiple,
        }
        field_classes = {"items": ItemsChoiceField}
        error_messages = {
            "name": {"required": "Enter the body's name."},
            "kind": {"required": "Choose what kind of body it is."},
        }

    def __init__(self, *args, organisation, user, **kwargs):
        super().__init__(*args, **kwargs)
        org = organisation.pk
        parents = GovernanceBody.objects.filter(organisation_id=org)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "None: it is at the top"
        roles = Role.objects.filter(organisation_id=org)
        self.fields["chair_role"].queryset = roles
        self.fields["chair_role"].empty_label = "None"
        self.fields["member_roles"].queryset = roles
        plans = selectors_links.governable_plans(org, user)
        self.fields["plans"].queryset = plans.select_related("organisation").order_by(
            "start_year", "title", "pk"
        )
        self.fields["items"].queryset = _items_of(plans).filter(
            level__in=selectors_links.OVERSEEN_LEVELS
        )
        _no_blank(self.fields["kind"])
        self._issue()


class DecisionForm(_VersionedModelForm):
    FIELDS = ("date", "decision", "recommendation", "items")

    class Meta:
        model = Decision
        fields = ["date", "decision", "recommendation", "items"]
        labels = {
            "date": "Date",
            "decision": "Decision",
            "recommendation": "Recommendation it answered",
            "items": "Items it is about",
        }
        widgets = {
            "date": DATE,
            "decision": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
            "items": forms.CheckboxSelectMultiple,
        }
        field_classes = {"items": ItemsChoiceField}
        error_messages = {
            "date": {"required": "Enter the date of the decision."},
            "decision": {"required": "Enter what was decided."},
        }

    def __init__(self, *args, body: GovernanceBody, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = _items_of(
            selectors_links.governable_plans(body.organisation_id, user)
        )
        self._issue()


class DeleteForm(VersionForm):
    """The version the delete page was opened at."""

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", version)
        self.issue_token()
