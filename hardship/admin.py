"""The administrator's pages: users and their roles, the organisation tree, policy.

Household files are deliberately not here: they change only through the registry's
services, which check scope and keep history with the acting user.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from hardship.models import Membership, PolicyParameter, Unit, User

admin.site.site_header = _("工会困难职工帮扶管理系统 · 系统管理")
admin.site.site_title = _("系统管理")
admin.site.index_title = _("用户、组织与政策参数")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name"]
    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + ((_("帮扶系统"), {"fields": ["full_name", "id_number"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("帮扶系统"), {"fields": ["full_name", "id_number"]}),
    )


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    ordering = ["path"]


@admin.register(PolicyParameter)
class PolicyParameterAdmin(SimpleHistoryAdmin):
    list_display = ["key", "value", "unit", "valid_from", "valid_to", "note"]
    list_filter = ["key"]
    autocomplete_fields = ["unit"]
