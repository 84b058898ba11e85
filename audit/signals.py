"""Staff sign-ins go into the audit log (nominators' and jurors' do not: too many, too little)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from audit.models import Action
from audit.services import record


@receiver(user_logged_in, dispatch_uid="audit.staff_signed_in")
def staff_signed_in(sender, request, user, **kwargs) -> None:
    if user.is_staff or user.is_superuser:
        record(Action.STAFF_SIGNED_IN, actor=user, target=user)
