"""Chain policy the administrator edits: evidence requirements and medical-aid tiers.

Applications, decisions and notices are not here: they change only through the chain's
services, which enforce who may act.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import EvidenceRequirement, MedicalAidTier


@admin.register(EvidenceRequirement)
class EvidenceRequirementAdmin(SimpleHistoryAdmin):
    list_display = ["cause", "application_kind", "evidence_kind"]
    list_filter = ["cause", "application_kind"]


@admin.register(MedicalAidTier)
class MedicalAidTierAdmin(SimpleHistoryAdmin):
    list_display = ["lower", "upper", "rate", "valid_from", "valid_to"]
