from django import forms

from planning.validation import CheckedInputs


class QuarterForm(CheckedInputs, forms.Form):
    """The scorecard's quarter switcher: a GET form that works without JavaScript. Newest
    first; a quarter outside the plan's years (offered because it has data) says so."""

    quarter = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, quarters, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.key, _label(q, plan)) for q in reversed(quarters)]


def _label(quarter, plan) -> str:
    if plan.start_year <= quarter.year <= plan.end_year:
        return str(quarter)
    return f"{quarter}, outside the plan"
