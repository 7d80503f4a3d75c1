#!/usr/bin/env python3
"""Warraq beside the tools people use instead, on the same content, in one run.

For each size (10, 100, 1000 articles by default) it writes the edition
(bench/generate_edition.py), converts it (bench/convert.py) to Typst markup, HTML+CSS for
WeasyPrint and Markdown for pandoc, all at the a4-digest design, and then runs, alternating
one tool after the other, a warm-up and then N measured runs of:

  PDF   warraq pdf · Typst 0.14 (typst-ts-node-compiler on Node.js) · Typst 0.10 (binary)
        · WeasyPrint
  EPUB  warraq epub · pandoc (Markdown -> EPUB 3)

Each run's wall time is taken around fork/exec/wait and its peak resident memory from the
kernel's rusage of the child (ru_maxrss, the figure `/usr/bin/time -f %M` prints). A tool
whose warm-up took long gets fewer measured runs so that one tool and size stays within
--budget seconds (at least --min-runs); the table says how many runs each figure is.
Then pages (pdfinfo), sizes and the output checks: qpdf --check and the text extraction
scores (poppler, MuPDF, pdf.js; tests/tools/extraction/score.py) on every PDF Warraq wrote,
epubcheck on every EPUB (both tools); and the targets of issue 8.

usage: bench/run.py [--sizes 10,100,1000] [--runs 5] [--budget 150] [--build build/release]
                    [--only warraq-pdf,typst-0.14,...] [--keep DIR] [--markdown FILE] [--json FILE]
Peers: bash scripts/setup-bench.sh installs them.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "bench" / "peers" / "node_modules"
TYPST10 = PEERS / "@typst-community" / "typst-linux-x64" / ".typst" / "bin" / "typst"
FONT_DIRS = ["/usr/share/fonts/opentype/fonts-hosny-amiri", "/usr/share/fonts/truetype/noto"]
EPUBCHECK = "/usr/share/java/epubcheck.jar"


def tools(build, work, n):
    """name -> (kind, command, output). Inputs are in `work`, named after the size."""
    ed, out = work / f"edition-{n}", work / f"out-{n}"
    font_args = [a for d in FONT_DIRS for a in ("--font-path", d)]
    return {
        "warraq-pdf": ("pdf", [str(build / "warraq"), "pdf", f"{ed}.xml", "-o", f"{out}-warraq.pdf"],
                       f"{out}-warraq.pdf"),
        "typst-0.14": ("pdf", ["node", str(ROOT / "bench" / "typst-compile.mjs"), *font_args,
                               f"{ed}.typ", f"{out}-typst14.pdf"], f"{out}-typst14.pdf"),
        "typst-0.10": ("pdf", [str(TYPST10), "compile", *font_args, f"{ed}.typ",
                               f"{out}-typst10.pdf"], f"{out}-typst10.pdf"),
        "weasyprint": ("pdf", ["weasyprint", "-q", f"{ed}.html", f"{out}-weasyprint.pdf"],
                       f"{out}-weasyprint.pdf"),
        "warraq-epub": ("epub", [str(build / "warraq"), "epub", f"{ed}.xml", "-o",
                                 f"{out}-warraq.epub"], f"{out}-warraq.epub"),
        "pandoc-epub": ("epub", ["pandoc", "-f", "markdown", "-t", "epub3", "-o",
                                 f"{out}-pandoc.epub", f"{ed}.md"], f"{out}-pandoc.epub"),
    }


def measure(command, env):
    """Runs a command; returns (seconds, peak KiB). Raises on failure."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    # wait4 gives the child's own rusage: ru_maxrss is its peak RSS in KiB.
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}):\n{err}")
    return seconds, usage.ru_maxrss


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def check_pdf(path, source=None):
    """qpdf --check; for Warraq's PDFs also the text extraction figures of issue 3 (words
    intact after rejoining in poppler, MuPDF and pdf.js at least 99.5%, poppler phrase pairs
    at least 95%, no inserted tatweel), scored by tests/tools/extraction/score.py."""
    r = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
    if r.returncode != 0:
        return f"qpdf {r.returncode}"
    if source is None:
        return "ok"
    pdfjs = ARGS.build / "tests" / "pdfjs"
    subprocess.run(["bash", str(ROOT / "tests" / "tools" / "extraction" / "install-pdfjs.sh"),
                    str(pdfjs)], check=True, capture_output=True)
    r = subprocess.run([sys.executable, str(ROOT / "tests" / "tools" / "extraction" / "score.py"),
                        str(source), str(path), "--extractor", "poppler", "--extractor", "mupdf",
                        "--extractor", "pdfjs", "--pdfjs-modules", str(pdfjs), "--json"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return "extraction failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    f = json.loads(r.stdout)
    words = [f[e]["arabic_rejoined"] for e in ("poppler", "mupdf", "pdfjs")]
    fine = (min(words) >= 99.5 and f["poppler"]["arabic_bigrams"] >= 95 and
            all(f[e]["inserted_tatweel"] == 0 for e in f))
    return (("ok" if fine else "EXTRACTION BELOW TARGET") +
            " · words p/m/j " + "/".join(f"{w:.1f}" for w in words) +
            f" · pairs {f['poppler']['arabic_bigrams']:.1f}")


def check_epub(path):
    if not Path(EPUBCHECK).exists():
        return "no epubcheck"
    r = subprocess.run(["java", "-jar", EPUBCHECK, path], capture_output=True, text=True)
    for line in (r.stdout + r.stderr).splitlines():
        if line.startswith("Messages:"):
            # "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"
            parts = line.split()
            return f"{parts[1]}F/{parts[4]}E/{parts[7]}W"
    return "ok" if r.returncode == 0 else f"epubcheck {r.returncode}"


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    return {"nproc": os.cpu_count(), "cpu": model, "memory_gib": round(mem_kib / 2**20, 1),
            "kernel": os.uname().release}


def versions():
    def first(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "missing"
    pkg = PEERS / "@myriaddreamin" / "typst-ts-node-compiler" / "package.json"
    return {
        "warraq": first([str(ARGS.build / "warraq"), "--version"]),
        "typst-0.14": ("typst-ts-node-compiler " + json.loads(pkg.read_text())["version"] +
                       " (Typst 0.14), node " + first(["node", "--version"])) if pkg.exists()
        else "missing",
        "typst-0.10": first([str(TYPST10), "--version"]),
        "weasyprint": first(["weasyprint", "--version"]),
        "pandoc": first(["pandoc", "--version"]),
    }


def fmt_ratio(r):
    return f"{r:.1f}×" if r >= 1 else f"1/{1 / r:.1f}×"


def main():
    global ARGS
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10,100,1000")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--min-runs", type=int, default=2)
    p.add_argument("--budget", type=float, default=150, help="seconds of measured runs per tool and size")
    p.add_argument("--slow", type=float, default=120,
                   help="a tool whose warm-up takes longer is measured by that one run only")
    p.add_argument("--build", type=Path, default=ROOT / "build" / "release")
    p.add_argument("--only", default="", help="comma-separated tool names")
    p.add_argument("--keep", type=Path, help="keep inputs and outputs in this folder")
    p.add_argument("--markdown", type=Path, help="write the tables as Markdown here")
    p.add_argument("--json", type=Path, help="write every measurement as JSON here")
    p.add_argument("--no-checks", action="store_true")
    ARGS = p.parse_args()
    ARGS.build = ARGS.build.resolve()
    if not (ARGS.build / "warraq").exists():
        sys.exit(f"bench: no {ARGS.build / 'warraq'}; cmake --preset release && cmake --build --preset release")

    work = ARGS.keep.resolve() if ARGS.keep else Path(tempfile.mkdtemp(prefix="warraq-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1732492800")
    sizes = [int(s) for s in ARGS.sizes.split(",")]
    only = set(filter(None, ARGS.only.split(",")))
    info = {"machine": machine(), "versions": versions(), "sizes": {}}
    print(f"machine: {info['machine']}")
    for k, v in info["versions"].items():
        print(f"  {k}: {v}")

    try:
        for n in sizes:
            ed = work / f"edition-{n}"
            subprocess.run([sys.executable, str(ROOT / "bench" / "generate_edition.py"), str(n),
                            f"{ed}.xml"], check=True)
            for ext in ("typ", "html", "md"):
                subprocess.run([sys.executable, str(ROOT / "bench" / "convert.py"), f"{ed}.xml",
                                f"{ed}.{ext}"], check=True)
            words = len(" ".join(
                __import__("xml.etree.ElementTree", fromlist=["x"]).parse(f"{ed}.xml").getroot().itertext()).split())
            table = {name: t for name, t in tools(ARGS.build, work, n).items()
                     if not only or name in only}
            # Warm-up, alternating; it also sets how many measured runs each tool gets.
            plan, results = {}, {name: [] for name in table}
            for name, (_, cmd, _) in table.items():
                secs, kib = measure(cmd, env)
                if secs > ARGS.slow:
                    plan[name] = 0  # too slow to repeat: the warm-up is the measurement
                    results[name].append((secs, kib))
                else:
                    plan[name] = max(ARGS.min_runs, min(ARGS.runs, int(ARGS.budget // max(secs, 1e-3))))
                print(f"[{n}] warm-up {name}: {secs:.2f} s -> {plan[name] or 'no'} more runs", flush=True)
            for r in range(max(plan.values(), default=0)):
                for name, (_, cmd, _) in table.items():
                    if r < plan[name]:
                        results[name].append(measure(cmd, env))
            rows = {}
            for name, (kind, _, output) in table.items():
                times = [s for s, _ in results[name]]
                rss = max(k for _, k in results[name])
                row = {"kind": kind, "runs": len(times), "times": times,
                       "median": statistics.median(times), "min": min(times), "max": max(times),
                       "peak_rss_mib": rss / 1024, "bytes": os.path.getsize(output),
                       "pages": pdf_pages(output) if kind == "pdf" else None}
                if not ARGS.no_checks:
                    if name.startswith("warraq") or kind == "epub":
                        row["check"] = (check_pdf(output, f"{ed}.xml") if kind == "pdf"
                                        else check_epub(output))
                rows[name] = row
            info["sizes"][n] = {"words": words, "tools": rows}
            print_table(n, words, rows)
    finally:
        if not ARGS.keep:
            shutil.rmtree(work, ignore_errors=True)

    targets = check_targets(info["sizes"])
    info["targets"] = targets
    print("\ntargets (issue 8):")
    for t in targets:
        print(f"  [{'met' if t['met'] else 'NOT met' if t['met'] is not None else 'n/a'}] {t['what']}: {t['value']}")
    if ARGS.json:
        ARGS.json.write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n")
    if ARGS.markdown:
        ARGS.markdown.write_text(markdown(info))


def table_lines(n, words, rows):
    head = ("tool", "runs", "median s", "min–max s", "peak MiB", "pages", "ms/page", "size KiB",
            "warraq faster by", "check")
    lines = [head]
    for name, r in rows.items():
        base = rows.get("warraq-pdf" if r["kind"] == "pdf" else "warraq-epub")
        ratio = "" if name.startswith("warraq") or not base else fmt_ratio(r["median"] / base["median"])
        per_page = f"{1000 * r['median'] / r['pages']:.1f}" if r["pages"] else ""
        lines.append((name, str(r["runs"]), f"{r['median']:.3f}", f"{r['min']:.3f}–{r['max']:.3f}",
                      f"{r['peak_rss_mib']:.1f}", str(r["pages"] or ""), per_page,
                      f"{r['bytes'] / 1024:.0f}", ratio, r.get("check", "")))
    return lines


def print_table(n, words, rows):
    lines = table_lines(n, words, rows)
    widths = [max(len(l[i]) for l in lines) for i in range(len(lines[0]))]
    print(f"\n{n} articles ({words} words)")
    for l in lines:
        print("  " + "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(l, widths))))
    print(flush=True)


def check_targets(sizes):
    def med(n, tool):
        r = sizes.get(n, {}).get("tools", {}).get(tool)
        return r["median"] if r else None

    def row(n, tool):
        return sizes.get(n, {}).get("tools", {}).get(tool)

    out = []

    def ratio_target(what, n, peer, base, factor):
        a, b = med(n, peer), med(n, base)
        if a is None or b is None:
            out.append({"what": what, "value": "not measured", "met": None})
        else:
            out.append({"what": what, "value": f"{a / b:.2f}× ({a:.3f} s / {b:.3f} s)",
                        "met": a / b >= factor})

    for n in (100, 1000):
        ratio_target(f"PDF ≥2× faster than Typst 0.14 at {n}", n, "typst-0.14", "warraq-pdf", 2)
    for n in (10, 100, 1000):
        if n in sizes:
            ratio_target(f"PDF ≥20× faster than WeasyPrint at {n}", n, "weasyprint", "warraq-pdf", 20)
    ratio_target("EPUB ≥5× faster than pandoc at 100", 100, "pandoc-epub", "warraq-epub", 5)
    r100, r1000 = row(100, "warraq-pdf"), row(1000, "warraq-pdf")
    if r100:
        out.append({"what": "PDF peak RSS at 100 < 60 MB", "value": f"{r100['peak_rss_mib']:.1f} MiB",
                    "met": r100["peak_rss_mib"] * 1.048576 < 60})
    if r100 and r1000:
        out.append({"what": "PDF peak RSS at 1000 ≤ 2× the 100 figure",
                    "value": f"{r1000['peak_rss_mib']:.1f} MiB = "
                             f"{r1000['peak_rss_mib'] / r100['peak_rss_mib']:.2f}× of 100",
                    "met": r1000["peak_rss_mib"] <= 2 * r100["peak_rss_mib"]})
        p100 = r100["median"] / r100["pages"]
        p1000 = r1000["median"] / r1000["pages"]
        # The slope: marginal cost of a page between the two sizes.
        slope = (r1000["median"] - r100["median"]) / (r1000["pages"] - r100["pages"])
        out.append({"what": "time per page at 1000 within 20% of 100",
                    "value": f"{1000 * p100:.1f} → {1000 * p1000:.1f} ms/page "
                             f"({100 * (p1000 / p100 - 1):+.0f}%), slope {1000 * slope:.1f} ms/page",
                    "met": p1000 <= 1.2 * p100})
    return out


def markdown(info):
    m = info["machine"]
    out = [f"Machine: {m['nproc']} × {m['cpu']}, {m['memory_gib']} GiB, Linux {m['kernel']}.", ""]
    out += [f"- {k}: {v}" for k, v in info["versions"].items()]
    for n, s in info["sizes"].items():
        lines = table_lines(n, s["words"], s["tools"])
        out += ["", f"**{n} articles** ({s['words']} words)", "",
                "| " + " | ".join(lines[0]) + " |", "|" + "---|" * len(lines[0])]
        out += ["| " + " | ".join(l) + " |" for l in lines[1:]]
    out += ["", "Targets:", ""]
    out += [f"- {'met' if t['met'] else 'NOT met' if t['met'] is not None else 'n/a'}: {t['what']} — {t['value']}"
            for t in info.get("targets", [])]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
