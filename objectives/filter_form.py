"""The objectives table's filter form, drawn in Python.

Drawn by the form renderer, the form's twelve fields cost about fifty template renders a page
(templates/django/forms/field.html, its hint-and-errors include, the field's (empty) error list
and the widget, and an include per option of each drop-down): a fifth of the page's time. Here
the widgets below draw themselves with str.format over escaped texts, and `filter_fields` draws
the field groups around them.

The markup and its whitespace are exactly the templates': tests/objectives/test_filter_form.py
renders the form both ways (through the templates, with `drawn` off) on choices full of markup,
with values chosen, and compares them byte for byte. A field with errors, a hidden field, a
widget drawn from another template or a drop-down with groups is still drawn by the templates,
so nothing rare is copied here. Changing those templates' markup means changing this module
and its test together. docs/decisions/fast-rows.md says why.

The widget classes keep Django's names: field.html decides a field's markup by its widget's
class name (BoundField.widget_type), so a field drawn by the templates stays as it was.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

from planning.templatetags.waymark import widget_attrs


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: kept as it is when already safe (the filter is_safe)."""
    text = "%s" % (value,)  # noqa: UP031 - the filter's own formatting
    return text if isinstance(value, SafeData) else conditional_escape(text)


class _Drawn:
    """A widget that draws its default template's markup itself (`drawn` off: the template)."""

    drawn = True

    def render(self, name, value, attrs=None, renderer=None):
        # __mro__[2]: the Django widget this one draws (this class, _Drawn, then it).
        if not self.drawn or self.template_name != type(self).__mro__[2].template_name:
            return super().render(name, value, attrs, renderer)
        html = self.draw(self.get_context(name, value, attrs)["widget"])
        if html is None:
            return super().render(name, value, attrs, renderer)
        return mark_safe(html)  # noqa: S308 - every text in it escaped in draw()


def _input(widget, *classes) -> str:
    """templates/django/forms/widgets/input.html (and date.html, with its classes)."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{widget_attrs(widget, *classes)}>'
    )


class TextInput(_Drawn, forms.TextInput):
    def draw(self, widget):
        return _input(widget)


class DateInput(_Drawn, forms.DateInput):
    def draw(self, widget):
        return _input(widget, "nhsuk-input", "nhsuk-input--width-10")


class CheckboxInput(_Drawn, forms.CheckboxInput):
    def draw(self, widget):  # Django's checkbox.html includes input.html
        return _input(widget)


def _option_attrs(attrs) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(_Drawn, forms.Select):
    def draw(self, widget):
        """templates/django/forms/widgets/select.html with Django's select_option.html."""
        options = []
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                return None  # groups: drawn by the template
            for option in group_choices:
                if option["template_name"] != self.option_template_name:
                    return None
                options.append(
                    f'\n  <option value="{_formatted(option["value"])}"'
                    f"{_option_attrs(option['attrs'])}>{conditional_escape(option['label'])}"
                    "</option>\n"
                )
        return (
            f'<select name="{conditional_escape(widget["name"])}"'
            f"{widget_attrs(widget, 'nhsuk-select')}>{''.join(options)}\n</select>"
        )


# The item page's progress form draws these too (objectives.forms.ProgressUpdateForm).
class NumberInput(_Drawn, forms.NumberInput):
    def draw(self, widget):  # Django's number.html includes input.html
        return _input(widget)


class URLInput(_Drawn, forms.URLInput):
    def draw(self, widget):  # Django's url.html includes input.html
        return _input(widget)


class HiddenInput(_Drawn, forms.HiddenInput):
    def draw(self, widget):  # Django's hidden.html includes input.html
        return _input(widget)


class Textarea(_Drawn, forms.Textarea):
    def draw(self, widget):
        """templates/django/forms/widgets/textarea.html."""
        value = conditional_escape(widget["value"]) if widget["value"] else ""
        return (
            f'<textarea name="{conditional_escape(widget["name"])}"'
            f"{widget_attrs(widget, 'nhsuk-textarea')}>\n{value}</textarea>"
        )


class RadioSelect(_Drawn, forms.RadioSelect):
    """The widget only: its field group (a fieldset, by field.html) stays the template's, so
    this is not among DRAWN_WIDGETS."""

    def draw(self, widget):
        """templates/django/forms/widgets/radio.html: the progress form's quarters."""
        element_id = widget["attrs"].get("id")
        id_attr = f' id="{conditional_escape(element_id)}"' if element_id else ""
        items = []
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                return None  # groups: drawn by the template
            for option in group_choices:
                value = "" if option["value"] is None else f' value="{_formatted(option["value"])}"'
                items.append(
                    '\n  <div class="nhsuk-radios__item">\n'
                    f'    <input type="{conditional_escape(option["type"])}" '
                    f'name="{conditional_escape(option["name"])}"{value}'
                    f"{widget_attrs(option, 'nhsuk-radios__input')}>\n"
                    '    <label class="nhsuk-label nhsuk-radios__label" '
                    f'for="{conditional_escape(option["attrs"].get("id", ""))}">'
                    f"{conditional_escape(option['label'])}</label>\n  </div>"
                )
        return (
            f'<div class="nhsuk-radios" data-module="nhsuk-radios"{id_attr}>'
            f"{''.join(items)}\n</div>"
        )


DRAWN_WIDGETS = (
    TextInput,
    DateInput,
    CheckboxInput,
    Select,
    NumberInput,
    URLInput,
    HiddenInput,
    Textarea,
)

_LABEL = '<label class="nhsuk-label" for="{}">{}{}</label>'
_HINT = '<div class="nhsuk-hint" id="{}_helptext">{}</div>'
_GROUP = '<div class="nhsuk-form-group">\n\n  {}\n  {}\n\n\n  {}\n\n</div>'
_CHECKBOX_GROUP = (
    '<div class="nhsuk-form-group">\n\n  {}\n\n\n'
    '  <div class="nhsuk-checkboxes">\n'
    '    <div class="nhsuk-checkboxes__item">\n'
    "      {}\n"
    '      <label class="nhsuk-label nhsuk-checkboxes__label" for="{}">{}</label>\n'
    "    </div>\n"
    "  </div>\n\n</div>"
)


def filter_fields(form) -> SafeString:
    """`{% for field in form %}<div>{{ field.as_field_group }}</div>{% endfor %}`."""
    return mark_safe(  # noqa: S308 - every text in it escaped below or by Django
        "".join(f"<div>{_field_group(field)}</div>" for field in form)
    )


def drawn_fields(fields) -> SafeString:
    """`{% for field in fields %}{{ field.as_field_group }}{% endfor %}`: the item page's
    progress form (the group of a field of another widget, e.g. the radios' fieldset, or with
    errors, by the templates)."""
    return mark_safe(  # noqa: S308 - every text in it escaped below or by Django
        "".join(_field_group(field) for field in fields)
    )


def _field_group(field) -> str:
    """templates/django/forms/field.html for a field without errors and with a drawn widget."""
    widget = field.field.widget
    if (
        field.errors
        or field.is_hidden
        or not isinstance(widget, DRAWN_WIDGETS)
        or not widget.drawn
        or field.template_name != "django/forms/field.html"
    ):
        return field.as_field_group()
    # help_text|safe: written by developers in forms, never by users (as the template says).
    hint = (
        _HINT.format(conditional_escape(field.auto_id), field.help_text) if field.help_text else ""
    )
    label = conditional_escape(field.label) if field.label else ""
    if isinstance(widget, CheckboxInput):
        return _CHECKBOX_GROUP.format(
            hint, field.as_widget(), conditional_escape(field.id_for_label), label
        )
    if label:
        optional = "" if field.field.required else " (optional)"
        label = _LABEL.format(conditional_escape(field.id_for_label), label, optional)
    return _GROUP.format(label, hint, field.as_widget())
