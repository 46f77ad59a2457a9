from django.contrib import admin

from hubs.models import CoverageGap, CoverageRule, Hub


class CoverageRuleInline(admin.TabularInline):
    model = CoverageRule
    extra = 1
    fields = ["area", "reason"]


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
