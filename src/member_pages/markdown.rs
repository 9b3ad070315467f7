//! A page's Markdown as HTML that is safe to put in a page: CommonMark (with tables and
//! strikethrough) rendered by pulldown-cmark, then cleaned by ammonia's whitelist. Raw HTML in
//! the Markdown is allowed through the renderer on purpose — owners paste `<details>` or a
//! `<br>` — and the sanitizer is what decides what survives: no scripts, styles, frames, forms
//! or event handlers, and links and images only to http(s), mailto and relative addresses.

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    b.url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(UrlRelative::PassThrough)
        // links leave the site without telling it where the reader came from, and cannot
        // reach back into the page that opened them
        .link_rel(Some("noopener noreferrer nofollow"));
    b
});

/// One level down: the page's title is its only `<h1>`, so a `#` heading in the content is an
/// `<h2>` (screen readers list headings by level).
fn below_title(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// The page's Markdown as sanitized HTML.
pub fn render(markdown: &str) -> String {
    let parser =
        Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|event| match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                Event::Start(Tag::Heading { level: below_title(level), id, classes, attrs })
            }
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(below_title(level))),
            other => other,
        });
    let mut unsafe_html = String::with_capacity(markdown.len() + markdown.len() / 2);
    html::push_html(&mut unsafe_html, parser);
    SANITIZER.clean(&unsafe_html).to_string()
}

#[cfg(test)]
mod tests {
    use super::render;
    use proptest::prelude::*;

    #[test]
    fn markdown_becomes_html() {
        let html = render("# Staff handbook\n\nWelcome, **team**. See [the rota](https://example.com/rota).");
        assert!(html.contains("<h2>Staff handbook</h2>"), "headings sit below the page's title: {html}");
        assert!(html.contains("<strong>team</strong>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.com/rota" rel="noopener noreferrer nofollow">the rota</a>"#),
            "{html}"
        );
        assert!(render("| a | b |\n|---|---|\n| 1 | 2 |").contains("<table>"));
    }

    #[test]
    fn scripts_are_removed_with_their_content() {
        let html = render(
            "Hello <script>alert('pwned')</script> world\n\n<script src=\"https://evil.example/x.js\"></script>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert"), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(html.contains("Hello"), "{html}");
    }

    #[test]
    fn event_handlers_are_removed() {
        for attack in [
            r#"<img src="x.png" onerror="alert(1)">"#,
            r#"<a href="/ok" onclick="alert(1)">ok</a>"#,
            r#"<p onmouseover='alert(1)'>hover</p>"#,
            r#"<svg onload=alert(1)><circle r="4"/></svg>"#,
        ] {
            let html = render(attack);
            assert!(!html.to_lowercase().contains(" on"), "{attack} → {html}");
            assert!(!html.contains("alert"), "{attack} → {html}");
        }
    }

    #[test]
    fn javascript_and_data_links_are_removed() {
        for attack in [
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[click](java&#x09;script:alert(1))",
            "<a href=\"javascript:alert(1)\">click</a>",
            "![x](javascript:alert(1))",
            "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<a href=\"vbscript:msgbox(1)\">click</a>",
        ] {
            let html = render(attack);
            let lower = html.to_lowercase();
            assert!(!lower.contains("href=\"javascript") && !lower.contains("src=\"javascript"), "{attack} → {html}");
            assert!(!lower.contains("href=\"data:") && !lower.contains("href=\"vbscript"), "{attack} → {html}");
        }
    }

    #[test]
    fn raw_html_keeps_harmless_tags_and_loses_the_rest() {
        let html = render(
            "<details><summary>More</summary>Inside</details>\n\n<iframe src=\"https://evil.example\"></iframe>\
             <style>body{display:none}</style><form action=\"https://evil.example\"><input name=\"pw\"></form>\
             <p style=\"position:fixed\">styled</p><object data=\"x.swf\"></object>",
        );
        assert!(html.contains("<details><summary>More</summary>Inside</details>"), "{html}");
        for gone in ["<iframe", "<style", "display:none", "<form", "<input", "style=", "<object"] {
            assert!(!html.contains(gone), "{gone} survived: {html}");
        }
        assert!(html.contains("styled"), "{html}");
    }

    /// The tags of sanitized HTML with their attributes, read the way html5ever's serializer
    /// writes them: text escapes every `<`, and attribute values are always double-quoted with
    /// `"` escaped, so a value may hold `<` or `>` but never ends early.
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut tags = Vec::new();
        let mut chars = html.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '<' {
                continue;
            }
            let name: String = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '>')).collect();
            let mut attributes = Vec::new();
            loop {
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
                match chars.peek() {
                    None => break,
                    Some('>') => {
                        chars.next();
                        break;
                    }
                    Some(_) => {}
                }
                let attribute: String =
                    std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '=' && *c != '>')).collect();
                let mut value = String::new();
                if chars.next_if_eq(&'=').is_some() && chars.next_if_eq(&'"').is_some() {
                    value = std::iter::from_fn(|| chars.next_if(|c| *c != '"')).collect();
                    chars.next();
                }
                attributes.push((attribute.to_lowercase(), value.to_lowercase()));
            }
            tags.push((name.to_lowercase(), attributes));
        }
        tags
    }

    proptest! {
        /// Whatever the Markdown, no tag of the output is a script, carries an event handler,
        /// or points at a script URL, and cleaning the output again changes nothing.
        #[test]
        fn no_markdown_yields_a_script(
            parts in proptest::collection::vec(prop_oneof![
                prop::sample::select(vec![
                    "<script>x()</script>", "<img src=x onerror=x()>", "[a](javascript:x())",
                    "<a href='jav&#97;script:x()'>a</a>", "<svg><script>x()</script></svg>", "`code`", "**b**",
                    "\n\n", "<", ">", "\"", "'", "<p ", "onclick=", "<!--", "-->", "<![CDATA[", "]]>",
                ]).prop_map(str::to_owned),
                "[a-z <>=\"'/:()\\[\\]!*`#-]{0,12}",
            ], 0..24)
        ) {
            let markdown: String = parts.concat();
            let html = render(&markdown);
            for (name, attributes) in tags(&html) {
                prop_assert!(!name.trim_start_matches('/').starts_with("script"), "script tag in {html:?}");
                for (attribute, value) in attributes {
                    prop_assert!(!attribute.starts_with("on"), "handler {attribute:?} in {html:?}");
                    if attribute == "href" || attribute == "src" {
                        prop_assert!(!value.trim_start().starts_with("javascript:"), "script URL in {html:?}");
                    }
                }
            }
            prop_assert_eq!(super::SANITIZER.clean(&html).to_string(), html, "sanitized output is stable");
        }
    }
}
