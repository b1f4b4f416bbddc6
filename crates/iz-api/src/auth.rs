//! Tokens and roles. A token is 32 random bytes shown once, as `iz_` + base64url; the store
//! keeps only its SHA-256. Every `/v1` route needs `Authorization: Bearer <token>`: none or an
//! unknown one is 401, a known one with the wrong role or region is 403. Known tokens are cached
//! for a few seconds so that the hot intake path does not read the store per request; a token
//! issued by another process (`iz token issue` while the server runs) is found on first use.

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
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let text = format!(
        "iz_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
    );
    let hash = hash_token(&text);
    (text, hash)
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
    /// Finds the token, from the cache or the store.
    pub fn lookup(
        &self,
        store: &Arc<dyn Store>,
        hash: [u8; 32],
    ) -> Result<Option<TokenInfo>, ApiError> {
        if let Some((info, at)) = self.known.read().get(&hash)
            && at.elapsed() < CACHE_TTL
        {
            return Ok(Some(info.clone()));
        }
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

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "send Authorization: Bearer <token>; `iz token issue` makes one",
                )
            })?;
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
        let store = Arc::clone(&state.store);
        let cache = Arc::clone(&state.tokens);
        let found = tokio::task::spawn_blocking(move || cache.lookup(&store, hash))
            .await
            .map_err(|_| ApiError::internal())??;
        match found {
            Some(info) if !info.revoked => Ok(Caller(info.actor())),
            Some(_) => Err(ApiError::unauthorized("this token was revoked")),
            None => Err(ApiError::unauthorized("unknown token")),
        }
    }
}
