//! The admin member list, newest first, 50 a page.

use crate::components::status::{ErrorList, Loading};
use crate::members::api::list_members;
use crate::members::MemberRow;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The `page` query parameter; anything unusable means the first page.
pub fn page_from_query() -> Memo<i64> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1)))
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let page = page_from_query();
    let members = Resource::new(move || page.get(), list_members);
    view! {
        <Title text="Members"/>
        <h1 class="text-2xl font-bold tracking-tight">"Members"</h1>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move {
                    members.await.map(|p| {
                        if p.items.is_empty() && p.page == 1 {
                            return view! {
                                <p class="mt-6 rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-300">
                                    "No members yet. People who sign up at "<a href="/signup" class="font-medium text-indigo-700 underline dark:text-indigo-300">"/signup"</a>" appear here."
                                </p>
                            }.into_any();
                        }
                        view! {
                            <div class="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
                                <table class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                                    <caption class="sr-only">{format!("Members, page {}", p.page)}</caption>
                                    <thead class="bg-slate-50 text-left dark:bg-slate-800">
                                        <tr>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Email"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Profile"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Status"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Community"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Joined"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Last login"</th>
                                        </tr>
                                    </thead>
                                    <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                                        <For each=move || p.items.clone() key=|m| m.id let:member>
                                            <MemberTableRow member/>
                                        </For>
                                    </tbody>
                                </table>
                            </div>
                            <Pager page=p.page has_more=p.has_more base="/dashboard/members"/>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn MemberTableRow(member: MemberRow) -> impl IntoView {
    let date = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d").to_string();
    view! {
        <tr>
            <td class="px-4 py-2">{member.login_email}</td>
            <td class="px-4 py-2">{member.nickname.unwrap_or(member.slug)}</td>
            <td class="px-4 py-2">{member.status.label()}</td>
            <td class="px-4 py-2">{if member.privacy_status == crate::domain::PrivacyStatus::Public { "Joined" } else { "Private" }}</td>
            <td class="px-4 py-2 tabular-nums">{date(member.created_at)}</td>
            <td class="px-4 py-2 tabular-nums">{member.last_login_at.map(date).unwrap_or_else(|| "Never".into())}</td>
        </tr>
    }
}

/// Previous / next links for a paged list.
#[component]
pub fn Pager(page: i64, has_more: bool, base: &'static str) -> impl IntoView {
    const LINK: &str = "rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-slate-600 dark:hover:bg-slate-800";
    view! {
        <nav aria-label="Pages" class="mt-4 flex items-center gap-3">
            {(page > 1).then(|| view! { <a href=format!("{base}?page={}", page - 1) class=LINK rel="prev">"Previous"</a> })}
            <span class="text-sm text-slate-600 dark:text-slate-300">{format!("Page {page}")}</span>
            {has_more.then(|| view! { <a href=format!("{base}?page={}", page + 1) class=LINK rel="next">"Next"</a> })}
        </nav>
    }
}
