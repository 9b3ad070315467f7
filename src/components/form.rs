//! Form pieces that keep errors next to their fields and are announced to screen readers.

use crate::error::{AppError, ErrorCode};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// An error a form post without JavaScript came back with, in the page's address (`error`,
/// `error_field`), as the server verified it against its signature (`error_sig`; see
/// `server::no_js_forms`). Without the check, any link could make a page say anything in its
/// alert.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UrlFormError {
    pub field: Option<String>,
    pub message: String,
}

#[derive(Clone)]
struct VerifiedUrlError(Option<UrlFormError>);

/// Called once by the app: the error the server verified in the address the page was loaded
/// from. The browser cannot check a signature, so it receives the server's finding with the
/// page (`SharedValue`) instead of reading its own address.
pub fn provide_url_form_error() {
    let verified = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<UrlFormError>().cloned())
        }
        #[cfg(not(feature = "ssr"))]
        {
            None::<UrlFormError>
        }
    });
    provide_context(VerifiedUrlError(verified.into_inner()));
}

/// The verified error, for as long as the address still carries it: once the person moves on
/// within the app, it is gone, and an address the page moves to never brings an unverified one.
fn error_from_url() -> Memo<Option<AppError>> {
    let query = use_query_map();
    let verified = use_context::<VerifiedUrlError>().and_then(|v| v.0);
    Memo::new(move |_| {
        let verified = verified.as_ref()?;
        let shown = query.with(|q| {
            q.get("error").as_deref() == Some(verified.message.as_str()) && q.get("error_field") == verified.field
        });
        shown.then(|| match &verified.field {
            Some(field) => AppError::validation(field, verified.message.clone()),
            None => AppError::conflict(ErrorCode::Internal, verified.message.clone()),
        })
    })
}

/// The error of the form's latest submission: the action's result once it has one, else what
/// a submission without JavaScript brought back in the URL.
fn latest_error<T: Clone + Send + Sync + 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> impl Fn() -> Option<AppError> + Send + Sync + 'static {
    let from_url = error_from_url();
    move || match result() {
        Some(r) => r.err(),
        None => from_url.get(),
    }
}

/// The error for `field` from the form's latest submission, if any.
pub fn field_error<T: Clone + Send + Sync + 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    field: &'static str,
) -> Signal<Option<String>> {
    let error = latest_error(result);
    Signal::derive(move || error().and_then(|e| e.field_message(field)))
}

/// An error from the form's latest submission that belongs to no single field.
pub fn form_error<T: Clone + Send + Sync + 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    let error = latest_error(result);
    Signal::derive(move || match error() {
        Some(AppError::Validation { .. }) | None => None,
        Some(e) => Some(e.to_string()),
    })
}

/// A labelled text input with its error message below it.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] r#type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    /// Keeps the input and this signal in step both ways (for live previews).
    #[prop(optional)]
    bind: Option<RwSignal<String>>,
    #[prop(default = false)] required: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let value = value.or_else(|| bind.map(|b| b.get_untracked())).unwrap_or_default();
    // A bound field follows its signal; an unbound one keeps its value (a `None` here would
    // set the property to the string "undefined" on hydration).
    let current = {
        let value = value.clone();
        move || bind.map(|b| b.get()).unwrap_or_else(|| value.clone())
    };
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="block text-sm font-medium text-slate-700 dark:text-slate-200">
                {label}
            </label>
            <input
                id=id
                name=name
                type=r#type
                autocomplete=autocomplete
                value=value
                prop:value=current
                on:input:target=move |ev| {
                    if let Some(b) = bind {
                        b.set(ev.target().value());
                    }
                }
                required=required
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
                class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
            />
            {hint.map(|h| view! { <p id=hint_id class="text-sm text-slate-500 dark:text-slate-400">{h}</p> })}
            {move || error.get().map(|e| view! {
                <p id=error_id.clone() class="text-sm font-medium text-red-700 dark:text-red-400">{e}</p>
            })}
        </div>
    }
}

/// A labelled multi-line input with its error message below it.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] value: String,
    #[prop(default = 3)] rows: u32,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let ids: Vec<&str> = [hint.map(|_| hint_id.as_str()), error.get().map(|_| error_id.as_str())]
                .into_iter()
                .flatten()
                .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="block text-sm font-medium text-slate-700 dark:text-slate-200">{label}</label>
            <textarea id=id name=name rows=rows
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
                class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900">
                {value}
            </textarea>
            {hint.map(|h| view! { <p id=hint_id class="text-sm text-slate-500 dark:text-slate-400">{h}</p> })}
            {move || error.get().map(|e| view! {
                <p id=error_id.clone() class="text-sm font-medium text-red-700 dark:text-red-400">{e}</p>
            })}
        </div>
    }
}

/// A message for the whole form, announced when it appears.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| view! {
            <div role="alert" class="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
                {m}
            </div>
        })
    }
}

/// A confirmation shown after a successful save.
#[component]
pub fn FormSuccess(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p role="status" class="min-h-5 text-sm font-medium text-emerald-700 dark:text-emerald-400">
            {move || message.get()}
        </p>
    }
}

/// The submit button; shows progress and cannot be pressed twice while the request runs.
#[component]
pub fn SubmitButton(
    label: &'static str,
    busy_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
            class="inline-flex w-full justify-center rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:cursor-wait disabled:opacity-70 dark:focus-visible:ring-offset-slate-950"
        >
            {move || if pending.get() { busy_label } else { label }}
        </button>
    }
}

/// The narrow centred card that holds the log-in, sign-up and setup forms.
#[component]
pub fn FormCard(
    title: &'static str,
    #[prop(optional)] intro: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="mx-auto w-full max-w-md px-4 py-12">
            <h1 class="text-2xl font-bold tracking-tight">{title}</h1>
            {intro.map(|i| view! { <p class="mt-2 text-slate-600 dark:text-slate-300">{i}</p> })}
            <div class="mt-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
                {children()}
            </div>
        </div>
    }
}
