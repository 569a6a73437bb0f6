"""Bodies as Intercom stores them: plain text sent to the API becomes HTML paragraphs."""

import html


def is_html(text: str) -> bool:
    return text.lstrip().startswith("<")


def paragraphs(text: str, opening: str = "<p>") -> str:
    """One paragraph per non-empty line of plain text, escaped; `opening` is the `<p ...>` tag to use."""
    lines = [line for line in text.splitlines() if line.strip()] or [text]
    return "".join(f"{opening}{html.escape(line)}</p>" for line in lines)


def html_body(text: str) -> str:
    """A body as Intercom keeps it: plain text becomes paragraphs, one per line; HTML is kept as sent."""
    return text if is_html(text) else paragraphs(text)
