/// Turns text into a URL slug: lower-case ASCII letters and digits, words joined by single
/// hyphens, everything else dropped. Accented Latin letters lose their accent first so that
/// "Zoë" becomes "zoe" rather than "zo". Returns `None` when nothing usable is left.
pub fn slugify(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            pending_hyphen = true;
        }
        // any other character is removed without splitting the word
    }
    (!out.is_empty()).then_some(out)
}

/// Folds the common accented Latin letters to their base letter.
fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        _ => "",
    };
    let keep = folded.is_empty().then_some(c);
    folded.chars().chain(keep)
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn lowercases_and_joins_words_with_hyphens() {
        assert_eq!(slugify("Top Contributor").as_deref(), Some("top-contributor"));
        assert_eq!(slugify("  many   spaces  ").as_deref(), Some("many-spaces"));
        assert_eq!(slugify("snake_case-and-kebab").as_deref(), Some("snake-case-and-kebab"));
    }

    #[test]
    fn removes_special_characters() {
        assert_eq!(slugify("Rock & Roll!").as_deref(), Some("rock-roll"));
        assert_eq!(slugify("C++ guru").as_deref(), Some("c-guru"));
        assert_eq!(slugify("ann.lee+test").as_deref(), Some("annleetest"));
        assert_eq!(slugify("<script>").as_deref(), Some("script"));
    }

    #[test]
    fn folds_accents() {
        assert_eq!(slugify("Zoë Ñúñez").as_deref(), Some("zoe-nunez"));
        assert_eq!(slugify("Straße").as_deref(), Some("strasse"));
    }

    #[test]
    fn nothing_usable_is_none() {
        assert_eq!(slugify(""), None);
        assert_eq!(slugify("!!! ???"), None);
        assert_eq!(slugify("日本語"), None);
    }
}
