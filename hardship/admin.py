"""The administrator's pages: users and their roles, the organisation tree, policy.

Household files are deliberately not here: they change only through the registry's
services, which check scope and keep history with the acting user.
"""

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from hardship import twofactor_services
from hardship.models import Membership, PolicyParameter, SecondFactorEvent, Unit, User

admin.site.site_header = _("工会困难职工帮扶管理系统 · 系统管理")
admin.site.site_title = _("系统管理")
admin.site.index_title = _("用户、组织与政策参数")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


# Authenticators change only through hardship.twofactor_services, which records each
# change; django-otp's own device pages would let anyone at /admin/ add or remove one
# unrecorded. A lost phone is the "reset the second factor" action on the user list.
for _device in (TOTPDevice, StaticDevice):
    try:
        admin.site.unregister(_device)
    except NotRegistered:
        pass


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "is_active",
        "is_staff",
        "has_second_factor",
        "last_login",
    ]
    search_fields = ["username", "full_name"]
    inlines = [MembershipInline]
    actions = ["reset_second_factor"]

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(second_factor=Exists(confirmed))

    @admin.display(description=_("两步验证"), boolean=True, ordering="second_factor")
    def has_second_factor(self, user):
        return user.second_factor

    @admin.action(description=_("重置两步验证（手机丢失时）"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                twofactor_services.admin_reset(actor=request.user, user=user)
            except twofactor_services.SecondFactorRefused as refusal:
                self.message_user(request, f"{user}: {refusal.args[0]}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "已重置 %(n)d 个账号的两步验证，下次登录时需重新设置。",
                    "已重置 %(n)d 个账号的两步验证，下次登录时需重新设置。",
                    done,
                )
                % {"n": done},
                messages.SUCCESS,
            )

    fieldsets = BaseUserAdmin.fieldsets + ((_("帮扶系统"), {"fields": ["full_name", "id_number"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("帮扶系统"), {"fields": ["full_name", "id_number"]}),
    )


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "members_active", "members_retired"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    ordering = ["path"]


@admin.register(PolicyParameter)
class PolicyParameterAdmin(SimpleHistoryAdmin):
    list_display = ["key", "value", "unit", "valid_from", "valid_to", "note"]
    list_filter = ["key"]
    autocomplete_fields = ["unit"]


@admin.register(SecondFactorEvent)
class SecondFactorEventAdmin(admin.ModelAdmin):
    """Read-only: the record is written by the second-factor service alone."""

    list_display = ["at", "user", "action", "actor"]
    list_filter = ["action"]
    search_fields = ["user__username", "user__full_name", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Apps that ship no Chinese names: their admin section and model names come from the
# project's catalogue instead. Only the runtime names change (`_meta.original_attrs`, which
# migrations read, is left alone), so no migration is made in a third-party app.
THIRD_PARTY_NAMES = {
    "axes": (
        _("登录失败锁定"),
        {
            "AccessAttempt": (_("登录失败记录"), _("登录失败记录")),
            "AccessLog": (_("登录日志"), _("登录日志")),
            "AccessFailureLog": (_("登录失败日志"), _("登录失败日志")),
        },
    ),
    "otp_totp": (
        _("两步验证：验证器应用"),
        {"TOTPDevice": (_("验证器应用（TOTP）"), _("验证器应用（TOTP）"))},
    ),
    "otp_static": (
        _("两步验证：恢复码"),
        {
            "StaticDevice": (_("恢复码设备"), _("恢复码设备")),
            "StaticToken": (_("恢复码"), _("恢复码")),
        },
    ),
    "django_tasks_database": (
        _("后台任务"),
        {"DBTaskResult": (_("任务结果"), _("任务结果"))},
    ),
}


def _name_third_party_apps() -> None:
    from django.apps import apps

    for label, (app_name, models) in THIRD_PARTY_NAMES.items():
        try:
            config = apps.get_app_config(label)
        except LookupError:  # an optional app not installed here
            continue
        config.verbose_name = app_name
        for model_name, (singular, plural) in models.items():
            opts = config.get_model(model_name)._meta
            opts.verbose_name = singular
            opts.verbose_name_plural = plural


_name_third_party_apps()
