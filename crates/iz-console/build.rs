//! Builds the console with npm and Vite into `OUT_DIR`, gzips every file, and writes the table
//! of embedded assets that `src/lib.rs` includes.
//!
//! `IZ_CONSOLE_DIST=DIR` uses an already built `dist` folder instead of running npm (for a
//! machine without Node.js: build the console elsewhere with `npm run build`).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let root = manifest.join("../..");
    let console = root.join("console");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets this"));

    println!("cargo::rerun-if-env-changed=IZ_CONSOLE_DIST");
    for input in [
        "src",
        "public",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "tsconfig.json",
    ] {
        println!("cargo::rerun-if-changed={}", console.join(input).display());
    }
    let geo = root.join("data/geo/kz-adm1.geojson");
    println!("cargo::rerun-if-changed={}", geo.display());

    let dist = match std::env::var_os("IZ_CONSOLE_DIST") {
        Some(dir) => PathBuf::from(dir),
        None => build_console(&console, &out.join("dist")),
    };

    let mut files = Vec::new();
    collect(&dist, &dist, &mut files);
    files.sort();
    let mut table = String::from("&[\n");
    let gz_dir = out.join("gz");
    for (url, path) in files
        .iter()
        .map(|rel| (format!("/{rel}"), dist.join(rel)))
        .chain([("/geo/kz-adm1.geojson".to_string(), geo.clone())])
    {
        let gz = gzip(
            &path,
            &gz_dir.join(format!("{}.gz", url.trim_start_matches('/'))),
        );
        let gz = gz.map_or("None".into(), |p| format!("Some(include_bytes!({:?}))", p));
        // Vite names built files by their content hash: they never change under one name.
        let immutable = url.starts_with("/assets/");
        writeln!(
            table,
            "    Asset {{ path: {url:?}, content_type: {:?}, body: include_bytes!({:?}), gzip: {gz}, immutable: {immutable} }},",
            content_type(&url),
            path.canonicalize().unwrap_or(path.clone()),
        )
        .expect("writing to a String");
    }
    table.push(']');
    std::fs::write(out.join("assets.rs"), table).expect("OUT_DIR is writable");
}

fn build_console(console: &Path, dist: &Path) -> PathBuf {
    let installed = console.join("node_modules/.package-lock.json");
    let lock = console.join("package-lock.json");
    let stale = match (modified(&installed), modified(&lock)) {
        (Some(have), Some(want)) => have < want,
        _ => true,
    };
    if stale {
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(console),
            "npm ci",
        );
    }
    run(
        Command::new("npm")
            .args(["run", "build", "--", "--emptyOutDir", "--outDir"])
            .arg(dist)
            .current_dir(console),
        "npm run build",
    );
    dist.to_path_buf()
}

fn run(command: &mut Command, what: &str) {
    let status = command.status().unwrap_or_else(|e| {
        panic!(
            "cannot run `{what}` to build the console: {e}. The console needs Node.js 20.19+ \
             with npm (Debian: apt-get install nodejs npm), or set IZ_CONSOLE_DIST to a built \
             console/dist folder."
        )
    });
    assert!(
        status.success(),
        "`{what}` failed ({status}); see its output above"
    );
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read the built console at {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else if let Ok(rel) = path.strip_prefix(base) {
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Writes a gzip copy when it saves something worth having; returns its path.
fn gzip(source: &Path, target: &Path) -> Option<PathBuf> {
    let body =
        std::fs::read(source).unwrap_or_else(|e| panic!("cannot read {}: {e}", source.display()));
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&body).ok()?;
    let packed = encoder.finish().ok()?;
    if packed.len() + 256 >= body.len() {
        return None;
    }
    std::fs::create_dir_all(target.parent()?).ok()?;
    std::fs::write(target, packed).ok()?;
    Some(target.to_path_buf())
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}
