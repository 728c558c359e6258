"""MkDocs hooks of the public site, registered with `hooks:` in mkdocs.yml; the events are
in `complaints_register.website.build`."""

from complaints_register.website.build import (
    on_config,
    on_files,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_pre_build,
)

__all__ = [
    "on_config",
    "on_files",
    "on_page_markdown",
    "on_post_build",
    "on_post_page",
    "on_pre_build",
]
