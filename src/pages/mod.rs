//! One file per route. A page owns its resources and actions; components below it render.

pub mod admin_layout;
pub mod assign_runs;
pub mod badge_assigners;
pub mod badge_editor;
pub mod badge_icon;
pub mod badge_page;
pub mod badges;
pub mod community;
pub mod dashboard;
pub mod home;
pub mod import;
pub mod layout;
pub mod login;
pub mod member_editor;
pub mod members;
pub mod not_found;
pub mod profile;
pub mod settings;
pub mod setup;
pub mod signup;

/// Encodes a value for a URL query string.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_query_values() {
        assert_eq!(super::encode_query_value("/dashboard/members"), "/dashboard/members");
        assert_eq!(super::encode_query_value("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
    }
}
