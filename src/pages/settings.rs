use crate::components::form::{field_error, form_error, Field, FormAlert, FormSuccess, SubmitButton};
use crate::components::status::{ErrorList, Loading};
use crate::settings::api::{get_settings, UpdateSettings};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<UpdateSettings>::new();
    let settings = Resource::new(move || save.version().get(), |_| get_settings());
    let result = move || save.value().get();
    let saved = Signal::derive(move || matches!(result(), Some(Ok(_))).then(|| "Settings saved.".to_owned()));
    view! {
        <Title text="Settings"/>
        <h1 class="text-2xl font-bold tracking-tight">"Settings"</h1>
        <p class="mt-2"><a href="/dashboard/settings/api-keys" class="font-medium text-indigo-700 underline dark:text-indigo-300">"API keys"</a>
            " — let programs use this site’s REST API."</p>
        <p class="mt-1"><a href="/dashboard/settings/webhooks" class="font-medium text-indigo-700 underline dark:text-indigo-300">"Webhooks"</a>
            " — tell other systems about changes as they happen."</p>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move {
                    settings.await.map(|s| view! {
                        <ActionForm action=save attr:class="mt-6 max-w-lg space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900" attr:novalidate=true>
                            <FormAlert message=form_error(result)/>
                            <Field label="Site name" name="site_name" value=s.site_name required=true
                                hint="Shown in the header of every page." error=field_error(result, "site_name")/>
                            <div class="flex items-start gap-3">
                                <input id="require_approval" name="require_approval" type="checkbox" value="on"
                                    checked=s.require_approval aria-describedby="require_approval-hint"
                                    class="mt-1 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-2 focus:ring-indigo-500"/>
                                <div>
                                    <label for="require_approval" class="font-medium">"Approve new members"</label>
                                    <p id="require_approval-hint" class="text-sm text-slate-500 dark:text-slate-400">
                                        "New sign-ups wait for an admin’s approval before they can use the community."
                                    </p>
                                </div>
                            </div>
                            <div class="flex items-center gap-4">
                                <div class="w-40"><SubmitButton label="Save settings" busy_label="Saving…" pending=save.pending()/></div>
                                <FormSuccess message=saved/>
                            </div>
                        </ActionForm>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
