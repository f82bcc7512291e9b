"""The household file (困难职工档案, 一户一档): the worker, family, income, assets, causes,
evidence and aid plan. One module per part; import the models from here."""

# Imported in the order the models were defined when they were one module, so the app
# registry lists them as before.
# isort: skip_file
from households.models.household import (
    MONEY,
    NON_NEGATIVE,
    Cause,
    Gender,
    Health,
    Household,
    main_cause_by_default,
)
from households.models.family import AidMeasure, HardshipCause, IncomeItem, Member
from households.models.evidence import Evidence, evidence_path
from households.models.cards import CardChange
from households.models.reveals import RevealLog
from households.models.tags import Tag
from households.models.composition import (
    PARTS,
    RegistryChange,
    RegistryCounts,
    RegistryPartChange,
    RegistryPartCounts,
)

__all__ = [
    "MONEY",
    "NON_NEGATIVE",
    "PARTS",
    "AidMeasure",
    "CardChange",
    "Cause",
    "Evidence",
    "Gender",
    "HardshipCause",
    "Health",
    "Household",
    "IncomeItem",
    "Member",
    "RegistryChange",
    "RegistryCounts",
    "RegistryPartChange",
    "RegistryPartCounts",
    "RevealLog",
    "Tag",
    "evidence_path",
    "main_cause_by_default",
]
