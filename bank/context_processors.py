from bank import selectors


def cards_to_fix(request):
    """The navigation's count of cards the bank returned payments to, for those who fix
    them (caseworker, grassroots chair, company reviewer). The household's responsible person
    also finds each on their task list (bank.worklist)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not selectors.fixes_cards(user):
        return {}
    return {"nav_fixes_cards": True, "nav_cards_to_fix": selectors.cards_to_fix(user).count()}
