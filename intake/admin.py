"""Routing policy the administrator edits: each unit's duty caseworker and the topic rules;
and the register of legal-aid stations and lawyers. Contacts and cases are not here: they
change only through their services."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from hardship import access
from intake.models import DutyCaseworker, LegalAidProvider, TopicRule
from intake.scope import RECEPTION


def _check_handler(user, unit, field):
    if user is not None and unit is not None and not access.covers(user, RECEPTION, unit.path):
        raise ValidationError(
            {field: _("须是在该单位或其上级任帮扶专干、基层工会主席或公司工会复核的人员。")}
        )


class DutyCaseworkerAdminForm(admin.ModelAdmin.form):
    def clean(self):
        cleaned = super().clean()
        _check_handler(cleaned.get("user"), cleaned.get("unit"), "user")
        return cleaned


@admin.register(DutyCaseworker)
class DutyCaseworkerAdmin(SimpleHistoryAdmin):
    form = DutyCaseworkerAdminForm
    list_display = ["unit", "user"]


class TopicRuleAdminForm(admin.ModelAdmin.form):
    def clean(self):
        cleaned = super().clean()
        _check_handler(cleaned.get("handler"), cleaned.get("unit"), "handler")
        return cleaned


@admin.register(TopicRule)
class TopicRuleAdmin(SimpleHistoryAdmin):
    form = TopicRuleAdminForm
    list_display = ["unit", "topic", "handler"]
    list_filter = ["topic"]


@admin.register(LegalAidProvider)
class LegalAidProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "unit", "phone", "active"]
    list_filter = ["kind", "active"]
