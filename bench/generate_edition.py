#!/usr/bin/env python3
"""Writes a deterministic Warraq edition of N articles built from the sample article's
sentences, with Latin names, digits, dates, percentages and number ranges mixed in, for
tests and benchmarks (the same N always gives the same file).

usage: generate_edition.py N OUT.xml [--locale ar-MA] [--layout a4-digest]
"""
import argparse
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "articles" / "hammouchi-belgium.xml"

LATIN = ["Francesca Bostyn", "Europol", "Interpol", "Sûreté de l'État", "United Nations",
         "Frontex", "Brussels", "Schengen", "COP29", "European Commission"]
SECTIONS = [("national", "وطني"), ("world", "دولي"), ("economy", "اقتصاد"),
            ("sport", "رياضة"), ("culture", "ثقافة")]
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر",
          "أكتوبر", "نونبر", "دجنبر"]


def sentences():
    root = ET.parse(SAMPLE).getroot()
    text = " ".join(" ".join("".join(p.itertext()).split()) for p in root.find("body"))
    parts = re.split(r"(?<=[.،])\s+", text)
    return [p for p in parts if len(p.split()) >= 4]


def decorate(rng, sentence):
    """Adds one mixed run to a sentence: a Latin name, a date, a percentage or a range."""
    kind = rng.randrange(6)
    if kind == 0:
        name = rng.choice(LATIN)
        return f'{sentence} (<span lang="en" dir="ltr">{escape(name)}</span>)'
    if kind == 1:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2019, 2025)
        return f"{sentence} يوم {day} {MONTHS[month - 1]} {year}"
    if kind == 2:
        return f"{sentence} بنسبة {rng.randint(1, 99)},{rng.randint(0, 9)}%"
    if kind == 3:
        start = rng.randint(2000, 2020)
        return f"{sentence} خلال الفترة {start}–{start + rng.randint(1, 5)}"
    if kind == 4:
        return f"{sentence} بتاريخ {rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2019, 2025)}"
    return sentence


def article(rng, pool, index, section_name):
    words = rng.choice(pool).rstrip(".،").split()
    headline = " ".join(words[: rng.randint(5, 10)])
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        body = " ".join(decorate(rng, rng.choice(pool)) for _ in range(rng.randint(2, 4)))
        paragraphs.append(f"      <p>{body}</p>")
    weight = rng.choice([1, 1, 2, 3])
    return (f'    <article id="a{index:04d}" date="2024-11-25" section="{section_name}" weight="{weight}">\n'
            f"      <headline>{escape(headline)}</headline>\n"
            f"      <byline>هيئة التحرير</byline>\n"
            f"      <body>\n" + "\n".join(paragraphs) + "\n      </body>\n    </article>")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("output")
    parser.add_argument("--locale", default="ar-MA")
    parser.add_argument("--layout", default="a4-digest")
    args = parser.parse_args()
    rng = random.Random(args.count)
    pool = sentences()
    out = [f'<?xml version="1.0" encoding="UTF-8"?>',
           f'<edition version="1" locale="{args.locale}" dir="rtl" layout="{args.layout}" '
           f'date="2024-11-25" number="{args.count}">',
           f"  <title>ورّاق: نشرة من {args.count} مقالا</title>",
           f"  <publisher>دار ورّاق للنشر</publisher>"]
    per_section = max(1, (args.count + len(SECTIONS) - 1) // len(SECTIONS))
    index = 0
    for sid, name in SECTIONS:
        if index >= args.count:
            break
        out.append(f'  <section id="{sid}" name="{name}">')
        for _ in range(min(per_section, args.count - index)):
            index += 1
            out.append(article(rng, pool, index, name))
        out.append("  </section>")
    out.append("</edition>")
    Path(args.output).write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
