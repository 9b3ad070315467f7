use super::layout::SiteHeader;
use crate::components::status::NotFound;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <SiteHeader/>
        <main id="main"><NotFound/></main>
    }
}
