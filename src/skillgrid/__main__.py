"""``python -m skillgrid`` runs the command-line interface."""

from skillgrid.cli import main

main()
