# Who owns the live heap of a JVM (issue 12): reads a heap dump (`jcmd <pid> GC.heap_dump FILE`),
# builds the dominator tree (every GC root and every class's statics under one root) and charges
# each object's shallow size to its nearest dominator that is a class (its statics) or an instance
# of a class whose name starts with PREFIX (io.agentmon). "ROOT(shared/unowned)" is what is reachable
# from more than one owner (class loaders, open jar files, JDK caches). Sizes are estimated for
# compressed oops (12-byte headers, 4-byte references, 8-byte alignment), within a few % of
# GC.class_histogram's. Then lists the largest objects with the fields that hold them.
#   python3 benchmarks/scripts/heap-owners.py DUMP [PREFIX [TOP [LARGEST]]]
import sys, struct, collections
path = sys.argv[1]; prefix = sys.argv[2] if len(sys.argv) > 2 else "io.agentmon"
data = open(path, 'rb').read()
p = data.index(b'\0') + 1
idsz = struct.unpack_from('>I', data, p)[0]; p += 12
assert idsz == 8
def rid(o): return struct.unpack_from('>Q', data, o)[0]
strings = {}; classname = {}
SZ = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
HSZ = {2: 4, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}  # heap sizes, compressed oops
PRIM = {4: '[Z', 5: '[C', 6: '[F', 7: '[D', 8: '[B', 9: '[S', 10: '[I', 11: '[J'}
roots = set(); cls = {}  # class id -> (super, fields[(nameid,type)], statics[(nameid, value)])
objclass = {}; size = {}; edges = {}; arrays = {}
segs = []
while p < len(data):
    tag = data[p]; ln = struct.unpack_from('>I', data, p + 5)[0]; body = p + 9; p = body + ln
    if tag == 0x01: strings[rid(body)] = data[body + 8:body + ln].decode('utf-8', 'replace')
    elif tag == 0x02: classname[rid(body + 4)] = rid(body + 16)
    elif tag in (0x0C, 0x1C): segs.append((body, body + ln))
for (q, end) in segs:
    while q < end:
        t = data[q]; q += 1
        if t == 0xFF: roots.add(rid(q)); q += 8
        elif t == 0x01: roots.add(rid(q)); q += 16
        elif t in (0x02, 0x03): roots.add(rid(q)); q += 16
        elif t == 0x04: roots.add(rid(q)); q += 12
        elif t == 0x05: roots.add(rid(q)); q += 8
        elif t == 0x06: roots.add(rid(q)); q += 12
        elif t == 0x07: roots.add(rid(q)); q += 8
        elif t == 0x08: roots.add(rid(q)); q += 16
        elif t == 0x20:
            cid = rid(q); sup = rid(q + 12); loader = rid(q + 20); q += 8 + 4 + 6 * 8
            inst = struct.unpack_from('>I', data, q)[0]; q += 4
            n = struct.unpack_from('>H', data, q)[0]; q += 2
            for _ in range(n):
                ty = data[q + 2]; q += 3 + SZ[ty]
            n = struct.unpack_from('>H', data, q)[0]; q += 2
            statics = []
            for _ in range(n):
                nm = rid(q); ty = data[q + 8]; q += 9
                if ty == 2: statics.append((nm, rid(q)))
                q += SZ[ty]
            n = struct.unpack_from('>H', data, q)[0]; q += 2
            fields = []
            for _ in range(n):
                fields.append((rid(q), data[q + 8])); q += 9
            cls[cid] = (sup, fields, statics, loader)
            objclass[cid] = None; size[cid] = 0
            e = [v for _, v in statics if v]
            if loader: e.append(loader)
            edges[cid] = e
        elif t == 0x21:
            oid = rid(q); c = rid(q + 12); nb = struct.unpack_from('>I', data, q + 20)[0]; q += 24
            objclass[oid] = c; edges[oid] = (q, nb, c); q += nb
        elif t == 0x22:
            oid = rid(q); num = struct.unpack_from('>I', data, q + 12)[0]; ac = rid(q + 16); q += 24
            objclass[oid] = ('OA', ac); size[oid] = (16 + 4 * num + 7) & ~7
            edges[oid] = [rid(q + 8 * i) for i in range(num)]; q += 8 * num
        elif t == 0x23:
            oid = rid(q); num = struct.unpack_from('>I', data, q + 12)[0]; ty = data[q + 16]; q += 17
            objclass[oid] = ('PA', ty); size[oid] = (16 + HSZ[ty] * num + 7) & ~7; edges[oid] = []; q += SZ[ty] * num
        else: raise Exception('tag %x at %d' % (t, q))
def cname(cid): return strings.get(classname.get(cid), '?%x' % cid).replace('/', '.')
layout = {}
def fieldlist(c):
    if c in layout: return layout[c]
    out = []; k = c
    while k and k in cls:
        out.extend(cls[k][1]); k = cls[k][0]
    layout[c] = out; return out
fieldnames = {}
for oid, e in list(edges.items()):
    if isinstance(e, tuple):
        q, nb, c = e; refs = []; hs = 12; names = []
        for nm, ty in fieldlist(c):
            if ty == 2:
                v = rid(q)
                if v: refs.append(v); names.append(nm)
            hs += HSZ[ty]; q += SZ[ty]
        size[oid] = (hs + 7) & ~7; edges[oid] = refs; fieldnames[oid] = names
def typename(oid):
    c = objclass[oid]
    if c is None: return 'class ' + cname(oid)
    if isinstance(c, tuple): return PRIM[c[1]] if c[0] == 'PA' else cname(c[1])
    return cname(c)
# graph: super root 0 -> roots and all classes
nodes = [0] + list(objclass.keys()); index = {o: i for i, o in enumerate(nodes)}
succ = [[] for _ in nodes]
succ[0] = [index[r] for r in (roots | set(cls.keys())) if r in index]
for o, e in edges.items():
    succ[index[o]] = [index[v] for v in e if v in index]
# iterative DFS postorder
N = len(nodes); order = []; seen = [False] * N; stack = [(0, 0)]; seen[0] = True
while stack:
    v, i = stack[-1]
    if i < len(succ[v]):
        stack[-1] = (v, i + 1); w = succ[v][i]
        if not seen[w]: seen[w] = True; stack.append((w, 0))
    else: stack.pop(); order.append(v)
po = [-1] * N
for i, v in enumerate(order): po[v] = i
pred = [[] for _ in nodes]
for v in range(N):
    if seen[v]:
        for w in succ[v]: pred[w].append(v)
idom = [-1] * N; idom[0] = 0; rpo = order[::-1]
def intersect(a, b):
    while a != b:
        while po[a] < po[b]: a = idom[a]
        while po[b] < po[a]: b = idom[b]
    return a
changed = True
while changed:
    changed = False
    for v in rpo[1:]:
        new = -1
        for u in pred[v]:
            if idom[u] != -1: new = u if new == -1 else intersect(u, new)
        if new != idom[v]: idom[v] = new; changed = True
# owner: nearest dominator that is a class or an instance of a PREFIX class
def isowner(i):
    o = nodes[i]; c = objclass[o]
    if c is None: return True
    return not isinstance(c, tuple) and cname(c).startswith(prefix)
owner = [None] * N
for v in rpo:
    if v == 0: continue
    d = idom[v]
    owner[v] = v if isowner(v) else (owner[d] if d != 0 else 0)
by = collections.Counter(); bytype = collections.defaultdict(collections.Counter)
for v in range(1, N):
    if not seen[v]: continue
    ow = owner[v]; key = 'ROOT(shared/unowned)' if not ow else typename(nodes[ow])
    by[key] += size[nodes[v]]; bytype[key][typename(nodes[v])] += size[nodes[v]]
total = sum(by.values())
print('total reachable %.2f MiB' % (total / 1048576))
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
for k, s in by.most_common(top):
    det = ', '.join('%s %.0fK' % (t, b / 1024) for t, b in bytype[k].most_common(4))
    print('%8.1f KiB  %s  [%s]' % (s / 1024, k, det))
print('--- largest objects')
big = sorted((v for v in range(1, N) if seen[v]), key=lambda v: -size[nodes[v]])[:int(sys.argv[4]) if len(sys.argv) > 4 else 30]
for v in big:
    refs = []
    for u in pred[v][:4]:
        ref = typename(nodes[u])
        if objclass[nodes[u]] is None:
            ref += '.' + ','.join(strings.get(nm, '?') for nm, val in cls[nodes[u]][2] if val == nodes[v])
        elif u in () : pass
        else:
            names = fieldnames.get(nodes[u])
            if names:
                e = edges[nodes[u]]
                ref += '.' + ','.join(strings.get(names[i], '?') for i in range(len(e)) if e[i] == nodes[v])
        refs.append(ref)
    ow = owner[v]
    print('%8.1f KiB %s <- %s (owner %s)' % (size[nodes[v]] / 1024, typename(nodes[v]), ' | '.join(refs), typename(nodes[ow]) if ow else 'ROOT'))
