use super::layout::PageFrame;
use crate::auth::context::use_auth;
use crate::components::form::{field_error, form_error, Field, FormAlert, FormCard, SubmitButton};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = use_auth().sign_up;
    let result = move || action.value().get();
    view! {
        <Title text="Sign up"/>
        <PageFrame let:_user>
        <main id="main">
            <FormCard title="Sign up" intro="Create your member account. You can join the public community from your profile.">
                <ActionForm action=action attr:class="space-y-4" attr:novalidate=true>
                    <FormAlert message=form_error(result)/>
                    <Field label="Email" name="email" r#type="email" autocomplete="email" required=true error=field_error(result, "email")/>
                    <Field label="Password" name="password" r#type="password" autocomplete="new-password" required=true
                        hint="At least 8 characters." error=field_error(result, "password")/>
                    <Field label="Repeat the password" name="password_confirm" r#type="password" autocomplete="new-password" required=true
                        error=field_error(result, "password_confirm")/>
                    <SubmitButton label="Create account" busy_label="Creating your account…" pending=action.pending()/>
                </ActionForm>
                <p class="mt-4 text-sm text-slate-600 dark:text-slate-300">
                    "Already a member? "<a href="/login" class="font-medium text-indigo-700 underline dark:text-indigo-300">"Log in"</a>
                </p>
            </FormCard>
        </main>
        </PageFrame>
    }
}
