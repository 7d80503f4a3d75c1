#!/usr/bin/env python3
"""Converts a Warraq edition (as bench/generate_edition.py writes it) into the same content
for the tools people would use instead, each at the a4-digest design (layouts/a4-digest.xml:
A4, 15 mm margins, two columns 6 mm apart with a 0.5 pt rule, Amiri 11 pt on 16 pt, text
justified right to left, Latin runs in Noto Serif, headlines Amiri Bold 22 pt on 30 pt,
section heads 14 pt in #8a1c1c, a running head and a folio):

  typ   Typst markup (Typst 0.10 and 0.14 both read it)
  html  HTML + CSS for WeasyPrint, fonts by file:// URL to the Debian Amiri and Noto files
  md    pandoc Markdown, for pandoc -> EPUB

usage: convert.py EDITION.xml OUT.{typ,html,md}   (format from the extension)

Headlines of weight 3 span both columns in Warraq; the peers set every headline in its
column (Typst 0.10 cannot float across columns), which only makes their job easier.
"""
import sys
import xml.etree.ElementTree as ET
from html import escape as html_escape
from pathlib import Path

AMIRI = "/usr/share/fonts/opentype/fonts-hosny-amiri"
NOTO_SERIF = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"


# ---- Typst ---------------------------------------------------------------------------
def typst_escape(text):
    # Every character Typst markup gives a meaning to is escaped with a backslash.
    special = set('\\#*_`$<>@[]~=-+/"\'')
    return "".join("\\" + c if c in special else c for c in text).replace("\n", " ")


def typst_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_inline(element):
    out = [typst_escape(element.text or "")]
    for child in element:
        inner = typst_inline(child)
        if child.tag == "span" and child.get("lang", "").startswith(("en", "fr")):
            out.append(f'#text(font: "Noto Serif", lang: "{child.get("lang")[:2]}", dir: ltr)[{inner}]')
        elif child.tag == "strong":
            out.append(f"#strong[{inner}]")
        elif child.tag == "em":
            out.append(f"#emph[{inner}]")
        elif child.tag == "br":
            out.append(" \\ ")
        else:
            out.append(inner)
        out.append(typst_escape(child.tail or ""))
    return "".join(out)


def to_typst(edition):
    title = edition.findtext("title", "")
    out = [
        '#set document(title: ' + typst_string(title) + ')',
        '#set page(paper: "a4", margin: 15mm, columns: 2, numbering: "1",',
        '  header: [#set text(size: 9pt)',
        '    #align(center)[' + typst_escape(title) + ']',
        '    #v(-6pt) #line(length: 100%, stroke: 0.5pt)])',
        '#set columns(gutter: 6mm)',
        '#set text(font: "Amiri", size: 11pt, lang: "ar", dir: rtl)',
        # Paragraph spacing is par.spacing from Typst 0.12, block spacing before.
        '#set block(spacing: 8pt)',
        '#set par(justify: true, leading: 8pt, ..if sys.version >= version(0, 12, 0) { (spacing: 8pt) } else { (:) })',
        '#show heading.where(level: 1): set text(size: 14pt, fill: rgb("#8a1c1c"))',
        '#show heading.where(level: 2): set text(size: 22pt)',
        '#show heading: set block(above: 8pt, below: 4pt)',
        '#align(center, text(size: 30pt, weight: 700)[' + typst_escape(title) + '])',
        '',
    ]
    for section in edition.findall("section"):
        out.append("= " + typst_escape(section.get("name", "")))
        out.append("")
        for article in section.findall("article"):
            out.append("== " + typst_inline(article.find("headline")))
            out.append("")
            if article.find("byline") is not None:
                out.append("#strong[" + typst_inline(article.find("byline")) + "]")
                out.append("")
            for p in article.find("body"):
                out.append(typst_inline(p))
                out.append("")
    return "\n".join(out) + "\n"


# ---- HTML for WeasyPrint -------------------------------------------------------------
def html_inline(element):
    out = [html_escape(element.text or "")]
    for child in element:
        inner = html_inline(child)
        if child.tag == "span":
            attrs = "".join(f' {k}="{html_escape(v)}"' for k, v in child.attrib.items()
                            if k in ("lang", "dir"))
            out.append(f"<span{attrs}>{inner}</span>")
        elif child.tag in ("em", "strong"):
            out.append(f"<{child.tag}>{inner}</{child.tag}>")
        elif child.tag == "br":
            out.append("<br/>")
        else:
            out.append(inner)
        out.append(html_escape(child.tail or ""))
    return "".join(out)


def css(title):
    return f"""
@font-face {{ font-family: Amiri; font-weight: 400; src: url("file://{AMIRI}/Amiri-Regular.ttf"); }}
@font-face {{ font-family: Amiri; font-weight: 700; src: url("file://{AMIRI}/Amiri-Bold.ttf"); }}
@font-face {{ font-family: "Noto Serif"; src: url("file://{NOTO_SERIF}"); }}
@page {{
  size: A4; margin: 15mm;
  @top-center {{ content: "{title}"; font: 9pt Amiri; border-bottom: 0.5pt solid black; }}
  @bottom-center {{ content: counter(page); font: 9pt Amiri; }}
}}
@page :first {{ @top-center {{ content: none; border: none; }} }}
html {{ direction: rtl; }}
body {{ font-family: Amiri; font-size: 11pt; line-height: 16pt; text-align: justify;
        columns: 2; column-gap: 6mm; column-rule: 0.5pt solid #999999; margin: 0; }}
.masthead {{ column-span: all; text-align: center; font-size: 30pt; line-height: 36pt;
             font-weight: 700; margin: 0 0 6pt; }}
h1 {{ font-size: 14pt; line-height: 24pt; color: #8a1c1c; margin: 8pt 0 0; }}
h2 {{ font-size: 22pt; line-height: 30pt; margin: 4pt 0 4pt; text-align: start; }}
p {{ margin: 0; }}
.byline {{ font-size: 10pt; line-height: 14pt; font-weight: 700; }}
[lang="en"], [lang="fr"] {{ font-family: "Noto Serif"; }}
"""


def to_html(edition):
    title = edition.findtext("title", "")
    css_title = title.replace("\\", "\\\\").replace('"', '\\"')
    out = [f'<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8"/>'
           f"<title>{html_escape(title)}</title><style>{css(css_title)}</style></head><body>",
           f'<div class="masthead">{html_escape(title)}</div>']
    for section in edition.findall("section"):
        out.append(f"<h1>{html_escape(section.get('name', ''))}</h1>")
        for article in section.findall("article"):
            out.append(f"<h2>{html_inline(article.find('headline'))}</h2>")
            if article.find("byline") is not None:
                out.append(f'<p class="byline">{html_inline(article.find("byline"))}</p>')
            for p in article.find("body"):
                out.append(f"<p>{html_inline(p)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ---- pandoc Markdown -----------------------------------------------------------------
def md_escape(text):
    # pandoc's Markdown lets any ASCII punctuation be escaped with a backslash.
    special = set('\\`*_{}[]()<>#+-.!|~^$@%&="\'')
    return "".join("\\" + c if c in special else c for c in text).replace("\n", " ")


def md_inline(element):
    out = [md_escape(element.text or "")]
    for child in element:
        inner = md_inline(child)
        if child.tag == "span":
            attrs = " ".join(f'{k}="{v}"' for k, v in child.attrib.items() if k in ("lang", "dir"))
            out.append(f"[{inner}]{{{attrs}}}" if attrs else inner)
        elif child.tag == "strong":
            out.append(f"**{inner}**")
        elif child.tag == "em":
            out.append(f"*{inner}*")
        elif child.tag == "br":
            out.append("\\\n")
        else:
            out.append(inner)
        out.append(md_escape(child.tail or ""))
    return "".join(out)


def to_markdown(edition):
    title = edition.findtext("title", "").replace('"', '\\"')
    out = ["---", f'title: "{title}"', "lang: ar", "dir: rtl", "---", ""]
    for section in edition.findall("section"):
        out += ["# " + md_escape(section.get("name", "")), ""]
        for article in section.findall("article"):
            out += ["## " + md_inline(article.find("headline")), ""]
            if article.find("byline") is not None:
                out += ["**" + md_inline(article.find("byline")) + "**", ""]
            for p in article.find("body"):
                out += [md_inline(p), ""]
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    edition = ET.parse(sys.argv[1]).getroot()
    out = Path(sys.argv[2])
    converters = {".typ": to_typst, ".html": to_html, ".md": to_markdown}
    if out.suffix not in converters:
        sys.exit(f"convert.py: unknown output format {out.suffix} (expected .typ, .html or .md)")
    out.write_text(converters[out.suffix](edition), encoding="utf-8")


if __name__ == "__main__":
    main()
