//! Pages of a list: the wire shape, and how server functions cut one.

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

/// The deepest page a public list (a badge's holders, the community directory) goes to: 10,000
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
}
