//! The badge editor's icon field: no icon, a library icon, an uploaded image or an image
//! address, plus alt text. Which panel shows is pure CSS (`:has(:checked)`, style/tailwind.css),
//! so the choice works before and without WASM; the library's first page is rendered on the
//! server, and its search asks the server for every page.

use crate::badges::BadgeInput;
use crate::components::form::Field;
use crate::domain::IconRef;
use crate::error::AppError;
use crate::icons::api::search_icons;
use crate::icons::{library_icon_path, upload_path};
use crate::uploads::api::upload_image;
use crate::uploads::{chosen_file, ACCEPT};
use leptos::prelude::*;
use leptos::web_sys::FormData;

const KINDS: [(&str, &str); 4] =
    [("none", "No icon"), ("library", "From the library"), ("upload", "Upload an image"), ("url", "Image address")];

/// The icon fields as the form holds them, each kept in step with its input.
#[derive(Clone, Copy)]
pub struct IconFields {
    pub kind: RwSignal<String>,
    pub library: RwSignal<String>,
    pub upload: RwSignal<String>,
    pub url: RwSignal<String>,
    pub alt: RwSignal<String>,
}

impl IconFields {
    pub fn new(icon: Option<&IconRef>) -> Self {
        let input = BadgeInput::default().with_icon(icon);
        IconFields {
            kind: RwSignal::new(input.icon_kind),
            library: RwSignal::new(input.icon_library),
            upload: RwSignal::new(input.icon_upload),
            url: RwSignal::new(input.icon_url),
            alt: RwSignal::new(input.icon_alt),
        }
    }

    /// The icon the fields describe, when they describe a valid one (for the preview).
    pub fn preview(self) -> Signal<Option<IconRef>> {
        Signal::derive(move || {
            BadgeInput {
                icon_kind: self.kind.get(),
                icon_library: self.library.get(),
                icon_upload: self.upload.get(),
                icon_url: self.url.get(),
                icon_alt: self.alt.get(),
                ..BadgeInput::default()
            }
            .parse_icon()
            .ok()
            .flatten()
        })
    }
}

/// Errors from the last save, by icon field.
#[derive(Clone, Copy)]
pub struct IconErrors {
    pub kind: Signal<Option<String>>,
    pub library: Signal<Option<String>>,
    pub file: Signal<Option<String>>,
    pub url: Signal<Option<String>>,
    pub alt: Signal<Option<String>>,
}

#[component]
pub fn IconPicker(fields: IconFields, errors: IconErrors) -> impl IntoView {
    let initial_kind = fields.kind.get_untracked();
    view! {
        <fieldset class="icon-picker space-y-3" aria-describedby="icon-kind-error">
            <legend class="text-sm font-medium text-slate-700 dark:text-slate-200">"Icon"</legend>
            <div class="flex flex-wrap gap-x-5 gap-y-2">
                {KINDS.iter().map(|&(value, label)| view! {
                    <label class="inline-flex items-center gap-2 text-sm">
                        <input type="radio" name="icon_kind" id=format!("icon-kind-{value}") value=value
                            checked=initial_kind == value
                            on:change=move |_| fields.kind.set(value.to_owned())
                            class="h-4 w-4 border-slate-300 text-indigo-600 focus:ring-2 focus:ring-indigo-500"/>
                        {label}
                    </label>
                }).collect_view()}
            </div>
            <p id="icon-kind-error" class="text-sm font-medium text-red-700 empty:hidden dark:text-red-400">{move || errors.kind.get()}</p>
            <div class="icon-panel" data-kind="library">
                <LibraryPicker selected=fields.library error=errors.library/>
            </div>
            <div class="icon-panel" data-kind="upload">
                <UploadField value=fields.upload error=errors.file/>
            </div>
            <div class="icon-panel" data-kind="url">
                <Field label="Image address" name="icon_url" r#type="url" bind=fields.url
                    hint="An https:// address of a square image." error=errors.url/>
            </div>
            <div class="icon-panel" data-kind="library upload url">
                <Field label="Icon alt text" name="icon_alt" bind=fields.alt
                    hint="What the icon shows, for screen readers; leave empty if the title says it all." error=errors.alt/>
            </div>
        </fieldset>
    }
}

/// The library: a search box and a page of icons as radio buttons (arrow keys move between
/// them). The selected icon stays in the group even when the search no longer shows it.
#[component]
fn LibraryPicker(selected: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let results = Resource::new(move || (query.get(), page.get()), |(q, p)| search_icons(q, p));
    let searching = RwSignal::new(false);
    view! {
        <fieldset class="space-y-3" aria-describedby="icon-library-status icon-library-error">
            <legend class="sr-only">"Library icon"</legend>
            <div class="space-y-1">
                <label for="icon-search" class="block text-sm font-medium text-slate-700 dark:text-slate-200">"Search icons"</label>
                <input id="icon-search" type="search" autocomplete="off" placeholder="star, heart, trophy…"
                    on:input:target=move |ev| {
                        query.set(ev.target().value());
                        page.set(0);
                    }
                    // Enter searches (it already has); it must not submit the badge form
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default() }
                    class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-slate-600 dark:bg-slate-900"/>
            </div>
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading icons…"</p> } set_pending=searching>
                {move || Suspend::new(async move {
                    let page_data = results.await?;
                    let current = selected.get_untracked();
                    let shows_current = current.is_empty() || page_data.icons.iter().any(|i| i.name == current);
                    let (total, number, has_next) = (page_data.total, page_data.page, page_data.has_next());
                    let pages = total.div_ceil(page_data.per_page).max(1);
                    Ok::<_, AppError>(view! {
                        <div class="flex flex-wrap gap-2">
                            {(!shows_current).then(|| view! {
                                <IconRadio name=current.clone() selected>
                                    <span class="badge-icon h-6 w-6" style=format!("--icon: url({})", library_icon_path(&current))></span>
                                </IconRadio>
                            })}
                            {page_data.icons.into_iter().map(|icon| view! {
                                <IconRadio name=icon.name.clone() selected>
                                    <span class="h-6 w-6 [&>svg]:h-6 [&>svg]:w-6" inner_html=icon.svg></span>
                                </IconRadio>
                            }).collect_view()}
                        </div>
                        <div class="flex flex-wrap items-center justify-between gap-2 text-sm">
                            <p id="icon-library-status" role="status" class="text-slate-600 dark:text-slate-300">
                                {match total {
                                    0 => "No icons match that search.".to_owned(),
                                    1 => "1 icon".to_owned(),
                                    n => format!("{n} icons · page {} of {pages}", number + 1),
                                }}
                            </p>
                            <div class="flex gap-2">
                                <button type="button" disabled=number == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))
                                    class="rounded-md border border-slate-300 px-3 py-1 font-medium hover:bg-slate-100 disabled:opacity-40 dark:border-slate-600 dark:hover:bg-slate-800">
                                    "Previous icons"
                                </button>
                                <button type="button" disabled=!has_next on:click=move |_| page.update(|p| *p += 1)
                                    class="rounded-md border border-slate-300 px-3 py-1 font-medium hover:bg-slate-100 disabled:opacity-40 dark:border-slate-600 dark:hover:bg-slate-800">
                                    "More icons"
                                </button>
                            </div>
                        </div>
                    })
                })}
            </Transition>
            <p class="text-sm text-slate-500 dark:text-slate-400" aria-live="polite">
                {move || searching.get().then_some("Searching…")}
                {move || (!searching.get()).then(|| {
                    let name = selected.get();
                    if name.is_empty() { "No icon chosen yet.".to_owned() } else { format!("Chosen: {name}") }
                })}
            </p>
            <p id="icon-library-error" class="text-sm font-medium text-red-700 empty:hidden dark:text-red-400">{move || error.get()}</p>
        </fieldset>
    }
}

/// One icon of the library as a radio button: the whole square is the click target.
#[component]
fn IconRadio(name: String, selected: RwSignal<String>, children: Children) -> impl IntoView {
    let (value, title, label) = (name.clone(), name.clone(), name.clone());
    let initially = selected.get_untracked() == name;
    let is_selected = move || selected.get() == name;
    view! {
        <label title=title class="relative flex h-11 w-11 items-center justify-center rounded-md border border-slate-200 text-slate-800 has-checked:border-indigo-600 has-checked:bg-indigo-50 has-checked:ring-2 has-checked:ring-indigo-600 has-focus-visible:ring-2 has-focus-visible:ring-indigo-500 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-100 dark:has-checked:bg-indigo-950 dark:hover:bg-slate-800">
            <input type="radio" name="icon_library" value=value.clone() checked=initially
                prop:checked=is_selected
                on:change=move |_| selected.set(value.clone())
                class="absolute inset-0 h-full w-full cursor-pointer appearance-none rounded-md focus:outline-none"/>
            <span class="sr-only">{label}</span>
            <span aria-hidden="true" class="pointer-events-none">{children()}</span>
        </label>
    }
}

/// A file input that uploads the chosen image at once and keeps its id for the form.
#[component]
fn UploadField(value: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    let upload = Action::new_local(|data: &FormData| upload_image(data.clone().into()));
    let local_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(image)) = upload.value().get() {
            value.set(image.id.to_string());
        }
    });
    let shown_error = Signal::derive(move || {
        local_error.get().or_else(|| match upload.value().get() {
            Some(Err(e)) => Some(e.field_message("icon_file").unwrap_or_else(|| e.to_string())),
            Some(Ok(_)) => None,
            None => error.get(),
        })
    });
    view! {
        <div class="space-y-2">
            <label for="icon-file" class="block text-sm font-medium text-slate-700 dark:text-slate-200">"Image file"</label>
            <input id="icon-file" type="file" accept=ACCEPT
                aria-describedby="icon-file-hint icon-file-error"
                aria-invalid=move || shown_error.get().is_some().then_some("true")
                on:change:target=move |ev| match chosen_file(&ev.target()) {
                    Some(Ok(data)) => {
                        local_error.set(None);
                        upload.dispatch_local(data);
                    }
                    Some(Err(message)) => local_error.set(Some(message)),
                    None => {}
                }
                class="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:font-medium hover:file:bg-slate-200 dark:file:bg-slate-800"/>
            <input type="hidden" name="icon_upload" value=value.get_untracked() prop:value=move || value.get()/>
            <p id="icon-file-hint" class="text-sm text-slate-500 dark:text-slate-400">
                "PNG, JPEG, WebP, GIF or SVG, up to 1 MB. SVGs are cleaned: scripts and links are removed."
            </p>
            <div role="status" class="flex items-center gap-3 text-sm">
                {move || upload.pending().get().then_some("Uploading…")}
                {move || (!upload.pending().get() && !value.get().is_empty()).then(|| {
                    let src = uuid::Uuid::parse_str(&value.get()).map(upload_path).unwrap_or_default();
                    view! {
                        <img src=src alt="" class="h-10 w-10 rounded border border-slate-200 object-contain dark:border-slate-700"/>
                        <span>"Image uploaded."</span>
                    }
                })}
            </div>
            <p id="icon-file-error" class="text-sm font-medium text-red-700 empty:hidden dark:text-red-400">{move || shown_error.get()}</p>
        </div>
    }
}
