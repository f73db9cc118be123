from django.core.management.base import BaseCommand

from demo.users import DEMO_PASSWORD, demo_signins


class Command(BaseCommand):
    help = "Print the demo sign-ins."

    def handle(self, *args, **options):
        rows = demo_signins()
        if not rows:
            self.stdout.write("No demo sign-ins: run `python manage.py load_demo`.")
            return
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, role, organisation in rows:
            self.stdout.write(f"  {username:<16} {role:<38} {organisation}")
