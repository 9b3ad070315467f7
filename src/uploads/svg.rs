//! Uploaded SVGs: bounded before anything expensive happens, then parsed and written back by
//! usvg so that only drawable content survives.
//!
//! usvg itself has no budget: it expands DTD entities, instantiates every `<use>` (and every
//! reference of a reference) as a copy, and parses `data:` SVG images as nested documents. A
//! file of under 1 MB could therefore make it allocate gigabytes or run for hours. `bound`
//! refuses such files from the XML tree alone, in time linear in the file, before usvg runs.

use super::MAX_BYTES;
use std::collections::HashMap;
use usvg::roxmltree::{Document, Node, ParsingOptions};

/// At most this many XML nodes (elements, text, comments) in the file.
pub const MAX_NODES: u32 = 20_000;
/// At most this many elements once every reference is expanded (a `<use>` counts the whole
/// subtree it copies, each time it is used).
pub const MAX_EXPANDED: u64 = 50_000;
/// At most this deep, counting both nesting and chains of references: usvg walks both
/// recursively, and a thread's stack is finite.
pub const MAX_DEPTH: usize = 128;
/// At most this many embedded raster images.
pub const MAX_DATA_IMAGES: usize = 16;
/// At most this much CSS in `<style>` elements: usvg matches every rule against every element.
pub const MAX_STYLE_BYTES: usize = 16 * 1024;

const RASTER_DATA: [&str; 5] =
    ["data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/webp", "data:image/gif"];

/// A sanitised SVG and its size in CSS pixels.
#[derive(Debug)]
pub struct CleanSvg {
    pub text: String,
    pub width: u32,
    pub height: u32,
}

/// Bounds the file (see the module's comment), then rewrites it through usvg's render tree:
/// scripts, event handlers, `foreignObject`, animation and links do not exist in that tree, and
/// external references are refused while parsing, so the result never makes a request.
pub fn sanitize(bytes: &[u8]) -> Result<CleanSvg, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "That SVG is not valid UTF-8 text".to_owned())?;
    let doc = parse_bounded(text)?;
    bound(&doc)?;
    let mut options = usvg::Options { resources_dir: None, ..usvg::Options::default() };
    options.image_href_resolver.resolve_string = Box::new(|_, _| None);
    // raster only: a nested SVG would be a second document with no budget of its own
    options.image_href_resolver.resolve_data = Box::new(|mime, data, _| match mime {
        "image/png" => Some(usvg::ImageKind::PNG(data)),
        "image/jpeg" | "image/jpg" => Some(usvg::ImageKind::JPEG(data)),
        "image/webp" => Some(usvg::ImageKind::WEBP(data)),
        "image/gif" => Some(usvg::ImageKind::GIF(data)),
        _ => None,
    });
    let tree = usvg::Tree::from_xmltree(&doc, &options).map_err(|e| format!("That SVG could not be read ({e})"))?;
    let size = tree.size();
    let clean = tree.to_string(&usvg::WriteOptions::default());
    if clean.len() > MAX_BYTES {
        return Err("The SVG is too complex; simplify it or upload a PNG".into());
    }
    Ok(CleanSvg { text: clean, width: size.width().round() as u32, height: size.height().round() as u32 })
}

fn parse_bounded(text: &str) -> Result<Document<'_>, String> {
    // roxmltree refuses a DTD when asked to, but an empty one passes: refuse both by name, so
    // entity expansion ("billion laughs") never starts and the message says why
    let head = &text[..text.len().min(64 * 1024)];
    if head.contains("<!DOCTYPE") || head.contains("<!ENTITY") {
        return Err("SVGs with a DOCTYPE or entities cannot be uploaded".into());
    }
    let options = ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES, ..ParsingOptions::default() };
    Document::parse_with_options(text, options).map_err(|e| match e {
        usvg::roxmltree::Error::NodesLimitReached => {
            format!("The SVG has more than {MAX_NODES} elements; simplify it or upload a PNG")
        }
        usvg::roxmltree::Error::DtdDetected => "SVGs with a DOCTYPE or entities cannot be uploaded".to_owned(),
        other => format!("That SVG could not be read ({other})"),
    })
}

/// Refuses what would make usvg's work grow faster than the file: reference fan-out, reference
/// cycles, markers (copied at every vertex of a path), nested SVG images, large stylesheets.
pub fn bound(doc: &Document) -> Result<(), String> {
    // document order visits a parent before its children, so one pass finds every depth
    let mut depths = HashMap::new();
    for node in doc.descendants().filter(Node::is_element) {
        let depth = node.parent().and_then(|p| depths.get(&p.id())).copied().unwrap_or(0) + 1;
        if depth > MAX_DEPTH {
            return Err("The SVG's elements are nested too deeply; simplify it or upload a PNG".into());
        }
        depths.insert(node.id(), depth);
    }
    let mut by_id = HashMap::new();
    let mut data_images = 0;
    let mut style_bytes = 0;
    for node in doc.descendants().filter(Node::is_element) {
        if let Some(id) = node.attribute("id") {
            by_id.entry(id).or_insert(node);
        }
        match node.tag_name().name() {
            "marker" => return Err("SVGs with markers cannot be uploaded; upload a PNG instead".into()),
            "style" => style_bytes += node.text().map_or(0, str::len),
            _ => {}
        }
        if let Some(href) = href(&node) {
            if href.trim_start().starts_with("data:") {
                let lowered = href.trim_start().get(..16).unwrap_or(href).to_ascii_lowercase();
                if !RASTER_DATA.iter().any(|prefix| lowered.starts_with(prefix)) {
                    return Err("Images inside an SVG must be PNG, JPEG, WebP or GIF".into());
                }
                data_images += 1;
            }
        }
    }
    if data_images > MAX_DATA_IMAGES {
        return Err(format!("An SVG can embed at most {MAX_DATA_IMAGES} images"));
    }
    if style_bytes > MAX_STYLE_BYTES {
        return Err("The SVG's stylesheet is too large; simplify it or upload a PNG".into());
    }
    let mut costs = Costs { by_id, memo: HashMap::new(), visiting: Vec::new() };
    if costs.of(doc.root_element())? > MAX_EXPANDED {
        return Err("The SVG repeats its shapes too many times; simplify it or upload a PNG".into());
    }
    Ok(())
}

/// The `href` (or `xlink:href`) of an element.
fn href<'a>(node: &Node<'a, '_>) -> Option<&'a str> {
    node.attributes().find(|a| a.name() == "href").map(|a| a.value())
}

/// The ids an element refers to: its local `href` and every `url(#id)` in its attributes
/// (fill, stroke, clip-path, mask, filter, style…).
fn references<'a>(node: &Node<'a, '_>) -> Vec<&'a str> {
    let mut ids = Vec::new();
    for attribute in node.attributes() {
        let value = attribute.value();
        if attribute.name() == "href" {
            if let Some(id) = value.trim().strip_prefix('#') {
                ids.push(id);
            }
        }
        let mut rest = value;
        while let Some(start) = rest.find("url(") {
            rest = &rest[start + 4..];
            let inner = rest.split(')').next().unwrap_or_default();
            let inner = inner.trim().trim_matches(['\'', '"']);
            if let Some(id) = inner.strip_prefix('#') {
                ids.push(id);
            }
        }
    }
    ids
}

/// How many elements each element stands for once its references are expanded, memoised per
/// node so that the walk is linear in the file; saturating, so a bomb cannot overflow it.
struct Costs<'a, 'input> {
    by_id: HashMap<&'a str, Node<'a, 'input>>,
    memo: HashMap<usvg::roxmltree::NodeId, u64>,
    visiting: Vec<usvg::roxmltree::NodeId>,
}

impl<'a, 'input> Costs<'a, 'input> {
    fn of(&mut self, node: Node<'a, 'input>) -> Result<u64, String> {
        if let Some(&cost) = self.memo.get(&node.id()) {
            return Ok(cost);
        }
        if self.visiting.contains(&node.id()) {
            return Err("The SVG refers to itself in a loop".into());
        }
        if self.visiting.len() >= MAX_DEPTH {
            return Err("The SVG's references are nested too deeply; simplify it or upload a PNG".into());
        }
        self.visiting.push(node.id());
        let mut cost: u64 = 1;
        for child in node.children().filter(Node::is_element) {
            cost = cost.saturating_add(self.of(child)?);
        }
        for id in references(&node) {
            if let Some(&target) = self.by_id.get(id) {
                cost = cost.saturating_add(self.of(target)?);
            }
        }
        self.visiting.pop();
        let cost = cost.min(MAX_EXPANDED + 1);
        self.memo.insert(node.id(), cost);
        Ok(cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(body: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{body}</svg>"#
        )
    }

    /// `levels` of ten `<use>`s each pointing at the level below: 10^levels copies of a path.
    pub fn use_fan_out(levels: usize) -> String {
        let mut body = String::from(r#"<defs><path id="l0" d="M0 0 L1 1"/>"#);
        for level in 1..=levels {
            body.push_str(&format!(r#"<g id="l{level}">"#));
            for _ in 0..10 {
                body.push_str(&format!(r##"<use href="#l{}"/>"##, level - 1));
            }
            body.push_str("</g>");
        }
        body.push_str(&format!(r##"</defs><use href="#l{levels}"/>"##));
        svg(&body)
    }

    #[test]
    fn ordinary_icons_pass() {
        let icon = svg(r##"<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
            <circle id="c" cx="5" cy="5" r="4" fill="url(#g)"/><use href="#c" x="1"/><use xlink:href="#c" x="2"/>"##);
        let clean = sanitize(icon.as_bytes()).unwrap();
        assert_eq!((clean.width, clean.height), (10, 10));
        // a few levels of reuse are fine: 10^3 copies
        assert!(sanitize(use_fan_out(3).as_bytes()).is_ok());
    }

    #[test]
    fn entity_expansion_is_refused_before_parsing() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>"#;
        assert!(sanitize(laughs.as_bytes()).unwrap_err().contains("DOCTYPE"));
        let empty_dtd = r#"<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>"#;
        assert!(sanitize(empty_dtd.as_bytes()).unwrap_err().contains("DOCTYPE"));
    }

    #[test]
    fn reference_fan_out_and_loops_are_refused() {
        assert!(sanitize(use_fan_out(6).as_bytes()).unwrap_err().contains("repeats"));
        let through_fill = svg(&format!(
            r##"<defs><pattern id="p">{}</pattern></defs>{}"##,
            r#"<rect width="1" height="1"/>"#.repeat(200),
            r#"<rect width="1" height="1" style="fill: url('#p')"/>"#.repeat(300)
        ));
        assert!(sanitize(through_fill.as_bytes()).unwrap_err().contains("repeats"));
        let looped = svg(r##"<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>"##);
        assert!(sanitize(looped.as_bytes()).unwrap_err().contains("loop"));
    }

    #[test]
    fn nested_svg_images_markers_and_huge_files_are_refused() {
        let nested = svg(r#"<image width="5" height="5" href="data:image/svg+xml;base64,PHN2Zy8+"/>"#);
        assert!(sanitize(nested.as_bytes()).unwrap_err().contains("PNG, JPEG, WebP or GIF"));
        let marker = svg(r##"<marker id="m"><circle r="1"/></marker><path d="M0 0 L1 1 L2 2" marker-mid="url(#m)"/>"##);
        assert!(sanitize(marker.as_bytes()).unwrap_err().contains("markers"));
        let many = svg(&"<g/>".repeat(MAX_NODES as usize + 1));
        let deep = svg(&format!("{}{}", "<g>".repeat(5000), "</g>".repeat(5000)));
        assert!(sanitize(deep.as_bytes()).unwrap_err().contains("nested too deeply"));
        let chain: String = (1..5000).map(|i| format!(r##"<g id="g{i}"><use href="#g{}"/></g>"##, i + 1)).collect();
        assert!(sanitize(svg(&chain).as_bytes()).unwrap_err().contains("nested too deeply"));
        assert!(sanitize(many.as_bytes()).unwrap_err().contains("elements"));
        let raster = svg(r#"<image width="5" height="5" href="data:image/png;base64,iVBORw0KGgo="/>"#);
        assert!(sanitize(raster.as_bytes()).is_ok(), "raster data images are allowed");
    }

    /// One element of a generated SVG: the pieces hostile files are made of (references,
    /// nesting, data images, scripts, handlers, DTD fragments), mixed at random.
    fn element() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            (0u8..8).prop_map(|i| format!(r#"<path id="p{i}" d="M0 0 L{i} 9"/>"#)),
            (0u8..8).prop_map(|i| format!(r##"<use href="#p{i}"/>"##)),
            (0u8..8).prop_map(|i| format!(r##"<use xlink:href="#g{i}" x="1"/>"##)),
            (0u8..8).prop_map(|i| format!(r##"<rect width="2" height="2" fill="url(#g{i})"/>"##)),
            Just(r#"<image width="5" height="5" href="data:image/svg+xml;base64,PHN2Zy8+"/>"#.to_owned()),
            Just(r#"<image width="5" height="5" href="data:image/png;base64,iVBORw0KGgo="/>"#.to_owned()),
            Just(r#"<image href="https://evil.example/x.png"/>"#.to_owned()),
            Just("<script>alert(1)</script>".to_owned()),
            Just(r#"<circle r="2" onload="alert(1)"/>"#.to_owned()),
            Just(r#"<a href="javascript:alert(1)"><circle r="1"/></a>"#.to_owned()),
            Just("<foreignObject><div>x</div></foreignObject>".to_owned()),
            Just("<!ENTITY a \"aaaa\">&a;".to_owned()),
            Just("<style>circle { fill: url(#g1) }</style>".to_owned()),
            "[<>/=\"'a-z&;# ]{0,12}",
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            (0u8..8, proptest::collection::vec(inner, 0..8))
                .prop_map(|(i, children)| format!(r#"<g id="g{i}">{}</g>"#, children.concat()))
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        /// Any bytes at all: an answer, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = sanitize(&bytes);
        }

        /// Generated SVGs: an answer, never a panic, and what passes has nothing active left.
        #[test]
        fn generated_svgs_never_panic_and_come_out_inert(body in proptest::collection::vec(element(), 0..12)) {
            if let Ok(clean) = sanitize(svg(&body.concat()).as_bytes()) {
                for active in ["<script", "onload", "javascript:", "foreignObject", "https://evil", "image/svg"] {
                    proptest::prop_assert!(!clean.text.contains(active), "{} survived: {}", active, clean.text);
                }
            }
        }
    }
}
