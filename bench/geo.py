#!/usr/bin/env python3
"""iz-geo against shapely 2 (STRtree.query(points, predicate="within")) and PostGIS (ST_Covers, GiST),
same data, same run. Usage: geo.py IZ LOCATE_TIMED KZ.geojson OUTDIR [N_POINTS] [N_PG_POINTS]"""
import json, os, subprocess, sys, time, csv
import numpy as np
import shapely
from shapely.geometry import shape

iz, timed, kz_path, out = sys.argv[1:5]
n = int(sys.argv[5]) if len(sys.argv) > 5 else 1_000_000
n_pg = int(sys.argv[6]) if len(sys.argv) > 6 else 100_000
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(5)

# 10,000 star polygons of 32 vertices over Kazakhstan's bbox: vertex k in the k-th of 32 angular
# sectors, so no ring crosses itself; radii 0.05..0.2 degrees, so they overlap now and then.
def stars(count=10_000, verts=32):
    feats = []
    cx = rng.uniform(46.5, 87.5, count); cy = rng.uniform(40.5, 55.5, count)
    for i in range(count):
        a = (np.arange(verts) + 0.9 * rng.random(verts)) / verts * 2 * np.pi
        r = 0.05 + 0.15 * rng.random(verts)
        ring = np.column_stack([cx[i] + r * np.cos(a), cy[i] + r * np.sin(a)]).tolist()
        ring.append(ring[0])
        feats.append({"type": "Feature", "properties": {"id": f"s{i}"}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": feats}

kz = json.load(open(kz_path))
for f in kz["features"]:
    f["properties"]["id"] = f["properties"]["ADM1_PCODE"]
sets = {"10k stars x32": stars(), "KZ 20 regions": kz}
lat = rng.uniform(40.5, 55.5, n); lon = rng.uniform(46.5, 87.5, n)
latl, lonl = lat.tolist(), lon.tolist()  # plain floats: repr() round-trips exactly
ppath = os.path.join(out, "points.csv")
with open(ppath, "w") as fh:
    fh.write("id,lat,lon\n")
    fh.writelines(f"{i},{latl[i]!r},{lonl[i]!r}\n" for i in range(n))

def best(f, k=2):
    r = [f() for _ in range(k)]
    return min(x[0] for x in r), r[0][1]

results = []
for name, d in sets.items():
    zpath = os.path.join(out, name.replace(" ", "_") + ".geojson")
    json.dump(d, open(zpath, "w"))
    ids = [f["properties"]["id"] for f in d["features"]]
    geoms = [shape(f["geometry"]) for f in d["features"]]
    pts = shapely.points(lon, lat)
    # shapely in-process: tree build + query, from geometries and points already made
    def sh_inproc():
        t = time.perf_counter(); tree = shapely.STRtree(geoms); pi, gi = tree.query(pts, predicate="within")
        return time.perf_counter() - t, (pi, gi)
    ts_in, (pi, gi) = best(sh_inproc)
    ref = {}
    for p, g in zip(pi.tolist(), gi.tolist()): ref.setdefault(p, set()).add(ids[g])
    # shapely end to end, as the contract check does it: read both files, build, query
    def sh_e2e():
        t = time.perf_counter()
        dd = json.load(open(zpath)); gg = [shape(f["geometry"]) for f in dd["features"]]
        la, lo = np.loadtxt(ppath, delimiter=",", skiprows=1, usecols=(1, 2), unpack=True)
        tree = shapely.STRtree(gg); tree.query(shapely.points(lo, la), predicate="within")
        return time.perf_counter() - t, None
    ts_e2e, _ = best(sh_e2e)
    # iz end to end: the process reads, parses, locates, writes
    def iz_e2e():
        t = time.perf_counter()
        r = subprocess.run([iz, "geo", "locate", "--zones", zpath, "--points", ppath], capture_output=True, check=True)
        return time.perf_counter() - t, r.stdout
    ti_e2e, stdout = best(iz_e2e)
    got = {}
    for line in stdout.decode().splitlines()[1:]:
        i, z = line.split(",", 1)
        if z: got[int(i)] = set(z.split(";"))
    disagree = sum(1 for i in set(ref) | set(got) if ref.get(i) != got.get(i))
    inproc = [json.loads(subprocess.run([timed, zpath, ppath], capture_output=True, check=True, text=True).stdout) for _ in range(2)]
    b = min(x["build_s"] for x in inproc); l1 = min(x["locate_1t_s"] for x in inproc); l2 = min(x["locate_2t_s"] for x in inproc)
    row = dict(zones=name, points=n, pairs=len(pi), disagree=disagree, shapely_inproc_s=ts_in, iz_inproc_1t_s=b + l1,
               iz_build_s=b, iz_locate_1t_s=l1, iz_locate_2t_s=l2, ratio_inproc_1t=ts_in / (b + l1), ratio_inproc_2t=ts_in / (b + l2),
               shapely_e2e_s=ts_e2e, iz_e2e_s=ti_e2e, ratio_e2e=ts_e2e / ti_e2e)
    results.append(row)
    print(json.dumps(row), flush=True)

# PostGIS: ST_Covers join with a GiST index on the polygons, a subset of the same points
try:
    import psycopg2
    con = psycopg2.connect(host="127.0.0.1", port=5432, dbname="test", user="postgres"); con.autocommit = True
    cur = con.cursor()
    cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    cur.execute("SELECT postgis_lib_version()"); ver = cur.fetchone()[0]
    cur.execute("DROP TABLE IF EXISTS izg_pts; CREATE TABLE izg_pts(id int, geom geometry(Point,4326))")
    from io import StringIO
    buf = StringIO("".join(f"{i}\tSRID=4326;POINT({lonl[i]!r} {latl[i]!r})\n" for i in range(n_pg)))
    cur.copy_from(buf, "izg_pts", columns=("id", "geom"))
    cur.execute("ANALYZE izg_pts")
    for name, d in sets.items():
        cur.execute("DROP TABLE IF EXISTS izg_zones; CREATE TABLE izg_zones(id text, geom geometry(Geometry,4326))")
        buf = StringIO("".join(f"{f['properties']['id']}\tSRID=4326;{shapely.force_2d(shape(f['geometry'])).wkt}\n" for f in d["features"]))
        cur.copy_from(buf, "izg_zones", columns=("id", "geom"))
        cur.execute("CREATE INDEX ON izg_zones USING gist(geom); ANALYZE izg_zones")
        ts = []
        for _ in range(2):
            t = time.perf_counter()
            cur.execute("SELECT count(*) FROM izg_pts p JOIN izg_zones z ON ST_Covers(z.geom, p.geom)")
            cnt = cur.fetchone()[0]; ts.append(time.perf_counter() - t)
        row = next(r for r in results if r["zones"] == name)
        iz_rate = row["iz_locate_1t_s"] / n  # seconds per point, in-process, one thread
        pg = dict(zones=name, postgis=ver, pg_points=n_pg, pg_pairs=cnt, postgis_s=min(ts),
                  postgis_us_per_point=min(ts) / n_pg * 1e6, iz_us_per_point=iz_rate * 1e6, ratio=(min(ts) / n_pg) / iz_rate)
        print(json.dumps(pg), flush=True)
except Exception as e:  # report, don't hide
    print(json.dumps({"postgis": f"not run: {e}"}))
