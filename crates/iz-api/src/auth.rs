//! Who is calling. Systems send `Authorization: Bearer <token>`; people in the console carry a
//! session cookie from `POST /v1/session`. Either way the store keeps only a SHA-256 of the
//! secret. None, an unknown or an expired one is 401; a known caller with the wrong role or
//! region is 403. A session must also echo its CSRF token in `X-CSRF-Token` on every request
//! that changes something (anything but GET and HEAD), so a page on another site cannot act
//! with the user's cookie.
//!
//! Known tokens are cached for a few seconds so that the hot intake path does not read the
//! store per request; a token issued by another process (`iz token issue` while the server
//! runs) is found on first use. Sessions are looked up each time (console traffic is light).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine as _;
use iz_model::{Actor, Role};
use iz_store::{Store, TokenInfo};
use parking_lot::RwLock;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// A new secret and the hash to store.
pub fn new_token() -> (String, [u8; 32]) {
    let text = format!("iz_{}", random_secret());
    let hash = hash_token(&text);
    (text, hash)
}

/// 32 random bytes as base64url.
pub fn random_secret() -> String {
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
}

pub fn hash_token(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

const CACHE_TTL: Duration = Duration::from_secs(10);

#[derive(Default)]
pub struct TokenCache {
    known: RwLock<std::collections::HashMap<[u8; 32], (TokenInfo, Instant)>>,
}

impl TokenCache {
    /// The token, if seen lately: no store read, no blocking.
    pub fn cached(&self, hash: &[u8; 32]) -> Option<TokenInfo> {
        self.known
            .read()
            .get(hash)
            .filter(|(_, at)| at.elapsed() < CACHE_TTL)
            .map(|(info, _)| info.clone())
    }

    /// Reads the token from the store and remembers it.
    pub fn load(
        &self,
        store: &Arc<dyn Store>,
        hash: [u8; 32],
    ) -> Result<Option<TokenInfo>, ApiError> {
        let found = store.find_token(&hash)?;
        if let Some(info) = &found {
            self.known
                .write()
                .insert(hash, (info.clone(), Instant::now()));
        }
        Ok(found)
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller(pub Actor);

impl Caller {
    /// Refuses the caller unless their role is one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<&Actor, ApiError> {
        if roles.contains(&self.0.role) {
            Ok(&self.0)
        } else {
            let allowed: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::forbidden(format!(
                "role {} may not do this; allowed: {}",
                self.0.role,
                allowed.join(", ")
            )))
        }
    }
}

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "iz_session";

/// The session secret in a request's cookies, if any.
pub fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// Compares without stopping at the first difference.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The live session behind a secret: 401 when it has ended or expired.
pub(crate) async fn live_session(
    state: &AppState,
    secret: &str,
) -> Result<iz_store::SessionInfo, ApiError> {
    let store = Arc::clone(&state.store);
    let hash = hash_token(secret);
    let session = tokio::task::spawn_blocking(move || store.find_session(&hash))
        .await
        .map_err(|_| ApiError::internal())??;
    let session =
        session.ok_or_else(|| ApiError::unauthorized("not signed in, or the session has ended"))?;
    if state.clock.now() >= session.expires_at {
        return Err(ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "session_expired",
            "the session has expired; sign in again",
        ));
    }
    Ok(session)
}

async fn session_caller(
    parts: &Parts,
    state: &AppState,
    secret: String,
) -> Result<Caller, ApiError> {
    let session = live_session(state, &secret).await?;
    let safe = matches!(
        parts.method,
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    if !safe {
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !same_secret(sent, &session.csrf_token) {
            return Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "csrf_failed",
                "send the session's CSRF token in X-CSRF-Token with every change",
            ));
        }
    }
    Ok(Caller(session.user.actor()))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
            return match session_cookie(&parts.headers) {
                Some(secret) => session_caller(parts, state, secret).await,
                None => Err(ApiError::unauthorized(
                    "send Authorization: Bearer <token> (`iz token issue` makes one) or sign in (POST /v1/session)",
                )),
            };
        };
        let text = header
            .to_str()
            .ok()
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("the Authorization header must be `Bearer <token>`")
            })?;
        let hash = hash_token(text);
        // The hot path (an intake batch with a known token) never leaves this thread.
        let found = match state.tokens.cached(&hash) {
            Some(info) => Some(info),
            None => {
                let store = Arc::clone(&state.store);
                let cache = Arc::clone(&state.tokens);
                tokio::task::spawn_blocking(move || cache.load(&store, hash))
                    .await
                    .map_err(|_| ApiError::internal())??
            }
        };
        match found {
            Some(info) if !info.revoked => Ok(Caller(info.actor())),
            Some(_) => Err(ApiError::unauthorized("this token was revoked")),
            None => Err(ApiError::unauthorized("unknown token")),
        }
    }
}
