from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from households.models import Tag


@admin.register(Tag)
class TagAdmin(SimpleHistoryAdmin):
    """The tags files can carry (劳模, 农民工, 单亲家庭 …): an administrator defines them; a
    tag no longer used is made unavailable rather than deleted."""

    list_display = ["name", "description", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
