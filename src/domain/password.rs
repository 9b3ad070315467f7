use crate::error::Invalid;
use std::fmt;

/// A new password as typed by a person: 8..=128 characters (NIST 800-63B: length, not
/// composition rules). Never serialised, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 8;
    pub const MAX_LEN: usize = 128;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let n = input.chars().count();
        if n < Self::MIN_LEN {
            return Err(Invalid::min_length(format!("Use at least {} characters", Self::MIN_LEN)));
        }
        if n > Self::MAX_LEN {
            return Err(Invalid::max_length(format!("Use at most {} characters", Self::MAX_LEN)));
        }
        if input.trim().is_empty() {
            return Err(Invalid::format("A password cannot be only spaces"));
        }
        Ok(Password(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::Password;

    #[test]
    fn length_bounds() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse(&"x".repeat(128)).is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert!(Password::parse("ééééééé").is_err());
        assert!(Password::parse("éééééééé").is_ok());
    }

    #[test]
    fn refuses_only_spaces() {
        assert!(Password::parse("          ").is_err());
    }

    #[test]
    fn debug_does_not_show_the_secret() {
        let p = Password::parse("hunter22hunter22").unwrap();
        assert!(!format!("{p:?}").contains("hunter"));
    }
}
