"""MkDocs hooks of the public site, registered with `hooks:` in mkdocs.yml; the events are
in `scripts.site_build`."""

import os
import sys

# MkDocs puts this file's folder first on sys.path while it loads it, where calendar.py and
# statistics.py would hide the standard library's modules of the same names from every
# import made meanwhile (Babel's, SciPy's...). Take it off again: `scripts` is a package.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [path for path in sys.path if os.path.abspath(path or ".") != _here]

from scripts.site_build import (on_config, on_files, on_page_markdown, on_post_build,  # noqa: E402
                                on_post_page, on_pre_build)

__all__ = ["on_config", "on_files", "on_pre_build", "on_page_markdown", "on_post_page",
           "on_post_build"]
