from django import forms

from planning.validation import CheckedInputs


class QuarterForm(CheckedInputs, forms.Form):
    """The scorecard's quarter switcher: a GET form that works without JavaScript."""

    quarter = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.key, str(q)) for q in reversed(quarters)]
