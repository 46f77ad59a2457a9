from django.contrib import admin

from hubs.models import Council, CoverageGap, CoverageRule, Hub


class CoverageRuleInline(admin.TabularInline):
    model = CoverageRule
    extra = 1
    fields = ["area", "ward_code", "ward_name", "reason"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    """The councils on this deployment: for the superusers who administer every council (no
    council of their own); a council's own administrators never see this."""

    list_display = ["name", "slug", "ons_code", "is_default"]
    readonly_fields = ["data"]

    def _administers_councils(self, request) -> bool:
        return request.user.is_superuser and request.user.council_id is None

    def has_module_permission(self, request) -> bool:
        return self._administers_councils(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._administers_councils(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._administers_councils(request)

    def has_add_permission(self, request) -> bool:
        return False  # a council is added by its data folder and load_council_data

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "office_name", "postcode", "phone"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CoverageRuleInline]


@admin.register(CoverageRule)
class CoverageRuleAdmin(admin.ModelAdmin):
    list_display = ["area", "level", "hub"]
    list_filter = ["hub"]
    search_fields = ["area"]
    list_select_related = ["hub"]


@admin.register(CoverageGap)
class CoverageGapAdmin(admin.ModelAdmin):
    """Areas of the council where people looked for a hub and no coverage rule matched."""

    list_display = ["area", "lookups", "first_seen", "last_seen"]
    readonly_fields = ["area", "lookups", "first_seen", "last_seen"]

    def has_add_permission(self, request) -> bool:
        return False
