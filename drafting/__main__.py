"""`python -m drafting` is the same as the `postmortem` command."""

from drafting.cli.main import main

raise SystemExit(main())
