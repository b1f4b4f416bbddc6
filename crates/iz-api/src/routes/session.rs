//! `/v1/session`: signing in to the console. A person signs in with a name and password and gets
//! an HttpOnly, SameSite=Strict cookie and a CSRF token to echo on every change. Repeated
//! failures lock the account for a while; a wrong name and a wrong password answer alike.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use iz_model::{Rejection, Role};
use serde::{Deserialize, Serialize};

use super::blocking;
use crate::AppState;
use crate::auth::{
    SESSION_COOKIE, hash_token, live_session, random_secret, same_secret, session_cookie,
};
use crate::error::{ApiError, ApiResult};
use crate::password::{decoy_hash, verify_password};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub name: String,
    pub password: String,
}

/// The signed-in person, and the token to send in `X-CSRF-Token` with every change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub name: String,
    pub role: Role,
    #[schema(value_type = Option<String>)]
    pub region: Option<iz_model::Region>,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    /// The console pages this role may open (ids of `console::PAGES`).
    pub pages: Vec<&'static str>,
}

fn cookie(state: &AppState, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let text = format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&text)
        .unwrap_or_else(|_| HeaderValue::from_static("iz_session=; Max-Age=0"))
}

fn bad_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "bad_credentials",
        "the name or the password is wrong",
    )
}

fn locked(until: DateTime<Utc>) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "account_locked",
        format!("too many failed sign-ins; the account is locked until {until}"),
    )
}

/// Signs in; sets the session cookie.
#[utoipa::path(
    post, path = "/v1/session", request_body = SignIn,
    responses(
        (status = 200, description = "Signed in; the cookie is set", body = SessionView),
        (status = 401, description = "Wrong name or password", body = crate::error::ErrorBody),
        (status = 429, description = "Locked after repeated failures", body = crate::error::ErrorBody),
    ),
    tag = "session"
)]
pub async fn sign_in(
    State(state): State<AppState>,
    body: Result<Json<SignIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(request) = body.map_err(|r| {
        ApiError::unprocessable(vec![Rejection::new("invalid_sign_in", r.body_text())])
    })?;
    let store = state.store.clone();
    let now = state.clock.now();
    let (config, secret, csrf) = (state.config.clone(), random_secret(), random_secret());
    let secret_for_store = secret.clone();
    let view = blocking(move || {
        let Some((user, hash)) = store.find_user(&request.name)? else {
            // Same work as for a real user, so the answer's timing does not tell names apart.
            let _ = verify_password(&request.password, decoy_hash());
            return Err(bad_credentials());
        };
        if let Some(until) = user.locked_until.filter(|until| *until > now) {
            return Err(locked(until));
        }
        if !verify_password(&request.password, &hash) {
            let user = store.record_sign_in(user.id, false, config.lockout, now)?;
            return Err(match user.locked_until.filter(|until| *until > now) {
                Some(until) => locked(until),
                None => bad_credentials(),
            });
        }
        let user = store.record_sign_in(user.id, true, config.lockout, now)?;
        let expires_at = now + config.session_ttl;
        store.create_session(
            hash_token(&secret_for_store),
            &csrf,
            user.id,
            now,
            expires_at,
        )?;
        Ok(SessionView {
            name: user.name,
            role: user.role,
            region: user.region,
            csrf_token: csrf,
            expires_at,
            pages: crate::console::pages_for(user.role),
        })
    })
    .await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        cookie(&state, &secret, state.config.session_ttl.num_seconds()),
    );
    Ok((headers, Json(view)).into_response())
}

/// The current session (for a page that was reloaded and needs its CSRF token again).
#[utoipa::path(get, path = "/v1/session", responses((status = 200, body = SessionView), (status = 401, body = crate::error::ErrorBody)), tag = "session")]
pub async fn current(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<SessionView>> {
    let session = find(&state, &headers).await?;
    Ok(Json(SessionView {
        name: session.user.name,
        role: session.user.role,
        region: session.user.region,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
        pages: crate::console::pages_for(session.user.role),
    }))
}

/// Signs out: the session ends and the cookie is cleared. Needs the CSRF token.
#[utoipa::path(delete, path = "/v1/session", responses((status = 204, description = "Signed out"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)), tag = "session")]
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let session = find(&state, &headers).await?;
    let sent = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !same_secret(sent, &session.csrf_token) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "send the session's CSRF token in X-CSRF-Token",
        ));
    }
    let store = state.store.clone();
    let now = state.clock.now();
    let secret = session_cookie(&headers).unwrap_or_default();
    let actor = session.user.actor();
    blocking(move || Ok(store.end_session(&hash_token(&secret), &actor, now)?)).await?;
    let mut out = HeaderMap::new();
    out.insert(header::SET_COOKIE, cookie(&state, "", 0));
    Ok((StatusCode::NO_CONTENT, out).into_response())
}

async fn find(state: &AppState, headers: &HeaderMap) -> ApiResult<iz_store::SessionInfo> {
    let secret = session_cookie(headers).ok_or_else(|| ApiError::unauthorized("not signed in"))?;
    live_session(state, &secret).await
}
