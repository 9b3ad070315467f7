//! Paging through a list whose page lives in the URL (`?page=N`), next to its filters.

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
    const LINK: &str = "rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-slate-600 dark:hover:bg-slate-800";
    let location = use_location();
    let href = move |to: i64| {
        let mut params = location.query.get_untracked();
        params.replace("page", to.to_string());
        format!("{}{}", location.pathname.get_untracked(), params.to_query_string())
    };
    view! {
        <nav aria-label="Pages" class="mt-4 flex items-center gap-3">
            {(page > 1).then(|| view! { <a href=href(page - 1) class=LINK rel="prev">"Previous"</a> })}
            <span class="text-sm text-slate-600 dark:text-slate-300">{format!("Page {page}")}</span>
            {has_more.then(|| view! { <a href=href(page + 1) class=LINK rel="next">"Next"</a> })}
        </nav>
    }
}
