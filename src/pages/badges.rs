//! The badge list: every badge as it shows on a profile, with how many members hold it.

use crate::badges::api::{list_badges, DeleteBadge, MoveBadge};
use crate::badges::Badge;
use crate::components::badge::BadgeChip;
use crate::components::classes::{BUTTON, PRIMARY};
use crate::components::filters::{query_param, FilterSelect, SearchField};
use crate::components::form::{form_error, FormAlert};
use crate::components::pager::{page_from_query, Pager};
use crate::components::reorder::MoveButton;
use crate::components::status::{ErrorList, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn BadgesPage() -> impl IntoView {
    let page = page_from_query();
    let search = query_param("q");
    let permissions = query_param("permissions");
    let sort = query_param("sort");
    let delete = ServerAction::<DeleteBadge>::new();
    let mover = ServerAction::<MoveBadge>::new();
    // badges and their holder counts changed elsewhere
    let live = crate::live::watch::live_changes(&["badge", "badge_assignment"]);
    let badges = Resource::new(
        move || {
            let ours = (delete.version().get(), mover.version().get(), live.get());
            (search.get(), permissions.get(), sort.get(), page.get(), ours)
        },
        |(search, permissions, sort, page, _)| list_badges(search, permissions, sort, page),
    );
    let confirming = RwSignal::new(None::<Uuid>);
    let dragging = RwSignal::new(None::<(Uuid, usize)>);
    view! {
        <Title text="Badges"/>
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-bold tracking-tight">"Badges"</h1>
            <a href="/dashboard/badges/new" class=PRIMARY>"New badge"</a>
        </div>
        <form method="get" role="search" class="mt-4 flex flex-wrap items-end gap-3">
            <SearchField label="Title contains" name="q" current=search/>
            <FilterSelect label="Page permissions" name="permissions" current=permissions
                options=&[("any", "Any"), ("on", "Grants permissions"), ("off", "No permissions")]/>
            <FilterSelect label="Sort by" name="sort" current=sort
                options=&[("order", "Display order"), ("title", "Title"), ("newest", "Newest first")]/>
            <button type="submit" class=BUTTON>"Apply"</button>
        </form>
        <FormAlert message=form_error(move || delete.value().get())/>
        <FormAlert message=form_error(move || mover.value().get())/>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move {
                    badges.await.map(|p| {
                        if p.items.is_empty() && p.page == 1 {
                            let message = if search.get_untracked().is_some() {
                                "No badge title matches that search."
                            } else {
                                "No badges yet. Create the first one: members show their badges on their profiles."
                            };
                            return view! {
                                <p class="mt-6 rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-300">{message}</p>
                            }.into_any();
                        }
                        view! {
                            <ul class="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" aria-label="Badges">
                                {
                                    let count = p.items.len();
                                    let first_page = p.page == 1;
                                    // moving one place only makes sense in the whole list, in display order
                                    let reorderable = sort.get_untracked().is_none_or(|s| s == "order")
                                        && search.get_untracked().is_none()
                                        && permissions.get_untracked().is_none_or(|p| p == "any");
                                    let has_more = p.has_more;
                                    view! {
                                        <For each=move || p.items.clone().into_iter().enumerate() key=|(i, b)| (*i, b.id, b.revision) let:((index, badge))>
                                            <BadgeRow badge confirming delete mover dragging index
                                                can_move_up=reorderable && !(first_page && index == 0)
                                                can_move_down=reorderable && (has_more || index + 1 < count)/>
                                        </For>
                                    }
                                }
                            </ul>
                            <Pager page=p.page has_more=p.has_more/>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn BadgeRow(
    badge: Badge,
    index: usize,
    can_move_up: bool,
    can_move_down: bool,
    confirming: RwSignal<Option<Uuid>>,
    delete: ServerAction<DeleteBadge>,
    mover: ServerAction<MoveBadge>,
    dragging: RwSignal<Option<(Uuid, usize)>>,
) -> impl IntoView {
    let id = badge.id;
    // dropped onto this row: go before it when coming from below, after it when from above
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some((dragged, from)) = dragging.get_untracked() {
            dragging.set(None);
            if dragged != id {
                let to = if from > index { format!("before:{id}") } else { format!("after:{id}") };
                mover.dispatch(MoveBadge { id: dragged, to });
            }
        }
    };
    let holders = match badge.member_count {
        1 => "1 member".to_owned(),
        n => format!("{n} members"),
    };
    let title = badge.title.clone();
    view! {
        <li class="flex flex-wrap items-center gap-4 px-4 py-3 aria-grabbed:opacity-50" draggable="true"
            aria-grabbed=move || dragging.get().is_some_and(|(d, _)| d == id).to_string()
            on:dragstart=move |_| dragging.set(Some((id, index)))
            on:dragend=move |_| dragging.set(None)
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=on_drop>
            <span aria-hidden="true" class="cursor-grab select-none text-slate-400" title="Drag to reorder">"⠿"</span>
            <div class="min-w-0 flex-1">
                <BadgeChip title=badge.title.clone() background=badge.background_color.clone() text=badge.text_color.clone() icon=badge.icon.clone()/>
                <p class="mt-1 truncate text-sm text-slate-600 dark:text-slate-300">{badge.description.clone()}</p>
            </div>
            <span class="text-sm tabular-nums text-slate-600 dark:text-slate-300">{holders.clone()}</span>
            <MoveButton id to="up" label=format!("Move {} up", badge.title) symbol="↑" enabled=can_move_up mover/>
            <MoveButton id to="down" label=format!("Move {} down", badge.title) symbol="↓" enabled=can_move_down mover/>
            <a href=format!("/badges/{}", badge.slug) class=BUTTON aria-label=format!("Holders of {}", badge.title)>"Holders"</a>
            <a href=format!("/dashboard/badges/{id}") class=BUTTON aria-label=format!("Edit {}", badge.title)>"Edit"</a>
            <button type="button" class=BUTTON aria-label=format!("Delete {}", badge.title) on:click=move |_| confirming.set(Some(id))>"Delete"</button>
            <Show when=move || confirming.get() == Some(id)>
                <div role="alertdialog" aria-label=format!("Delete {title}?") class="w-full rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
                    <p>{format!("Delete “{title}”? {holders} lose it. This cannot be undone.")}</p>
                    <div class="mt-2 flex gap-2">
                        <ActionForm action=delete>
                            <input type="hidden" name="id" value=id.to_string()/>
                            <button type="submit" class="rounded-md bg-red-700 px-3 py-1 font-semibold text-white hover:bg-red-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-500">"Delete badge"</button>
                        </ActionForm>
                        <button type="button" class=BUTTON on:click=move |_| confirming.set(None)>"Cancel"</button>
                    </div>
                </div>
            </Show>
        </li>
    }
}
