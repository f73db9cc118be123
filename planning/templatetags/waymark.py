"""Small presentation helpers: status tags and NHS.UK form-widget classes.

A tag's words and colour come from its choices class (planning.rag.RAG, PlanStatus), not from
templates, so every page shows a given RAG or status the same way.
"""

from __future__ import annotations

from django import template
from django.forms.boundfield import BoundField
from django.forms.formsets import BaseFormSet
from django.urls import NoReverseMatch, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe

from planning import audit_rows, permissions
from planning.models import PlanStatus
from planning.permissions import Action
from planning.rag import RAG

register = template.Library()


@register.inclusion_tag("components/tag.html")
def rag_tag(value, complete=False):
    """A RAG rating as a tag whose words say the rating: colour is never the only cue.

    ``complete``: the item's status says it is complete, so a blank rating reads "Complete"."""
    return RAG.tag(value, complete=bool(complete))


@register.simple_tag
def rag_words(value, complete=False):
    """The words of a rating (RAG.words), for places that show no tag (the PDFs' plain cells)."""
    return RAG.words(value, complete=bool(complete))


@register.inclusion_tag("components/tag.html")
def plan_status_tag(value):
    return PlanStatus.tag(value)


# The class each kind of <input> takes in NHS.UK markup (hidden inputs take none), and the
# modifier that marks an invalid text box, select or textarea.
INPUT_CLASSES = {
    "checkbox": "nhsuk-checkboxes__input",
    "radio": "nhsuk-radios__input",
    "file": "nhsuk-file-upload__input",
    "hidden": "",
}
ERROR_MODIFIERS = {
    "nhsuk-input": "nhsuk-input--error",
    "nhsuk-select": "nhsuk-select--error",
    "nhsuk-textarea": "nhsuk-textarea--error",
}


def _is_flag_or_blank(value) -> bool:
    return value is True or value is False or value is None or value == ""


@register.simple_tag
def widget_attrs(widget, base_class="", extra_class=""):
    """A form widget's attributes, with NHS.UK classes merged into any the form gave it.

    Django marks an invalid widget with aria-invalid="true" (BoundField.build_widget_attrs):
    it is the only sign of an error a widget template sees, and adds the --error modifier.
    """
    attrs = dict(widget["attrs"])
    if not base_class:
        base_class = INPUT_CLASSES.get(widget.get("type", ""), "nhsuk-input")
    classes = [base_class, extra_class]
    if attrs.get("aria-invalid") in ("true", True):
        classes.append(ERROR_MODIFIERS.get(base_class, ""))
    classes.append(attrs.get("class", ""))
    attrs["class"] = " ".join(c for c in classes if c)
    # Identity, not equality: min=0 and rows=1 are values, not False and True. Joined by hand
    # (format_html_join's markup, escaped the same way): every field of every form draws this.
    valued = "".join(
        f' {conditional_escape(k)}="{conditional_escape(v)}"'
        for k, v in attrs.items()
        if not _is_flag_or_blank(v)
    )
    flags = "".join(f" {conditional_escape(k)}" for k, v in attrs.items() if v is True)
    return mark_safe(valued + flags)  # noqa: S308 -- every name and value is escaped above


@register.filter
def select_option(option) -> str:
    """One <option> exactly as Django's select_option.html (and its attrs.html) draws it,
    without the two template includes per option: a select of quarters or statuses on every
    item page drew each option through two templates (issue 17). Values and labels are escaped
    as {{ }} escapes them (localized first, as the template engine does)."""
    attrs = "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in option["attrs"].items()
        if value is not False
    )
    label = option["label"]
    if not isinstance(label, str):
        label = str(localize(label))
    return mark_safe(  # noqa: S308 -- every part above is escaped
        f'<option value="{conditional_escape(str(option["value"]))}"{attrs}>'
        f"{conditional_escape(label)}</option>\n"  # the template file ends with a newline
    )


DATE_PARTS = {"day": "Day", "month": "Month", "year": "Year"}


@register.filter
def date_part_label(subwidget) -> str:
    """Day, Month or Year, for one select of a SelectDateWidget (named like "due_day")."""
    return DATE_PARTS.get(subwidget["name"].rsplit("_", 1)[-1], "")


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id the error summary links to: the input itself, or the first of a group."""
    if field.id_for_label:
        return field.id_for_label
    return field.field.widget.id_for_label(field.auto_id, "0") or field.auto_id


@register.inclusion_tag("components/pagination.html", takes_context=True)
def pagination(context, page, param="page"):
    """NHS.UK pagination for a Django Page; links keep the rest of the query string."""
    if page is None or page.paginator.num_pages < 2:
        return {"items": []}
    query = context["request"].GET.copy()

    def href(number):
        query[param] = number
        return f"?{query.urlencode()}"

    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(number), "current": number == page.number})
    return {
        "items": items,
        "previous": href(page.previous_page_number()) if page.has_previous() else "",
        "next": href(page.next_page_number()) if page.has_next() else "",
    }


@register.simple_tag
def merge_attrs(attrs, *classes):
    """HTML attributes (e.g. a django-tables2 AttributeDict) with NHS.UK classes put first."""
    if hasattr(attrs, "_iteritems"):
        # django-tables2 nests thead/tbody/th/td attrs in the table's and computes callables.
        attrs = dict(attrs._iteritems())
    attrs = dict(attrs or {})
    given = str(attrs.pop("class", "") or "").split()
    # dict.fromkeys keeps the order and drops a class the table's attrs repeat.
    merged = " ".join(dict.fromkeys(c for c in (*classes, *given) if c))
    items = [("class", merged), *attrs.items()] if merged else list(attrs.items())
    return format_html_join("", ' {}="{}"', ((k, v) for k, v in items if not _is_flag_or_blank(v)))


# The service navigation in the header: (text, URL name). An entry whose URL does not exist
# (an app not mounted) is left out rather than breaking every page.
# (text, URL name, permission needed in at least one of the user's organisations)
NAVIGATION = [
    ("Home", "planning:home", None),
    # Only for those who may update: a board member's My work is always empty.
    ("My work", "objectives:my_work", Action.UPDATE_PROGRESS),
    ("Objectives and actions", "objectives:list", None),
    ("Budgets", "budgets:index", None),
    ("Audit trail", "reporting:audit", Action.VIEW_AUDIT),
    # Administrators manage their people there; planners see who has not updated.
    ("People", "people:index", Action.EDIT_PLAN),
]


@register.simple_tag(takes_context=True)
def header_navigation(context):
    """The header's navigation items, the one for the page being shown marked current."""
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.view_name if match else ""
    items = []
    user = getattr(context.get("request"), "user", None)
    for text, name, action in NAVIGATION:
        if action and not permissions.may_anywhere(user, action):
            continue
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"text": text, "href": href, "current": name == current})
    return items


@register.simple_tag(takes_context=True)
def may(context, action: str, organisation_id: int) -> bool:
    """{% may "export" plan.organisation_id as can_export %}: the permission check, for a link."""
    user = context["request"].user
    return permissions.has_permission(user, Action(action), organisation_id)


# ---------------------------------------------------------------------------------------------
# Components that take any content, and the error summary's items
# ---------------------------------------------------------------------------------------------


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # NodeList.render escapes as it goes and returns safe HTML, so the captured block can be
        # handed to a component (details' html, error summary's description) as it is.
        context[self.name] = self.nodelist.render(context)
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: render the block into `name`, for a component
    whose content is more than plain text (e.g. components/details.html with html=name)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


def _form_error_items(form) -> list[dict[str, str]]:
    items = []
    first = next(iter(form.visible_fields()), None)
    for error in form.non_field_errors():
        # An error of the whole form links to its first field (none: plain text).
        items.append({"text": error, "href": f"#{error_anchor(first)}" if first else ""})
    for field in form:
        items.extend({"text": error, "href": f"#{error_anchor(field)}"} for error in field.errors)
    return items


def _formset_error_items(formset, legend: str) -> list[dict[str, str]]:
    items = [{"text": error, "href": "#formset-start"} for error in formset.non_form_errors()]
    for n, form in enumerate(formset, start=1):
        row, line = f"{legend} {n}", f"#line-{n}"
        items.extend({"text": f"{row}: {error}", "href": line} for error in form.non_field_errors())
        for field in form.visible_fields():
            items.extend(
                {"text": f"{row}: {error}", "href": f"#{error_anchor(field)}"}
                for error in field.errors
            )
        # A hidden field (the row's key) fails only when the row changed meanwhile.
        for field in form.hidden_fields():
            items.extend(
                {
                    "text": f"{row}: this line changed after you opened the page; open it again",
                    "href": line,
                }
                for _ in field.errors
            )
    return items


@register.filter
def error_items(form, legend: str = "") -> list[dict[str, str]]:
    """The errors of a form or formset as the error summary's items ({text, href}), each
    linking to where it is: a field, or a formset's row ("`legend` n: …", legend "Line")."""
    if form is None or form == "":
        return []
    if isinstance(form, BaseFormSet):
        return _formset_error_items(form, legend or "Line")
    return _form_error_items(form)


@register.simple_tag
def summary_items(*pairs) -> list[dict[str, str]]:
    """{% summary_items "text" "#href" … as items %}: items written in the template itself."""
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("summary_items takes text and href in pairs.")
    return [
        {"text": text, "href": href} for text, href in zip(pairs[::2], pairs[1::2], strict=True)
    ]


@register.simple_tag
def audit_changes(changes):
    """{% audit_changes c.changes %}: planning/_audit_changes.html drawn in Python, for the
    audit page's hundred rows (planning.audit_rows)."""
    return audit_rows.changes_html(changes)
