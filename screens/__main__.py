"""``python -m screens``: the cockpit, as the ``cockpit`` command runs it."""

from screens.launch import main

raise SystemExit(main())
