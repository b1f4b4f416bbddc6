//! The one place where failures become HTTP answers: a status, a stable machine code and a
//! message for a person, as `{"error": {"code": …, "message": …}}`. Internal causes are logged
//! here and never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use iz_model::Rejection;
use iz_store::StoreError;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Vec<Rejection>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `invalid_iin`, `forbidden`.
    pub code: String,
    pub message: String,
    /// Every problem found, when there were several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Rejection>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} does not exist"),
        )
    }
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    /// 422 with every problem; the first one's code is the error's code.
    pub fn unprocessable(problems: Vec<Rejection>) -> Self {
        let first = problems
            .first()
            .cloned()
            .unwrap_or_else(|| Rejection::new("invalid", "the request is not valid"));
        let message = problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: first.code,
            message,
            details: problems,
        }
    }
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong inside Iz; it was logged",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what, id } => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{what} {id} does not exist"),
            ),
            StoreError::Conflict(message) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", message)
            }
            other => {
                tracing::error!(error = %other, code = other.code(), "storage failed");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    other.code(),
                    "storage is not available; try again",
                )
            }
        }
    }
}

impl From<iz_ingest::IngestError> for ApiError {
    fn from(e: iz_ingest::IngestError) -> Self {
        match e {
            iz_ingest::IngestError::Body(r) => ApiError::bad_request(r.code, r.message),
            iz_ingest::IngestError::Store(s) => s.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
                details: self.details,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
