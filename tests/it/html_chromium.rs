//! Renders the HTML report in headless Chromium and checks the DOM it builds: the SVG chart
//! with one bar per resource type and the totals. Without
//! /usr/bin/chromium it fails under CI and prints a SKIP line elsewhere.

use crate::support::{self, peer};

use std::path::Path;
use std::process::Command;

use costgate::report::html;
use costgate::report::view::ReportView;
use support::fixtures;

const CHROMIUM: &str = "/usr/bin/chromium";

#[test]
fn chromium_renders_chart_and_totals() {
    if !Path::new(CHROMIUM).exists() {
        return peer::missing(CHROMIUM, "apt-get install -y chromium");
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let r = fixtures::report();
    std::fs::write(&page, html::render(&ReportView::check(&r))).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    // The serialized DOM is the browser's parse, not our text: the SVG became elements.
    assert!(dom.contains("<svg id=\"cost-chart\""), "{dom}");
    let bars = dom.matches("data-type=").count();
    assert_eq!(bars, 2, "aws_instance and aws_ebs_volume");
    // One "before" bar per type plus the legend's swatch.
    assert_eq!(dom.matches("class=\"bar before\"").count(), 3);
    assert!(dom.contains("<g class=\"legend\">"));
    assert!(dom.contains("id=\"total-after\">$47,938.83</b>"));
    assert!(dom.contains("id=\"total-delta\" class=\"up\">+$46,465.79</b>"));
    assert!(dom.contains("<table id=\"findings\">"));
}
