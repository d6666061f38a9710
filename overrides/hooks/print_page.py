"""MkDocs hook: the whole-course print page (mkdocs-print-site-plugin) under any sub-path.

The plugin renders ``print_page/`` with the template context it kept from ``404.html``,
whose ``base_url`` is absolute (``/`` or ``/training``: a 404 page is served at any
address). So the print page asked the server root for ``sitemap.xml`` and
``search/search_index.json`` (Material's ``config.base``), and ``overrides/main.html``
wrote the Python runtime's folder as ``//assets/…`` (another host). Every other page
has a relative ``base_url``; this gives the print page one too, before the plugin renders
it (a higher priority than the plugin's ``on_post_build``).
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

#: The plugin's name in mkdocs.yml ``plugins:``.
PLUGIN = "print-site"


@event_priority(50)
def on_post_build(config: Any, **kwargs: Any) -> None:
    plugin = config.plugins.get(PLUGIN)
    context = getattr(plugin, "context", None)
    if not context:
        return  # the plugin is off, or fails with its own message
    # print_page/index.html (directory URLs) or print_page.html, next to index.html.
    context["base_url"] = ".." if config.use_directory_urls else "."
