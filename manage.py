#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# The long-running processes connect as the app role, which owns no table (see settings).
APP_COMMANDS = {"runserver", "db_worker", "run_schedule"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
    if len(sys.argv) > 1 and sys.argv[1] in APP_COMMANDS:
        os.environ.setdefault("EARLYHELP_DATABASE_ROLE", "app")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
