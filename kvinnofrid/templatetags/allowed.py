"""`{% allowed "app.permission" user as name %}`: what the rules (django-rules) let a user do.

The menu asks here rather than with django-rules' `{% has_perm %}`, which goes through every
authentication backend: for a rule that says no, Django's ModelBackend then reads the user's
and their groups' permissions (two queries) though the rule needs neither, and it lets every
superuser pass, whatever the jury's rules say.
"""

import rules
from django import template

register = template.Library()


@register.simple_tag
def allowed(permission: str, user, obj=None) -> bool:
    return rules.has_perm(permission, user, obj)
