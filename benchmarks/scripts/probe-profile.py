# Where the woven probe's nanoseconds go (issue 12): reads what probe-profile.sh left in DIR (the
# forked benchmark JVM's output with C2's print of the woven method, and `perf script` samples),
# disassembles the method's last C2 compilation (the print gives its bytes; objdump decodes them,
# no hsdis needed) and charges each sample to
#   - outside the method: its symbol, the clock's (vdso clock_gettime, os::javaTimeNanos, the plt
#     stub, libc's clock_gettime) summed as "clock";
#   - inside: the instruction, and through the debug scopes C2 recorded (-XX:+DebugNonSafepoints)
#     the agentmon source line it was compiled from.
# Shares are of all samples in the benchmark thread's process; ns is share x the run's ns/op.
# A sample lands on the instruction after the one that stalled as often as on it (skid), so read a
# line's figure together with its neighbours'.
#   python3 benchmarks/scripts/probe-profile.py DIR [METHOD]     (METHOD: benchworker.WovenTask::run)
import collections, re, subprocess, sys, tempfile

folder = sys.argv[1]
method = sys.argv[2] if len(sys.argv) > 2 else "benchworker.WovenTask::run"
log = open(folder + "/jmh.log", encoding="utf-8", errors="replace").read().splitlines()

# The last C2 compilation of the method: JMH's warm-up may compile it more than once.
starts = [i for i, line in enumerate(log) if line.startswith("Compiled method (c2)") and method in line]
if not starts:
    sys.exit("no C2 compilation of %s in %s/jmh.log" % (method, folder))
first = starts[-1]
code = {}       # address -> byte
scopes = []     # (pc, [frames, innermost first]) in print order
main = None
i = first + 1
pending = None  # the pc whose scope lines are being read
while i < len(log) and not (log[i].startswith("Compiled method") or log[i].startswith("[/MachCode]")):
    line = log[i]
    m = re.match(r"\s*main code\s+\[0x([0-9a-f]+),0x([0-9a-f]+)\]", line)
    if m:
        main = (int(m.group(1), 16), int(m.group(2), 16))
    m = re.match(r"\s*0x([0-9a-f]+): (.*)$", line)
    if m:
        pc, rest = int(m.group(1), 16), m.group(2)
        if rest.startswith(";"):
            pending = (pc, [])
            scopes.append(pending)
        else:
            pending = None
            # Whole byte groups only: the fork's own output can cut into a line of the print.
            hexes = re.match(r"[0-9a-f |]*", rest).group(0).replace("|", " ").split()
            hexes = [h for h in hexes if len(h) % 2 == 0]
            data = bytes.fromhex("".join(hexes))
            for k, b in enumerate(data):
                code[pc + k] = b
    else:
        m = re.match(r"\s*; - (\S+)@(-?\d+)(?: \(line (\d+)\))?", line)
        if m and pending is not None:
            pending[1].append((m.group(1), int(m.group(2)), m.group(3)))
    i += 1
if main is None or not code:
    sys.exit("no machine code printed for %s (was -XX:CompileCommand=print given?)" % method)
lo, hi = main
blob = bytes(code.get(a, 0x90) for a in range(lo, hi))

with tempfile.NamedTemporaryFile(suffix=".bin") as raw:
    raw.write(blob)
    raw.flush()
    dump = subprocess.run(["objdump", "-D", "-b", "binary", "-mi386:x86-64", "--adjust-vma=%#x" % lo, raw.name],
                          capture_output=True, text=True, check=True).stdout
instructions = []  # (address, length, text)
for line in dump.splitlines():
    m = re.match(r"\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*\t?(.*)$", line)
    if m:
        instructions.append((int(m.group(1), 16), len(m.group(2).split()), m.group(3).strip()))

# A scope printed at pc X describes the instruction that ends at X (a call's return address, an
# implicit null check's fault point, or with DebugNonSafepoints any node's end).
scopes.sort()
scope_pcs = [pc for pc, _ in scopes]


def scope_of(address, length):
    import bisect
    k = bisect.bisect_left(scope_pcs, address + length)
    while k < len(scopes) and not scopes[k][1]:
        k += 1
    return scopes[k][1] if k < len(scopes) else []


def source(frames):
    """The innermost agentmon (or worker) frame, with the agentmon frames that led to it."""
    own = [f for f in frames if f[0].startswith("io.agentmon.") or f[0].startswith("benchworker.")]
    if not own:
        return "(no scope)"
    name, bci, line = own[0]
    head = "%s line %s" % (name.replace("io.agentmon.bootstrap.", ""), line or "?")
    jdk = [f for f in frames if not (f[0].startswith("io.agentmon.") or f[0].startswith("benchworker."))]
    if jdk and frames[0] is jdk[0]:
        head += " <- " + jdk[0][0].split(".")[-1]
    return head


def phase(frames):
    names = [f[0] for f in frames]
    for n in names:
        if n.endswith("TaskProbes::enter") or n.endswith("TaskProbes::enterQuietly"):
            return "enter"
        if n.endswith("TaskProbes::exit") or n.endswith("TaskProbes::exitQuietly"):
            return "exit"
    return "method"


CLOCK = ("clock_gettime", "javaTimeNanos", "nanoTime")
samples = collections.Counter()
outside = collections.Counter()
total = 0
for line in open(folder + "/perf.txt", encoding="utf-8", errors="replace"):
    parts = line.split(None, 1)
    if not parts:
        continue
    try:
        ip = int(parts[0], 16)
    except ValueError:
        continue
    total += 1
    if lo <= ip < hi:
        samples[ip] += 1
    else:
        sym = parts[1].strip() if len(parts) > 1 else "?"
        sym = re.sub(r" \(/.*\)$", "", sym)
        outside["clock" if any(c in sym for c in CLOCK) else sym[:90]] += 1
if total == 0:
    sys.exit("no samples in %s/perf.txt" % folder)

score = None
for line in log:
    m = re.match(r"\S+\s+avgt\s+\d+\s+([0-9.]+)", line)
    if m:
        score = float(m.group(1))
ns = (lambda n: n * score / total) if score else (lambda n: float("nan"))

print("%d samples; the run measured %s ns/op; method code %#x-%#x" % (total, score, lo, hi))
inside = sum(samples.values())
print("\n## by part")
print("| part | samples | share | ns/op |")
print("|---|---|---|---|")
for name, n in outside.most_common(6):
    print("| %s | %d | %.1f %% | %.1f |" % (name, n, 100.0 * n / total, ns(n)))
rest = total - inside - sum(n for _, n in outside.most_common(6))
print("| everything else outside %s | %d | %.1f %% | %.1f |" % (method, rest, 100.0 * rest / total, ns(rest)))
print("| %s, compiled with the probe | %d | %.1f %% | %.1f |" % (method, inside, 100.0 * inside / total, ns(inside)))

by_phase = collections.Counter()
by_line = collections.Counter()
locked = collections.Counter()
rows = []
for address, length, text in instructions:
    n = samples.get(address, 0)
    frames = scope_of(address, length)
    by_phase[phase(frames)] += n
    by_line[(phase(frames), source(frames))] += n
    # skid: the cost of a locked instruction lands on it and on the one after it
    if text.startswith("lock "):
        locked[(address, text, source(frames))] += n
    rows.append((address, text, n, source(frames)))
for k, (address, text, n, src) in enumerate(rows):
    if k > 0 and rows[k - 1][1].startswith("lock "):
        key = [key for key in locked if key[0] == rows[k - 1][0]][0]
        locked[key] += n

print("\n## inside the method, by where the code came from")
print("| phase | samples | share | ns/op |")
print("|---|---|---|---|")
for name in ("enter", "exit", "method"):
    print("| %s | %d | %.1f %% | %.1f |" % (name, by_phase[name], 100.0 * by_phase[name] / total, ns(by_phase[name])))
print("\n| phase | source (innermost agentmon frame) | samples | share | ns/op |")
print("|---|---|---|---|---|")
for (ph, src), n in sorted(by_line.items(), key=lambda kv: -kv[1]):
    if n:
        print("| %s | %s | %d | %.1f %% | %.2f |" % (ph, src, n, 100.0 * n / total, ns(n)))
print("\n## locked instructions (their samples and the next instruction's)")
for (address, text, src), n in sorted(locked.items()):
    print("%#x  %-40s %-50s %5d  %.1f %%  %.2f ns" % (address, text, src, n, 100.0 * n / total, ns(n)))
print("\n## hottest instructions")
for address, text, n, src in sorted(rows, key=lambda r: -r[2])[:40]:
    print("%#x  %5d  %5.1f %%  %-45s %s" % (address, n, 100.0 * n / total, text[:45], src))
