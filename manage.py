#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# The long-running processes connect as the app role, which owns no table (see settings).
APP_COMMANDS = {"runserver", "db_worker", "run_schedule"}
# Commands that need no database, so no council: they start without reading one.
NO_DATABASE = {"help", "version", "makemessages", "compilemessages", "collectstatic", "check"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
    if len(sys.argv) > 1 and sys.argv[1] in APP_COMMANDS:
        os.environ.setdefault("EARLYHELP_DATABASE_ROLE", "app")
    from django.core.management import execute_from_command_line

    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command in NO_DATABASE or command.startswith("-"):
        execute_from_command_line(sys.argv)
        return
    # A command acts for the default council (COUNCIL_DATA) unless it chooses otherwise
    # (load_council_data and for_each_council act for each council in turn: hubs/councils.py).
    import django

    django.setup()
    from hubs.councils import acting_for_default

    with acting_for_default():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
