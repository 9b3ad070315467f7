//! The built-in icon library: Lucide's icons from the `icon_sets` crate, indexed once per process
//! under kebab-case names (`arrow-down-01`) and searched by name.

use super::{IconPage, LibraryIcon};
use std::sync::OnceLock;

/// Icons per picker page: a 6 × 8 grid.
pub const PER_PAGE: usize = 48;
/// Longest query looked at; longer ones cannot match a name anyway.
const MAX_QUERY: usize = 64;

struct Entry {
    name: String,
    svg: String,
}

fn index() -> &'static [Entry] {
    static INDEX: OnceLock<Vec<Entry>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let set = icon_sets::ICON_SETS.get("lucide").expect("icon_sets is built with the lucide feature");
        let mut entries: Vec<Entry> =
            set.iter().map(|(name, icon)| Entry { name: kebab_case(name), svg: markup(icon) }).collect();
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        entries
    })
}

/// How many icons the library holds.
pub fn len() -> usize {
    index().len()
}

/// The SVG document of the icon called `name`, if the library has one.
pub fn svg(name: &str) -> Option<&'static str> {
    let index = index();
    index.binary_search_by(|e| e.name.as_str().cmp(name)).ok().map(|i| index[i].svg.as_str())
}

pub fn contains(name: &str) -> bool {
    svg(name).is_some()
}

/// Icons whose name contains every word of `query` (any order, case-insensitive), best matches
/// first: the exact name, then names starting with the query, then names with a word starting
/// with it, then the rest; alphabetical within each group. An empty query lists the library.
pub fn search(query: &str, page: usize) -> IconPage {
    let query: String = query.chars().take(MAX_QUERY).collect::<String>().to_lowercase();
    let terms: Vec<&str> =
        query.split(|c: char| c.is_whitespace() || c == '-' || c == '_').filter(|t| !t.is_empty()).collect();
    let joined = terms.join("-");
    let mut hits: Vec<(u8, &Entry)> = index()
        .iter()
        .filter(|e| terms.iter().all(|t| e.name.contains(t)))
        .map(|e| (rank(&e.name, &joined), e))
        .collect();
    // the index is alphabetical and the sort stable, so names stay alphabetical within a rank
    hits.sort_by_key(|(rank, _)| *rank);
    let total = hits.len();
    let icons = hits
        .into_iter()
        .skip(page.saturating_mul(PER_PAGE))
        .take(PER_PAGE)
        .map(|(_, e)| LibraryIcon { name: e.name.clone(), svg: e.svg.clone() })
        .collect();
    IconPage { icons, total, page, per_page: PER_PAGE }
}

fn rank(name: &str, joined: &str) -> u8 {
    if joined.is_empty() || name == joined {
        0
    } else if name.starts_with(joined) {
        1
    } else if name.split('-').any(|word| word.starts_with(joined)) || name.contains(&format!("-{joined}")) {
        2
    } else {
        3
    }
}

/// `AArrowDown` → `a-arrow-down`, `ArrowDown01` → `arrow-down-01`, `Axis3d` → `axis-3d`: a
/// hyphen before every capital and before a number that follows a letter.
fn kebab_case(pascal: &str) -> String {
    let mut out = String::with_capacity(pascal.len() + 4);
    let mut prev: Option<char> = None;
    for c in pascal.chars() {
        let starts_word = match prev {
            None => false,
            Some(p) => c.is_ascii_uppercase() || (c.is_ascii_digit() && p.is_ascii_alphabetic()),
        };
        if starts_word {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
        prev = Some(c);
    }
    out
}

/// A standalone SVG document: usable inline (the picker) and as a file (`/icons/NAME.svg`).
/// Drawn in `currentColor`, so an inline icon takes the colour of the text around it.
fn markup(icon: &icon_sets::Icon) -> String {
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{}" width="24" height="24" aria-hidden="true" focusable="false""#,
        icon.view_box
    );
    for (attr, value) in [
        ("fill", icon.fill),
        ("stroke", icon.stroke),
        ("stroke-width", icon.stroke_width),
        ("stroke-linecap", icon.stroke_linecap),
        ("stroke-linejoin", icon.stroke_linejoin),
    ] {
        if let Some(value) = value {
            svg.push_str(&format!(r#" {attr}="{value}""#));
        }
    }
    svg.push('>');
    for node in &icon.nodes {
        svg.push_str(node);
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kebab_case() {
        assert_eq!(kebab_case("AArrowDown"), "a-arrow-down");
        assert_eq!(kebab_case("ArrowDown01"), "arrow-down-01");
        assert_eq!(kebab_case("Axis3d"), "axis-3d");
        assert_eq!(kebab_case("Star"), "star");
    }

    #[test]
    fn the_library_has_over_a_thousand_icons() {
        assert!(len() >= 1000, "{}", len());
        let star = svg("star").expect("lucide has a star");
        assert!(star.starts_with("<svg") && star.ends_with("</svg>") && star.contains("currentColor"));
        assert!(svg("no-such-icon").is_none());
    }

    #[test]
    fn search_ranks_the_exact_name_first_and_pages() {
        let page = search("Star", 0);
        assert_eq!(page.icons[0].name, "star");
        assert!(page.icons.iter().all(|i| i.name.contains("star")));
        assert!(page.icons.iter().position(|i| i.name == "sparkles").is_none());

        let words = search("arrow down", 0);
        assert!(words.total > 1 && words.icons.iter().all(|i| i.name.contains("arrow") && i.name.contains("down")));

        let all = search("", 0);
        assert_eq!(all.total, len());
        assert_eq!(all.icons.len(), PER_PAGE);
        assert!(all.has_next());
        let last = search("", (len() - 1) / PER_PAGE);
        assert!(!last.has_next() && !last.icons.is_empty());
        assert!(search("", 10_000).icons.is_empty());
        assert_eq!(search("zzzz-nothing", 0).total, 0);
    }
}
