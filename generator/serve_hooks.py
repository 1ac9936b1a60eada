"""MkDocs hooks for `serve`: the dev server's pages go through the allow-list a build's go through.

`build` cleans the finished site (sanitise.secure_site) before it publishes it. The dev server
writes and serves its pages itself, so build/serve.yml names this file under `hooks:` and each
page is cleaned as MkDocs writes it, the search index after. A page that would still hold what
no page may (something of the theme's, not of content) fails the rebuild, and the server keeps
showing the last good pages. Loaded by MkDocs alone; the generator never imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.sanitise import clean_page, clean_search_index, page_problems


def safe_page(html: str, name: str) -> str:
    """The page as a build would publish it, or an error naming what no page may hold."""
    cleaned = clean_page(html)
    problems = page_problems(cleaned)
    if problems:
        from mkdocs.exceptions import PluginError

        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise PluginError(f"unsafe HTML in {name}: {problems[0]}{more}; the last good page is still served")
    return cleaned


def on_post_page(output: str, page: Any, config: Any) -> str:
    return safe_page(output, page.file.src_uri)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """The theme's own pages (404.html); sitemap.xml is not HTML."""
    return safe_page(output_content, template_name) if template_name.endswith(".html") else output_content


def on_post_build(config: Any) -> None:
    clean_search_index(Path(config["site_dir"]))
