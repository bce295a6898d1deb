"""python -m practice.scoring PACK PROMPT_SLUG FILE: see cli.py."""

import sys

from .cli import main

sys.exit(main())
