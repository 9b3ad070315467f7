//! The header every page shares: the site's name, where you can go, and who you are.

use crate::auth::context::use_auth;
use crate::auth::CurrentUser;
use crate::components::status::{ErrorNotice, Loading};
use crate::settings::api::site_name;
use leptos::prelude::*;
use leptos_router::components::A;
use std::sync::Arc;

const NAV_LINK: &str = "rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-800 dark:text-slate-200 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-indigo-950 dark:aria-[current=page]:text-indigo-200";

/// Every page's frame: reads the logged-in user once and hands it to the header and the page.
///
/// The user is read under this one `Suspense` only. Reading one resource under two `Suspense`
/// boundaries of a page can leave a streamed response unfinished (leptos issue #4851), which
/// showed here as a page that never finished loading, once in a few hundred renders.
///
/// The `Suspend` is handed to the `Suspense` as it is, not behind a closure: during server
/// rendering a `Suspense` walks its children more than once to find their data loads, and a
/// closure would be called on every walk, building the page — and registering its resources —
/// two or three times. The browser builds it once, so the extra resources shifted the ids of
/// the data sent along and hydration read the wrong values (or panicked). Following a login or
/// logout is the closure around the `Suspense`, which nothing walks twice: it runs again when
/// the user has been read anew (not when the action ends, which would tear down the form
/// while the action is still writing its result into it).
#[component]
pub fn PageFrame<F, V>(children: F) -> impl IntoView
where
    F: Fn(Option<CurrentUser>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let auth = use_auth();
    let children = Arc::new(children);
    move || {
        auth.user.track();
        let children = Arc::clone(&children);
        view! {
            <Suspense fallback=Loading>
                {Suspend::new(async move {
                    match auth.user.await {
                        Ok(user) => view! {
                            <SiteHeader user=user.clone()/>
                            {children(user)}
                        }.into_any(),
                        Err(e) => view! {
                            <SiteHeader user=None/>
                            <main id="main"><ErrorNotice error=e/></main>
                        }.into_any(),
                    }
                })}
            </Suspense>
        }
    }
}

#[component]
fn SiteHeader(user: Option<CurrentUser>) -> impl IntoView {
    let name = Resource::new(|| (), |_| site_name());
    view! {
        <header class="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <div class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
                <a href="/" class="text-lg font-bold tracking-tight text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-white">
                    <Suspense fallback=|| "Insignia">
                        {move || Suspend::new(async move { name.await.unwrap_or_else(|_| "Insignia".into()) })}
                    </Suspense>
                </a>
                <nav aria-label="Main" class="flex flex-wrap items-center gap-1">
                    <A href="/community" attr:class=NAV_LINK>"Community"</A>
                    {match user {
                        Some(user) => view! { <UserLinks user/> }.into_any(),
                        None => view! {
                            <A href="/login" attr:class=NAV_LINK>"Log in"</A>
                            <A href="/signup" attr:class=NAV_LINK>"Sign up"</A>
                        }.into_any(),
                    }}
                </nav>
            </div>
        </header>
    }
}

#[component]
fn UserLinks(user: CurrentUser) -> impl IntoView {
    let auth = use_auth();
    view! {
        {user.is_admin().then(|| view! { <A href="/dashboard" attr:class=NAV_LINK>"Dashboard"</A> })}
        {user.member.is_some().then(|| view! { <A href="/profile" attr:class=NAV_LINK>"Profile"</A> })}
        <A href="/pages" attr:class=NAV_LINK>"Your pages"</A>
        <span class="hidden px-2 text-sm text-slate-500 sm:inline dark:text-slate-400">{user.email.clone()}</span>
        <ActionForm action=auth.logout attr:class="inline">
            <button type="submit" class=NAV_LINK>"Log out"</button>
        </ActionForm>
    }
}
