//! Console passwords: argon2id (the `argon2` crate's defaults, RFC 9106's second recommended
//! setting: 19 MiB, 2 passes), a random salt each, stored as a PHC string.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

/// Hashes a password for storing.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches a stored PHC string. A malformed hash matches nothing.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// A hash of nothing, verified against when the user does not exist, so that a wrong name and
/// a wrong password take the same time.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("no such user").unwrap_or_default())
}

/// The rules a new password must meet; every problem at once.
pub fn password_problems(password: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if password.chars().count() < 12 {
        problems.push("at least 12 characters".to_string());
    }
    if password.trim() != password {
        problems.push("no spaces at either end".to_string());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
        assert_ne!(
            hash,
            hash_password("correct horse battery").expect("hash"),
            "salted"
        );
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(password_problems("short").len(), 1);
        assert!(password_problems("long enough password").is_empty());
    }
}
