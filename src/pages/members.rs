//! The admin member list, newest first, 50 a page.

use crate::components::status::{ErrorList, Loading};
use crate::members::api::list_members;
use crate::members::MemberRow;
use leptos::prelude::*;
use leptos_meta::Title;
use crate::components::pager::{page_from_query, Pager};

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
                            <Pager page=p.page has_more=p.has_more/>
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
