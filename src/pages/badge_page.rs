//! `/badges/{slug}`: a badge and who holds it. Visitors and members see the public holders;
//! admins see every holder, private ones marked.

use super::community::Avatar;
use super::layout::PageFrame;
use crate::badges::api::badge_page;
use crate::components::badge::BadgeChip;
use crate::components::classes::EMPTY;
use crate::components::filters::query_param;
use crate::components::pager::{page_from_query, KeysetPager};
use crate::components::status::{ErrorNotice, Loading, NotFound};
use crate::domain::PrivacyStatus;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn BadgeHoldersPage() -> impl IntoView {
    let params = use_params_map();
    let page = page_from_query();
    let (after, before) = (query_param("after"), query_param("before"));
    let data = Resource::new(
        move || (params.with(|p| p.get("slug")).unwrap_or_default(), after.get(), before.get(), page.get()),
        |(slug, after, before, page)| badge_page(slug, after, before, page),
    );
    view! {
        <PageFrame let:_user>
        <main id="main" class="mx-auto max-w-3xl px-4 py-10">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(b) => {
                            let empty = if b.all_holders { "Nobody holds this badge yet." } else { "No community member holds this badge yet." };
                            let holders = b.holders.clone();
                            view! {
                                <Title text=b.title.clone()/>
                                <h1 class="sr-only">{b.title.clone()}</h1>
                                <div class="text-lg">
                                    <BadgeChip title=b.title.clone() background=b.background_color.clone() text=b.text_color.clone() icon=b.icon.clone()/>
                                </div>
                                {b.all_holders.then(|| view! {
                                    <p class="mt-2 text-sm"><a href=format!("/dashboard/audit?entity={}", b.id) class="text-indigo-700 underline dark:text-indigo-300">"History of this badge"</a></p>
                                })}
                                {(!b.description.is_empty()).then(|| view! { <p class="mt-4 text-slate-700 dark:text-slate-200">{b.description.clone()}</p> })}
                                {(!b.unlocks.is_empty()).then(|| view! {
                                    <section aria-labelledby="unlocks-heading" class="mt-8">
                                        <h2 id="unlocks-heading" class="text-lg font-semibold">"Unlocks"</h2>
                                        <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">"Members holding this badge can open these pages."</p>
                                        <ul class="mt-3 list-inside list-disc space-y-1" aria-label="Pages it unlocks">
                                            {b.unlocks.iter().map(|p| view! {
                                                <li><a href=format!("/pages/{}", p.slug) class="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">{p.title.clone()}</a></li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                })}
                                <section aria-labelledby="holders-heading" class="mt-8">
                                    <h2 id="holders-heading" class="text-lg font-semibold">"Holders"</h2>
                                    {if holders.items.is_empty() && holders.number == 1 {
                                        view! { <p class=EMPTY>{empty}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" aria-label="Holders">
                                                {holders.items.into_iter().map(|h| {
                                                    let public = h.member.privacy_status.is_none_or(|p| p == PrivacyStatus::Public);
                                                    let href = if b.all_holders { format!("/dashboard/members/{}", h.member.id) } else { format!("/members/{}", h.member.profile.slug) };
                                                    view! {
                                                        <li class="flex items-center gap-3 px-4 py-3">
                                                            <Avatar member=h.member.clone() size="h-9 w-9"/>
                                                            <a href=href class="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">{h.member.display_name()}</a>
                                                            {(!public).then(|| view! { <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-200">"Private"</span> })}
                                                            <span class="ml-auto text-sm text-slate-500 dark:text-slate-400">{format!("Since {}", h.assigned_at.format("%Y-%m-%d"))}</span>
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                            <KeysetPager number=holders.number previous=holders.previous.clone() next=holders.next.clone()/>
                                        }.into_any()
                                    }}
                                </section>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </main>
        </PageFrame>
    }
}
