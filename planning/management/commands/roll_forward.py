"""`manage.py roll_forward --plan <slug> --year <first year> [--by <username>]`: start next
year's plan from this one (planning.rollforward), as the preview page's confirm does.

Prints the new plan's slug, and only that, on stdout (for scripts); what happened goes to
stderr. Run again, it prints the same slug and changes nothing.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from planning.models import Plan
from planning.rollforward import roll_forward


class Command(BaseCommand):
    help = "Roll a plan forward into a new draft plan starting in the given financial year."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The slug of the plan to roll forward.")
        parser.add_argument(
            "--year",
            required=True,
            type=int,
            help="The new plan's first financial year, by its start: 2007 for 2007/08.",
        )
        parser.add_argument(
            "--by",
            default="",
            help="Username recorded in the history as who rolled it forward (must be a planner "
            "or administrator of the plan's organisation). Default: the system.",
        )

    def handle(self, *args, plan, year, by, **options):
        source = Plan.objects.select_related("organisation").filter(slug=plan).first()
        if source is None:
            raise CommandError(f"No plan has the slug {plan!r}.")
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"No user is called {by!r}.")
        try:
            outcome = roll_forward(plan=source, first_year=year, by=user)
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise CommandError(" ".join(messages)) from error
        if outcome.created:
            self.stderr.write(f"Rolled {source} forward to {outcome.plan} (a draft).")
        else:
            self.stderr.write(f"{source} was already rolled forward to {outcome.plan}: unchanged.")
        self.stdout.write(outcome.plan.slug)
