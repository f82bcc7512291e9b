"""Helpers for the appeal tests: lodge and decide appeals through the real services."""

from cases import appeals


def lodge(actor, application, reason="原决定认定的家庭收入有误，请求复查。"):
    return appeals.appeal_lodge(actor=actor, application=application, reason=reason)


def decide(actor, appeal, uphold=True, comment="经复查，原决定认定事实有误。", send_back_to=""):
    appeal.refresh_from_db()
    if uphold and not send_back_to:
        send_back_to = "submitted"
    return appeals.appeal_decide(
        actor=actor,
        appeal=appeal,
        uphold=uphold,
        expected_state=appeal.state,
        comment=comment,
        send_back_to=send_back_to,
    )
