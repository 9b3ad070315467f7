use super::layout::PageFrame;
use crate::components::status::NotFound;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <PageFrame let:_user>
            <main id="main"><NotFound/></main>
        </PageFrame>
    }
}
