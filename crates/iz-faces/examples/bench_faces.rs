//! Times iz-faces on data written by `bench/faces.sh` and prints JSON (timings and top-1 rows).
//!
//! Usage: bench_faces GALLERY.f32 QUERIES.f32 DIM ROWS [REPEATS]
//! The files are little-endian f32, row-major, already L2-normalised. One thread.

use std::time::Instant;

use iz_faces::{Gallery, QuantisedGallery, Template};

fn read_f32(path: &str) -> Vec<f32> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// CPU time of this thread, in seconds: on a shared machine it leaves out the time other
/// processes held the core (`bench/faces.sh` measures faiss the same way).
fn thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid pointer to a timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Best of `repeats` runs of `f`: (thread CPU seconds, wall seconds, result).
fn best<T>(repeats: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut out = f();
    let (mut cpu, mut wall) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..repeats {
        let (c, t) = (thread_cpu(), Instant::now());
        out = f();
        wall = wall.min(t.elapsed().as_secs_f64());
        cpu = cpu.min(thread_cpu() - c);
    }
    WALL.with(|w| w.borrow_mut().push(wall));
    (cpu, out)
}

thread_local! {
    static WALL: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: bench_faces GALLERY.f32 QUERIES.f32 DIM ROWS [REPEATS]");
        std::process::exit(2);
    }
    let dim: usize = args[3].parse().expect("DIM");
    let rows: usize = args[4].parse().expect("ROWS");
    let repeats: usize = args.get(5).map_or(5, |r| r.parse().expect("REPEATS"));
    let data = read_f32(&args[1]);
    let qdata = read_f32(&args[2]);
    let mut g = Gallery::new(dim).expect("dimension");
    for (i, row) in data.chunks_exact(dim).take(rows).enumerate() {
        let t = Template::with_dimension(row.to_vec(), dim).expect("valid gallery row");
        g.enroll(i as u64, &t).expect("enrol");
    }
    let qg = QuantisedGallery::from_gallery(g.clone());
    let queries: Vec<Template> = qdata
        .chunks_exact(dim)
        .map(|q| Template::with_dimension(q.to_vec(), dim).expect("valid query"))
        .collect();
    let nq = queries.len() as f64;
    let k = 10;
    let top1 = |r: &Vec<Vec<iz_faces::Match>>| r.iter().map(|m| m[0].row).collect::<Vec<_>>();

    let (t_es, exact) = best(repeats, || {
        queries
            .iter()
            .map(|q| g.search(q, k).expect("s"))
            .collect::<Vec<_>>()
    });
    let (t_qs, quant) = best(repeats, || {
        queries
            .iter()
            .map(|q| qg.search(q, k).expect("s"))
            .collect::<Vec<_>>()
    });
    let (t_eb, exact_b) = best(repeats, || g.search_batch(&queries, k).expect("s"));
    let (t_qb, quant_b) = best(repeats, || qg.search_batch(&queries, k).expect("s"));
    assert_eq!(
        top1(&exact),
        top1(&exact_b),
        "batch and single exact top-1 differ"
    );
    let out = serde_json::json!({
        "rows": rows,
        "queries": queries.len(),
        "k": k,
        "backend": format!("{:?}", g.backend()),
        "qps": {
            "exact_single": nq / t_es,
            "quantised_single": nq / t_qs,
            "exact_batch": nq / t_eb,
            "quantised_batch": nq / t_qb,
        },
        "wall_qps": WALL.with(|w| w.borrow().iter().map(|t| nq / t).collect::<Vec<_>>()),
        "top1": {
            "exact": top1(&exact),
            "quantised": top1(&quant),
            "quantised_batch": top1(&quant_b),
        },
        "top1_score_exact": exact.iter().map(|m| m[0].score).collect::<Vec<_>>(),
    });
    println!("{out}");
}
