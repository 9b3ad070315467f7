//! `/api`: the REST API for people, rendered on the server from the same OpenAPI document as
//! `/openapi.json` (so the two cannot disagree), with no script or asset from elsewhere.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{OpenApi as Document, PathItem};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn operations(item: &PathItem) -> Vec<(&'static str, &Operation)> {
    let methods: [(&'static str, &Option<Operation>); 5] = [
        ("GET", &item.get),
        ("POST", &item.post),
        ("PATCH", &item.patch),
        ("PUT", &item.put),
        ("DELETE", &item.delete),
    ];
    methods.into_iter().filter_map(|(m, op)| op.as_ref().map(|op| (m, op))).collect()
}

/// Every (method, path) the document lists, for the test that compares it with the routes.
pub fn listed(doc: &Document) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, _) in operations(item) {
            all.push((method.to_owned(), path.clone()));
        }
    }
    all
}

fn example(op: &Operation) -> Option<String> {
    let body = op.request_body.as_ref()?;
    let content = body.content.get("application/json")?;
    content.example.as_ref().map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
}

fn operation_html(method: &str, path: &str, op: &Operation) -> String {
    let description = op.description.as_deref().or(op.summary.as_deref()).unwrap_or_default();
    let params: Vec<String> = op
        .parameters
        .iter()
        .flatten()
        .map(|p| {
            let place = match p.parameter_in {
                utoipa::openapi::path::ParameterIn::Path => "in the path",
                utoipa::openapi::path::ParameterIn::Query => "in the query string",
                _ => "in a header",
            };
            format!("<li><code>{}</code> {place}</li>", escape(&p.name))
        })
        .collect();
    let curl_body = example(op)
        .map(|e| format!(" \\\n  -H 'Content-Type: application/json' \\\n  -d '{}'", escape(&e)))
        .unwrap_or_default();
    let curl = format!("curl -X {method} \"$INSIGNIA{}\" \\\n  -H \"Authorization: $KEY\"{curl_body}", escape(path));
    format!(
        r#"<section class="mt-6 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900" aria-labelledby="{id}">
<h3 id="{id}" class="font-mono text-sm font-semibold"><span class="mr-2 rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800">{method}</span>{path}</h3>
<p class="mt-2 text-slate-700 dark:text-slate-300">{description}</p>
{params}
<pre class="mt-3 overflow-x-auto rounded bg-slate-950 p-3 text-xs text-slate-100"><code>{curl}</code></pre>
</section>"#,
        id = escape(&op.operation_id.clone().unwrap_or_default()),
        path = escape(path),
        description = escape(description),
        params = if params.is_empty() {
            String::new()
        } else {
            format!("<ul class=\"mt-2 text-sm\">{}</ul>", params.join(""))
        },
    )
}

/// The page: operations grouped by API, each with an example call.
pub fn page(doc: &Document) -> String {
    let mut by_tag: Vec<(String, Vec<String>)> = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in operations(item) {
            let tag = op.tags.as_ref().and_then(|t| t.first()).cloned().unwrap_or_default();
            let html = operation_html(method, path, op);
            match by_tag.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, ops)) => ops.push(html),
                None => by_tag.push((tag, vec![html])),
            }
        }
    }
    let sections: String = by_tag
        .into_iter()
        .map(|(tag, ops)| format!("<h2 class=\"mt-10 text-xl font-bold\">{}</h2>{}", escape(&tag), ops.join("\n")))
        .collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>REST API · Insignia</title><link rel="stylesheet" href="/pkg/insignia.css"></head>
<body class="bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
<main id="main" class="mx-auto max-w-4xl px-4 py-10">
<h1 class="text-2xl font-bold tracking-tight">REST API</h1>
<p class="mt-3 text-slate-700 dark:text-slate-300">Wire-compatible with the hosted Badges V4 and Badges V3 APIs: their published JavaScript SDK clients work against this server given its host. Send an API key (Dashboard → Settings → API keys) or a member's personal token in <code>Authorization</code>, raw or as <code>Bearer</code>. Every answer is JSON; errors carry <code>details.validationError</code> or <code>details.applicationError</code>. The machine-readable document is <a class="font-medium text-indigo-700 underline dark:text-indigo-300" href="/openapi.json">/openapi.json</a>.</p>
<p class="mt-3 text-slate-700 dark:text-slate-300">In the examples, <code>INSIGNIA</code> is this server's address and <code>KEY</code> a key.</p>
{sections}
</main></body></html>"#
    )
}
