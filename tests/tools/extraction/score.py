#!/usr/bin/env python3
"""How much of an edition's text comes back intact from a PDF, in real text extractors.

usage: score.py SOURCE PDF [--extractor NAME ...] [--pdfjs-modules DIR] [--json]

SOURCE is Warraq XML (an edition or an article; <article-ref> files are followed) or plain
UTF-8 text (.txt). From XML, the text of every headline, kicker, byline, lead, paragraph,
quote, list item, caption ... is the source, in document order (related-story teasers
are not set, so they are not part of it).

Extractors (each one is run as a program; a missing one is an error, never a skip):
  poppler   pdftotext -enc UTF-8 PDF -
  mupdf     mutool draw -q -F txt -o - PDF
  pdfjs     node extract.mjs DIR PDF   (DIR from --pdfjs-modules: see install-pdfjs.sh)
  pdfminer  pdf2txt PDF

Figures per extractor, Arabic words only, as multisets (the same definitions as
../shared/tools/pdf-text-check):
  strict     words equal after NFC, edge punctuation stripped
  lenient    after NFKC, without harakat, tatweel and bidi / zero-width controls
  rejoined   lenient, after joining two adjacent extracted pieces whose concatenation is a
             source word while one of them is not (poppler splits words at wide gaps)
  bigrams    adjacent source word pairs that come back adjacent (lenient, not rejoined)
  tatweel    U+0640 in the extracted text; inserted_tatweel: tatweel inside extracted
             words (matched leniently to a source word) beyond what that word has in the
             source, i.e. kashida that leaked into the text
Exit status: 0, or 1 when an extractor failed.
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
EDGE = "\"'«»“”‘’()[]{}.,،؛؟:;!?—–-…/"
CONTROLS = re.compile(r"[\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C\uFEFF]")
HARAKAT = re.compile(r"[\u064B-\u0652\u0670\u0640]")
TATWEEL = "\u0640"
HERE = os.path.dirname(os.path.abspath(__file__))

# Elements whose text is set on the page (docs/format.md).
BLOCKS = {"kicker", "headline", "subheadline", "byline", "dateline", "lead", "p",
          "subheading", "quote", "pull-quote", "li", "caption", "credit"}


def xml_source(path, seen=None):
    seen = seen if seen is not None else set()
    path = os.path.abspath(path)
    if path in seen:
        return []
    seen.add(path)
    parts = []

    def text(el):
        out = [el.text or ""]
        for child in el:
            if child.tag.split("}")[-1] == "br":
                out.append(" ")
            out.append(text(child))
            out.append(child.tail or "")
        return "".join(out)

    def walk(el, parent=""):
        tag = el.tag.split("}")[-1]
        if tag == "title" and parent == "edition":
            parts.append(" ".join(text(el).split()))
            return
        if tag == "article-ref" and el.get("href"):
            parts.extend(xml_source(os.path.join(os.path.dirname(path), el.get("href")), seen))
            return
        if tag in BLOCKS:
            parts.append(" ".join(text(el).split()))
            return
        for child in el:
            walk(child, tag)

    walk(ET.parse(path).getroot())
    return parts


def source_text(path):
    if path.endswith(".txt"):
        with open(path, encoding="utf-8") as f:
            return f.read()
    return "\n".join(xml_source(path))


def command(name, pdf, modules):
    if name == "poppler":
        return ["pdftotext", "-enc", "UTF-8", pdf, "-"]
    if name == "mupdf":
        return ["mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf]
    if name == "pdfjs":
        if not modules or not os.path.isdir(os.path.join(modules, "node_modules", "pdfjs-dist")):
            raise RuntimeError("pdfjs: pdfjs-dist is not installed (install-pdfjs.sh PREFIX, "
                               "then --pdfjs-modules PREFIX)")
        return ["node", os.path.join(HERE, "extract.mjs"), modules, pdf]
    if name == "pdfminer":
        exe = shutil.which("pdf2txt") or shutil.which("pdf2txt.py") or "pdf2txt"
        return [exe, pdf]
    raise RuntimeError(f"unknown extractor {name}")


def extract(name, pdf, modules):
    cmd = command(name, pdf, modules)
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=600)
    except FileNotFoundError:
        raise RuntimeError(f"{name}: {cmd[0]} not found (Debian: poppler-utils, mupdf-tools, "
                           "python3-pdfminer, nodejs)")
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"{name}: {os.path.basename(cmd[0])} exited {p.returncode}"
                           + (f": {err[-1]}" if err else ""))
    return p.stdout.decode("utf-8", "replace")


def tokens(text, lenient):
    text = unicodedata.normalize("NFKC" if lenient else "NFC", text)
    text = CONTROLS.sub(" ", text)
    if lenient:
        text = HARAKAT.sub("", text)
    return [t for t in (w.strip(EDGE) for w in text.split()) if t]


def arabic(toks):
    return [t for t in toks if ARABIC.search(t)]


def recall(src, got):
    s, g = collections.Counter(src), collections.Counter(got)
    return sum(min(c, g[w]) for w, c in s.items()), sum(s.values())


def pct(hit, total):
    return round(100.0 * hit / total, 1) if total else None


def lenient_word(t):
    return HARAKAT.sub("", unicodedata.normalize("NFKC", t))


def score(src_text, got_text):
    src_l = arabic(tokens(src_text, True))
    got_l = arabic(tokens(got_text, True))
    src_s = arabic(tokens(src_text, False))
    got_s = arabic(tokens(got_text, False))
    res = {"arabic_source_words": len(src_l)}
    res["arabic_strict"] = pct(*recall(src_s, got_s))
    res["arabic_lenient"] = pct(*recall(src_l, got_l))
    known = set(src_l)
    joined, i = [], 0
    while i < len(got_l):
        t = got_l[i]
        if i + 1 < len(got_l):
            u = got_l[i + 1]
            if (t not in known or u not in known) and t + u in known:
                joined.append(t + u)
                i += 2
                continue
        joined.append(t)
        i += 1
    res["arabic_rejoined"] = pct(*recall(src_l, joined))
    res["arabic_bigrams"] = pct(*recall(list(zip(src_l, src_l[1:])), list(zip(got_l, got_l[1:]))))
    # Tatweel: all of it, and what exceeds the source inside words that match a source word.
    res["tatweel_in_output"] = got_text.count(TATWEEL)
    most = collections.defaultdict(int)
    for t in src_s:
        k = lenient_word(t)
        most[k] = max(most[k], t.count(TATWEEL))
    inserted = 0
    for t in got_s:
        k = lenient_word(t)
        if k in most:
            inserted += max(0, t.count(TATWEEL) - most[k])
    res["inserted_tatweel"] = inserted
    res["replacement_chars"] = got_text.count("\uFFFD")
    res["nul_chars"] = got_text.count("\x00")
    unmatched = collections.Counter(t for t in got_l if t not in known)
    res["unmatched_examples"] = [t for t, _ in unmatched.most_common(8)]
    return res


def main():
    ap = argparse.ArgumentParser(description="Arabic words intact in extracted PDF text")
    ap.add_argument("source")
    ap.add_argument("pdf")
    ap.add_argument("--extractor", action="append",
                    choices=["poppler", "mupdf", "pdfjs", "pdfminer"],
                    help="repeatable; default: all four")
    ap.add_argument("--pdfjs-modules", help="folder whose node_modules holds pdfjs-dist")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--lines", action="store_true",
                    help="one 'EXTRACTOR KEY VALUE' line per figure (for the C++ test)")
    a = ap.parse_args()
    src = source_text(a.source)
    results, failed = {}, False
    for name in a.extractor or ["poppler", "mupdf", "pdfjs", "pdfminer"]:
        try:
            results[name] = score(src, extract(name, a.pdf, a.pdfjs_modules))
        except RuntimeError as e:
            results[name] = {"error": str(e)}
            failed = True
    if a.json:
        print(json.dumps(results, ensure_ascii=False))
    elif a.lines:
        for name, r in results.items():
            for k, v in r.items():
                if not isinstance(v, list):
                    print(f"{name} {k} {v}")
    else:
        for name, r in results.items():
            if "error" in r:
                print(f"{name}: ERROR {r['error']}")
                continue
            print(f"{name}: words strict {r['arabic_strict']} lenient {r['arabic_lenient']} "
                  f"rejoined {r['arabic_rejoined']} pairs {r['arabic_bigrams']} "
                  f"tatweel {r['tatweel_in_output']} (inserted {r['inserted_tatweel']}) "
                  f"of {r['arabic_source_words']} words; unmatched {r['unmatched_examples']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
