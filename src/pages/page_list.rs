//! `/dashboard/pages`: the members-only pages, in the order "Your pages" lists them, with who
//! can open each.

use crate::components::classes::{BUTTON, DANGER, EMPTY, PRIMARY};
use crate::components::form::{form_error, FormAlert};
use crate::components::reorder::MoveButton;
use crate::components::status::{ErrorList, Loading};
use crate::member_pages::api::{list_pages, DeletePage, MovePage};
use crate::member_pages::PageSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn PageListPage() -> impl IntoView {
    let delete = ServerAction::<DeletePage>::new();
    let mover = ServerAction::<MovePage>::new();
    let pages = Resource::new(move || (delete.version().get(), mover.version().get()), |_| list_pages());
    let confirming = RwSignal::new(None::<Uuid>);
    view! {
        <Title text="Pages"/>
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-bold tracking-tight">"Pages"</h1>
            <a href="/dashboard/pages/new" class=PRIMARY>"New page"</a>
        </div>
        <p class="mt-2 max-w-2xl text-sm text-slate-600 dark:text-slate-300">
            "Members-only pages. Members holding one of a page's badges (with page permissions) read it; a page without badges is for every approved member. Owners and admins read them all."
        </p>
        <FormAlert message=form_error(move || delete.value().get())/>
        <FormAlert message=form_error(move || mover.value().get())/>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move {
                    pages.await.map(|pages| {
                        if pages.is_empty() {
                            return view! {
                                <p class=EMPTY>"No pages yet. Create one and choose the badges that open it: a staff handbook, a supporters' corner, event details for ticket holders."</p>
                            }.into_any();
                        }
                        let count = pages.len();
                        view! {
                            <ul class="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" aria-label="Pages">
                                {pages.into_iter().enumerate().map(|(index, page)| view! {
                                    <PageRow page confirming delete mover can_move_up={index > 0} can_move_down={index + 1 < count}/>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// Who a page is for, in words.
fn audience(page: &PageSummary) -> String {
    match (page.open_to_members, page.badges.as_slice()) {
        (true, _) => "Every approved member".to_owned(),
        (false, []) => "Only owners and admins: its badges were deleted".to_owned(),
        (false, badges) => format!("Holders of {}", badges.join(", ")),
    }
}

#[component]
fn PageRow(
    page: PageSummary,
    can_move_up: bool,
    can_move_down: bool,
    confirming: RwSignal<Option<Uuid>>,
    delete: ServerAction<DeletePage>,
    mover: ServerAction<MovePage>,
) -> impl IntoView {
    let id = page.id;
    let title = page.title.clone();
    view! {
        <li class="flex flex-wrap items-center gap-4 px-4 py-3">
            <div class="min-w-0 flex-1">
                <a href=format!("/pages/{}", page.slug) class="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">{page.title.clone()}</a>
                <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">
                    <span class="font-mono">{format!("/pages/{}", page.slug)}</span>" · "{audience(&page)}
                </p>
            </div>
            <MoveButton id to="up" label=format!("Move {} up", page.title) symbol="↑" enabled=can_move_up mover/>
            <MoveButton id to="down" label=format!("Move {} down", page.title) symbol="↓" enabled=can_move_down mover/>
            <a href=format!("/dashboard/pages/{id}") class=BUTTON aria-label=format!("Edit {}", page.title)>"Edit"</a>
            <button type="button" class=BUTTON aria-label=format!("Delete {}", page.title) on:click=move |_| confirming.set(Some(id))>"Delete"</button>
            <Show when=move || confirming.get() == Some(id)>
                <div role="alertdialog" aria-label=format!("Delete {title}?") class="w-full rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
                    <p>{format!("Delete “{title}”? Its content is gone for good.")}</p>
                    <div class="mt-2 flex gap-2">
                        <ActionForm action=delete>
                            <input type="hidden" name="id" value=id.to_string()/>
                            <button type="submit" class=DANGER>"Delete page"</button>
                        </ActionForm>
                        <button type="button" class=BUTTON on:click=move |_| confirming.set(None)>"Cancel"</button>
                    </div>
                </div>
            </Show>
        </li>
    }
}
