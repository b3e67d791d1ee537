"""Markdown written by people, turned into HTML that is safe to show anywhere.

markdown-it-py renders CommonMark with raw HTML switched off (so `<script>` stays text), then
nh3 keeps only the tags and attributes in the allow-list below, only http, https and mailto
links, and gives every link rel="noopener noreferrer nofollow". Headings move down two levels
(`#` becomes <h3>) so a post never competes with the page's own <h1> and <h2>. Images in the
text keep only their alt text: an update's picture is its one uploaded, checked image.

The HTML is stored at write time (ProgressUpdate.body_html) for the API, digests and the public
page; pages clean it once more on output (`clean`), so a later, tighter allow-list also covers
what was stored before.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "del",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
# Dropped with everything inside them (other unknown tags lose the tag but keep their text).
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math"})
HEADING_SHIFT = 2

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)


def clean(html: str) -> str:
    """HTML reduced to the allow-list: no scripts, no event handlers, no styles, safe links."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render(text: str) -> str:
    """Markdown → sanitised HTML."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
            token.tag = f"h{level}"
        for child in token.children or []:
            # Pictures come as the update's one checked image; in the text only the alt stays.
            if child.type == "image":
                child.type, child.tag, child.attrs, child.children = "text", "", {}, None
    return clean(_markdown.renderer.render(tokens, _markdown.options, {}))
