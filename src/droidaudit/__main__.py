"""`python -m droidaudit`: the same command line as `droidaudit`."""

from droidaudit.cli import main

main(prog_name="droidaudit")
