"""Risk scoring on the NHS 5×5 matrix: scores, bands, appetite, trend and the heat map.

Plain Python, no Django: the models, forms, pages, PDFs and tests all ask here, so a score is
banded the same way everywhere.

- A score is likelihood × consequence, each 1–5 (likelihood 1 rare … 5 almost certain;
  consequence 1 negligible … 5 catastrophic), so 1–25. Only 14 products occur (there is no 7,
  11, 13, 14, 17, 18, 19, 21, 22, 23 or 24): bands are given by their upper bounds, so a gap
  between the default bands (3 → 4, 6 → 8, 12 → 15) never leaves a score unbanded.
- Bands are configurable per organisation; the default is the NHS's: 1–3 low, 4–6 moderate,
  8–12 high, 15–25 extreme.
- Trend compares the last two reviews' scores: a lower score is an improvement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

LEVELS = (1, 2, 3, 4, 5)
MIN_SCORE, MAX_SCORE = 1, 25

LIKELIHOOD = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
CONSEQUENCE = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Catastrophic"}

SCORE_OUT_OF_RANGE = "Enter {what} from 1 to 5"
HALF_SCORED = "Enter both the likelihood and the consequence, or neither"
TARGET_ABOVE_INHERENT = (
    "The target score ({target}) cannot be higher than the inherent score ({inherent}): the "
    "target is where the controls and actions should bring the risk"
)


class Band(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    EXTREME = "extreme"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def colour(self) -> str:
        """The NHS.UK tag modifier; the band's word is always shown with it."""
        return {"low": "green", "moderate": "yellow", "high": "orange", "extreme": "red"}[self]


@dataclass(frozen=True)
class Bands:
    """The upper bound of each band but the last (extreme runs to 25)."""

    low_max: int = 3
    moderate_max: int = 6
    high_max: int = 12

    def problems(self) -> list[str]:
        """Why these bounds cannot be used, or [] if they can."""
        if not (MIN_SCORE <= self.low_max < self.moderate_max < self.high_max < MAX_SCORE):
            return [
                "Each band must end above the one before it: low from 1, then moderate, then "
                "high, with extreme above high and ending at 25"
            ]
        return []

    def band(self, score: int) -> Band:
        if not MIN_SCORE <= score <= MAX_SCORE:
            raise ValueError(f"A score runs from 1 to 25, not {score}.")
        if score <= self.low_max:
            return Band.LOW
        if score <= self.moderate_max:
            return Band.MODERATE
        if score <= self.high_max:
            return Band.HIGH
        return Band.EXTREME

    def ranges(self) -> list[tuple[Band, int, int]]:
        """(band, lowest score, highest score) as the settings page and the key print them."""
        return [
            (Band.LOW, MIN_SCORE, self.low_max),
            (Band.MODERATE, self.low_max + 1, self.moderate_max),
            (Band.HIGH, self.moderate_max + 1, self.high_max),
            (Band.EXTREME, self.high_max + 1, MAX_SCORE),
        ]


DEFAULT_BANDS = Bands()


def valid_level(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in LEVELS


def score(likelihood: int | None, consequence: int | None) -> int | None:
    """likelihood × consequence, or None when the risk is not scored (either is missing)."""
    if likelihood is None or consequence is None:
        return None
    if not (valid_level(likelihood) and valid_level(consequence)):
        raise ValueError("Likelihood and consequence run from 1 to 5.")
    return likelihood * consequence


@dataclass(frozen=True)
class Rating:
    """One score on the matrix: likelihood, consequence, their product and band."""

    likelihood: int
    consequence: int
    bands: Bands = DEFAULT_BANDS

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def band(self) -> Band:
        return self.bands.band(self.score)

    @property
    def words(self) -> str:
        """'12 (high): likelihood 3 possible × consequence 4 major'."""
        return (
            f"{self.score} ({self.band.value}): likelihood {self.likelihood} "
            f"{LIKELIHOOD[self.likelihood].lower()} × consequence {self.consequence} "
            f"{CONSEQUENCE[self.consequence].lower()}"
        )


def rating(likelihood, consequence, bands: Bands = DEFAULT_BANDS) -> Rating | None:
    if likelihood is None or consequence is None:
        return None
    return Rating(likelihood, consequence, bands)


def pair_problems(what: str, likelihood, consequence) -> dict[str, str]:
    """Problems with one likelihood/consequence pair, keyed "likelihood"/"consequence"/""."""
    found = {}
    for key, value in (("likelihood", likelihood), ("consequence", consequence)):
        if value is not None and not valid_level(value):
            found[key] = SCORE_OUT_OF_RANGE.format(what=_article(f"{what} {key}"))
    if not found and (likelihood is None) != (consequence is None):
        missing = "likelihood" if likelihood is None else "consequence"
        found[missing] = f"{HALF_SCORED} ({what} score)"
    return found


def _article(words: str) -> str:
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def score_problems(
    *, inherent: tuple[int | None, int | None], target: tuple[int | None, int | None]
) -> str:
    """The rule between scores: the target may not be above the inherent score. "" if fine."""
    inherent_score = _safe_score(*inherent)
    target_score = _safe_score(*target)
    if inherent_score is not None and target_score is not None and target_score > inherent_score:
        return TARGET_ABOVE_INHERENT.format(target=target_score, inherent=inherent_score)
    return ""


def _safe_score(likelihood, consequence) -> int | None:
    try:
        return score(likelihood, consequence)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Appetite and trend
# ---------------------------------------------------------------------------------------------


def within_appetite(current: int | None, appetite: int | None) -> bool | None:
    """Is the current score within the category's appetite (the highest score the board will
    tolerate)? None when either is unknown."""
    if current is None or appetite is None:
        return None
    return current <= appetite


class Trend(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    STABLE = "stable"
    NEW = "new"  # fewer than two scored reviews: nothing to compare

    @property
    def words(self) -> str:
        return {
            "improving": "Improving (score down)",
            "worsening": "Worsening (score up)",
            "stable": "No change",
            "new": "No earlier score",
        }[self]

    @property
    def arrow(self) -> str:
        """A symbol shown beside the words, never instead of them."""
        return {"improving": "↓", "worsening": "↑", "stable": "→", "new": "–"}[self]


def trend(scores: Iterable[int | None]) -> Trend:
    """The trend of a series of review scores, oldest first (unscored reviews skipped)."""
    scored = [s for s in scores if s is not None]
    if len(scored) < 2:
        return Trend.NEW
    before, now = scored[-2], scored[-1]
    if now < before:
        return Trend.IMPROVING
    if now > before:
        return Trend.WORSENING
    return Trend.STABLE


# ---------------------------------------------------------------------------------------------
# The heat map
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    likelihood: int
    consequence: int
    count: int
    band: Band

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def words(self) -> str:
        noun = "risk" if self.count == 1 else "risks"
        return (
            f"{self.count} {noun} at likelihood {self.likelihood} "
            f"({LIKELIHOOD[self.likelihood].lower()}), consequence {self.consequence} "
            f"({CONSEQUENCE[self.consequence].lower()}): score {self.score}, "
            f"{self.band.value}"
        )


@dataclass(frozen=True)
class HeatMap:
    rows: list[list[Cell]]  # likelihood 5 (top) down to 1; consequence 1 … 5 across
    total: int
    unscored: int

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row]

    @property
    def occupied(self) -> list[Cell]:
        """The cells with risks, worst score first: the table alternative's rows."""
        return sorted(
            (c for c in self.cells if c.count),
            key=lambda c: (-c.score, -c.likelihood, -c.consequence),
        )


def heat_map(
    pairs: Sequence[tuple[int | None, int | None]], bands: Bands = DEFAULT_BANDS
) -> HeatMap:
    """Counts of (likelihood, consequence) pairs per cell; unscored pairs counted apart."""
    counts: dict[tuple[int, int], int] = {}
    unscored = 0
    for likelihood, consequence in pairs:
        if likelihood is None or consequence is None:
            unscored += 1
            continue
        counts[(likelihood, consequence)] = counts.get((likelihood, consequence), 0) + 1
    rows = [
        [Cell(lk, c, counts.get((lk, c), 0), bands.band(lk * c)) for c in LEVELS]
        for lk in reversed(LEVELS)
    ]
    return HeatMap(rows=rows, total=len(pairs), unscored=unscored)
