//! Access tokens: `POST /users/getToken` and the check every other REST call makes.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::{random_u64, ModelError};

/// Lifetime of an access token from `POST /users/getToken`.
pub const TOKEN_TTL: i64 = 30 * 60;
/// A token with less than this left is extended by [`TOKEN_EXTENSION`] when asked for again.
pub const TOKEN_EXTEND_BELOW: i64 = 60;
/// See [`TOKEN_EXTEND_BELOW`].
pub const TOKEN_EXTENSION: i64 = 5 * 60;

/// `POST /users/getToken`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// The token.
    pub access_token: String,
    /// Sandbox time now.
    pub now: i64,
    /// When it expires.
    pub expired_at: i64,
}

/// `POST /users/getToken`: the same token again while it is valid (extended when nearly expired).
pub fn issue_token(
    db: &Connection,
    imp_key: &str,
    imp_secret: &str,
    expected: (&str, &str),
    now: i64,
) -> Result<TokenInfo, ModelError> {
    if (imp_key, imp_secret) != expected {
        return Err(ModelError::unauthorized(
            "imp_key, imp_secret 인증에 실패하였습니다. (wrong imp_key or imp_secret)",
        ));
    }
    db.prepare_cached("DELETE FROM tokens WHERE expired_at <= ?1")?
        .execute([now])?;
    let current = db
        .prepare_cached(
            "SELECT access_token, expired_at FROM tokens ORDER BY expired_at DESC LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .optional()?;
    if let Some((access_token, mut expired_at)) = current {
        if expired_at - now < TOKEN_EXTEND_BELOW {
            expired_at = expired_at.saturating_add(TOKEN_EXTENSION);
            db.prepare_cached("UPDATE tokens SET expired_at = ?2 WHERE access_token = ?1")?
                .execute(rusqlite::params![access_token, expired_at])?;
        }
        return Ok(TokenInfo {
            access_token,
            now,
            expired_at,
        });
    }
    let access_token = format!("{:016x}{:016x}", random_u64(), random_u64());
    let expired_at = now.saturating_add(TOKEN_TTL);
    db.prepare_cached("INSERT INTO tokens (access_token, expired_at) VALUES (?1, ?2)")?
        .execute(rusqlite::params![access_token, expired_at])?;
    Ok(TokenInfo {
        access_token,
        now,
        expired_at,
    })
}

/// Whether a token is known and unexpired.
pub fn check_token(db: &Connection, token: &str, now: i64) -> Result<(), ModelError> {
    let exp = db
        .prepare_cached("SELECT expired_at FROM tokens WHERE access_token = ?1")?
        .query_row([token], |r| r.get::<_, i64>(0))
        .optional()?;
    match exp {
        Some(exp) if exp > now => Ok(()),
        Some(_) => Err(ModelError::unauthorized(
            "Unauthorized: the access token has expired",
        )),
        None => Err(ModelError::unauthorized("Unauthorized")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{db, KEYS};
    use crate::model::ErrorKind;

    #[test]
    fn token_is_reused_then_extended_then_expires() {
        let db = db();
        let a = issue_token(&db, "k", "s", KEYS, 1000).unwrap();
        assert_eq!(a.expired_at, 1000 + TOKEN_TTL);
        let b = issue_token(&db, "k", "s", KEYS, 1100).unwrap();
        assert_eq!(a.access_token, b.access_token);
        assert_eq!(b.expired_at, a.expired_at);
        let c = issue_token(&db, "k", "s", KEYS, a.expired_at - 30).unwrap();
        assert_eq!(c.access_token, a.access_token);
        assert_eq!(c.expired_at, a.expired_at + TOKEN_EXTENSION);
        assert!(check_token(&db, &a.access_token, c.expired_at - 1).is_ok());
        assert_eq!(
            check_token(&db, &a.access_token, c.expired_at)
                .unwrap_err()
                .kind,
            ErrorKind::Unauthorized
        );
        assert_eq!(
            check_token(&db, "nope", 0).unwrap_err().kind,
            ErrorKind::Unauthorized
        );
        assert_eq!(
            issue_token(&db, "k", "x", KEYS, 0).unwrap_err().kind,
            ErrorKind::Unauthorized
        );
        let d = issue_token(&db, "k", "s", KEYS, c.expired_at + 1).unwrap();
        assert_ne!(d.access_token, a.access_token);
    }
}
