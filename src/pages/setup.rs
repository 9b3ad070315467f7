//! First run: while the site has no owner, this page creates one.

use super::layout::PageFrame;
use crate::auth::api::needs_setup;
use crate::auth::context::use_auth;
use crate::components::form::{field_error, form_error, Field, FormAlert, FormCard, SubmitButton};
use crate::components::status::{ErrorNotice, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SetupPage() -> impl IntoView {
    let action = use_auth().setup;
    let open = Resource::new_blocking(|| (), |_| needs_setup());
    let result = move || action.value().get();
    view! {
        <Title text="Set up Insignia"/>
        <PageFrame let:_user>
        <main id="main">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match open.await {
                        Ok(true) => view! {
                            <FormCard title="Set up Insignia" intro="Create the owner account. The owner runs the dashboard: badges, members and settings.">
                                <ActionForm action=action attr:class="space-y-4" attr:novalidate=true>
                                    <FormAlert message=form_error(result)/>
                                    <Field label="Email" name="email" r#type="email" autocomplete="username" required=true error=field_error(result, "email")/>
                                    <Field label="Password" name="password" r#type="password" autocomplete="new-password" required=true
                                        hint="At least 8 characters." error=field_error(result, "password")/>
                                    <Field label="Repeat the password" name="password_confirm" r#type="password" autocomplete="new-password" required=true
                                        error=field_error(result, "password_confirm")/>
                                    <SubmitButton label="Create owner account" busy_label="Creating…" pending=action.pending()/>
                                </ActionForm>
                            </FormCard>
                        }.into_any(),
                        Ok(false) => view! {
                            <FormCard title="Insignia is already set up">
                                <p>"This site has an owner. "<a href="/login" class="font-medium text-indigo-700 underline dark:text-indigo-300">"Log in"</a>" to continue."</p>
                            </FormCard>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
        </PageFrame>
    }
}
