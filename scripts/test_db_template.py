#!/usr/bin/env python
"""Makes the migrated template of the test databases; scripts/test.sh runs it while its checks run.

Each pytest process (xdist: gw0, gw1, …) then makes its own test database as a copy of it
(``CREATE DATABASE … TEMPLATE``, tests/conftest.py: ``django_db_setup``) instead of migrating one
from nothing: the migrations run once, on the core the linters leave idle, not once per process
under coverage. The test databases a run leaves behind are dropped here, by the next run, for the
same reason: ``DROP DATABASE`` waits for a checkpoint, which is slow while the machine is busy.

PostgreSQL only. Prints the template's name last (tests/conftest.py reads it when the job has ended).
"""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("the test databases' template is made on PostgreSQL only", file=sys.stderr)
        return 2
    test_name = connection.creation._get_test_db_name()  # test_<NAME>, as pytest-django names it
    template = f"{test_name}_template"
    left = re.compile(rf"^{re.escape(test_name)}(_gw\d+|_template)?$")
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        for (name,) in cursor.fetchall():
            if left.match(name):
                cursor.execute(f"DROP DATABASE {quote(name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(template)}")
    connection.close()
    connection.settings_dict["NAME"] = template
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    connection.close()  # a template must have no session when it is copied
    print(template)
    return 0


if __name__ == "__main__":
    sys.exit(main())
