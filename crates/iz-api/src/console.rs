//! The console in the browser: its pages and files.
//!
//! Every console page answers with the same `index.html` (the application picks the view by
//! the path), but the server decides first whether the caller may open it: an anonymous caller
//! gets the page with 401 (the application shows the sign-in form), a role that may not open it
//! gets 403 (an `ingest` token, which is for systems, opens no page at all). [`PAGES`] is the one table of which role opens which page; the
//! session's `pages` list comes from it, so the navigation shows exactly what the server allows.
//! Built files (`/assets/…`) and the base map carry no personal data and are public.

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use iz_model::Role;

use crate::AppState;
use crate::auth::Caller;
use crate::routes::READERS;

/// A page of the console and the roles that may open it.
pub struct Page {
    /// The id the application's module uses (`console/src/modules/<id>`).
    pub id: &'static str,
    /// Its paths, in axum's syntax.
    pub paths: &'static [&'static str],
    pub roles: &'static [Role],
}

/// Which role opens which page. A new capability adds its row here and its module in
/// `console/src/modules`.
pub const PAGES: &[Page] = &[
    Page {
        id: "alerts",
        paths: &["/alerts", "/alerts/{id}"],
        roles: READERS,
    },
    Page {
        id: "map",
        paths: &["/map"],
        roles: READERS,
    },
    Page {
        id: "watch",
        paths: &["/watch"],
        roles: READERS,
    },
    Page {
        id: "supervision",
        paths: &["/supervision", "/supervision/{id}"],
        roles: &[Role::ProbationOfficer, Role::Admin, Role::Prosecutor],
    },
    Page {
        id: "dashboard",
        paths: &["/dashboard"],
        roles: &[Role::Admin, Role::Operator, Role::Prosecutor, Role::Analyst],
    },
    Page {
        id: "drones",
        paths: &["/drones"],
        roles: &[Role::Admin, Role::Operator, Role::Prosecutor, Role::Analyst],
    },
    Page {
        id: "fraud",
        paths: &["/fraud", "/fraud/listings"],
        roles: &[Role::Analyst, Role::Admin, Role::Prosecutor],
    },
    Page {
        id: "oversight",
        paths: &["/oversight"],
        roles: &[Role::Admin, Role::Prosecutor],
    },
];

/// The ids of the pages a role may open.
pub fn pages_for(role: Role) -> Vec<&'static str> {
    PAGES
        .iter()
        .filter(|p| p.roles.contains(&role))
        .map(|p| p.id)
        .collect()
}

/// The console's routes: the front door (`/` and `/sign-in`, public: they hold no data and show
/// the sign-in form, or send a signed-in person to their first page), each page of [`PAGES`],
/// the built files and the map.
pub fn routes() -> Router<AppState> {
    let front_door = get(|h: HeaderMap| async move { html(StatusCode::OK, &h) });
    let mut router = Router::new()
        .route("/", front_door.clone())
        .route("/sign-in", front_door)
        .route("/assets/{*file}", get(file))
        .route(
            "/favicon.svg",
            get(|h: HeaderMap| async move { serve("/favicon.svg", &h) }),
        )
        .route(
            "/geo/kz-adm1.geojson",
            get(|h: HeaderMap| async move { serve("/geo/kz-adm1.geojson", &h) }),
        );
    for p in PAGES {
        for path in p.paths {
            router = router.route(path, get(move |s, r| page(s, r, p.roles)));
        }
    }
    router
}

async fn page(State(state): State<AppState>, request: Request, roles: &'static [Role]) -> Response {
    let (mut parts, _) = request.into_parts();
    let caller = <Caller as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, &state,
    )
    .await;
    let headers = &parts.headers;
    match caller {
        Ok(Caller(actor)) if roles.contains(&actor.role) => html(StatusCode::OK, headers),
        Ok(_) => html(StatusCode::FORBIDDEN, headers),
        Err(e) if e.status == StatusCode::UNAUTHORIZED => html(StatusCode::UNAUTHORIZED, headers),
        Err(e) => e.into_response(),
    }
}

async fn file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    serve(&format!("/assets/{file}"), &headers)
}

fn html(status: StatusCode, request: &HeaderMap) -> Response {
    let mut response = serve("/index.html", request);
    *response.status_mut() = status;
    response
}

/// The console's own rules for the browser: nothing from other hosts, no framing, no inline
/// scripts.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

fn serve(path: &str, request: &HeaderMap) -> Response {
    let Some(asset) = iz_console::asset(path) else {
        return crate::error::ApiError::not_found(&format!("file {path}")).into_response();
    };
    let gzip_ok = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if asset.immutable {
            "public, max-age=31536000, immutable"
        } else if asset.content_type.starts_with("text/html") {
            // Always the latest page, so it names the latest hashed files.
            "no-cache"
        } else {
            // The base map and the icon change only with a new release.
            "public, max-age=86400"
        }),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if asset.content_type.starts_with("text/html") {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    match asset.gzip {
        Some(gz) if gzip_ok => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            (headers, gz).into_response()
        }
        _ => (headers, asset.body).into_response(),
    }
}
