//! Paging through a list whose page lives in the URL, next to its filters: by number
//! (`?page=N`) or from a row's place (`?after=…&page=N`).

use crate::components::classes::BUTTON;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// The page asked for in the URL; 1 when absent or not a positive number.
pub fn page_from_query() -> Memo<i64> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1)))
}

/// Previous / next links. They keep every other query parameter (search, filters, sort), so
/// paging never loses what the list was narrowed to.
#[component]
pub fn Pager(page: i64, has_more: bool) -> impl IntoView {
    let location = use_location();
    let href = move |to: i64| {
        let mut params = location.query.get_untracked();
        params.replace("page", to.to_string());
        format!("{}{}", location.pathname.get_untracked(), params.to_query_string())
    };
    view! {
        <nav aria-label="Pages" class="mt-4 flex items-center gap-3">
            {(page > 1).then(|| view! { <a href=href(page - 1) class=BUTTON rel="prev">"Previous"</a> })}
            <span class="text-sm text-slate-600 dark:text-slate-300">{format!("Page {page}")}</span>
            {has_more.then(|| view! { <a href=href(page + 1) class=BUTTON rel="next">"Next"</a> })}
        </nav>
    }
}

/// Previous / next links of a list paged from a row's place (`KeysetPage`): they carry the
/// place as `after` or `before` and the number to show as `page`, and keep every other query
/// parameter. Going back to page 1 drops all three, so the first page always has one address.
#[component]
pub fn KeysetPager(number: i64, previous: Option<String>, next: Option<String>) -> impl IntoView {
    let location = use_location();
    let href = move |place: Option<(&'static str, String)>, to: i64| {
        let mut params = location.query.get_untracked();
        for key in ["after", "before", "page"] {
            params.remove(key);
        }
        if let Some((key, token)) = place.filter(|_| to > 1) {
            params.replace(key, token);
            params.replace("page", to.to_string());
        }
        format!("{}{}", location.pathname.get_untracked(), params.to_query_string())
    };
    let first = (number > 2).then(|| href(None, 1));
    let previous = previous.map(|token| href(Some(("before", token)), number - 1));
    let next = next.map(|token| href(Some(("after", token)), number + 1));
    view! {
        <nav aria-label="Pages" class="mt-4 flex items-center gap-3">
            {first.map(|href| view! { <a href=href class=BUTTON>"First page"</a> })}
            {previous.map(|href| view! { <a href=href class=BUTTON rel="prev">"Previous"</a> })}
            <span class="text-sm text-slate-600 dark:text-slate-300">{format!("Page {number}")}</span>
            {next.map(|href| view! { <a href=href class=BUTTON rel="next">"Next"</a> })}
        </nav>
    }
}
