//! One page of members as a table, with a select-all box for the bulk bar.

use super::row::MemberTableRow;
use super::RowTools;
use crate::components::pager::KeysetPager;
use crate::members::MemberRow;
use crate::paging::KeysetPage;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub(super) fn MemberTable(page: KeysetPage<MemberRow>, tools: RowTools) -> impl IntoView {
    let selected = tools.selected;
    let page_ids: Vec<Uuid> = page.items.iter().map(|r| r.member.id).collect();
    let page_size = page_ids.len();
    let KeysetPage { items, number, previous, next } = page;
    view! {
        <div class="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                <caption class="sr-only">{format!("Members, page {number}")}</caption>
                <thead class="bg-slate-50 text-left dark:bg-slate-800">
                    <tr>
                        <th scope="col" class="px-4 py-2">
                            <input type="checkbox" aria-label="Select every member on this page"
                                prop:checked=move || { let n = selected.with(Vec::len); n > 0 && n == page_size }
                                on:change:target=move |ev| selected.set(if ev.target().checked() { page_ids.clone() } else { Vec::new() })
                                class="h-4 w-4 rounded border-slate-300"/>
                        </th>
                        <th scope="col" class="px-4 py-2 font-semibold">"Member"</th>
                        <th scope="col" class="px-4 py-2 font-semibold">"Badges"</th>
                        <th scope="col" class="px-4 py-2 font-semibold">"Status"</th>
                        <th scope="col" class="px-4 py-2 font-semibold">"Community"</th>
                        <th scope="col" class="px-4 py-2 font-semibold">"Joined"</th>
                        <th scope="col" class="px-4 py-2 font-semibold">"Last login"</th>
                        <th scope="col" class="px-4 py-2 font-semibold"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                    <For each=move || items.clone().into_iter().enumerate()
                        key=|(i, r)| (*i, r.member.id, r.member.updated_at, r.badges.iter().map(|b| b.id).collect::<Vec<_>>())
                        let:((index, row))>
                        <MemberTableRow row index tools/>
                    </For>
                </tbody>
            </table>
        </div>
        <KeysetPager number previous next/>
    }
}
