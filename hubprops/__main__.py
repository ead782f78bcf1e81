"""``python -m hubprops``: the same as the ``hubprops`` command."""

from hubprops.cli import run

run()
