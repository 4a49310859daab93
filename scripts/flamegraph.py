#!/usr/bin/env python3
"""Folds `perf script` stacks, renders a flame graph SVG and a CPU table by subsystem.

  perf script -F comm,tid,period,ip,sym,dso -i perf.data | \
    flamegraph.py --svg out.svg --folded out.folded --title T [--counts counts.json]

Each sample becomes a stack rooted at its thread's name. Self time is the leaf frame's
subsystem, with time in libc/libstdc++/absl helpers charged to the subsystem that called them
(malloc/free and locks excepted) and kernel time charged by the system call it came from.
Inclusive time is the share of samples with any frame of the subsystem. With --counts (from
gateway_counts.py) the table also gives microseconds of gateway CPU per payout.
"""
import argparse
import collections
import html
import json
import re
import sys

FRAME = re.compile(r"^\s*[0-9a-f]+\s+(.*) \(([^()]*)\)$")
MALLOC = re.compile(r"^(__libc_)?(malloc|free|cfree|calloc|realloc|_int_malloc|_int_free|"
                    r"_int_realloc|malloc_consolidate|unlink_chunk|sysmalloc|tcache_\w+|"
                    r"_int_free_\w+|__libc_memalign|_mid_memalign|posix_memalign|aligned_alloc)$"
                    r"|^operator (new|delete)")
LOCKS = re.compile(r"pthread_mutex|pthread_cond|__lll_lock|__lll_unlock|pthread_rwlock|"
                   r"futex|absl::\w*Mutex|absl::CondVar|absl::synchronization_internal|"
                   r"std::condition_variable|__new_sem|sem_wait|sem_post")
TRANSPARENT_DSO = re.compile(r"libc\.so|libstdc\+\+|libm\.so|libgcc|libabsl_|ld-linux|\[unknown\]")
GRPC_DSO = re.compile(r"libgrpc|libgpr|libupb|libaddress_sorting|libcares|libre2")


def simplify(sym):
    """Drops template and parameter lists: 'a::b<x>::f(int) const' -> 'a::b::f'."""
    if sym in ("[unknown]", ""):
        return sym
    out, depth = [], 0
    for ch in sym:
        if ch in "<(":
            depth += 1
        elif ch in ">)" and depth:
            depth -= 1
        elif depth == 0:
            out.append(ch)
    name = "".join(out).replace(" const", "").strip()
    return name or sym[:60]


def kernel_kind(frames):
    """The system call (or fault) a kernel stretch came from; frames are leaf first."""
    kind, inner = "other", None
    for sym, dso in frames:
        if "kernel" not in dso:
            break
        if "page_fault" in sym:
            kind = "page faults"
        if sym.startswith("eventfd_"):
            return "eventfd (wake-up)"
        m = re.match(r"__(?:x64|se)_sys_(\w+)", sym)
        n = re.match(r"(?:ksys|__sys)_(\w+)", sym)
        if n and inner is None:
            inner = n.group(1)  # when the __x64_sys_ wrapper was inlined away
        if sym.startswith(("tcp_", "ip_", "__netif_receive")) and kind == "other":
            kind = "tcp (softirq, no system call)"
        if m:
            kind = m.group(1)
        elif sym.startswith(("asm_common_interrupt", "asm_sysvec", "irq_exit")):
            kind = kind if kind != "other" else "interrupts"
        elif sym.startswith(("irqentry_exit_to_user_mode", "exit_to_user_mode")) and kind == "other":
            kind = "preempted (back to user mode)"
    if inner and kind in ("other", "tcp (softirq, no system call)"):
        kind = inner
    return kind


KERNEL_GROUPS = [
    ("thread hand-offs (futex, epoll, scheduler)",
     re.compile(r"^(futex|eventfd|epoll_wait|epoll_pwait|poll|ppoll|nanosleep|clock_nanosleep|sched_yield|eventfd|select)")),
    ("SQLite file I/O and fsync (kernel)", re.compile(r"^(fsync|fdatasync|pwrite64|pread64|fcntl|openat|unlink|ftruncate|lseek)")),
    ("socket I/O (kernel)", re.compile(r"^(tcp|sendmsg|recvmsg|sendto|recvfrom|read|write|writev|readv|accept4|connect|shutdown|close)$")),
    ("kernel: page faults", re.compile(r"^page faults")),
    ("kernel: preemption and interrupts", re.compile(r"^(preempted|interrupts)")),
]


def classify_frame(sym, dso, stack_text):
    sym = re.sub(r"^(__GI___libc_|__GI_|__libc_)", "", sym.replace(" (inlined)", ""))
    if "kernel" in dso:
        return "kernel"
    if MALLOC.search(sym):
        return "malloc/free"
    if LOCKS.search(sym):
        return "locks (user side)"
    if GRPC_DSO.search(dso) or sym.startswith("grpc"):
        return "gRPC"
    if "libprotobuf" in dso or "google::protobuf" in sym or ".pb." in sym:
        return "protobuf"
    if "libssl" in dso or "libcrypto" in dso:
        return "RS256 signature" if "JwsSigner" in stack_text else "TLS (OpenSSL)"
    if "libsqlite3" in dso:
        return "SQLite"
    if TRANSPARENT_DSO.search(dso):
        return None
    if "gateway::Log" in sym or "logging" in sym or "Mask" in sym:
        return "logging"
    if "boost::json" in sym:
        return "logging" if "gateway::Log" in stack_text else "JSON (Boost.JSON)"
    if sym.startswith("metrics::"):
        return "metrics"
    if re.match(r"(boost::asio|boost::beast|net::http)", sym):
        return "HTTP client (asio/beast)"
    if sym.startswith("idempotency::"):
        return "store (gateway code)"
    if "JwsSigner" in sym:
        return "RS256 signature"
    return "gateway code, other"


def self_subsystem(frames, stack_text):
    """frames: leaf first."""
    if frames and "kernel" in frames[0][1]:
        kind = kernel_kind(frames)
        for name, pattern in KERNEL_GROUPS:
            if pattern.match(kind):
                return name, kind
        return "kernel, other", kind
    for sym, dso in frames:
        group = classify_frame(sym, dso, stack_text)
        if group is not None:
            return group, None
    return "libc/libstdc++ (no caller)", None


INCLUSIVE = [
    ("gRPC (any frame in the gRPC libraries)", lambda s: GRPC_DSO.search(s)),
    ("protobuf", lambda s: "libprotobuf" in s or "google::protobuf" in s),
    ("JSON (Boost.JSON)", lambda s: "boost::json" in s),
    ("the per-RPC JSON log line (gateway::Log)", lambda s: "gateway::Log" in s),
    ("metrics (metrics::)", lambda s: "metrics::" in s),
    ("TLS and HTTP client (net::http, beast, libssl)",
     lambda s: "net::http" in s or "boost::beast" in s or "libssl" in s),
    ("SQLite (libsqlite3)", lambda s: "libsqlite3" in s),
    ("store executor and stores (idempotency::)", lambda s: "idempotency::" in s),
    ("malloc/free (incl. operator new/delete)", None),
    ("RS256 signature (JwsSigner)", lambda s: "JwsSigner" in s),
    ("futex system calls (thread hand-offs, locks)", lambda s: "sys_futex" in s),
    ("thread hand-offs: futex, epoll_wait, scheduler switch",
     lambda s: "sys_futex" in s or "sys_epoll_wait" in s or "finish_task_switch" in s),
    ("fsync/fdatasync", lambda s: "sys_fsync" in s or "sys_fdatasync" in s),
    ("kernel (any kernel frame)", lambda s: "kernel.kallsyms" in s),
]


def parse(stream):
    samples = []  # (thread, frames leaf first, period)
    header, frames = None, []
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            if header is not None:
                samples.append((header[0], frames, header[1]))
            header, frames = None, []
            continue
        if not line[0].isspace():
            parts = line.split()
            period = int(parts[-1]) if parts[-1].isdigit() else 1
            comm = re.sub(r"[-_.:]?\d+$", "", parts[0])  # pool threads share a name
            header = (comm, period)
            continue
        m = FRAME.match(line)
        if m:
            frames.append((m.group(1).rsplit("+0x", 1)[0], m.group(2)))
    if header is not None:
        samples.append((header[0], frames, header[1]))
    return samples


COLORS = {
    "kernel": "#c8c8c8", "malloc/free": "#e05d5d", "locks (user side)": "#b05050",
    "gRPC": "#5aa9e6", "protobuf": "#8e9cf2", "TLS (OpenSSL)": "#4fc2b8",
    "RS256 signature": "#ff9f1c", "SQLite": "#6cbf84", "logging": "#e0c15a",
    "JSON (Boost.JSON)": "#f2d16b", "metrics": "#b784e0", "HTTP client (asio/beast)": "#70d0e0",
    "store (gateway code)": "#9cd34a", "gateway code, other": "#e8a87c",
    "libc/libstdc++": "#e8e0d0", "thread": "#d0d0ff", "all": "#f0f0f0",
}


def color(group):
    return COLORS.get(group, "#dddddd")


def render_svg(root, total, title, path, width=1400, row=16):
    depth = [0]

    def walk_depth(node, d):
        depth[0] = max(depth[0], d)
        for child in node["children"].values():
            walk_depth(child, d + 1)
    walk_depth(root, 0)
    height = (depth[0] + 1) * row + 70
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="monospace" font-size="11">',
           f'<rect width="100%" height="100%" fill="#fdfdf5"/>',
           f'<text x="10" y="20" font-size="14">{html.escape(title)}</text>',
           f'<text x="10" y="38" fill="#555">{total} samples; width = share of gateway CPU; '
           f'colour = subsystem; hover a box for its name and share</text>']
    lx = 10
    for name, fill in COLORS.items():
        if name in ("thread", "all"):
            continue
        out.append(f'<rect x="{lx}" y="46" width="10" height="10" fill="{fill}"/>'
                   f'<text x="{lx + 13}" y="55" font-size="10">{html.escape(name)}</text>')
        lx += 18 + 6 * len(name)
    scale = (width - 20) / max(total, 1)

    def draw(node, name, x, d):
        w = node["value"] * scale
        if w < 1.0:  # narrower than a pixel: keeps the file small
            return
        y = height - (d + 1) * row
        pct = 100.0 * node["value"] / total
        label = f"{name} [{node['group']}] {node['value']} samples, {pct:.2f}%"
        out.append(f'<g><title>{html.escape(label)}</title>'
                   f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" '
                   f'fill="{color(node["group"])}" rx="1"/>')
        chars = int((w - 4) / 6.6)
        if chars >= 3:
            text = name if len(name) <= chars else name[:chars - 2] + ".."
            out.append(f'<text x="{x + 2:.1f}" y="{y + row - 4}">{html.escape(text)}</text>')
        out.append("</g>")
        cx = x
        for cname, child in sorted(node["children"].items()):
            draw(child, cname, cx, d + 1)
            cx += child["value"] * scale
    draw(root, "all", 10, 0)
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--svg", required=True)
    ap.add_argument("--folded")
    ap.add_argument("--title", default="gateway CPU")
    ap.add_argument("--counts", help="gateway_counts.py output, for us per payout")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    samples = parse(sys.stdin)
    total = len(samples)
    root = {"value": 0, "children": {}, "group": "all"}
    folded = collections.Counter()
    self_groups, kernel_kinds = collections.Counter(), collections.Counter()
    self_syms, incl_syms = collections.Counter(), collections.Counter()
    inclusive = collections.Counter()
    for comm, frames, _ in samples:
        stack_text = " ".join(f"{s} {d}" for s, d in frames)
        # OpenSSL's RSA assembly has no unwind info: those stacks stop after two libcrypto
        # frames. They are the signature (scenario 1, TLS without RSA, has none of them).
        if frames and all("libcrypto" in d or s == "[unknown]" for s, d in frames):
            stack_text += " JwsSigner(libcrypto asm, not unwound)"
        group, kind = self_subsystem(frames, stack_text)
        self_groups[group] += 1
        if kind:
            kernel_kinds[kind] += 1
        if frames:
            self_syms[(simplify(frames[0][0]), group)] += 1
        seen = set()
        for sym, dso in frames:
            name = simplify(sym) if sym != "[unknown]" else f"[{dso.rsplit('/', 1)[-1]}]"
            if name not in seen:
                incl_syms[name] += 1
                seen.add(name)
        for label, test in INCLUSIVE:
            hit = (any(MALLOC.search(s) for s, _ in frames) if test is None else test(stack_text))
            if hit:
                inclusive[label] += 1
        node = root
        node["value"] += 1
        path = [comm]
        node = node["children"].setdefault(comm, {"value": 0, "children": {}, "group": "thread"})
        node["value"] += 1
        for sym, dso in reversed(frames):
            name = simplify(sym) if sym != "[unknown]" else f"[{dso.rsplit('/', 1)[-1]}]"
            path.append(name)
            child = node["children"].get(name)
            if child is None:
                g = classify_frame(sym, dso, stack_text) or "libc/libstdc++"
                child = node["children"][name] = {"value": 0, "children": {}, "group": g}
            child["value"] += 1
            node = child
        folded[";".join(path)] += 1
    if args.folded:
        with open(args.folded, "w") as f:
            for stack, n in sorted(folded.items()):
                f.write(f"{stack} {n}\n")
    render_svg(root, total, args.title, args.svg)

    us_per_sample = None
    if args.counts:
        with open(args.counts) as f:
            delta = json.load(f)["delta"]
        if delta.get("payouts"):
            us_per_sample = delta["cpu_seconds"] * 1e6 / delta["payouts"] / max(total, 1)
            print(f"gateway CPU {delta['cpu_seconds']:.2f} s over {delta['payouts']:.0f} payouts: "
                  f"{delta['cpu_seconds'] * 1e6 / delta['payouts']:.0f} us per payout; {total} samples\n")

    def row(label, n):
        pct = 100.0 * n / max(total, 1)
        us = f" | {n * us_per_sample:.0f}" if us_per_sample else " |"
        return f"| {label} | {pct:.1f}%{us} |"
    print("| self time by subsystem | % of gateway CPU | us per payout |\n|---|---|---|")
    for g, n in self_groups.most_common():
        print(row(g, n))
    print("\n| kernel time by system call | % | us per payout |\n|---|---|---|")
    for k, n in kernel_kinds.most_common(12):
        print(row(k, n))
    print("\n| inclusive (any frame of) | % of gateway CPU | us per payout |\n|---|---|---|")
    for label, _ in INCLUSIVE:
        print(row(label, inclusive[label]))
    print(f"\n| top {args.top} self (leaf) functions | % | us per payout |\n|---|---|---|")
    for (name, g), n in self_syms.most_common(args.top):
        print(row(f"`{name}` ({g})", n))
    print(f"\n| top {args.top} inclusive functions | % | us per payout |\n|---|---|---|")
    for name, n in incl_syms.most_common(args.top):
        print(row(f"`{name}`", n))


if __name__ == "__main__":
    main()
