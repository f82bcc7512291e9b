"""The hash chains that `verify_integrity` walks and `checkpoint_integrity` anchors.

Adding a chain is one entry in CHAINS: the model inherits hardship.chain.ChainedRecord
(prev_hash, row_hash, chain_position) and names its `CHAIN` and `CHAINED_FIELDS`, and its
service calls `hardship.chain.link()` before saving a row.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Chain:
    name: str  # the ChainHead's name (the model's CHAIN)
    label: str
    model: str  # "app_label.ModelName"
    # Rows in chain order; default: the model's rows by position (or id).
    queryset: Callable | None = None
    # The hashed content of one row; default: row.chain_content().
    content: Callable | None = None

    @property
    def model_class(self):
        return apps.get_model(self.model)

    @property
    def positioned(self) -> bool:
        return any(f.name == "chain_position" for f in self.model_class._meta.concrete_fields)

    def rows(self):
        if self.queryset is not None:
            return self.queryset()
        order = ("chain_position", "pk") if self.positioned else ("pk",)
        return self.model_class.objects.order_by(*order)

    def content_of(self, row) -> dict:
        return self.content(row) if self.content is not None else row.chain_content()


CHAINS = [
    Chain("ledger", _("资金台账"), "funds.LedgerEntry"),
    Chain("decisions", _("审批记录"), "cases.Decision"),
    Chain("plan_decisions", _("发放方案审批记录"), "funds.PlanDecision"),
    Chain("appeal_decisions", _("申诉处理记录"), "cases.AppealDecision"),
    Chain("year_closing", _("年度结账"), "funds.YearClosing"),
    Chain("loan_decisions", _("借款审批记录"), "loans.LoanDecision"),
    Chain("disclosure_decisions", _("账务公开办理记录"), "reports.DisclosureDecision"),
]


def installed_chains() -> list[Chain]:
    """The chains whose model exists in this code base."""
    found = []
    for chain in CHAINS:
        try:
            chain.model_class  # noqa: B018  (raises LookupError for a model not installed)
        except LookupError:
            continue
        found.append(chain)
    return found
