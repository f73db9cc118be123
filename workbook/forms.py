from __future__ import annotations

from django import forms

from planning.spreadsheets.files import MAX_BYTES
from planning.validation import CheckedInputs


class UploadForm(CheckedInputs, forms.Form):
    file = forms.FileField(
        label="Upload the plan's workbook (.xlsx)",
        help_text=f"An Excel workbook of up to {MAX_BYTES // (1024 * 1024)} MB, laid out as "
        "the template.",
    )


class ConfirmForm(CheckedInputs, forms.Form):
    """The preview's confirmation: the upload it confirms is named in the URL."""
