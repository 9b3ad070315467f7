//! What a page shows instead of its content: loading, refusal, not found, failure.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the HTTP status of the server-rendered response (no effect in the browser).
pub fn set_http_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(code)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code)) {
        res.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p role="status" class="p-6 text-slate-500 dark:text-slate-400">"Loading…"</p>
    }
}

/// A page-sized notice with a heading and a way on.
#[component]
fn Notice(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <Title text=title/>
        <section class="mx-auto max-w-xl px-4 py-16 text-center">
            <h1 class="text-2xl font-bold tracking-tight">{title}</h1>
            <div class="mt-4 space-y-4 text-slate-600 dark:text-slate-300">{children()}</div>
        </section>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    set_http_status(403);
    view! {
        <Notice title="You don’t have access to this page">
            <p>"This page is for the site’s owner and admins."</p>
            <p><a href="/" class="font-medium text-indigo-700 underline dark:text-indigo-300">"Go to the home page"</a></p>
        </Notice>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_http_status(404);
    view! {
        <Notice title="Page not found">
            <p>"There is nothing at this address. It may have moved, or the link may be mistyped."</p>
            <p><a href="/" class="font-medium text-indigo-700 underline dark:text-indigo-300">"Go to the home page"</a></p>
        </Notice>
    }
}

/// An error from a server function, shown in place of what could not be loaded.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    set_http_status(error.status_code());
    view! {
        <div role="alert" class="m-6 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            <p class="font-semibold">"This could not be loaded."</p>
            <p class="text-sm">{error.to_string()}</p>
        </div>
    }
}

/// The fallback of an `ErrorBoundary`: every error caught below it.
#[component]
pub fn ErrorList(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div role="alert" class="m-6 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            <p class="font-semibold">"This could not be loaded."</p>
            <ul class="list-inside list-disc text-sm">
                {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
            </ul>
        </div>
    }
}
