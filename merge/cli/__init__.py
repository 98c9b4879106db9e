"""The petition-merge command line: the only package that prints, prompts or exits.

Each command lives in the module named after what it does; importing this package
registers them all on :data:`cli`. No document library is imported before a command runs.
"""

from merge.cli import (  # noqa: F401 - registers the commands
    columns,
    doctor,
    init,
    run,
    serve,
    template,
    track,
)
from merge.cli.app import cli, main

__all__ = ["cli", "main"]
