//! # iz-console: the console, inside the binary
//!
//! The operator console is a small Preact application in `console/` at the root of the
//! repository. Its build script runs `npm ci` (when `node_modules` is missing or older than the
//! lock file) and `vite build` into Cargo's `OUT_DIR`, gzips each file, and includes the result
//! here as static bytes; so a release `iz` binary serves the whole console with no files beside
//! it and nothing fetched from outside: no CDN, no fonts, no map tiles. The base map (the
//! twenty regions, `data/geo/kz-adm1.geojson`) is embedded the same way.
//!
//! This crate only holds bytes and answers "what is at this path"; `iz-api` decides who may
//! load which page.

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// The URL path, e.g. `/assets/index-3f2a.js`.
    pub path: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
    /// The same bytes gzipped, when that makes them smaller.
    pub gzip: Option<&'static [u8]>,
    /// Named by content hash, so it may be cached for good.
    pub immutable: bool,
}

impl Asset {
    /// What a browser that accepts gzip downloads.
    pub fn transfer_size(&self) -> usize {
        self.gzip.map_or(self.body.len(), <[u8]>::len)
    }
}

static ASSETS: &[Asset] = include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// Every embedded file.
pub fn assets() -> &'static [Asset] {
    ASSETS
}

/// The file at a URL path.
pub fn asset(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

/// The page every console route answers with; the application picks the view by the path.
pub fn index_html() -> &'static Asset {
    asset("/index.html").expect("the console build always writes index.html")
}

/// The files a browser fetches to show the first page: the HTML and the scripts, styles and
/// icon it references (not the map, which loads with the first map).
pub fn first_load() -> Vec<&'static Asset> {
    let html = std::str::from_utf8(index_html().body).unwrap_or("");
    let mut files = vec![index_html()];
    for piece in html.split(['"', '\'']) {
        if piece.starts_with('/')
            && let Some(a) = asset(piece)
            && !files.iter().any(|f| f.path == a.path)
        {
            files.push(a);
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_load_stays_under_300_kb_compressed() {
        let files = first_load();
        let total: usize = files.iter().map(|a| a.transfer_size()).sum();
        assert!(
            files.iter().any(|a| a.path.ends_with(".js")),
            "index.html references a script"
        );
        assert!(
            files.iter().any(|a| a.path.ends_with(".css")),
            "index.html references a stylesheet"
        );
        assert!(total < 300 * 1024, "first load is {total} bytes compressed");
    }

    #[test]
    fn the_base_map_of_twenty_regions_is_embedded() {
        let map = asset("/geo/kz-adm1.geojson").expect("embedded");
        let text = std::str::from_utf8(map.body).expect("UTF-8");
        assert_eq!(text.matches("\"ADM1_EN\"").count(), 20);
        assert!(map.gzip.is_some(), "a 3 MB GeoJSON is served compressed");
    }

    #[test]
    fn nothing_is_loaded_from_another_host() {
        for a in assets().iter().filter(|a| {
            a.content_type.starts_with("text/html") || a.content_type.starts_with("text/css")
        }) {
            let text = std::str::from_utf8(a.body).expect("UTF-8");
            for needle in ["http://", "https://", "//fonts.", "//cdn"] {
                assert!(!text.contains(needle), "{} references {needle}", a.path);
            }
        }
    }
}
