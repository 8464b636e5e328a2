"""`python -m localdev` opens the local chat console (see localdev.chat)."""

import sys

from localdev.chat import main

sys.exit(main())
