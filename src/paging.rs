//! Pages of a list: the wire shapes (`Page` for lists paged by number, `KeysetPage` for lists
//! paged from a row's place), and how server functions cut one.

use serde::{Deserialize, Serialize};

/// How many rows a list page shows.
pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: i64,
    pub has_more: bool,
}

/// The row offset of 1-based `page`; pages past a million are refused (they would only be
/// typed by hand, and the offset must stay far from overflow).
#[cfg(feature = "ssr")]
pub fn offset(page: i64) -> Result<i64, crate::error::AppError> {
    if !(1..=1_000_000).contains(&page) {
        return Err(crate::error::AppError::validation("page", "No such page"));
    }
    Ok((page - 1) * PAGE_SIZE)
}

/// The deepest page a public list paged by number (the community directory) goes to: 10,000
/// rows in. Anyone may ask for any page, and an offset deep into 100,000 rows costs a scan of
/// them all on every request; past this, searching is the way to find someone.
pub const MAX_PUBLIC_PAGE: i64 = 200;

/// `offset` for a public list: pages past `MAX_PUBLIC_PAGE` are refused.
#[cfg(feature = "ssr")]
pub fn public_offset(page: i64) -> Result<i64, crate::error::AppError> {
    if page > MAX_PUBLIC_PAGE {
        return Err(crate::error::AppError::validation(
            "page",
            format!("Lists stop at page {MAX_PUBLIC_PAGE}; search to find someone further in"),
        ));
    }
    offset(page)
}

/// Builds a page from up to `PAGE_SIZE + 1` rows: the extra row only says there is a next page.
pub fn paged<T>(mut rows: Vec<T>, page: i64) -> Page<T> {
    let has_more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    Page { items: rows, page, has_more }
}

/// A page of a list paged from a row's place (keyset paging): its rows, its number as the
/// person counted it while paging, and the places the pages either side start from (opaque
/// tokens for the `after` and `before` parameters of the next request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeysetPage<T> {
    pub items: Vec<T>,
    pub number: i64,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// Which way a keyset page was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toward {
    First,
    /// The rows after a place.
    After,
    /// The rows before a place.
    Before,
}

/// Builds a keyset page from up to `PAGE_SIZE + 1` rows in display order, read `toward`. The
/// extra row is at the far end of the reading: after the page when reading forwards (there
/// is a next page), before it when reading backwards (there is a previous one). `place` gives
/// a row's token.
pub fn keyset<T>(mut rows: Vec<T>, toward: Toward, number: i64, place: impl Fn(&T) -> String) -> KeysetPage<T> {
    let more = rows.len() as i64 > PAGE_SIZE;
    if more {
        match toward {
            Toward::Before => drop(rows.drain(..rows.len() - PAGE_SIZE as usize)),
            Toward::First | Toward::After => rows.truncate(PAGE_SIZE as usize),
        }
    }
    let previous = match toward {
        Toward::First => false,
        Toward::After => true,
        Toward::Before => more,
    };
    let next = match toward {
        Toward::First | Toward::After => more,
        Toward::Before => true,
    };
    KeysetPage {
        previous: previous.then(|| rows.first().map(&place)).flatten(),
        next: next.then(|| rows.last().map(&place)).flatten(),
        items: rows,
        number,
    }
}

/// The page number a keyset link carries, for showing only: 1 to a million.
#[cfg(feature = "ssr")]
pub fn page_number(number: i64) -> Result<i64, crate::error::AppError> {
    offset(number).map(|_| number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extra_row_means_more() {
        let p = paged((0..51).collect::<Vec<_>>(), 1);
        assert_eq!((p.items.len(), p.has_more), (50, true));
        let p = paged((0..50).collect::<Vec<_>>(), 2);
        assert_eq!((p.items.len(), p.has_more, p.page), (50, false, 2));
    }

    #[test]
    fn offsets_are_bounded() {
        assert_eq!(offset(1).unwrap(), 0);
        assert_eq!(offset(3).unwrap(), 100);
        assert!(offset(0).is_err());
        assert!(offset(1_000_001).is_err());
        assert_eq!(public_offset(MAX_PUBLIC_PAGE).unwrap(), (MAX_PUBLIC_PAGE - 1) * PAGE_SIZE);
        assert!(public_offset(MAX_PUBLIC_PAGE + 1).unwrap_err().field_message("page").unwrap().contains("search"));
    }

    #[test]
    fn keyset_pages_know_their_neighbours() {
        let place = |n: &i64| n.to_string();
        let rows = |from: i64, count: i64| (from..from + count).collect::<Vec<_>>();
        // the first page, and the only one
        let p = keyset(rows(0, 51), Toward::First, 1, place);
        assert_eq!((p.items.len(), p.previous, p.next.as_deref()), (50, None, Some("49")));
        let p = keyset(rows(0, 3), Toward::First, 1, place);
        assert_eq!((p.previous, p.next), (None, None));
        // forwards: the previous page ends before the first row; the extra row is dropped
        let p = keyset(rows(50, 51), Toward::After, 2, place);
        assert_eq!((p.items[0], p.previous.as_deref(), p.next.as_deref()), (50, Some("50"), Some("99")));
        let p = keyset(rows(100, 7), Toward::After, 3, place);
        assert_eq!((p.previous.as_deref(), p.next), (Some("100"), None));
        // backwards: the extra row is the one before the page
        let p = keyset(rows(49, 51), Toward::Before, 2, place);
        assert_eq!(
            (p.items.len(), p.items[0], p.previous.as_deref(), p.next.as_deref()),
            (50, 50, Some("50"), Some("99"))
        );
        let p = keyset(rows(0, 50), Toward::Before, 1, place);
        assert_eq!((p.previous, p.next.as_deref()), (None, Some("49")));
        // past the end: nothing, and no links out of nothing
        let p = keyset(Vec::new(), Toward::After, 9, place);
        assert_eq!((p.items.len(), p.previous, p.next), (0, None, None));
    }
}
