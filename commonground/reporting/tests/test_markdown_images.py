"""Markdown rendering with its allow-list, and images recognised by their content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.core.validation import Errors
from commonground.reporting import images, markdown
from commonground.reporting.tests.updates_factories import GIF, JPEG_HEAD, PNG, WEBP_HEAD


def test_markdown_keeps_formatting_and_gives_links_a_safe_rel():
    html = markdown.render("Some **bold**, *italic* and [a report](https://example.org/r).")
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert '<a href="https://example.org/r" rel="noopener noreferrer nofollow">a report</a>' in html


def test_markdown_headings_sit_below_the_page_headings():
    html = markdown.render("# Big\n\n## Smaller\n\n###### Tiny")
    assert "<h3>Big</h3>" in html and "<h4>Smaller</h4>" in html and "<h6>Tiny</h6>" in html
    assert "<h1" not in html and "<h2" not in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "![x](javascript:alert(1))",
        "<a href='javascript:alert(1)'>x</a>",
    ],
)
def test_markdown_never_makes_executable_html(source):
    html = markdown.render(source)
    # Raw HTML stays text (escaped) and no link with a dangerous address survives.
    assert "<script" not in html and "<img" not in html and "<a " not in html


def test_clean_drops_what_the_allow_list_does_not_name():
    html = markdown.clean(
        '<p style="color:red" onclick="x()">hi</p><iframe src="https://e"></iframe>'
        '<a href="javascript:alert(1)">x</a><svg onload="x()"><circle/></svg>'
    )
    assert html == '<p>hi</p><a rel="noopener noreferrer nofollow">x</a>'


def test_pictures_in_the_text_keep_only_their_alt_text():
    assert markdown.render("![A full shelter](https://e.org/p.png)") == "<p>A full shelter</p>\n"


@pytest.mark.parametrize(
    "head,kind",
    [(PNG, "png"), (GIF, "gif"), (JPEG_HEAD, "jpeg"), (WEBP_HEAD, "webp"), (b"<svg", None)],
)
def test_images_are_recognised_by_their_first_bytes(head, kind):
    assert images.sniff(head) == kind


def _check(name, content):
    errors = Errors()
    kind = images.check(SimpleUploadedFile(name, content), errors)
    return kind, errors


def test_an_html_file_named_like_a_picture_is_refused():
    kind, errors = _check("photo.png", b"<html><script>alert(1)</script></html>")
    assert kind is None
    assert errors == {"image": ["The file is not a PNG, JPEG, GIF or WebP image."]}


def test_an_svg_is_refused_by_its_name():
    kind, errors = _check("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert kind is None and "Attach a PNG, JPEG, GIF or WebP image." in errors["image"]


def test_an_image_larger_than_5_mb_is_refused():
    kind, errors = _check("big.png", PNG + b"\0" * images.MAX_IMAGE_BYTES)
    assert kind is None and errors == {"image": ["The image is larger than 5 MB."]}


def test_a_png_named_jpg_is_accepted_as_what_it_is():
    kind, errors = _check("photo.JPG", PNG)
    assert kind == "png" and not errors
    assert images.content_type(f"x.{images.STORED_EXTENSION[kind]}") == "image/png"
