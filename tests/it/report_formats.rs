//! Snapshot and property tests of the PR-facing formats: SARIF, GitHub workflow commands,
//! Markdown (PR comment / job summary) and HTML.

use crate::support;

use costgate::policy::finding::Severity;
use costgate::report::github::{self, AnnotationLimits};
use costgate::report::html;
use costgate::report::markdown::{self, MarkdownOptions};
use costgate::report::sarif::{self, SarifOptions};
use costgate::report::view::ReportView;
use support::fixtures;

fn sarif_opts() -> SarifOptions {
    SarifOptions {
        fallback_uri: Some("plan.json".into()),
    }
}

#[test]
fn sarif_snapshot() {
    let r = fixtures::report();
    let out = sarif::render(&ReportView::check(&r), &sarif_opts());
    insta::assert_snapshot!("sarif", out.replace(env!("CARGO_PKG_VERSION"), "[VERSION]"));
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let mut schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../testdata/schemas/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    // The official schema's `language` patterns (run, toolComponent) have a stray `]` that the
    // meta-schema's regex check rejects; replace them (in memory) with the pattern they mean.
    // We never emit `language`, so this loosens nothing we produce.
    assert_eq!(fix_language_patterns(&mut schema), 2);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    for (name, report, opts) in [
        ("fixture", fixtures::report(), sarif_opts()),
        ("no fallback", fixtures::report(), SarifOptions::default()),
        ("big", fixtures::big_report(30), sarif_opts()),
    ] {
        let doc = sarif::document(&ReportView::check(&report), &opts);
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    // The validator does catch a broken log (guards against a schema that accepts anything).
    let mut bad = sarif::document(&ReportView::check(&fixtures::report()), &sarif_opts());
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
}

fn fix_language_patterns(v: &mut serde_json::Value) -> usize {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match v {
        serde_json::Value::Object(m) => {
            let mut n = 0;
            if m.get("pattern").and_then(|p| p.as_str()) == Some(BROKEN) {
                m.insert("pattern".into(), "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into());
                n += 1;
            }
            n + m.values_mut().map(fix_language_patterns).sum::<usize>()
        }
        serde_json::Value::Array(a) => a.iter_mut().map(fix_language_patterns).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_rules_results_and_fingerprints() {
    let r = fixtures::report();
    let doc = sarif::document(&ReportView::check(&r), &sarif_opts());
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["budget", "gpu-quota", "idle-autopause", "required-tags"]
    );
    for rule in rules {
        assert!(rule["properties"].get("security-severity").is_none());
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), r.findings.len());
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
    }
    let p5 = results
        .iter()
        .find(|x| {
            x["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "aws_instance.p5"
        })
        .unwrap();
    assert_eq!(p5["level"], "error");
    assert_eq!(
        p5["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "main.tf"
    );
    assert_eq!(
        p5["locations"][0]["physicalLocation"]["region"]["startLine"],
        12
    );
    // Fingerprints depend on policy + address only: moving the resource keeps the alert.
    let mut moved = fixtures::report();
    for f in &mut moved.findings {
        if let Some(s) = &mut f.source {
            s.line += 40;
        }
    }
    let doc2 = sarif::document(&ReportView::check(&moved), &sarif_opts());
    for (a, b) in results
        .iter()
        .zip(doc2["runs"][0]["results"].as_array().unwrap())
    {
        assert_eq!(a["partialFingerprints"], b["partialFingerprints"]);
    }
    // Only the waived finding is suppressed.
    let suppressed: Vec<_> = results
        .iter()
        .filter(|x| x.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["suppressions"][0]["status"], "accepted");
}

#[test]
fn github_annotations_snapshot() {
    let r = fixtures::report();
    let out = github::render(&ReportView::check(&r), AnnotationLimits::default());
    insta::assert_snapshot!("github", out);
}

#[test]
fn github_annotations_are_escaped_one_per_line() {
    let r = fixtures::report();
    let out = github::render(&ReportView::check(&r), AnnotationLimits::default());
    for line in out.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "{line}"
        );
    }
    assert!(out.contains("::error file=main.tf,line=12,title=costgate deny%3A GPU quota::[gpu-quota] aws_instance.p5: adds 8 × H100: quota is 4%0A100%25 over"));
    // Waived findings are not annotated.
    assert!(!out.contains("aws_instance.old"));
}

#[test]
fn github_annotations_respect_limits_and_report_the_rest() {
    let r = fixtures::big_report(30);
    let out = github::render(&ReportView::check(&r), AnnotationLimits::default());
    let errors = out.lines().filter(|l| l.starts_with("::error")).count();
    let warnings = out.lines().filter(|l| l.starts_with("::warning")).count();
    assert_eq!((errors, warnings), (10, 10));
    let notice = out.lines().last().unwrap();
    assert!(notice.starts_with("::notice title=costgate::"), "{notice}");
    assert!(
        notice.contains(
            "20 of 60 findings annotated (the 10 deny and 10 warn with the largest cost impact"
        ),
        "{notice}"
    );
    assert!(
        notice.contains("20 deny and 20 warn more: see the job summary"),
        "{notice}"
    );
    // Most expensive first: node[29] costs the most.
    assert!(out.lines().next().unwrap().contains("node[29]"));
    // A smaller total cap binds too.
    let out = github::render(
        &ReportView::check(&r),
        AnnotationLimits {
            per_level: 10,
            total: 12,
        },
    );
    assert_eq!(
        out.lines().filter(|l| !l.starts_with("::notice")).count(),
        12
    );
    assert!(out.contains("12 of 60 findings annotated (the 10 deny and 2 warn"));
    assert!(out.contains("20 deny and 28 warn more"));
}

#[test]
fn markdown_snapshot() {
    let r = fixtures::report();
    let out = markdown::render(&ReportView::check(&r), &MarkdownOptions::default());
    insta::assert_snapshot!(
        "markdown",
        out.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
    );
}

#[test]
fn markdown_estimate_only_snapshot() {
    let e = fixtures::estimate();
    let opts = MarkdownOptions {
        key: Some("infra/gpu".into()),
        ..Default::default()
    };
    let out = markdown::render(&ReportView::estimate(&e), &opts);
    assert!(out.starts_with("<!-- costgate:comment key=infra/gpu -->\n"));
    assert!(!out.contains("Policy findings"));
    insta::assert_snapshot!(
        "markdown_estimate",
        out.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
    );
}

#[test]
fn markdown_structure_and_safety() {
    let r = fixtures::report();
    let out = markdown::render(&ReportView::check(&r), &MarkdownOptions::default());
    assert_eq!(out.lines().next(), Some(markdown::MARKER));
    assert_eq!(
        out.matches("<!-- costgate:comment").count(),
        1,
        "a planted marker must be escaped"
    );
    assert!(!out.contains("@infra-team"));
    let deny = out.find("❌ Deny").unwrap();
    let warn = out.find("⚠️ Warn").unwrap();
    assert!(deny < warn, "deny groups come first");
    let waived = out.find("Waived findings (1)").unwrap();
    assert!(warn < waived);
    assert!(out.contains("<details><summary>Full breakdown"));
    assert!(
        out.contains("| A10G | 1 | 0 |")
            && out.contains("| L40S | 0 | 4 |")
            && out.contains("| H100 | 0 | 8 |")
    );
    // Top-N by |delta|: the deleted instance (-140.16) beats the +100 volume when N = 3.
    let opts = MarkdownOptions {
        top_n: 3,
        ..Default::default()
    };
    let out = markdown::render(&ReportView::check(&r), &opts);
    let table = out
        .split("#### Biggest changes")
        .nth(1)
        .unwrap()
        .split("####")
        .next()
        .unwrap();
    assert!(table.contains("aws_instance.old") && !table.contains("aws_ebs_volume"));
}

#[test]
fn markdown_stays_under_the_comment_limit() {
    let r = fixtures::big_report(2000);
    let out = markdown::render(&ReportView::check(&r), &MarkdownOptions::default());
    let n = out.chars().count();
    assert!(n <= markdown::COMMENT_MAX_CHARS, "{n}");
    assert!(
        n > markdown::COMMENT_MAX_CHARS - 2_000,
        "uses the space: {n}"
    );
    assert!(out.contains("truncated: comment size limit"));
    assert!(out.trim_end().ends_with("</sub>"), "the footer survives");
    assert_eq!(r.count(Severity::Deny), 2000);
    // Tighter budget: findings get cut too, still valid and under the limit.
    let opts = MarkdownOptions {
        max_chars: 3_000,
        ..Default::default()
    };
    let out = markdown::render(&ReportView::check(&r), &opts);
    assert!(out.chars().count() <= 3_000);
    assert!(out.contains("… and "));
}

#[test]
fn html_snapshot() {
    let r = fixtures::report();
    let out = html::render(&ReportView::check(&r));
    insta::assert_snapshot!("html", out.replace(env!("CARGO_PKG_VERSION"), "[VERSION]"));
}

#[test]
fn html_is_self_contained_and_escaped() {
    let r = fixtures::report();
    let out = html::render(&ReportView::check(&r));
    for external in [
        "http:", "https:", "src=", "href=", "<script", "@import", "url(",
    ] {
        assert!(!out.contains(external), "external reference {external}");
    }
    assert!(!out.contains("<b>"), "plan text is escaped");
    assert!(out.contains("id=\"total-after\">$47,938.83<"));
    assert!(
        out.contains("data-type=\"aws_instance\" data-cost=\"47838.83\" data-before=\"1473.04\"")
    );
    // A type whose resources are all deleted still has its (before) bar and a negative change.
    let mut r = fixtures::report();
    r.estimate
        .resources
        .retain(|x| x.address == "aws_instance.old");
    let out = html::render(&ReportView::check(&r));
    assert!(
        out.contains("data-cost=\"0.00\" data-before=\"140.16\""),
        "{out}"
    );
    assert!(out.contains("<tspan class=\"down\">(-$140.16)</tspan>"));
    assert!(out.contains("<td class=\"num down\">-$140.16</td>"));
}

#[test]
fn step_summary_is_appended_when_set() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.md");
    std::fs::write(&path, "# earlier step\n").unwrap();
    let r = fixtures::report();
    let md = markdown::render(&ReportView::check(&r), &MarkdownOptions::default());
    github::append_summary_to(&path, &md).unwrap();
    let got = std::fs::read_to_string(&path).unwrap();
    assert!(got.starts_with("# earlier step\n<!-- costgate:comment -->"));
}

#[test]
fn every_format_names_the_address_once() {
    // Built-in policies write sentences that start with the address; no renderer repeats it.
    let r = fixtures::report();
    let v = ReportView::check(&r);
    let addr = "module.ml.aws_instance.g5";
    let sentence = "is interactive and never stops when idle";
    let sarif = sarif::document(&v, &sarif_opts());
    let sarif_texts: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["message"]["text"].as_str().unwrap().to_string())
        .collect();
    let outputs = [
        ("github", github::render(&v, AnnotationLimits::default())),
        (
            "markdown",
            markdown::render(&v, &MarkdownOptions::default()),
        ),
        ("sarif", sarif_texts.join("\n")),
        ("text", costgate::report::text::render(&r)),
        // Addresses carry line-break hints in HTML.
        ("html", html::render(&v).replace("<wbr>", "")),
    ];
    for (name, out) in outputs {
        let line = out
            .lines()
            .find(|l| l.contains(sentence))
            .unwrap_or_else(|| panic!("{name}: no finding line in\n{out}"));
        let named = line.matches(addr).count();
        assert_eq!(named, 1, "{name}: {line}");
        // A message that does not start with its address still gets the address.
        assert!(
            out.contains(addr) && out.contains("adds 4 × L40S: quota is 2"),
            "{name}"
        );
    }
}

/// A real plan with `n` GPU instances in dev, none tagged and none stopping off-hours: each
/// yields an idle-autopause deny and a required-tags finding (a warn through the config).
fn fleet_plan(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(repo.join("testdata/plans/aws-policy-cases/plan.json")).unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    let one = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "aws_instance.gpu_dev_unscheduled")
        .unwrap()
        .clone();
    let fleet: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let mut r = one.clone();
            r["address"] = format!("aws_instance.fleet[{i}]").into();
            r["name"] = "fleet".into();
            r["index"] = i.into();
            r["change"]["after"]["tags"] = serde_json::json!({"env": "dev"});
            r["change"]["after"]["tags_all"] = serde_json::json!({"env": "dev"});
            r
        })
        .collect();
    plan["resource_changes"] = fleet.into();
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_string(&plan).unwrap()).unwrap();
    std::fs::write(
        dir.join("costgate.toml"),
        "[policies.required-tags]\nseverity = \"warn\"\n",
    )
    .unwrap();
    path
}

#[test]
fn github_format_respects_limits_on_a_2000_resource_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plan = fleet_plan(dir.path(), 2000);
    let summary = dir.path().join("summary.md");
    let out = assert_cmd::Command::cargo_bin("costgate")
        .unwrap()
        .args(["check", "--format", "github"])
        .arg(&plan)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "deny findings fail the step");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let count = |p: &str| lines.iter().filter(|l| l.starts_with(p)).count();
    // GitHub shows 10 errors and 10 warnings per step (50 annotations per job): no more.
    assert_eq!(count("::error "), 10, "{stdout}");
    assert_eq!(count("::warning "), 10, "{stdout}");
    assert_eq!(count("::notice "), 1);
    assert_eq!(lines.len(), 21, "nothing but workflow commands on stdout");
    let notice = lines.last().unwrap();
    assert!(notice.contains("2,000 deny, 2,000 warn"), "{notice}");
    assert!(
        notice.contains("20 of 4,000 findings annotated (the 10 deny and 10 warn"),
        "{notice}"
    );
    assert!(
        notice.contains("1,990 deny and 1,990 warn more"),
        "{notice}"
    );
    // The job summary stays under GitHub's 1 MiB per step and says what it left out.
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.len() < 1024 * 1024, "{}", md.len());
    assert!(md.contains("truncated"), "the summary says it is shortened");
}

/// Render Markdown as GitHub does (GFM: tables, autolinks, strikethrough, task lists,
/// footnotes, `$` math), raw HTML passed through so that any that gets in is visible.
fn gfm_html(md: &str) -> String {
    let mut o = comrak::Options::default();
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.strikethrough = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.math_dollars = true;
    o.render.r#unsafe = true;
    comrak::markdown_to_html(md, &o)
}

/// The element names in `html` (opening and closing tags), and the number of HTML comments.
fn html_tags(html: &str) -> (std::collections::BTreeSet<String>, usize) {
    let mut tags = std::collections::BTreeSet::new();
    let comments = html.matches("<!--").count();
    for part in html.split('<').skip(1) {
        let name: String = part
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !part.starts_with('!') {
            tags.insert(name.to_ascii_lowercase());
        }
    }
    (tags, comments)
}

/// `html` without the contents of `<code>` elements (GitHub does not link mentions there).
fn outside_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<code>") {
        out.push_str(&rest[..i]);
        rest = rest[i..].split_once("</code>").map(|x| x.1).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[test]
fn hostile_text_cannot_inject_into_the_comment() {
    let r = fixtures::hostile_report();
    for (name, opts) in [
        ("comment", MarkdownOptions::default()),
        (
            "summary",
            MarkdownOptions {
                max_chars: 250_000,
                ..Default::default()
            },
        ),
    ] {
        let md = markdown::render(&ReportView::check(&r), &opts);
        assert!(md.contains("onerror"), "{name}: the hostile text is shown");
        assert_eq!(md.lines().next(), Some(markdown::MARKER));
        let html = gfm_html(&md);
        let (tags, comments) = html_tags(&html);
        let allowed = [
            "h3",
            "h4",
            "p",
            "strong",
            "code",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "ul",
            "li",
            "details",
            "summary",
            "sub",
            "blockquote",
            "",
        ];
        let extra: Vec<&String> = tags
            .iter()
            .filter(|t| !allowed.contains(&t.as_str()))
            .collect();
        assert!(
            extra.is_empty(),
            "{name}: unexpected elements {extra:?}\n{html}"
        );
        assert_eq!(comments, 1, "{name}: only the marker is an HTML comment");
        // Our own <details> blocks only (2: waived findings, full breakdown).
        assert_eq!(html.matches("<details>").count(), 2, "{name}");
        let text = outside_code(&html);
        let mention = text
            .char_indices()
            .any(|(i, c)| c == '@' && text[i + 1..].starts_with(|n: char| n.is_alphanumeric()));
        assert!(!mention, "{name}: an @-mention renders\n{text}");
        assert!(
            !text.contains("https://evil"),
            "{name}: a bare URL autolinks on GitHub"
        );
        assert!(
            !text.contains("www.evil"),
            "{name}: a www. host autolinks on GitHub"
        );
        // Every table row keeps its columns (no `|` from the text splits a cell).
        for row in md.lines().filter(|l| l.starts_with("| ")) {
            let cells = row.replace("\\|", "").matches('|').count();
            assert!(
                cells == 6 || cells == 4 || cells == 5 || cells == 7,
                "{row}"
            );
        }
    }
}

#[test]
fn hostile_text_cannot_start_a_line_in_human_formats() {
    let r = fixtures::hostile_report();
    let text = costgate::report::text::render(&r);
    let table = costgate::report::table::render(&r.estimate);
    let notices = github::render(&ReportView::check(&r), AnnotationLimits::default());
    for (name, out) in [("text", &text), ("table", &table), ("github", &notices)] {
        assert!(out.contains("onerror"), "{name}: the hostile text is shown");
        for line in out.lines() {
            assert!(
                !line.chars().any(|c| c.is_control()),
                "{name}: control character in {line:?}"
            );
            if name == "github" {
                assert!(
                    line.starts_with("::error ")
                        || line.starts_with("::warning ")
                        || line.starts_with("::notice "),
                    "{line}"
                );
            } else {
                assert!(!line.trim_start().starts_with("::"), "{name}: {line:?}");
            }
        }
    }
    assert!(text.contains("\\n::error::pwned\\r\\n::stop-commands::tok \\e[31m"));
    assert!(notices.contains("%0A::error::pwned%0D%0A::stop-commands::tok"));
}

#[test]
fn hostile_text_is_escaped_in_the_html_report() {
    let r = fixtures::hostile_report();
    let out = html::render(&ReportView::check(&r));
    assert!(out.contains("onerror"));
    assert!(!out.contains("<img") && !out.contains("<a ") && !out.contains("<details>"));
    assert_eq!(out.matches("<!--").count(), 0, "{out}");
}

/// `explain`, `estimate` and `check --format text` on HCL whose `for_each` key and tag value
/// carry newlines and workflow commands: no output line starts with `::`, no raw control
/// character is printed.
#[test]
fn hostile_hcl_keys_cannot_start_a_line_in_explain_estimate_or_check() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
provider "aws" {
  region = "us-east-1"
}
resource "aws_instance" "x" {
  for_each      = toset(["a\n::error::pwned\r\n::stop-commands::tok\u001b[31m"])
  ami           = "ami-12345678"
  instance_type = "g5.xlarge"
  tags = {
    team = "t\n::warning::tag"
  }
}
"#,
    )
    .unwrap();
    // Addresses quote keys as Terraform does (`\n`, `\u001b`).
    let key = r#"aws_instance.x["a\n::error::pwned\r\n::stop-commands::tok\u001b[31m"]"#;
    let runs: Vec<Vec<&str>> = vec![
        vec!["explain", ".", key],
        vec!["estimate", "."],
        vec!["check", ".", "--format", "text"],
    ];
    for args in runs {
        let out = assert_cmd::Command::cargo_bin("costgate")
            .unwrap()
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.code().unwrap() < 2,
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("pwned"), "{args:?}: {text}");
        for line in text.lines() {
            assert!(!line.trim_start().starts_with("::"), "{args:?}: {line:?}");
            assert!(!line.chars().any(|c| c.is_control()), "{args:?}: {line:?}");
        }
    }
}
