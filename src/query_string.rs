//! Query-string helpers shared by pages and the HTTP layer.

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
