//! Creating and editing a badge: one editor for both, with live preview and contrast check.

use super::badge_assigners::BadgeAssigners;
use super::badge_unlocks::BadgeUnlocks;
use crate::badges::api::{get_badge, SaveBadge};
use crate::badges::Badge;
use crate::components::badge::BadgeChip;
use crate::components::classes::BUTTON;
use crate::components::form::{field_error, form_error, Field, FormAlert, SubmitButton};
use crate::components::status::{ErrorList, Loading};
use crate::domain::{ContrastVerdict, HexColor};
use crate::error::AppError;
use crate::pages::badge_icon::{IconErrors, IconFields, IconPicker};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

/// Colours one click away; chosen to span hues and include light and dark ones.
const PRESETS: [&str; 12] = [
    "#1E40AF", "#047857", "#B91C1C", "#7C3AED", "#C2410C", "#0F766E", "#BE185D", "#334155", "#FACC15", "#F5F5F4",
    "#000000", "#FFFFFF",
];

#[component]
pub fn NewBadgePage() -> impl IntoView {
    view! {
        <Title text="New badge"/>
        <h1 class="text-2xl font-bold tracking-tight">"New badge"</h1>
        <BadgeEditor initial=None/>
    }
}

#[component]
pub fn EditBadgePage() -> impl IntoView {
    let params = use_params_map();
    let badge = Resource::new(
        move || params.with(|p| p.get("id")),
        |id| async move {
            match id.as_deref().map(Uuid::parse_str) {
                Some(Ok(id)) => get_badge(id).await,
                _ => Err(AppError::BADGE_NOT_FOUND),
            }
        },
    );
    view! {
        <Title text="Edit badge"/>
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-bold tracking-tight">"Edit badge"</h1>
            {move || params.with(|p| p.get("id")).map(|id| view! {
                <a href=format!("/dashboard/audit?entity={}", crate::query_string::encode_query_value(&id)) class=BUTTON>"History"</a>
            })}
        </div>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move { badge.await.map(|b| view! { <BadgeEditor initial=Some(b)/> }) })}
            </ErrorBoundary>
        </Transition>
        // outside the editor's Suspense: its own data is read once, not once per walk of it
        <BadgeAssigners/>
        <BadgeUnlocks/>
    }
}

#[component]
fn BadgeEditor(initial: Option<Badge>) -> impl IntoView {
    let save = ServerAction::<SaveBadge>::new();
    let result = move || save.value().get();
    let description_error = field_error(result, "description");
    let start = initial.clone();
    let title = RwSignal::new(start.as_ref().map(|b| b.title.clone()).unwrap_or_default());
    let description = start.as_ref().map(|b| b.description.clone()).unwrap_or_default();
    let background = RwSignal::new(start.as_ref().map_or("#1E40AF".to_owned(), |b| b.background_color.clone()));
    let text = RwSignal::new(start.as_ref().map_or("#FFFFFF".to_owned(), |b| b.text_color.clone()));
    let icon = IconFields::new(start.as_ref().and_then(|b| b.icon.as_ref()));
    let icon_errors = IconErrors {
        kind: field_error(result, "icon_kind"),
        library: field_error(result, "icon_library"),
        file: field_error(result, "icon_file"),
        url: field_error(result, "icon_url"),
        alt: field_error(result, "icon_alt"),
    };
    let preview_icon = icon.preview();
    let preview_title = Signal::derive(move || {
        let t = title.get();
        if t.trim().is_empty() {
            "Badge title".to_owned()
        } else {
            t
        }
    });

    view! {
        <ActionForm action=save attr:novalidate=true attr:class="mt-6 grid gap-8 lg:grid-cols-[minmax(0,1fr)_18rem]">
            <div class="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
                <FormAlert message=form_error(result)/>
                {initial.as_ref().map(|b| view! {
                    <input type="hidden" name="id" value=b.id.to_string()/>
                    <input type="hidden" name="revision" value=b.revision.to_string()/>
                })}
                <Field label="Title" name="title" bind=title required=true hint="Up to 50 characters." error=field_error(result, "title")/>
                <div class="space-y-1">
                    <label for="field-description" class="block text-sm font-medium text-slate-700 dark:text-slate-200">"Description"</label>
                    <textarea id="field-description" name="description" rows="3" maxlength="1500"
                        aria-invalid=move || description_error.get().is_some().then_some("true")
                        class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-slate-600 dark:bg-slate-900">
                        {description}
                    </textarea>
                    {move || description_error.get().map(|e| view! { <p class="text-sm font-medium text-red-700 dark:text-red-400">{e}</p> })}
                </div>
                <div class="flex items-start gap-3">
                    <input id="permissions_enabled" name="permissions_enabled" type="checkbox" value="on"
                        checked=initial.as_ref().is_some_and(|b| b.permissions_enabled)
                        aria-describedby="permissions_enabled-hint"
                        class="mt-1 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-2 focus:ring-indigo-500"/>
                    <div>
                        <label for="permissions_enabled" class="font-medium">"Grants page permissions"</label>
                        <p id="permissions_enabled-hint" class="text-sm text-slate-500 dark:text-slate-400">"Members holding this badge can open the members-only pages it unlocks."</p>
                    </div>
                </div>
                <ColorField label="Background colour" hex_label="Background hex" name="background_color" value=background error=field_error(result, "background_color")/>
                <ColorField label="Text colour" hex_label="Text hex" name="text_color" value=text error=field_error(result, "text_color")/>
                <ContrastCheck background text/>
                <IconPicker fields=icon errors=icon_errors/>
                <div class="flex items-center gap-4">
                    <div class="w-40"><SubmitButton label="Save badge" busy_label="Saving…" pending=save.pending()/></div>
                    <a href="/dashboard/badges" class="text-sm font-medium text-indigo-700 underline dark:text-indigo-300">"Cancel"</a>
                </div>
            </div>
            <section aria-labelledby="preview-heading" class="space-y-3">
                <h2 id="preview-heading" class="text-lg font-semibold">"Preview"</h2>
                <div class="rounded-lg border border-slate-200 bg-white p-4" aria-label="On a light page" role="group">
                    <p class="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">"Light"</p>
                    <BadgeChip title=preview_title background text icon=preview_icon/>
                </div>
                <div class="rounded-lg border border-slate-700 bg-slate-900 p-4" aria-label="On a dark page" role="group">
                    <p class="mb-2 text-xs font-medium uppercase tracking-wide text-slate-400">"Dark"</p>
                    <BadgeChip title=preview_title background text icon=preview_icon/>
                </div>
            </section>
        </ActionForm>
    }
}

/// A colour as a native picker, a hex field (the one the form sends) and presets, in step.
#[component]
fn ColorField(
    label: &'static str,
    hex_label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    // the native picker only takes lower-case #rrggbb; keep the last valid colour while the hex
    // field holds something half-typed
    let picker_value = Memo::new(move |prev: Option<&String>| match HexColor::parse(&value.get()) {
        Ok(c) => c.to_string().to_lowercase(),
        Err(_) => prev.cloned().unwrap_or_else(|| "#000000".into()),
    });
    view! {
        <fieldset class="space-y-2">
            <legend class="text-sm font-medium text-slate-700 dark:text-slate-200">{label}</legend>
            <div class="flex items-end gap-3">
                <input type="color" aria-label=format!("{label} picker") value=picker_value.get_untracked()
                    prop:value=move || picker_value.get()
                    on:input:target=move |ev| value.set(ev.target().value().to_uppercase())
                    class="h-10 w-14 cursor-pointer rounded border border-slate-300 bg-white p-1 dark:border-slate-600"/>
                <div class="flex-1">
                    <Field label=hex_label name=name bind=value required=true error=error/>
                </div>
            </div>
            <div class="flex flex-wrap gap-2" role="group" aria-label=format!("{label} presets")>
                {PRESETS.iter().map(|&preset| view! {
                    <button type="button" title=preset aria-label=format!("{label} {preset}")
                        aria-pressed=move || (value.get().eq_ignore_ascii_case(preset)).to_string()
                        on:click=move |_| value.set(preset.to_owned())
                        class="h-7 w-7 rounded-full border border-slate-300 shadow-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 aria-pressed:ring-2 aria-pressed:ring-indigo-600 dark:border-slate-600"
                        style:background-color=preset>
                    </button>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The WCAG contrast of the text on the background, live, with a one-click fix below AA.
#[component]
fn ContrastCheck(background: RwSignal<String>, text: RwSignal<String>) -> impl IntoView {
    let check = Memo::new(move |_| {
        let (Ok(bg), Ok(fg)) = (HexColor::parse(&background.get()), HexColor::parse(&text.get())) else {
            return None;
        };
        let ratio = fg.contrast_ratio(bg);
        Some((ratio, ContrastVerdict::of(ratio), fg.readable_on(bg, ContrastVerdict::AA_MIN)))
    });
    view! {
        <div role="status" aria-live="polite" class="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
            {move || match check.get() {
                None => view! { <p>"Contrast: enter two valid colours to check it."</p> }.into_any(),
                Some((ratio, verdict, better)) => view! {
                    <p>
                        <span class="font-medium">{format!("Contrast {ratio:.2}:1")}</span>
                        " — "{verdict.label()}
                    </p>
                    {(!verdict.is_readable()).then(|| view! {
                        <p class="mt-1 text-amber-800 dark:text-amber-300">
                            "Below 4.5:1, the title is hard to read for many people."
                        </p>
                        <button type="button" on:click=move |_| text.set(better.to_string())
                            class="mt-2 rounded-md border border-slate-300 px-3 py-1 font-medium hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-slate-600 dark:hover:bg-slate-800">
                            {format!("Use a readable text colour ({better})")}
                        </button>
                    })}
                }.into_any(),
            }}
        </div>
    }
}
