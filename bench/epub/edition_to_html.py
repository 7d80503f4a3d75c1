#!/usr/bin/env python3
"""Turns a Warraq edition (as bench/generate_edition.py writes it) into one HTML file, the
input a newsroom would hand pandoc to make the same digest: an h1 per section, an h2 per
article, its byline and paragraphs, with lang="ar" dir="rtl" on the document.

usage: edition_to_html.py EDITION.xml OUT.html
"""
import sys
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path


def inline(element):
    """The element's text with its inline markup as HTML."""
    out = [escape(element.text or "")]
    for child in element:
        inner = inline(child)
        if child.tag == "span":
            attrs = "".join(f' {k}="{escape(v)}"' for k, v in child.attrib.items() if k in ("lang", "dir"))
            out.append(f"<span{attrs}>{inner}</span>")
        elif child.tag in ("em", "strong"):
            out.append(f"<{child.tag}>{inner}</{child.tag}>")
        elif child.tag == "br":
            out.append("<br/>")
        else:
            out.append(inner)
        out.append(escape(child.tail or ""))
    return "".join(out)


def main():
    edition = ET.parse(sys.argv[1]).getroot()
    title = edition.findtext("title", "")
    lang = edition.get("locale", "ar")
    html = [f'<!DOCTYPE html>\n<html lang="{lang}" dir="rtl"><head><meta charset="utf-8"/>'
            f"<title>{escape(title)}</title></head><body>"]
    for section in edition.findall("section"):
        html.append(f"<h1>{escape(section.get('name', ''))}</h1>")
        for article in section.findall("article"):
            html.append(f"<h2>{inline(article.find('headline'))}</h2>")
            if article.find("byline") is not None:
                html.append(f"<p>{inline(article.find('byline'))}</p>")
            for p in article.find("body"):
                html.append(f"<p>{inline(p)}</p>")
    html.append("</body></html>")
    Path(sys.argv[2]).write_text("\n".join(html) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
