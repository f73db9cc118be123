"""Helpers for posting formsets and forms as a browser would."""

from __future__ import annotations


def _value(bound):
    value = bound.value()
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def formset_data(formset, version=None) -> dict:
    """What the browser sends for an unbound formset as rendered: every field's value."""
    data = {}
    management = formset.management_form
    for name in management.fields:
        data[management.add_prefix(name)] = str(management[name].value() or 0)
    for form in formset.forms:
        for name in form.fields:
            value = _value(form[name])
            if value is not None:
                data[form.add_prefix(name)] = value
    if version is not None:
        data["version"] = str(version)
    return data


def form_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = _value(form[name])
        if value is not None:
            data[name] = value
    return data


def page_text(response) -> str:
    """The response's HTML with entities decoded (“year's”, not “year&#x27;s”)."""
    import html

    return html.unescape(response.content.decode())
