"""{% one_time_token %}: the hidden one-time token (planning.idempotency) for a form written
in a template rather than by a Django form, e.g. a button that completes a milestone."""

from django import template
from django.utils.html import format_html

from planning import idempotency

register = template.Library()


@register.simple_tag
def one_time_token() -> str:
    return format_html(
        '<input type="hidden" name="{}" value="{}">', idempotency.FIELD, idempotency.new_token()
    )
