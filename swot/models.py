"""The plan's strategic analysis: SWOT items and PESTEL drivers."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planning.models import Plan


class Quadrant(models.TextChoices):
    STRENGTH = "S", "Strengths"
    WEAKNESS = "W", "Weaknesses"
    OPPORTUNITY = "O", "Opportunities"
    THREAT = "T", "Threats"


class PestelCategory(models.TextChoices):
    POLITICAL = "political", "Political"
    ECONOMIC = "economic", "Economic"
    SOCIAL = "social", "Social"
    TECHNOLOGICAL = "technological", "Technological"
    ENVIRONMENTAL = "environmental", "Environmental"
    LEGAL = "legal", "Legal"


class SwotItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="swot_items")
    quadrant = models.CharField(max_length=1, choices=Quadrant.choices)
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    # Raised by every save made through the editing pages (planning.concurrency).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "quadrant", "order"]
        verbose_name = "SWOT item"
        constraints = [
            models.CheckConstraint(
                condition=Q(quadrant__in=Quadrant.values), name="swot_quadrant_valid"
            ),
            models.UniqueConstraint(fields=["plan", "quadrant", "order"], name="unique_swot_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_quadrant_display()}: {self.text}"


class PestelDriver(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pestel_drivers")
    category = models.CharField(max_length=20, choices=PestelCategory.choices)
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    # Raised by every save made through the editing pages (planning.concurrency).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "category", "order"]
        verbose_name = "PESTEL driver"
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=PestelCategory.values), name="pestel_category_valid"
            ),
            models.UniqueConstraint(
                fields=["plan", "category", "order"], name="unique_pestel_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.text}"
