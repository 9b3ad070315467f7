use super::layout::PageFrame;
use crate::auth::context::use_auth;
use crate::components::form::{field_error, form_error, Field, FormAlert, FormCard, SubmitButton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = use_auth().login;
    let next = StoredValue::new(use_query_map().with_untracked(|q| q.get("next")));
    let result = move || action.value().get();
    view! {
        <Title text="Log in"/>
        <PageFrame let:_user>
        <main id="main">
            <FormCard title="Log in">
                <ActionForm action=action attr:class="space-y-4" attr:novalidate=true>
                    <FormAlert message=form_error(result)/>
                    <input type="hidden" name="next" value=next.get_value()/>
                    <Field label="Email" name="email" r#type="email" autocomplete="username" required=true error=field_error(result, "email")/>
                    <Field label="Password" name="password" r#type="password" autocomplete="current-password" required=true error=field_error(result, "password")/>
                    <SubmitButton label="Log in" busy_label="Logging in…" pending=action.pending()/>
                </ActionForm>
                <p class="mt-4 text-sm text-slate-600 dark:text-slate-300">
                    "New here? "<a href="/signup" class="font-medium text-indigo-700 underline dark:text-indigo-300">"Sign up"</a>
                </p>
            </FormCard>
        </main>
        </PageFrame>
    }
}
