//! Import assignments from a CSV file: preview which lines match a member, download the ones
//! that do not, then confirm to assign the matched ones in a background run.

use super::assign_runs::{watch_runs, RunsPanel};
use crate::assignments::api::{badge_choices, import_assignments};
use crate::assignments::import::{ImportOutcome, MAX_LINES};
use crate::components::classes::{BUTTON, EMPTY, PRIMARY};
use crate::components::filters::INPUT;
use crate::components::form::{field_error, form_error, FormAlert};
use crate::components::status::Loading;
use crate::format::thousands;
use leptos::prelude::*;
use leptos::web_sys::FormData;
use leptos_meta::Title;

#[component]
pub fn ImportPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| badge_choices());
    let form = NodeRef::<leptos::html::Form>::new();
    let import = Action::new_local(|data: &FormData| import_assignments(data.clone().into()));
    let (runs, _) = watch_runs(Signal::derive(move || import.version().get()));
    let result = move || import.value().get();
    let send = move |confirm: bool| {
        let Some(form) = form.get() else { return };
        let Ok(data) = FormData::new_with_form(&form) else { return };
        if confirm {
            let _ = data.append_with_str("confirm", "true");
        }
        import.dispatch_local(data);
    };
    let file_error = field_error(result, "file");
    let badge_error = field_error(result, "badge_id");
    let reason_error = field_error(result, "reason");
    let error_line = |id: &'static str, error: Signal<Option<String>>| {
        view! { <p id=id class="mt-1 text-sm text-red-700 dark:text-red-300">{move || error.get()}</p> }
    };
    view! {
        <Title text="Import assignments"/>
        <h1 class="text-2xl font-bold tracking-tight">"Import assignments"</h1>
        <p class="mt-2 max-w-prose text-sm text-slate-600 dark:text-slate-300">
            "Give a badge to many members from a CSV file: one login email or profile address per line, optionally followed by a comma and a reason for that member. A first line headed “email” is skipped. "
            {format!("At most {} lines and 2 MB.", thousands(MAX_LINES as i64))}
        </p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let badges = choices.await.unwrap_or_default();
                if badges.is_empty() {
                    return view! { <p class=EMPTY>"There are no badges yet. Create one first."</p> }.into_any();
                }
                view! {
                    <form node_ref=form aria-label="Import a CSV file" novalidate=true
                        on:submit=move |ev| { ev.prevent_default(); send(false); }
                        class="mt-4 grid max-w-xl gap-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
                        <div>
                            <label for="import-badge" class="block text-sm font-medium">"Badge"</label>
                            <select id="import-badge" name="badge_id" class=INPUT aria-describedby="import-badge-error">
                                {badges.into_iter().map(|b| view! { <option value=b.id.to_string()>{b.title}</option> }).collect_view()}
                            </select>
                            {error_line("import-badge-error", badge_error)}
                        </div>
                        <div>
                            <label for="import-reason" class="block text-sm font-medium">"Reason for lines without one (optional)"</label>
                            <input id="import-reason" name="reason" maxlength="500" class=INPUT aria-describedby="import-reason-error"/>
                            {error_line("import-reason-error", reason_error)}
                        </div>
                        <div>
                            <label for="import-file" class="block text-sm font-medium">"CSV file"</label>
                            <input id="import-file" name="file" type="file" accept=".csv,text/csv,text/plain"
                                aria-describedby="import-file-error" aria-invalid=move || file_error.get().is_some().then_some("true")
                                class="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:font-medium hover:file:bg-slate-200 dark:file:bg-slate-800"/>
                            {error_line("import-file-error", file_error)}
                        </div>
                        <div>
                            <button type="submit" class=BUTTON disabled=move || import.pending().get()>
                                {move || if import.pending().get() { "Reading…" } else { "Preview" }}
                            </button>
                        </div>
                        <FormAlert message=form_error(result)/>
                    </form>
                }.into_any()
            })}
        </Suspense>
        {move || match result() {
            Some(Ok(outcome)) => Some(view! { <Preview outcome confirm=Callback::new(move |_| send(true)) pending=import.pending()/> }),
            _ => None,
        }}
        <RunsPanel runs/>
    }
}

#[component]
fn Preview(outcome: ImportOutcome, confirm: Callback<()>, pending: Memo<bool>) -> impl IntoView {
    let ImportOutcome { preview, job } = outcome;
    let lines = |n: usize| if n == 1 { "1 line".to_owned() } else { format!("{} lines", thousands(n as i64)) };
    let summary = format!(
        "{}: {} {} a member, {} {}.",
        lines(preview.lines),
        thousands(preview.matched as i64),
        if preview.matched == 1 { "matches" } else { "match" },
        thousands(preview.unmatched_total as i64),
        if preview.unmatched_total == 1 { "does not" } else { "do not" },
    );
    let download = format!("data:text/csv;charset=utf-8,{}", percent_encode(&preview.unmatched_csv));
    let members = |n: usize| if n == 1 { "1 member".to_owned() } else { format!("{} members", thousands(n as i64)) };
    let confirm_label = format!("Assign “{}” to {}", preview.badge_title, members(preview.matched));
    view! {
        <section aria-labelledby="preview-heading" class="mt-6 max-w-3xl">
            <h2 id="preview-heading" class="text-lg font-semibold">"Preview"</h2>
            <p role="status" class="mt-1">{summary}</p>
            {(!preview.matched_sample.is_empty()).then(|| view! {
                <table class="mt-3 text-sm">
                    <caption class="text-left font-medium">"First matched lines"</caption>
                    <thead><tr><th scope="col" class="pr-4 text-left">"Line"</th><th scope="col" class="text-left">"Member"</th></tr></thead>
                    <tbody>
                        {preview.matched_sample.into_iter().map(|(line, value)| view! { <tr><td class="pr-4">{line}</td><td>{value}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            })}
            {(preview.unmatched_total > 0).then(|| view! {
                <table class="mt-4 text-sm">
                    <caption class="text-left font-medium">"Lines that will not be assigned"</caption>
                    <thead><tr>
                        <th scope="col" class="pr-4 text-left">"Line"</th>
                        <th scope="col" class="pr-4 text-left">"Value"</th>
                        <th scope="col" class="text-left">"Why"</th>
                    </tr></thead>
                    <tbody>
                        {preview.unmatched.into_iter().map(|u| view! {
                            <tr><td class="pr-4">{u.line}</td><td class="pr-4">{u.value}</td><td>{u.problem}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="mt-2">
                    <a href=download download="unmatched-lines.csv" class="font-medium text-indigo-700 underline dark:text-indigo-300">
                        "Download the unmatched lines (CSV)"
                    </a>
                </p>
            })}
            {match job {
                Some(job) => view! { <p class="mt-4 font-medium">{format!("Started: “{}” is being assigned below.", job.badge_title.clone().unwrap_or_default())}</p> }.into_any(),
                None if preview.matched > 0 => view! {
                    <button type="button" class=format!("mt-4 {PRIMARY}") disabled=move || pending.get() on:click=move |_| confirm.run(())>
                        {confirm_label}
                    </button>
                }.into_any(),
                None => view! { <p class="mt-4">"Nothing to assign: no line matches a member."</p> }.into_any(),
            }}
        </section>
    }
}

/// Encodes text for a `data:` URL: everything but unreserved characters as %XX of its UTF-8.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_urls_encode_everything_but_unreserved_characters() {
        assert_eq!(super::percent_encode("line,value\n3,é x"), "line%2Cvalue%0A3%2C%C3%A9%20x");
    }
}
