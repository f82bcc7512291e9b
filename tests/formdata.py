"""POST bodies for the household, aid-plan and evidence forms, as a browser would send them
(formset prefixes "members", "incomes" and "measures"; "causes" a multi-select)."""

import io

from PIL import Image

from hardship.idnumber import gender_of

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def rows(prefix: str, items: list[dict], initial: int = 0) -> dict:
    data = management(prefix, len(items), initial)
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"{prefix}-{index}-{key}"] = "" if value is None else value
    return data


def member_row(*, id_number: str = "", birth_date: str = "2008-09-01", **fields) -> dict:
    row = {
        "name": "张小明",
        "relation": "child",
        "birth_date": birth_date,
        "id_number": id_number,
        "health": "healthy",
        "disability_grade": "",
        "employment": "student",
        "school_stage": "high",
        "monthly_income": "0",
    }
    row.update(fields)
    return row


def income_row(**fields) -> dict:
    row = {"source": "pension", "monthly_amount": "800.00", "note": ""}
    row.update(fields)
    return row


def household_data(
    *,
    union,
    id_number: str,
    causes=("illness",),
    members: list[dict] = (),
    incomes: list[dict] = (),
    members_initial: int = 0,
    incomes_initial: int = 0,
    **fields,
) -> dict:
    data = {
        "union": str(union.pk),
        "worker_name": "张伟",
        "gender": gender_of(id_number) if len(id_number) == 18 else "M",
        "id_number": id_number,
        "phone": "13800138000",
        "address": "哈尔滨市南岗区学府路1号",
        "employer": "哈尔滨石化公司",
        "employment_status": "retired",
        "category": "near_dibao",
        "level": "hardship",
        "causes": list(causes),
        "responsible_user": "",
        "contact_person": "张丽",
        "contact_phone": "13900139000",
        "housing": "own",
        "housing_area": "45.00",
        "vehicles": "0",
        "luxury_goods": "",
        "savings": "0",
        "notes": "",
    }
    data.update(fields)
    data.update(rows("members", list(members), members_initial))
    data.update(rows("incomes", list(incomes), incomes_initial))
    return data


def household_edit_data(household, **fields) -> dict:
    """The edit form as loaded for `household`, submitted with `fields` changed."""
    members = [
        member_row(
            id=str(m.pk),
            name=m.name,
            relation=m.relation,
            birth_date=m.birth_date.isoformat(),
            id_number=m.id_number,
            health=m.health,
            disability_grade=m.disability_grade,
            employment=m.employment,
            school_stage=m.school_stage,
            monthly_income=str(m.monthly_income),
        )
        for m in household.members.all()
    ]
    incomes = [
        income_row(id=str(i.pk), source=i.source, monthly_amount=str(i.monthly_amount), note=i.note)
        for i in household.income_items.all()
    ]
    base = {
        "worker_name": household.worker_name,
        "gender": household.gender,
        "phone": household.phone,
        "address": household.address,
        "employer": household.employer,
        "employment_status": household.employment_status,
        "category": household.category,
        "level": household.level,
        "causes": [c.cause for c in household.causes.all()],
        "responsible_user": str(household.responsible_user_id or ""),
        "contact_person": household.contact_person,
        "contact_phone": household.contact_phone,
        "housing": household.housing,
        "housing_area": "" if household.housing_area is None else str(household.housing_area),
        "vehicles": str(household.vehicles),
        "luxury_goods": household.luxury_goods,
        "savings": str(household.savings),
        "notes": household.notes,
    }
    if household.is_model_worker:
        base["is_model_worker"] = "on"
        base["model_worker_title"] = household.model_worker_title
        base["model_worker_year"] = str(household.model_worker_year or "")
    # As a browser posts the form: the file's tags stay ticked.
    base["tags"] = [str(tag.pk) for tag in household.tags.all()]
    base.update(fields)
    return household_data(
        union=fields.pop("union", household.union),
        id_number=base.pop("id_number", household.id_number),
        members=members,
        incomes=incomes,
        members_initial=len(members),
        incomes_initial=len(incomes),
        **{k: v for k, v in base.items() if k not in ("union",)},
    )


def aid_plan_data(measures: list[dict], initial: int = 0) -> dict:
    return rows("measures", measures, initial)
