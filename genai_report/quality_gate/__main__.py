"""python -m genai_report.quality_gate WAREHOUSE [--data-docs DIR] [--period P ...] [--[no-]check-publication]"""

import sys

from genai_report.quality_gate.run import main

sys.exit(main())
