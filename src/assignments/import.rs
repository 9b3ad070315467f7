//! CSV imports of assignments: one member per line (login email or profile address), with an
//! optional reason in a second column. The file is read whole on the server, every line is
//! checked, and the preview says which lines match a member and why the others do not.

use serde::{Deserialize, Serialize};

/// Largest file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
/// Most member lines in one file.
pub const MAX_LINES: usize = 50_000;
/// Lines of each kind the preview shows (the download has every unmatched line).
pub const SHOWN: usize = 100;

/// A line that will not be assigned, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmatched {
    pub line: u64,
    pub value: String,
    pub problem: String,
}

/// What an import would do (or, confirmed, is doing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub badge_title: String,
    /// Member lines read (blank lines and a header left out).
    pub lines: usize,
    pub matched: usize,
    /// The first matched lines: (line, value).
    pub matched_sample: Vec<(u64, String)>,
    pub unmatched_total: usize,
    /// The first `SHOWN` unmatched lines.
    pub unmatched: Vec<Unmatched>,
    /// Every unmatched line as a CSV file (line,value,problem), for download.
    pub unmatched_csv: String,
}

/// The result of the import server function: the preview, and the run when confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub preview: ImportPreview,
    pub job: Option<crate::domain::job::Job>,
}

/// One member line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvLine {
    pub line: u64,
    /// A login email or a profile address, trimmed.
    pub value: String,
    pub reason: Option<String>,
}

/// The file's member lines and the lines that could not be read as one.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ParsedCsv {
    pub lines: Vec<CsvLine>,
    pub bad: Vec<Unmatched>,
}

/// First cells that mark a header line, which is skipped.
#[cfg(feature = "ssr")]
const HEADERS: [&str; 6] = ["email", "e-mail", "slug", "member", "profile", "email or slug"];

/// Reads a CSV file. Fails as a whole (with a message for the file field) only when the file
/// cannot be read as CSV text at all or is over the limits; a single bad line is reported with
/// the unmatched ones instead.
#[cfg(feature = "ssr")]
pub fn parse_csv(bytes: &[u8]) -> Result<ParsedCsv, String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err("The file is larger than 2 MB".into());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err("The file is not UTF-8 text; save it as CSV (UTF-8)".into());
    }
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(bytes);
    // line numbers from byte offsets: the reader's own line count skips leading blank lines
    let newlines: Vec<usize> = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i).collect();
    // (a record's position can be the line ending before it, which is stepped over)
    let line_at = |byte: u64| {
        let mut at = byte as usize;
        while bytes.get(at).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            at += 1;
        }
        newlines.partition_point(|&nl| nl < at) as u64 + 1
    };
    let mut parsed = ParsedCsv::default();
    let mut first = true;
    for record in reader.records() {
        let record = record.map_err(|e| match e.position() {
            Some(pos) => format!("Line {} cannot be read as CSV", line_at(pos.byte())),
            None => "The file cannot be read as CSV".to_owned(),
        })?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        let cells: Vec<&str> = record.iter().collect();
        let was_first = std::mem::replace(&mut first, false);
        if cells.iter().all(|c| c.is_empty()) {
            first = was_first; // a blank line before the header does not use up the header
            continue;
        }
        if was_first && HEADERS.contains(&cells[0].to_lowercase().as_str()) {
            continue;
        }
        if parsed.lines.len() + parsed.bad.len() >= MAX_LINES {
            return Err(format!(
                "The file has more than {} lines; split it",
                crate::format::thousands(MAX_LINES as i64)
            ));
        }
        let bad = |problem: &str| Unmatched {
            line,
            value: record.iter().collect::<Vec<_>>().join(","),
            problem: problem.to_owned(),
        };
        let value = cells[0];
        let reason = cells.get(1).copied().filter(|r| !r.is_empty());
        if cells.len() > 2 && cells[2..].iter().any(|c| !c.is_empty()) {
            parsed.bad.push(bad("Too many columns: expected an email or profile address, then an optional reason"));
        } else if value.is_empty() {
            parsed.bad.push(bad("No email or profile address in the first column"));
        } else if value.chars().any(char::is_control)
            || reason.is_some_and(|r| r.chars().any(|c| c.is_control() && c != '\n' && c != '\r'))
        {
            parsed.bad.push(bad("Contains control characters"));
        } else if value.chars().count() > 320 {
            parsed.bad.push(bad("Too long for an email or profile address"));
        } else if reason.is_some_and(|r| r.chars().count() > super::service::MAX_REASON) {
            parsed.bad.push(bad("The reason is longer than 500 characters"));
        } else {
            parsed.lines.push(CsvLine { line, value: value.to_owned(), reason: reason.map(str::to_owned) });
        }
    }
    Ok(parsed)
}

/// A cell as a spreadsheet will take it as text: one that starts like a formula (`=`, `+`, `-`,
/// `@`, or a tab or carriage return before one) gets a leading `'`, so opening the report never
/// runs what an uploaded file put in it.
#[cfg(feature = "ssr")]
pub fn inert_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The unmatched lines as a CSV file, quoted where needed, every cell inert.
#[cfg(feature = "ssr")]
pub fn unmatched_csv(lines: &[Unmatched]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["line", "value", "problem"]);
    for l in lines {
        let _ = writer.write_record([l.line.to_string().as_str(), &inert_cell(&l.value), &inert_cell(&l.problem)]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Matches an import's lines to members, for an admin: the preview to show, and the matched
/// lines as the items a run would go through.
#[cfg(feature = "ssr")]
pub async fn preview(
    store: &crate::store::Store,
    actor: &crate::auth::actor::Actor,
    badge_id: uuid::Uuid,
    file: &[u8],
) -> Result<(ImportPreview, Vec<crate::store::JobItem>), crate::error::AppError> {
    use crate::error::AppError;
    actor.require_admin()?;
    let badge =
        store.badge(badge_id).await?.ok_or_else(|| AppError::validation("badge_id", "That badge no longer exists"))?;
    let parsed = parse_csv(file).map_err(|m| AppError::validation("file", m))?;
    let values: Vec<String> = parsed.lines.iter().map(|l| l.value.clone()).collect();
    let found: std::collections::HashMap<String, uuid::Uuid> =
        store.members_by_email_or_slug(&values).await?.into_iter().collect();
    let mut items = Vec::new();
    let mut sample = Vec::new();
    let mut unmatched = parsed.bad;
    for line in parsed.lines {
        match found.get(&line.value) {
            Some(&member_id) => {
                if sample.len() < 10 {
                    sample.push((line.line, line.value.clone()));
                }
                items.push(crate::store::JobItem { line: line.line as i64, member_id, reason: line.reason });
            }
            None => unmatched.push(Unmatched {
                line: line.line,
                value: line.value,
                problem: "No member has this email or profile address".into(),
            }),
        }
    }
    unmatched.sort_by_key(|u| u.line);
    let preview = ImportPreview {
        badge_title: badge.title,
        lines: items.len() + unmatched.len(),
        matched: items.len(),
        matched_sample: sample,
        unmatched_total: unmatched.len(),
        unmatched_csv: unmatched_csv(&unmatched),
        unmatched: unmatched.into_iter().take(SHOWN).collect(),
    };
    Ok((preview, items))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn values(parsed: &ParsedCsv) -> Vec<(u64, &str, Option<&str>)> {
        parsed.lines.iter().map(|l| (l.line, l.value.as_str(), l.reason.as_deref())).collect()
    }

    #[test]
    fn the_unmatched_report_never_carries_a_formula() {
        let parsed =
            parse_csv(b"=HYPERLINK(\"https://evil.example\"),x\n+1,x\n-2,x\n@SUM(A1),x\nann\x00@example.com\n")
                .unwrap();
        let report = unmatched_csv(&parsed.bad);
        let mut cells = csv::ReaderBuilder::new().has_headers(true).from_reader(report.as_bytes());
        for record in cells.records() {
            let record = record.unwrap();
            for cell in record.iter() {
                assert!(!cell.starts_with(['=', '+', '-', '@']), "formula cell {cell:?} in {report}");
            }
        }
        assert!(parsed.bad.iter().any(|b| b.problem == "Contains control characters"), "{:?}", parsed.bad);
        assert_eq!(inert_cell("ann@example.com"), "ann@example.com");
        assert_eq!(inert_cell("=1+1"), "'=1+1");
    }

    proptest::proptest! {
        /// Any file: an answer, never a panic, and every line it reports is a line of the file.
        #[test]
        fn any_file_is_read_or_refused_without_a_panic(text in "[a-z@.,\"=+\\-\r\n\t \x00\u{FEFF}é]{0,200}") {
            if let Ok(parsed) = parse_csv(text.as_bytes()) {
                let lines = text.matches('\n').count() as u64 + 1;
                for line in parsed.lines.iter().map(|l| l.line).chain(parsed.bad.iter().map(|b| b.line)) {
                    proptest::prop_assert!((1..=lines).contains(&line), "line {} of {}", line, lines);
                }
            }
        }

        /// Whatever the unmatched lines hold, no cell of the report starts a formula.
        #[test]
        fn the_report_never_carries_a_formula_cell(
            lines in proptest::collection::vec(("[=+\\-@\t\r a-z,\"\n]{0,12}", "[=+\\-@ a-z]{0,8}"), 0..20)
        ) {
            let unmatched: Vec<Unmatched> = lines
                .into_iter()
                .enumerate()
                .map(|(i, (value, problem))| Unmatched { line: i as u64 + 1, value, problem })
                .collect();
            let report = unmatched_csv(&unmatched);
            let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(report.as_bytes());
            for record in reader.records() {
                for cell in record.unwrap().iter() {
                    proptest::prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "formula cell {:?}", cell);
                }
            }
        }
    }

    #[test]
    fn reads_emails_slugs_and_reasons() {
        let parsed = parse_csv(b"ann@example.com\nbo-smith,Helped at the fair\n").unwrap();
        assert_eq!(values(&parsed), vec![(1, "ann@example.com", None), (2, "bo-smith", Some("Helped at the fair"))]);
        assert!(parsed.bad.is_empty());
    }

    #[test]
    fn skips_a_bom_a_header_and_blank_lines() {
        let parsed =
            parse_csv(b"\xEF\xBB\xBF\n\nEmail,Reason\r\nann@example.com,\r\n\r\n  \n bo@example.com , late \r\n")
                .unwrap();
        assert_eq!(values(&parsed), vec![(4, "ann@example.com", None), (7, "bo@example.com", Some("late"))]);
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_newlines() {
        let parsed =
            parse_csv(b"ann@example.com,\"For \"\"Best\"\", twice\"\nbo@example.com,\"two\nlines\"\ncy\n").unwrap();
        assert_eq!(
            values(&parsed),
            vec![
                (1, "ann@example.com", Some("For \"Best\", twice")),
                (2, "bo@example.com", Some("two\nlines")),
                (4, "cy", None)
            ]
        );
    }

    #[test]
    fn bad_lines_are_reported_and_the_rest_kept() {
        let long = "x".repeat(501);
        let text = format!("ann@example.com,a,b\n,just a reason\nbo@example.com,{long}\ncy@example.com,ok,\n");
        let parsed = parse_csv(text.as_bytes()).unwrap();
        assert_eq!(values(&parsed), vec![(4, "cy@example.com", Some("ok"))], "an empty third cell is fine");
        let bad: Vec<(u64, &str)> = parsed.bad.iter().map(|b| (b.line, b.problem.as_str())).collect();
        assert_eq!(bad[0], (1, "Too many columns: expected an email or profile address, then an optional reason"));
        assert_eq!(bad[1], (2, "No email or profile address in the first column"));
        assert_eq!(bad[2], (3, "The reason is longer than 500 characters"));
        assert_eq!(parsed.bad[0].value, "ann@example.com,a,b");
    }

    #[test]
    fn unreadable_files_are_refused_whole() {
        assert!(parse_csv(b"\xff\xfeann").unwrap_err().contains("UTF-8"));
        assert!(parse_csv(&vec![b'a'; MAX_FILE_BYTES + 1]).unwrap_err().contains("2 MB"));
        let many = "a@example.com\n".repeat(MAX_LINES + 1);
        assert_eq!(parse_csv(many.as_bytes()).unwrap_err(), "The file has more than 50,000 lines; split it");
        assert_eq!(parse_csv("a@example.com\n".repeat(MAX_LINES).as_bytes()).unwrap().lines.len(), MAX_LINES);
        assert_eq!(parse_csv(b"").unwrap(), ParsedCsv::default());
    }

    #[test]
    fn the_unmatched_report_is_csv() {
        let lines = vec![Unmatched { line: 3, value: "x,y".into(), problem: "No member".into() }];
        assert_eq!(unmatched_csv(&lines), "line,value,problem\n3,\"x,y\",No member\n");
    }
}
