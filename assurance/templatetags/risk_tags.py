"""How a score, band and trend look: one place, so the pages and PDFs show them alike."""

from __future__ import annotations

from django import template

from assurance import scoring

register = template.Library()

# Cell fill and text colour per band: dark text on the light fills, white on the dark ones
# (contrast at least 4.5:1). The band's word is printed in the cell, so colour is never alone.
FILLS = {
    scoring.Band.LOW: ("#007f3b", "#ffffff"),
    scoring.Band.MODERATE: ("#ffeb3b", "#212b32"),
    scoring.Band.HIGH: ("#ed8b00", "#212b32"),
    scoring.Band.EXTREME: ("#d5281b", "#ffffff"),
}


@register.inclusion_tag("components/tag.html")
def score_tag(rating, empty_text="Not scored"):
    """A score as a tag that says its number and band: "12 High"."""
    if rating is None:
        return {"text": empty_text, "colour": "grey"}
    return {"text": f"{rating.score} {rating.band.label}", "colour": rating.band.colour}


@register.simple_tag
def score_words(rating, empty_text="Not scored"):
    if rating is None:
        return empty_text
    return f"{rating.score} ({rating.band.value})"


@register.inclusion_tag("assurance/_heat_map.html")
def heat_map(heat, caption, id_prefix="heat-map", print=False):
    size, axis = 56, 120
    cells = []
    for row_index, row in enumerate(heat.rows):
        for column_index, cell in enumerate(row):
            fill, ink = FILLS[cell.band]
            cells.append(
                {
                    "cell": cell,
                    "x": axis + column_index * size,
                    "y": row_index * size,
                    "cx": axis + column_index * size + size // 2,
                    "cy": row_index * size + size // 2,
                    "fill": fill,
                    "ink": ink,
                }
            )
    likelihoods = [
        {"level": lk, "words": scoring.LIKELIHOOD[lk], "y": i * size + size // 2}
        for i, lk in enumerate(reversed(scoring.LEVELS))
    ]
    consequences = [
        {"level": c, "words": scoring.CONSEQUENCE[c], "x": axis + i * size + size // 2}
        for i, c in enumerate(scoring.LEVELS)
    ]
    return {
        "heat": heat,
        "caption": caption,
        "id_prefix": id_prefix,
        "cells": cells,
        "size": size,
        "likelihoods": likelihoods,
        "consequences": consequences,
        "width": axis + 5 * size + 4,
        "height": 5 * size + 64,
        "grid_bottom": 5 * size,
        "print": print,
    }


@register.simple_tag
def band_key(bands):
    return bands.ranges()


@register.inclusion_tag("components/tag.html")
def risk_status_tag(value):
    from assurance.models import RiskStatus

    return RiskStatus.tag(value)
