from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from planning.models import (
    ClientRelationship,
    ContentVersion,
    Membership,
    Organisation,
    OrgUnit,
    PartnershipMember,
    Person,
    Plan,
    PlanSection,
    PlanVersion,
    Programme,
    QuarterReopening,
    Role,
    StrategicObjective,
    StrategicPriority,
    SubmissionToken,
    User,
    Value,
    VisionBullet,
)


class ReadOnlyAdmin:
    """Looked at in the admin, never typed in: these rows are written by a service that keeps
    rules an admin form would skip (or by the database itself). ``deletable``: whether a
    superuser may still delete one (bookkeeping that is safe to clear)."""

    deletable = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)


@admin.register(User)
class WaymarkUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    filter_horizontal = ["org_units"]


class ClientRelationshipInline(admin.TabularInline):
    model = ClientRelationship
    fk_name = "provider"
    extra = 0
    autocomplete_fields = ["client"]


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    fk_name = "partnership"
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "host"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["host"]
    inlines = [ClientRelationshipInline, PartnershipMemberInline, MembershipInline]


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "organisation", "order"]
    list_filter = ["kind", "organisation"]
    search_fields = ["name"]
    list_select_related = ["parent", "organisation"]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["abbreviation", "title", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["abbreviation", "title"]
    list_select_related = ["organisation"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "job_title", "organisation", "user"]
    list_filter = ["organisation"]
    search_fields = ["name", "job_title", "email"]
    filter_horizontal = ["roles"]
    list_select_related = ["organisation", "user"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]
    filter_horizontal = ["org_units"]


class PlanChildInline(admin.TabularInline):
    extra = 0


class SectionInline(PlanChildInline):
    model = PlanSection
    fields = ["order", "kind", "title"]
    show_change_link = True


class VisionBulletInline(PlanChildInline):
    model = VisionBullet


class ValueInline(PlanChildInline):
    model = Value


class PriorityInline(PlanChildInline):
    model = StrategicPriority


class StrategicObjectiveInline(PlanChildInline):
    model = StrategicObjective


class ProgrammeInline(PlanChildInline):
    model = Programme
    fields = ["number", "title", "lead_text", "lead_role"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "period_label", "kind", "version_label", "status"]
    list_filter = ["kind", "status", "organisation"]
    search_fields = ["title", "organisation__name", "version_label"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["organisation"]
    fieldsets = [
        (None, {"fields": ["organisation", "kind", "title", "slug", "start_year", "end_year"]}),
        ("Status", {"fields": ["version_label", "status"]}),
        (
            "Document control",
            {
                "fields": [
                    "ratified_by",
                    "date_ratified",
                    "director_sponsor",
                    "author",
                    "date_issued",
                    "review_date",
                    "target_audience",
                ]
            },
        ),
        ("Aim and vision", {"fields": ["aim", "vision", "core_purpose"]}),
    ]
    inlines = [
        SectionInline,
        VisionBulletInline,
        ValueInline,
        PriorityInline,
        StrategicObjectiveInline,
        ProgrammeInline,
    ]


@admin.register(PlanSection)
class PlanSectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "kind", "order"]
    list_filter = ["kind", "plan"]
    search_fields = ["title", "body"]
    list_select_related = ["plan", "plan__organisation"]


@admin.register(StrategicPriority)
class StrategicPriorityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["title"]
    list_select_related = ["plan", "plan__organisation"]


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["number", "text", "plan"]
    list_filter = ["plan"]
    search_fields = ["text"]
    list_select_related = ["plan", "plan__organisation"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "lead_text", "plan"]
    list_filter = ["plan"]
    search_fields = ["title", "aim", "lead_text"]
    list_select_related = ["plan", "plan__organisation"]


@admin.register(VisionBullet, Value)
class PlanTextAdmin(SimpleHistoryAdmin):
    list_display = ["text", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["text"]
    list_select_related = ["plan", "plan__organisation"]


@admin.register(ClientRelationship)
class ClientRelationshipAdmin(SimpleHistoryAdmin):
    list_display = ["client", "kind", "provider", "order"]
    list_filter = ["kind", "provider"]
    search_fields = ["client__name", "provider__name"]
    list_select_related = ["client", "provider"]


@admin.register(PartnershipMember)
class PartnershipMemberAdmin(SimpleHistoryAdmin):
    list_display = ["member", "partnership", "order"]
    list_filter = ["partnership"]
    search_fields = ["member__name", "partnership__name"]
    list_select_related = ["member", "partnership"]


@admin.register(SubmissionToken)
class SubmissionTokenAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Bookkeeping of planning.idempotency: read-only, to look at, never to edit."""

    deletable = True

    list_display = ["token", "user", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]


@admin.register(ContentVersion)
class ContentVersionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The number the database raises on every content change (planning.content_version):
    read-only, its triggers alone write it."""

    list_display = ["value"]


@admin.register(QuarterReopening)
class QuarterReopeningAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read-only: quarters are reopened and locked again on the plan's reporting calendar page,
    through planning.reporting_window, which keeps the rules (a reason, one open reopening)."""

    deletable = True

    list_display = [
        "plan",
        "financial_year",
        "quarter",
        "reopened_by",
        "reopened_at",
        "relocked_at",
    ]
    list_select_related = ["plan", "reopened_by"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read-only: versions are frozen by ratifying a plan and by starting a refresh
    (planning.lifecycle, planning.versions), never typed in."""

    list_display = ["plan", "label", "status", "ratified_by", "date_ratified", "created_at"]
    list_select_related = ["plan"]
    list_filter = ["status"]
    exclude = ["content"]  # megabytes of JSON: compare versions on the plan's page instead

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")
