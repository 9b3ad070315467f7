//! Member fields that parse themselves: profile (nickname, title, slug) and contact details.
//! Each parser trims, bounds and explains; an empty optional field parses to `None`.

use crate::error::Invalid;

/// Longest name, nickname, title, company or job title, as the Members API bounds them.
pub const MAX_TEXT: usize = 100;
/// Longest profile slug we hand out (the API allows 255; URLs this long help nobody).
pub const MAX_SLUG: usize = 100;
/// Phones or extra emails a member may list.
pub const MAX_LIST: usize = 10;

/// An optional line of text: trimmed, empty means none, at most `MAX_TEXT` characters, no
/// control characters. `what` names the field in the message ("A nickname").
pub fn optional_text(input: &str, what: &str) -> Result<Option<String>, Invalid> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Invalid::max_length(format!("{what} has at most {MAX_TEXT} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(Invalid::format(format!("{what} must be a single line of text")));
    }
    Ok(Some(text.to_owned()))
}

/// A profile address: lowercase letters, digits and single hyphens, starting and ending with a
/// letter or digit.
pub fn profile_slug(input: &str) -> Result<String, Invalid> {
    let slug = input.trim();
    if slug.is_empty() {
        return Err(Invalid::required("Enter a profile address"));
    }
    if slug.len() > MAX_SLUG {
        return Err(Invalid::max_length(format!("A profile address has at most {MAX_SLUG} characters")));
    }
    let chars_ok = slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let edges_ok = !slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--");
    if !chars_ok || !edges_ok {
        return Err(Invalid::format("Use lowercase letters, digits and single hyphens (like ann-lee)"));
    }
    Ok(slug.to_owned())
}

/// A birth date as `YYYY-MM-DD`, a real date, not in the future and not before 1900.
pub fn birthdate(input: &str, today: chrono::NaiveDate) -> Result<Option<String>, Invalid> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Invalid::format("Enter the date as YYYY-MM-DD, for example 1990-04-23"))?;
    if date > today {
        return Err(Invalid::from("A birth date cannot be in the future"));
    }
    if date < chrono::NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date") {
        return Err(Invalid::from("Enter a birth date after 1900"));
    }
    Ok(Some(date.format("%Y-%m-%d").to_string()))
}

/// Phone numbers, one per line: digits with the usual separators, at least 3 digits, at most
/// 30 characters each and `MAX_LIST` numbers.
pub fn phones(input: &str) -> Result<Vec<String>, Invalid> {
    let phones: Vec<String> = input.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    if phones.len() > MAX_LIST {
        return Err(Invalid::max_length(format!("List at most {MAX_LIST} phone numbers")));
    }
    for phone in &phones {
        let ok = phone.len() <= 30
            && phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
            && phone.chars().filter(char::is_ascii_digit).count() >= 3;
        if !ok {
            return Err(Invalid::format(format!("{phone:?} is not a phone number")));
        }
    }
    Ok(phones)
}

/// Extra contact emails, one per line.
pub fn emails(input: &str) -> Result<Vec<String>, Invalid> {
    let emails: Vec<&str> = input.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if emails.len() > MAX_LIST {
        return Err(Invalid::max_length(format!("List at most {MAX_LIST} email addresses")));
    }
    emails
        .into_iter()
        .map(|e| {
            super::Email::parse(e)
                .map(|e| e.as_str().to_owned())
                .map_err(|_| Invalid::format(format!("{e:?} is not an email address")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_text_is_trimmed_bounded_and_single_line() {
        assert_eq!(optional_text("  Ann  ", "A nickname"), Ok(Some("Ann".into())));
        assert_eq!(optional_text("   ", "A nickname"), Ok(None));
        assert_eq!(optional_text(&"é".repeat(100), "A title"), Ok(Some("é".repeat(100))));
        assert!(optional_text(&"é".repeat(101), "A title").unwrap_err().message.contains("at most 100"));
        assert!(optional_text("a\nb", "A title").is_err());
    }

    #[test]
    fn slugs_are_plain_lowercase_words() {
        assert_eq!(profile_slug(" ann-lee-2 "), Ok("ann-lee-2".into()));
        for bad in ["", "Ann", "ann lee", "-ann", "ann-", "a--b", "ann_lee", "änn"] {
            assert!(profile_slug(bad).is_err(), "{bad:?}");
        }
        assert!(profile_slug(&"a".repeat(101)).is_err());
    }

    #[test]
    fn birthdates_are_real_past_dates() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(birthdate("1990-04-23", today), Ok(Some("1990-04-23".into())));
        assert_eq!(birthdate("", today), Ok(None));
        for bad in ["1990-02-30", "23/04/1990", "2027-01-01", "1899-12-31"] {
            assert!(birthdate(bad, today).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn phone_and_email_lists_are_one_per_line() {
        assert_eq!(
            phones("+44 20 7946 0000\n\n (555) 010-9999 \n"),
            Ok(vec!["+44 20 7946 0000".into(), "(555) 010-9999".into()])
        );
        assert!(phones("call me").is_err());
        assert!(phones("12").is_err());
        assert!(phones(&"123\n".repeat(11)).is_err());
        assert_eq!(emails("a@example.com\nB@Example.com"), Ok(vec!["a@example.com".into(), "b@example.com".into()]));
        assert!(emails("not-an-email").unwrap_err().message.contains("not an email"));
    }
}
