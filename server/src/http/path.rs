//! Typed path ids with the project's own rejection: a segment that is not a number names no
//! resource, so it is a 404 in the API's error shape, never axum's plain-text 400.

use crate::error::ApiError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

/// The one numeric id of a route such as `/api/jobs/{id}`.
#[derive(Clone, Copy, Debug)]
pub struct PathId(pub i64);

/// The two numeric ids of a route such as `/api/jobs/{id}/objections/{objection_id}`.
#[derive(Clone, Copy, Debug)]
pub struct PathIds(pub i64, pub i64);

/// A numeric id and a named step, such as `/api/complaints/{id}/{step}`: a step the enum does
/// not name is no resource either.
#[derive(Clone, Copy, Debug)]
pub struct PathStep<T>(pub i64, pub T);

fn id(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::NotFound)
}

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(text) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        Ok(PathId(id(&text)?))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PathIds {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path((first, second)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        Ok(PathIds(id(&first)?, id(&second)?))
    }
}

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for PathStep<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path((first, step)) = Path::<(String, T)>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        Ok(PathStep(id(&first)?, step))
    }
}

#[cfg(test)]
mod tests {
    use super::id;

    #[test]
    fn only_a_whole_number_is_an_id() {
        assert_eq!(id("42").unwrap(), 42);
        for text in ["", "4.2", "x", "1e3", "99999999999999999999"] {
            assert!(id(text).is_err(), "{text:?}");
        }
    }
}
