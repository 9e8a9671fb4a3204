"""`python -m studyplan.io.plan_import SEED OUT.json YEAR` regenerates a bundled plan."""

from studyplan.io.plan_import.json_form import main

raise SystemExit(main())
