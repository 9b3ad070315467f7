//! The community directory: public members only, to everyone.

use super::layout::PageFrame;
use crate::components::pager::{page_from_query, Pager};
use crate::components::status::{ErrorList, Loading};
use crate::members::api::community;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CommunityPage() -> impl IntoView {
    let page = page_from_query();
    let members = Resource::new(move || page.get(), community);
    view! {
        <Title text="Community"/>
        <PageFrame let:_user>
        <main id="main" class="mx-auto max-w-6xl px-4 py-10">
            <h1 class="text-2xl font-bold tracking-tight">"Community"</h1>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                    {move || Suspend::new(async move {
                        members.await.map(|p| {
                            if p.items.is_empty() && p.page == 1 {
                                return view! {
                                    <p class="mt-6 rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-300">
                                        "Nobody has joined the community yet. Members join from their profile page."
                                    </p>
                                }.into_any();
                            }
                            view! {
                                <ul class="mt-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Community members">
                                    <For each=move || p.items.clone() key=|m| m.slug.clone() let:member>
                                        <li class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
                                            <span class="font-semibold">{member.display_name}</span>
                                        </li>
                                    </For>
                                </ul>
                                <Pager page=p.page has_more=p.has_more/>
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </main>
        </PageFrame>
    }
}
