from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from bank.models import BatchTemplate, TemplateColumn


class TemplateColumnInline(admin.TabularInline):
    model = TemplateColumn
    extra = 1
    ordering = ["position"]


@admin.register(BatchTemplate)
class BatchTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "bank_name", "file_format", "encoding", "amount_format", "active"]
    list_filter = ["active", "file_format"]
    inlines = [TemplateColumnInline]
    fieldsets = [
        (None, {"fields": ["name", "bank_name", "active"]}),
        (
            _("代发文件"),
            {
                "fields": [
                    "file_format",
                    "encoding",
                    "amount_format",
                    "header_lines",
                    "column_headers",
                ]
            },
        ),
        (
            _("回盘文件"),
            {
                "fields": [
                    "return_header_row",
                    "return_account",
                    "return_amount",
                    "return_status",
                    "return_reason",
                    "return_paid_values",
                ]
            },
        ),
    ]
