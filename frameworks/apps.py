from django.apps import AppConfig

from planning import audit


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = "Competency frameworks and gap analysis"

    def ready(self) -> None:
        org = "framework__organisation_id"
        audit.register("frameworks.Framework", "organisation_id")
        audit.register("frameworks.Competency", org)
        audit.register("frameworks.Assessment", org)
        audit.register("frameworks.AssessmentScore", f"assessment__{org}")
        audit.register("frameworks.CompetencyTarget", f"competency__{org}")
        audit.register("frameworks.GapAnalysis", "plan__organisation_id")
        audit.register("frameworks.GapDimension", "analysis__plan__organisation_id")
