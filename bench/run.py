#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the benchmark workloads and print the comparison table.

bench/run builds the programs and calls this script inside a private
network namespace. Each workload runs once per implementation (libipv4,
bare C system calls, Go's golang.org/x/net/ipv4) per repetition, in an
order that rotates with the repetition, so slow phases of a shared machine
hit all three alike. The table gives the median with the min-max spread.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys

IMPLS = ("lib", "sys", "go")
IMPL_NAMES = {"lib": "libipv4", "sys": "bare C syscalls", "go": "Go x/net/ipv4"}
SIZES = (64, 1200)
BATCHES = (1, 8, 32, 64)
DOCS_BEGIN = "<!-- bench/run results begin -->"
DOCS_END = "<!-- bench/run results end -->"
# Largest --scale and --reps. One repetition of the suite takes about 45 s
# here, so either limit means about 70 minutes (an estimate).
MAX_SCALE = 20
MAX_REPS = 100
# Smallest --scale: the shortest run, a codec's 0.15 s, then lasts 1 ms.
MIN_SCALE = 0.001 / 0.15
# Placement of the sender and receiver threads, set by --pin.
PIN_TEXT = {
    "split": "sender pinned to the first CPU the process may use, receiver "
             "to the second",
    "swapped": "sender pinned to the second CPU the process may use, "
               "receiver to the first",
    "none": "not pinned, placed by the scheduler",
}


def runs():
    """Yield (run id, workload, size, batch, seconds, rows).

    rows lists (row id, label, field, unit, group): field is the output
    field the row reads, unit "ns" (per packet or call, lower is better) or
    "pps" (datagrams received per second, higher is better).
    """
    for size in SIZES:
        yield ("single-%d" % size, "single", size, 1, 0.25,
               [("single-%d" % size,
                 "UDP %d B: write + read, one datagram" % size,
                 "value", "ns", "packet")])
        yield ("single-cm-%d" % size, "single-cm", size, 1, 0.25,
               [("single-cm-%d" % size,
                 "UDP %d B: write + read with control messages" % size,
                 "value", "ns", "packet")])
        for n in BATCHES:
            yield ("batch-%d-%d" % (size, n), "batch", size, n, 0.25,
                   [("batch-%d-%d" % (size, n),
                     "UDP %d B: batch write + read of %d" % (size, n),
                     "value", "ns", "packet")])
        for n in BATCHES:
            yield ("threads-%d-%d" % (size, n), "threads", size, n, 0.3,
                   [("threads-%d-%d" % (size, n),
                     "UDP %d B: sender + receiver threads, batch %d"
                     % (size, n), "value", "pps", "packet")])
        yield ("fill-%d" % size, "fill", size, 1, 0.25,
               [("fill-send-%d" % size,
                 "UDP %d B: fill, send per datagram" % size,
                 "value", "ns", "packet"),
                ("fill-recv-%d" % size,
                 "UDP %d B: drain, receive per datagram" % size,
                 "value2", "ns", "packet")])
        for n in (1, 8):
            yield ("gso-%d-%d" % (size, n), "gso", size, n, 0.3,
                   [("gso-%d-%d" % (size, n),
                     "UDP %d B: GSO send + GRO receive threads, batch %d"
                     % (size, n), "value", "pps", "gso")])
    codecs = [
        ("header-parse", 20, "header parse, 20 B"),
        ("header-parse", 24, "header parse, 24 B with options"),
        ("header-marshal", 20, "header marshal, 20 B"),
        ("header-marshal", 24, "header marshal, 24 B with options"),
        ("control-parse", 0, "control parse, TTL + PKTINFO"),
        ("control-marshal", 0, "control marshal, PKTINFO"),
        ("control-size", 0, "control buffer size, TTL + DST + INTERFACE"),
        ("checksum", 20, "checksum, 20 B"),
        ("checksum", 1500, "checksum, 1500 B"),
    ]
    for name, size, label in codecs:
        rid = "%s-%d" % (name, size) if size else name
        group = "checksum" if name == "checksum" else (
            "size" if name == "control-size" else "codec")
        yield (rid, name, size, 1, 0.15,
               [(rid, label, "value", "ns", group)])


def parse_line(text):
    fields = {}
    for word in text.split():
        key, _, value = word.partition("=")
        try:
            fields[key] = float(value)
        except ValueError:
            pass
    return fields


def run_one(progs, impl, workload, size, batch, seconds):
    """Run one program once; return its fields or {"error": text}."""
    prog = progs.get(impl)
    if prog is None:
        return {"error": "skipped"}
    env = dict(os.environ)
    env["BENCH_PIN"] = progs.get("pin", "split")
    if impl != "go" and progs.get("allocs"):
        env["LD_PRELOAD"] = progs["allocs"]
    cmd = [prog, workload, str(size), str(batch), "%.6g" % seconds]
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True,
                           timeout=30 + 10 * seconds)
    except subprocess.TimeoutExpired:
        return {"error": "timed out"}
    if p.returncode == 3 and impl == "go":
        return {"error": "n/a"}
    if p.returncode != 0:
        msg = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])
        return {"error": msg[-1]}
    fields = parse_line(p.stdout)
    if "value" not in fields:
        return {"error": "no result line"}
    return fields


def run_failures(progs, raw):
    """Return a line for each missing C program and each failed run."""
    lines = ["%s program not built" % name
             for impl, name in (("lib", "bench-lib"), ("sys", "bench-sys"))
             if impl not in progs]
    for rid, by_impl in raw.items():
        for impl, runs_ in by_impl.items():
            for fields in runs_:
                if fields.get("error") not in (None, "skipped", "n/a"):
                    lines.append("%s %s: %s" % (impl, rid, fields["error"]))
    return lines


def median_spread(values):
    return statistics.median(values), min(values), max(values)


def fmt_value(v, unit):
    if unit == "pps":
        return "%.3g M" % (v / 1e6)
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def fmt_cell(stats, unit):
    if stats is None:
        return "—"
    med, lo, hi = stats
    return "%s (%s–%s)" % (fmt_value(med, unit), fmt_value(lo, unit),
                           fmt_value(hi, unit))


def cost_ratio(num, den, field, unit):
    """Return the median of cost(num) / cost(den) over the pairs of runs.

    num and den are the runs of two programs. A pair is the two runs of one
    round, made back to back, so a slow phase of the machine hits both of
    a pair. Above 1 num is slower.
    """
    den_by_round = {f["round"]: f[field] for f in den if f.get(field, 0) > 0}
    ratios = []
    for f in num:
        d = den_by_round.get(f["round"])
        if d is None or f.get(field, 0) <= 0:
            continue
        ratios.append(d / f[field] if unit == "pps" else f[field] / d)
    return statistics.median(ratios) if ratios else None


def fmt_ratio(r):
    return "—" if r is None else "%.2f" % r


def fmt_ratio3(r):
    """Return r with 3 decimals, so 1.053 does not read as the 1.05 met."""
    return "—" if r is None else "%.3f" % r


def fmt_allocs(a):
    if a is None:
        return "—"
    return "0" if a == 0 else "%.3g" % a


def collect(progs, reps, scale, only, log):
    """Run everything; return {run id: {impl: [fields, ...]}}."""
    plan = [r for r in runs() if only is None or re.search(only, r[0])]
    raw = {r[0]: {impl: [] for impl in IMPLS} for r in plan}
    total = reps * len(plan)
    done = 0
    for rep in range(reps):
        order = IMPLS[rep % 3:] + IMPLS[:rep % 3]
        for rid, workload, size, batch, seconds, _ in plan:
            # Thread pairs measure wall-clock throughput, which the other
            # load of a shared machine shakes most: twice the samples. GSO
            # at 1200 B receives 10 to 15 GB of payload a second, and its
            # runs vary by up to a third with the load of the host: four
            # times.
            rounds = {"threads": 2, "gso": 4}.get(workload, 1)
            for round_ in range(rounds):
                for impl in order[round_:] + order[:round_]:
                    if workload == "gso" and impl == "go":
                        continue
                    fields = run_one(progs, impl, workload, size, batch,
                                     seconds * scale)
                    # Runs of one round were made back to back: a pair.
                    fields["round"] = "%d.%d" % (rep, round_)
                    raw[rid][impl].append(fields)
            done += 1
            log("\rrun %d/%d: repetition %d, %s        "
                % (done, total, rep + 1, rid))
    log("\n")
    return plan, raw


def summarize(plan, raw):
    """Return the table rows with medians, spreads, ratios and allocs."""
    rows = []
    for rid, workload, size, batch, _, row_specs in plan:
        for row_id, label, field, unit, group in row_specs:
            row = {"id": row_id, "label": label, "unit": unit,
                   "group": group, "size": size, "batch": batch,
                   "workload": workload, "stats": {}, "allocs": {},
                   "errors": {}, "drops": {}, "cpu": {}}
            # The runs of each program that printed a result.
            runs_ok = {impl: [f for f in raw[rid][impl] if "error" not in f]
                       for impl in IMPLS}
            for impl in IMPLS:
                ok = runs_ok[impl]
                errors = [f["error"] for f in raw[rid][impl] if "error" in f]
                if errors:
                    row["errors"][impl] = errors[0]
                if not ok:
                    row["stats"][impl] = None
                    row["allocs"][impl] = None
                    continue
                row["stats"][impl] = median_spread([f[field] for f in ok])
                allocs = [f["allocs"] for f in ok if f.get("allocs", -1) >= 0]
                row["allocs"][impl] = max(allocs) if allocs else None
                drops = [(f["sent"] - f["received"]) / f["sent"] * 100
                         for f in ok if f.get("sent", 0) > 0]
                if drops:
                    row["drops"][impl] = median_spread(drops)
                    row["cpu"][impl] = median_spread(
                        [f["value2"] for f in ok])
            row["lib_sys"] = cost_ratio(runs_ok["lib"], runs_ok["sys"],
                                        field, unit)
            row["go_lib"] = cost_ratio(runs_ok["go"], runs_ok["lib"], field,
                                       unit)
            # Thread pairs: CPU time of both threads per datagram received.
            row["cpu_lib_sys"] = None
            if row["cpu"].get("lib") and row["cpu"].get("sys"):
                row["cpu_lib_sys"] = cost_ratio(runs_ok["lib"],
                                                runs_ok["sys"], "value2", "ns")
            rows.append(row)
    return rows


def cell_or_error(row, impl):
    if row["stats"][impl] is None:
        if row["workload"] == "gso" and impl == "go":
            return "no GSO API"
        return row["errors"].get(impl, "—")
    return fmt_cell(row["stats"][impl], row["unit"])


def table(rows):
    head = ("| workload | unit | libipv4 | bare C syscalls | Go x/net/ipv4 "
            "| libipv4 ÷ syscalls | Go ÷ libipv4 | libipv4 allocs/op "
            "| Go allocs/op |")
    lines = [head, "|" + " --- |" * 9]
    for row in rows:
        unit = "CPU ns/op" if row["unit"] == "ns" else "pps received"
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            row["label"], unit, cell_or_error(row, "lib"),
            cell_or_error(row, "sys"), cell_or_error(row, "go"),
            fmt_ratio(row["lib_sys"]), fmt_ratio(row["go_lib"]),
            fmt_allocs(row["allocs"]["lib"]),
            fmt_allocs(row["allocs"]["go"])))
    return "\n".join(lines)


def drops_table(rows):
    head = " | ".join("%s drops | %s CPU ns" % (IMPL_NAMES[i], IMPL_NAMES[i])
                      for i in IMPLS)
    lines = ["| workload | %s | CPU ns, libipv4 ÷ syscalls |" % head,
             "|" + " --- |" * 8]
    for row in rows:
        if not row["drops"]:
            continue
        cells = []
        for impl in IMPLS:
            d = row["drops"].get(impl)
            cells.append("—" if d is None else "%.1f%% (%.1f–%.1f)" % d)
            c = row["cpu"].get(impl)
            cells.append(fmt_cell(c, "ns") if c else "—")
        cells.append(fmt_ratio(row["cpu_lib_sys"]))
        lines.append("| %s | %s |" % (row["label"], " | ".join(cells)))
    return "\n".join(lines)


def cpu_note(row):
    """Return the CPU-per-datagram ratio of a thread-pair row, if any."""
    if row["cpu_lib_sys"] is None:
        return ""
    return "; CPU per received datagram %.3f" % row["cpu_lib_sys"]


def count(n, noun):
    """Return "1 row" or "n rows"."""
    return "%d %s%s" % (n, noun, "" if n == 1 else "s")


def span(values, fmt="%.2f"):
    """Return "a to b" for the smallest and largest of values."""
    lo, hi = min(values), max(values)
    return fmt % lo if fmt % lo == fmt % hi else (fmt + " to " + fmt) % (lo, hi)


def summary(rows):
    """Return lines that sum the table up, group by group."""
    lines = []

    def ratios(select, key):
        return [r[key] for r in rows if select(r) and r[key] is not None]

    single = lambda r: r["group"] == "packet" and r["unit"] == "ns"
    pair = lambda r: r["workload"] == "threads"
    gso = lambda r: r["workload"] == "gso"
    # The GSO rows have no Go figure, so no Go ratio either.
    for name, select in (("Single-thread packet", single),
                         ("Sender + receiver thread", pair),
                         ("GSO + GRO thread", gso)):
        parts = []
        for label, values in (
                ("libipv4 ÷ syscalls", ratios(select, "lib_sys")),
                ("CPU time of both threads per datagram received, "
                 "libipv4 ÷ syscalls", ratios(select, "cpu_lib_sys")),
                ("Go ÷ libipv4", ratios(select, "go_lib"))):
            if values:
                parts.append("%s %s (%s)" % (label, span(values),
                                             count(len(values), "row")))
        if parts:
            lines.append("- %s rows: %s." % (name, "; ".join(parts)))
    for group, name in (("codec", "Header and control-message codecs"),
                        ("size", "Buffer sizing"), ("checksum", "Checksum")):
        go_lib = ratios(lambda r, g=group: r["group"] == g, "go_lib")
        if go_lib:
            lines.append("- %s: Go ÷ libipv4 %s (%s)." % (
                name, span(go_lib), count(len(go_lib), "row")))
    for name, select in (("packet and GSO",
                          lambda r: r["group"] in ("packet", "gso")),
                         ("codec, sizing and checksum",
                          lambda r: r["group"] not in ("packet", "gso"))):
        lib = [r["allocs"]["lib"] for r in rows
               if select(r) and r["allocs"].get("lib") is not None]
        go = [r["allocs"]["go"] for r in rows
              if select(r) and r["allocs"].get("go") is not None]
        if lib:
            line = "- Heap allocations per operation on the %s rows: " \
                "libipv4 %s (%s)" % (name, span(lib, "%.3g"),
                                     count(len(lib), "row"))
            if go:
                line += ", Go %s (%s)" % (span(go, "%.3g"),
                                          count(len(go), "row"))
            lines.append(line + ".")
    return lines


def targets(rows):
    """Return (lines, all met) for the targets of the suite."""
    lines = []
    met = True
    # GSO sends and GRO reads are packet paths too: they count here.
    packet = [r for r in rows if r["group"] in ("packet", "gso")]
    bad = [r for r in packet if r["lib_sys"] is None or r["lib_sys"] > 1.05]
    met &= not bad and bool(packet)
    lines.append("- Packet paths, GSO included, libipv4 ÷ syscalls ≤ 1.05 "
                 "(medians of the paired ratios): "
                 "%d of %d met%s" % (
                     len(packet) - len(bad), len(packet),
                     "" if not bad else "; missed: " + ", ".join(
                         "%s (%s%s)" % (r["label"], fmt_ratio3(r["lib_sys"]),
                                        cpu_note(r))
                         for r in bad)))
    codec = [r for r in rows if r["group"] == "codec"]
    bad = [r for r in codec if r["go_lib"] is None or r["go_lib"] < 10]
    met &= not bad and bool(codec)
    lines.append("- Codecs, Go ÷ libipv4 ≥ 10: %d of %d met%s" % (
        len(codec) - len(bad), len(codec),
        "" if not bad else "; missed: " + ", ".join(
            "%s (%s)" % (r["label"], fmt_ratio(r["go_lib"])) for r in bad)))
    counted = rows
    bad = [r for r in counted if r["allocs"]["lib"] != 0]
    met &= not bad and bool(counted)
    lines.append("- Zero heap allocations per operation on the libipv4 "
                 "packet, GSO and codec paths: %d of %d met%s" % (
                     len(counted) - len(bad), len(counted),
                     "" if not bad else "; missed: " + ", ".join(
                         "%s (%s)" % (r["label"],
                                      fmt_allocs(r["allocs"]["lib"]))
                         for r in bad)))
    for size in SIZES:
        gso = [r for r in rows if r["workload"] == "gso"
               and r["size"] == size and r["stats"]["lib"] is not None]
        go = [r["stats"]["go"] for r in rows
              if r["workload"] == "threads" and r["size"] == size
              and r["stats"]["go"] is not None]
        if not gso or not go:
            lines.append("- GSO + GRO at %d B: not measured" % size)
            met = False
            continue
        lib = max(r["stats"]["lib"][0] for r in gso)
        best = max(g[0] for g in go)
        ok = lib >= 8 * best
        met &= ok
        lines.append("- GSO + GRO at %d B (best batch) ≥ 8 × Go's best "
                     "batch: %s pps "
                     "vs %s pps = %.1f× (%s)" % (
                         size, fmt_value(lib, "pps"), fmt_value(best, "pps"),
                         lib / best, "met" if ok else "missed"))
    return lines, met


def axis_top(peak):
    """Return the smallest round axis maximum at or above peak.

    The axis is drawn in quarters, so each candidate's quarters are round
    numbers too.
    """
    if peak <= 0:
        return 1
    scale = 10 ** math.floor(math.log10(peak))
    for step in (1, 1.2, 1.6, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * scale >= peak:
            return step * scale
    return 10 * scale


def svg_plot(rows):
    """Return an SVG of received pps against batch size, one panel a size."""
    colors = {"lib": "#1f77b4", "sys": "#2ca02c", "go": "#d62728"}
    width, height, pad = 760, 360, 70
    panel_w = (width - pad) / len(SIZES)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>']
    for p, size in enumerate(SIZES):
        data = {impl: [] for impl in IMPLS}
        for row in rows:
            if row["workload"] == "threads" and row["size"] == size:
                for impl in IMPLS:
                    if row["stats"][impl] is not None:
                        data[impl].append((row["batch"], row["stats"][impl]))
        top = axis_top(max([s[2] for d in data.values() for _, s in d]
                           or [1]))
        x0 = pad + p * panel_w
        x1 = x0 + panel_w - 40
        y0, y1 = height - 70, 40

        def px(batch):
            return x0 + (x1 - x0) * math.log2(batch) / math.log2(BATCHES[-1])

        def py(v):
            return y0 - (y0 - y1) * v / top

        out.append('<text x="%.0f" y="24" text-anchor="middle" '
                   'font-weight="bold">UDP %d B, sender + receiver threads'
                   '</text>' % ((x0 + x1) / 2, size))
        out.append('<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" '
                   'stroke="black"/>' % (x0, y0, x1, y0))
        out.append('<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" '
                   'stroke="black"/>' % (x0, y0, x0, y1))
        for batch in BATCHES:
            out.append('<text x="%.0f" y="%.0f" text-anchor="middle">%d'
                       '</text>' % (px(batch), y0 + 16, batch))
        out.append('<text x="%.0f" y="%.0f" text-anchor="middle">batch size'
                   ' (messages per call)</text>' % ((x0 + x1) / 2, y0 + 34))
        for i in range(5):
            v = top * i / 4
            out.append('<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" '
                       'stroke="#ddd"/>' % (x0, py(v), x1, py(v)))
            out.append('<text x="%.0f" y="%.0f" text-anchor="end">%.3g M'
                       '</text>' % (x0 - 4, py(v) + 4, v / 1e6))
        for k, impl in enumerate(IMPLS):
            pts = sorted(data[impl])
            if not pts:
                continue
            shift = (k - 1) * 4  # keeps the three min-max bars apart
            path = " ".join("%.1f,%.1f" % (px(b), py(s[0])) for b, s in pts)
            out.append('<polyline points="%s" fill="none" stroke="%s" '
                       'stroke-width="2"/>' % (path, colors[impl]))
            for b, s in pts:
                out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" '
                           'stroke="%s"/>' % (px(b) + shift, py(s[1]),
                                              px(b) + shift, py(s[2]),
                                              colors[impl]))
                out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>'
                           % (px(b), py(s[0]), colors[impl]))
    for i, impl in enumerate(IMPLS):
        x = pad + 10 + i * 170
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>'
                   % (x, height - 14, colors[impl]))
        out.append('<text x="%d" y="%d">%s</text>'
                   % (x + 16, height - 4, IMPL_NAMES[impl]))
    out.append('<text x="14" y="%d" text-anchor="middle" '
               'transform="rotate(-90 14 %d)">received datagrams/s '
               '(median; bar: min–max)</text>' % ((height - 70 + 40) / 2,
                                                 (height - 70 + 40) / 2))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def command_output(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return p.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine():
    cpu = ""
    for line in command_output(["lscpu"]).splitlines():
        if line.startswith("Model name:"):
            cpu = line.split(":", 1)[1].strip()
    gcc = command_output(["gcc", "--version"]).splitlines()
    go = command_output(["go", "version"])
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "usable": len(os.sched_getaffinity(0)),
        "kernel": platform.release(),
        "gcc": gcc[0] if gcc else "not found",
        "go": go or "not found",
        "date": datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
    }


def report(rows, m, reps, command, plot_name, notes, pin):
    target_lines, met = targets(rows)
    lines = [
        "Command: `%s`, %s of every workload, run on %s." % (
            command, count(reps, "repetition"), m["date"]),
        "",
        "Machine: %s, %d cores, %d usable by the run; Linux %s; %s; %s." % (
            m["cpu"], m["cores"], m["usable"], m["kernel"], m["gcc"],
            m["go"]),
        "",
    ]
    lines += notes
    placement = PIN_TEXT[pin] if m["usable"] >= 2 else \
        "not pinned, because the run may use only one CPU"
    lines += ["Thread pairs: %s." % placement, "", "Summary:", ""]
    lines += summary(rows)
    lines += ["", table(rows), "", "Sender + receiver threads: datagrams "
              "lost (median % of those sent, min–max), CPU time of both "
              "threads per datagram received (median ns, min–max), and the "
              "median of the paired ratios of that CPU time:", "",
              drops_table(rows), "", "Targets:", ""]
    lines += target_lines
    lines += ["", "![received pps against batch size](%s)" % plot_name]
    return "\n".join(lines) + "\n", met


def update_docs(path, text):
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    start = doc.index(DOCS_BEGIN) + len(DOCS_BEGIN)
    end = doc.index(DOCS_END)
    doc = doc[:start] + "\n" + text + doc[end:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)


def check_args(ap, args):
    """Reject option values that would run nothing or run without end."""
    if not 1 <= args.reps <= MAX_REPS:
        ap.error("--reps must be from 1 to %d, not %d" % (MAX_REPS, args.reps))
    if not MIN_SCALE <= args.scale <= MAX_SCALE:
        ap.error("--scale must be from %g (runs of 1 ms) to %g, not %g"
                 % (MIN_SCALE, MAX_SCALE, args.scale))
    if args.only is not None:
        try:
            pattern = re.compile(args.only)
        except re.error as e:
            ap.error("--only %r is not a valid regular expression: %s"
                     % (args.only, e))
        ids = [r[0] for r in runs()]
        if not any(pattern.search(i) for i in ids):
            ap.error("--only %r matches no run id; the ids are: %s"
                     % (args.only, " ".join(ids)))
    if args.docs and (args.only or args.scale != 1 or args.pin != "split"
                      or args.reps < 5):
        ap.error("--docs records the whole suite as documented: use it "
                 "without --only, --scale and --pin, and with --reps 5 "
                 "or more")
    if args.docs:
        try:
            with open(args.docs, encoding="utf-8") as f:
                doc = f.read()
        except OSError as e:
            ap.error("--docs %s: %s" % (args.docs, e.strerror))
        start, end = doc.find(DOCS_BEGIN), doc.find(DOCS_END)
        if start < 0 or end < start:
            ap.error("--docs %s: the lines %s and %s, in that order, are "
                     "missing" % (args.docs, DOCS_BEGIN, DOCS_END))


def main():
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    ap.add_argument("--out", required=True, help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, default=5,
                    help="repetitions of every workload (default 5)")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiplies each run's duration (default 1, "
                    "at most %g)" % MAX_SCALE)
    ap.add_argument("--only", help="regular expression of run ids to run")
    ap.add_argument("--pin", choices=sorted(PIN_TEXT), default="split",
                    help="placement of the thread pairs' sender and "
                    "receiver (default split: first and second CPU)")
    ap.add_argument("--docs", help="BENCHMARKS.md whose results block to "
                    "replace; the plot is written beside it")
    ap.add_argument("--strict", action="store_true",
                    help="exit with 1 when the libipv4 or the bare C "
                    "program is missing or any run fails")
    ap.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--note", action="append", default=[],
                    help=argparse.SUPPRESS)
    ap.add_argument("--command", default="bench/run", help=argparse.SUPPRESS)
    args = ap.parse_args()
    check_args(ap, args)
    if args.check:
        return 0

    progs = {}
    for impl, name in (("lib", "bench-lib"), ("sys", "bench-sys"),
                       ("go", "bench-go")):
        path = os.path.join(args.out, name)
        if os.access(path, os.X_OK):
            progs[impl] = path
    allocs = os.path.join(args.out, "allocs.so")
    if os.path.exists(allocs):
        progs["allocs"] = allocs
    progs["pin"] = args.pin

    plan, raw = collect(progs, args.reps, args.scale, args.only,
                        lambda s: (sys.stderr.write(s), sys.stderr.flush()))
    rows = summarize(plan, raw)
    m = machine()
    plot_name = "benchmarks-batch-pps.svg"
    text, met = report(rows, m, args.reps, args.command, plot_name,
                       args.note, args.pin)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"machine": m, "raw": raw}, f, indent=1)
    with open(os.path.join(args.out, plot_name), "w") as f:
        f.write(svg_plot(rows))
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(text)
    if args.docs:
        update_docs(args.docs, text)
        shutil.copy(os.path.join(args.out, plot_name),
                    os.path.join(os.path.dirname(args.docs), plot_name))
    print(text)
    print("all targets met" if met else "some targets missed")
    if args.strict:
        failures = run_failures(progs, raw)
        for line in failures:
            print("failed: " + line)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
