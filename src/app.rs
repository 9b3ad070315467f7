//! The HTML shell and the app's routes.

use crate::auth::context::Auth;
use crate::pages::{
    admin_layout::AdminLayout,
    api_keys::ApiKeysPage,
    audit_log::AuditLogPage,
    badge_editor::{EditBadgePage, NewBadgePage},
    badge_page::BadgeHoldersPage,
    badges::BadgesPage,
    community::{CommunityPage, MemberProfilePage},
    dashboard::DashboardPage,
    home::HomePage,
    import::ImportPage,
    login::LoginPage,
    member_editor::{EditMemberPage, NewMemberPage},
    members::MembersPage,
    not_found::NotFoundPage,
    page_editor::{EditPagePage, NewPagePage},
    page_list::PageListPage,
    page_view::{MemberPage, YourPagesPage},
    profile::ProfilePage,
    settings::SettingsPage,
    setup::SetupPage,
    signup::SignUpPage,
    webhooks::{DeliveryLogPage, WebhookSettingsPage},
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(Auth::new());
    crate::components::form::provide_url_form_error();
    // Effects run only in the browser: this marks the page interactive, which end-to-end tests
    // wait for before they type, so they exercise the hydrated app and not a half-loaded one.
    // Content inside Suspense/Transition hydrates in tasks of its own, after this effect may
    // run; the next animation frame comes after all of them, so the mark waits for it (a
    // click on a row's button could otherwise land before its handler existed).
    Effect::new(|_| {
        request_animation_frame(|| {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "");
            }
        });
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/insignia.css"/>
        <Title formatter=|page: String| if page.is_empty() { "Insignia".to_owned() } else { format!("{page} · Insignia") }/>
        <a
            href="#main"
            class="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-indigo-700 focus:shadow dark:focus:bg-slate-800 dark:focus:text-indigo-300"
        >
            "Skip to content"
        </a>
        // Every page renders whole on the server before it is sent (SsrMode::Async): pages are
        // small and their data is one local query away, so waiting costs little, and in return
        // status codes and redirects can come from any part of the page, and pages read
        // without JavaScript (no out-of-order chunks to swap in).
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/signup") view=SignUpPage ssr=SsrMode::Async/>
                <Route path=path!("/community") view=CommunityPage ssr=SsrMode::Async/>
                <Route path=path!("/profile") view=ProfilePage ssr=SsrMode::Async/>
                <Route path=path!("/members/:slug") view=MemberProfilePage ssr=SsrMode::Async/>
                <Route path=path!("/badges/:slug") view=BadgeHoldersPage ssr=SsrMode::Async/>
                <Route path=path!("/pages") view=YourPagesPage ssr=SsrMode::Async/>
                <Route path=path!("/pages/:slug") view=MemberPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard") view=|| view! { <AdminLayout><DashboardPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/badges") view=|| view! { <AdminLayout><BadgesPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/badges/new") view=|| view! { <AdminLayout><NewBadgePage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/badges/:id") view=|| view! { <AdminLayout><EditBadgePage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/members") view=|| view! { <AdminLayout><MembersPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/members/new") view=|| view! { <AdminLayout><NewMemberPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/members/:id") view=|| view! { <AdminLayout><EditMemberPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/pages") view=|| view! { <AdminLayout><PageListPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/pages/new") view=|| view! { <AdminLayout><NewPagePage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/pages/:id") view=|| view! { <AdminLayout><EditPagePage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/import") view=|| view! { <AdminLayout><ImportPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/audit") view=|| view! { <AdminLayout><AuditLogPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/settings") view=|| view! { <AdminLayout><SettingsPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/settings/webhooks") view=|| view! { <AdminLayout><WebhookSettingsPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/settings/webhooks/:id") view=|| view! { <AdminLayout><DeliveryLogPage/></AdminLayout> } ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/settings/api-keys") view=|| view! { <AdminLayout><ApiKeysPage/></AdminLayout> } ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
