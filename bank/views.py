"""Pages of bank batch payments: thin views over bank.selectors and bank.services. The bank
file and the signed roster are downloads of the reports app (every file export is logged
there)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bank import batchfile, selectors, services
from bank.forms import PaymentsBatchForm, PlanBatchForm, ReturnFileForm, VoucherForm
from hardship.pagination import paginate

PAGE_SIZE = 50


def _require_reader(user) -> None:
    if not selectors.reads_batches(user):
        raise PermissionDenied(_("银行代发只对财务、审计、党政班子成员和公司工会复核开放。"))


def _require_books(user, batch) -> None:
    if not selectors.keeps_books(user, batch):
        raise PermissionDenied(_("只有该资金账户所属单位的财务人员可以办理银行代发。"))


@login_required
def batch_list(request):
    _require_reader(request.user)
    return render(
        request,
        "bank/batch_list.html",
        {
            **paginate(request, selectors.batch_list(request.user), PAGE_SIZE),
            "can_create": selectors.makes_batches(request.user),
        },
    )


@login_required
def batch_create(request):
    if not selectors.makes_batches(request.user):
        raise PermissionDenied(_("只有财务人员可以生成代发批次。"))
    templates = selectors.templates()
    source = request.POST.get("source")
    plan_form = PlanBatchForm(
        request.POST if source == "plan" else None,
        plans=selectors.plans_to_batch(request.user),
        templates=templates,
        prefix="plan",
    )
    payments_form = PaymentsBatchForm(
        request.POST if source == "payments" else None,
        payments=selectors.payments_to_batch(request.user),
        templates=templates,
        prefix="pay",
    )
    form = plan_form if source == "plan" else payments_form if source == "payments" else None
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if form is plan_form:
                batch = services.batch_from_plan(
                    actor=request.user, plan=data["plan"], template=data["template"]
                )
            else:
                batch = services.batch_from_payments(
                    actor=request.user,
                    entries=list(data["payments"]),
                    template=data["template"],
                    purpose=data["purpose"],
                )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("代发批次 %(n)s 已生成。") % {"n": batch.number})
            return redirect(batch)
    return render(
        request,
        "bank/batch_form.html",
        {"plan_form": plan_form, "payments_form": payments_form},
    )


def _detail(request, batch, *, return_form=None, voucher_form=None, refusal=None, status=200):
    lines = list(selectors.batch_lines(batch))
    return render(
        request,
        "bank/batch_detail.html",
        {
            "batch": batch,
            "lines": lines,
            "summary": selectors.batch_summary(lines),
            "returns": batch.returns.select_related("imported_by"),
            "keeps_books": selectors.keeps_books(request.user, batch),
            "return_form": return_form or ReturnFileForm(),
            "voucher_form": voucher_form or VoucherForm(),
            "refusal": refusal,
        },
        status=status,
    )


@login_required
def batch_detail(request, pk):
    return _detail(request, selectors.get_batch_for(request.user, pk))


@login_required
@require_POST
def batch_mark_sent(request, pk):
    batch = selectors.get_batch_for(request.user, pk)
    _require_books(request.user, batch)
    try:
        services.batch_mark_sent(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("批次 %(n)s 已标记为送银行。") % {"n": batch.number})
    return redirect(batch)


@login_required
@require_POST
def return_import(request, pk):
    batch = selectors.get_batch_for(request.user, pk)
    _require_books(request.user, batch)
    form = ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, batch, return_form=form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > batchfile.MAX_RETURN_BYTES:  # refused before it is read into memory
        form.add_error(
            "file",
            _("文件过大（%(size)s），上限为 %(limit)s。")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(batchfile.MAX_RETURN_BYTES),
            },
        )
        return _detail(request, batch, return_form=form, status=400)
    try:
        outcome = services.return_import(
            actor=request.user, batch=batch, content=upload.read(), file_name=upload.name
        )
    except services.ReturnRefused as refusal:
        return _detail(request, batch, return_form=form, refusal=refusal, status=400)
    except ValidationError as error:
        form.add_error("file", " ".join(error.messages))
        return _detail(request, batch, return_form=form, status=400)
    if outcome.repeated:
        messages.info(
            request,
            _("该回盘文件已于 %(at)s 导入过，本次没有任何改动。")
            % {"at": outcome.imported.imported_at.strftime("%Y-%m-%d %H:%M")},
        )
    else:
        messages.success(
            request,
            _("回盘文件已导入：成功 %(p)d 笔，失败 %(f)d 笔（已自动冲销，并标记银行卡问题）。")
            % {"p": outcome.paid, "f": outcome.failed},
        )
    return redirect(batch)


@login_required
@require_POST
def voucher_upload(request, pk):
    batch = selectors.get_batch_for(request.user, pk)
    _require_books(request.user, batch)
    form = VoucherForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.voucher_upload(
                actor=request.user, batch=batch, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", " ".join(error.messages))
        else:
            messages.success(request, _("签字的发放花名册已上传。"))
            return redirect(batch)
    return _detail(request, batch, voucher_form=form, status=400)


@login_required
def voucher_download(request, pk):
    batch = selectors.get_batch_for(request.user, pk)
    if not batch.voucher_file:
        raise Http404
    try:
        handle = default_storage.open(batch.voucher_file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=batch.voucher_content_type, filename=batch.voucher_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def cards_to_fix(request):
    if not selectors.fixes_cards(request.user):
        raise PermissionDenied(_("待更正银行卡清单只对帮扶专干、基层工会主席和公司工会复核开放。"))
    return render(
        request,
        "bank/cards_to_fix.html",
        paginate(request, selectors.cards_to_fix(request.user), PAGE_SIZE),
    )
