//! Creating and editing a members-only page: title, address, Markdown with a live preview
//! (rendered and sanitized by the server, exactly as the page will show it), and the badges
//! that open it.

use crate::components::classes::EMPTY;
use crate::components::form::{field_error, form_error, Field, FormAlert, SubmitButton};
use crate::components::status::{ErrorList, Loading};
use crate::domain::page::PageSlug;
use crate::error::AppError;
use crate::member_pages::api::{get_page, page_badge_choices, PreviewPage, SavePage};
use crate::member_pages::{BadgeChoice, EditablePage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::time::Duration;
use uuid::Uuid;

#[component]
pub fn NewPagePage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| page_badge_choices());
    view! {
        <Title text="New page"/>
        <h1 class="text-2xl font-bold tracking-tight">"New page"</h1>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move { choices.await.map(|choices| view! { <PageEditor initial=None choices/> }) })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
pub fn EditPagePage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.with(|p| p.get("id")),
        |id| async move {
            match id.as_deref().map(Uuid::parse_str) {
                Some(Ok(id)) => get_page(id).await,
                _ => Err(AppError::PAGE_NOT_FOUND),
            }
        },
    );
    let choices = Resource::new(|| (), |_| page_badge_choices());
    view! {
        <Title text="Edit page"/>
        <h1 class="text-2xl font-bold tracking-tight">"Edit page"</h1>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move {
                    let (page, choices) = (page.await?, choices.await?);
                    Ok::<_, AppError>(view! { <PageEditor initial=Some(page) choices/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

const LABEL: &str = "block text-sm font-medium text-slate-700 dark:text-slate-200";
const ERROR: &str = "text-sm font-medium text-red-700 dark:text-red-400";
const HINT: &str = "text-sm text-slate-500 dark:text-slate-400";

#[component]
fn PageEditor(initial: Option<EditablePage>, choices: Vec<BadgeChoice>) -> impl IntoView {
    let save = ServerAction::<SavePage>::new();
    let preview = ServerAction::<PreviewPage>::new();
    let result = move || save.value().get();
    let content_error = field_error(result, "content");
    let badges_error = field_error(result, "badges");
    let title = RwSignal::new(initial.as_ref().map(|p| p.title.clone()).unwrap_or_default());
    let slug = RwSignal::new(initial.as_ref().map(|p| p.slug.clone()).unwrap_or_default());
    let content = initial.as_ref().map(|p| p.content.clone()).unwrap_or_default();
    let first_html = initial.as_ref().map(|p| p.html.clone()).unwrap_or_default();
    let chosen: Vec<Uuid> = initial.as_ref().map(|p| p.badge_ids.clone()).unwrap_or_default();
    // orphaned: saved with badges, all of which are gone now
    let orphaned = initial.as_ref().is_some_and(|p| !p.open_to_members && p.badge_ids.is_empty());

    // A new page's address follows its title until the address is edited; an existing page's
    // never moves by itself (links to it would break).
    let derived = Memo::new(move |_| {
        let t = title.get();
        if t.trim().is_empty() {
            String::new()
        } else {
            PageSlug::derive(&t).as_str().to_owned()
        }
    });
    let follows_title = RwSignal::new(initial.is_none());
    Effect::new(move |_| {
        let d = derived.get();
        if follows_title.get_untracked() {
            slug.set(d);
        }
    });
    Effect::new(move |_| {
        if slug.get() != derived.get_untracked() {
            follows_title.set(false);
        }
    });

    // the preview asks the server a moment after typing stops, not on every key
    let pending_preview = StoredValue::new(None::<TimeoutHandle>);
    let on_content = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if let Some(handle) = pending_preview.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                preview.dispatch(PreviewPage { content: text });
            },
            Duration::from_millis(300),
        )
        .ok();
        pending_preview.set_value(handle);
    };
    let preview_html = Memo::new(move |_| match preview.value().get() {
        Some(Ok(html)) => Ok(html),
        Some(Err(e)) => Err(e.field_message("content").unwrap_or_else(|| e.to_string())),
        None => Ok(first_html.clone()),
    });

    let (grantable, others): (Vec<BadgeChoice>, Vec<BadgeChoice>) =
        choices.into_iter().partition(|b| b.permissions_enabled);
    let switched_off: Vec<BadgeChoice> = others.into_iter().filter(|b| chosen.contains(&b.id)).collect();
    let no_badges = grantable.is_empty() && switched_off.is_empty();

    view! {
        <ActionForm action=save attr:novalidate=true attr:class="mt-6 grid gap-8 xl:grid-cols-2">
            <div class="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
                <FormAlert message=form_error(result)/>
                {initial.as_ref().map(|p| view! {
                    <input type="hidden" name="id" value=p.id.to_string()/>
                    <input type="hidden" name="revision" value=p.revision.to_string()/>
                })}
                <Field label="Title" name="title" bind=title required=true hint="Up to 100 characters." error=field_error(result, "title")/>
                <Field label="Address" name="slug" bind=slug hint="The page opens at /pages/ followed by this: lower-case letters, digits and hyphens." error=field_error(result, "slug")/>
                <div class="space-y-1">
                    <label for="field-content" class=LABEL>"Content"</label>
                    <textarea id="field-content" name="content" rows="16" aria-describedby="field-content-hint"
                        aria-invalid=move || content_error.get().is_some().then_some("true")
                        on:input=on_content
                        class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900">
                        {content}
                    </textarea>
                    <p id="field-content-hint" class=HINT>"Markdown: # headings, **bold**, *italic*, [links](https://…), lists, tables. Scripts and unsafe HTML are removed."</p>
                    {move || content_error.get().map(|e| view! { <p class=ERROR>{e}</p> })}
                </div>
                <fieldset class="space-y-2" aria-describedby="badges-hint">
                    <legend class=LABEL>"Badges that open it"</legend>
                    <p id="badges-hint" class=HINT>
                        "Members holding any ticked badge read the page. Tick none and every approved member can. Only badges that grant page permissions can be chosen: turn that on in a badge's editor ("
                        <a href="/dashboard/badges" class="font-medium text-indigo-700 underline dark:text-indigo-300">"Badges"</a>")."
                    </p>
                    {orphaned.then(|| view! {
                        <p class="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
                            "The badges that opened this page were deleted: only owners and admins can read it now. Choose a badge, or save with none to open it to every approved member."
                        </p>
                    })}
                    {no_badges.then(|| view! { <p class=EMPTY>"No badge grants page permissions yet."</p> })}
                    <ul class="space-y-1">
                        {grantable.into_iter().chain(switched_off).enumerate().map(|(index, badge)| {
                            let id = format!("page-badge-{}", badge.id);
                            let off = !badge.permissions_enabled;
                            view! {
                                <li class="flex items-center gap-3">
                                    <input type="checkbox" id=id.clone() name=format!("badges[{index}]") value=badge.id.to_string()
                                        checked=chosen.contains(&badge.id)
                                        class="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-2 focus:ring-indigo-500"/>
                                    <label for=id class="text-sm">{badge.title.clone()}</label>
                                    {off.then(|| view! {
                                        <span class="text-sm text-amber-800 dark:text-amber-300">"— its page permissions are off, so it opens nothing now"</span>
                                    })}
                                    <a href=format!("/dashboard/badges/{}", badge.id) class="text-sm text-indigo-700 underline dark:text-indigo-300"
                                        aria-label=format!("Edit the badge {}", badge.title)>"Edit badge"</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {move || badges_error.get().map(|e| view! { <p class=ERROR>{e}</p> })}
                </fieldset>
                <div class="flex items-center gap-4">
                    <div class="w-40"><SubmitButton label="Save page" busy_label="Saving…" pending=save.pending()/></div>
                    <a href="/dashboard/pages" class="text-sm font-medium text-indigo-700 underline dark:text-indigo-300">"Cancel"</a>
                </div>
            </div>
            <section aria-labelledby="preview-heading" class="min-w-0 space-y-3">
                <h2 id="preview-heading" class="text-lg font-semibold">"Preview"</h2>
                {move || match preview_html.get() {
                    Ok(html) if html.is_empty() => view! {
                        <p class=EMPTY>"The page appears here as you write it."</p>
                    }.into_any(),
                    Ok(html) => view! {
                        <div aria-live="polite" class="page-content rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900" inner_html=html></div>
                    }.into_any(),
                    Err(message) => view! { <p role="alert" class=ERROR>{message}</p> }.into_any(),
                }}
            </section>
        </ActionForm>
    }
}
