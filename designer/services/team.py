"""Writes for the team: an administrator adds a teammate with a temporary password.

The view lets only staff users in (``designer.views.team``); the service checks the input and
raises :class:`AccountError` naming the problem, writing nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from designer.errors import AccountError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def teammate_create(*, actor: User, username: str, email: str, password: str) -> User:
    """Create an active, non-staff user who logs in with ``password`` (theirs to change after)."""
    users = get_user_model()._default_manager
    username, email = username.strip(), email.strip()
    if not username:
        raise AccountError("Enter a username.")
    try:
        get_user_model().username_validator(username)
    except ValidationError:
        raise AccountError(
            f"“{username}” cannot be a username: use letters, digits and @ . + - _ only (no spaces)."
        ) from None
    if len(username) > 150:
        raise AccountError("A username has at most 150 characters.")
    if users.filter(username__iexact=username).exists():
        raise AccountError(f"There is already a user “{username}”.")
    if not email:
        raise AccountError("Enter an e-mail address: review requests are sent there.")
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError(f"“{email}” is not an e-mail address.") from None
    taken = users.filter(email__iexact=email).values_list("username", flat=True).first()
    if taken:
        raise AccountError(f"{email} is already the e-mail address of {taken}.")
    if not password:
        raise AccountError("Enter a temporary password.")
    user = get_user_model()(username=username, email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise AccountError("The temporary password is too weak: " + " ".join(error.messages)) from None
    user.set_password(password)
    user.save()
    logger.info("user %s added by %s", username, actor.get_username())
    return user
