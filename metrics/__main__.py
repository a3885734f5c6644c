"""``python -m metrics report ...`` — see metrics/cli.py."""
import sys

from .cli import main

sys.exit(main())
