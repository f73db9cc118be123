from django import template

register = template.Library()


@register.filter
def descriptor(competency, level: int) -> str:
    """{{ competency|descriptor:2 }}: what level 2 looks like for this competency."""
    return competency.descriptor(int(level))
