//! `costgate pricing refresh|show|verify` against a local HTTP server serving real-format
//! price-API fixtures (testdata/pricing-api), and the staleness warning of `estimate`.

use crate::support;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use support::http_server::{route, Reply, Route, Server};

const TODAY: &str = "2026-11-26";
const OFFER_PATH: &str = "/offers/v1.0/aws/AmazonEC2/20261120000000/us-east-1/index.json";
const REGION_INDEX: &str = "/offers/v1.0/aws/AmazonEC2/current/region_index.json";
const OFFER_INDEX: &str = "/offers/v1.0/aws/index.json";

fn costgate() -> Command {
    let mut c = Command::cargo_bin("costgate").unwrap();
    c.env("COSTGATE_TODAY", TODAY)
        .env_remove("COSTGATE_PRICING_DIR")
        .env_remove("COSTGATE_GCP_API_KEY")
        .env_remove("GOOGLE_API_KEY")
        .env("NO_COLOR", "1");
    c
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/testdata/pricing-api/{rel}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// AWS routes, with the offer file's replies replaced by `offer`.
fn aws_routes(offer: Vec<Reply>) -> Vec<Route> {
    vec![
        route(OFFER_INDEX, &[], vec![Reply::file("aws/index.json")]),
        route(
            REGION_INDEX,
            &[],
            vec![Reply::file("aws/region_index.json")],
        ),
        route(OFFER_PATH, &[], offer),
    ]
}

/// A catalog folder holding the "current" AWS catalog; returns it and the file's bytes.
fn current_aws() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let text = fixture("aws/current-aws.json");
    std::fs::write(dir.path().join("aws.json"), &text).unwrap();
    (dir, text.into_bytes())
}

fn refresh_aws(server: &Server, out: &Path) -> Command {
    let mut c = costgate();
    c.args([
        "pricing",
        "refresh",
        "--cloud",
        "aws",
        "--region",
        "us-east-1",
    ])
    .args(["--endpoint", &server.base, "--retry-base-ms", "10"])
    .arg("--out")
    .arg(out);
    c
}

fn catalog(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn entries_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn aws_refresh_feeds_estimate() {
    let server = Server::start(aws_routes(vec![Reply::file("aws/offer-us-east-1.json")]));
    let (dir, _) = current_aws();
    refresh_aws(&server, dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("prices refreshed in us-east-1"));
    let c = catalog(&dir.path().join("aws.json"));
    let us = &c["prices"]["us-east-1"];
    let src = "aws-price-list-2026-11-26";
    assert_eq!(us["ec2/g5.xlarge"]["price"], "0.95");
    assert_eq!(us["ec2/g5.xlarge"]["source"], src);
    // Linux/Shared/OnDemand only: not the $0.00 Capacity Block, not Windows or SQL.
    assert_eq!(us["ec2/p5.48xlarge"]["price"], "55.04");
    assert_eq!(us["ec2/p3.8xlarge"]["price"], "12.24");
    assert_eq!(us["ec2/p4d.24xlarge"]["price"], "21.957642");
    assert!(us.get("ec2/x9zz.metal").is_none(), "unknown type kept");
    assert_eq!(us["ebs/io2/iops"]["tiers"][1]["upto"], "64000");
    assert_eq!(us["ebs/standard/io"]["price"], "0.05");
    assert_eq!(us["egress/internet"]["tiers"][3]["price"], "0.05");
    // Not offered by the EC2 offer file: kept with its old source.
    assert_eq!(us["s3/STANDARD/storage"]["source"], "old-s3");
    assert_eq!(c["generated_at"], TODAY);
    let title = c["sources"][src]["title"].as_str().unwrap();
    assert!(title.contains("20261120000000"), "{title}");
    assert_eq!(c["sources"][src]["as_of"], TODAY);
    assert_eq!(entries_in(dir.path()), vec!["aws.json"]);

    let plan = format!(
        "{}/testdata/plans/aws-gpu-create/plan.json",
        env!("CARGO_MANIFEST_DIR")
    );
    costgate()
        .args(["estimate", &plan, "--pricing-dir"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "instance (g5.xlarge) — 730 hours × $0.95 = $693.50",
        ));
    // The refreshed catalog verifies.
    costgate()
        .args(["pricing", "verify", "--pricing-dir"])
        .arg(dir.path())
        .assert()
        .success();
}

#[test]
fn retries_after_500_and_429() {
    let server = Server::start(vec![
        route(
            OFFER_INDEX,
            &[],
            vec![
                Reply::Status(429, vec![("Retry-After".into(), "0".into())]),
                Reply::file("aws/index.json"),
            ],
        ),
        route(
            REGION_INDEX,
            &[],
            vec![
                Reply::Status(500, vec![]),
                Reply::file("aws/region_index.json"),
            ],
        ),
        route(
            OFFER_PATH,
            &[],
            vec![Reply::file("aws/offer-us-east-1.json")],
        ),
    ]);
    let (dir, _) = current_aws();
    refresh_aws(&server, dir.path()).assert().success();
    assert_eq!(server.hits(OFFER_INDEX), 2);
    assert_eq!(server.hits(REGION_INDEX), 2);
    assert_eq!(
        catalog(&dir.path().join("aws.json"))["prices"]["us-east-1"]["ec2/g5.xlarge"]["price"],
        "0.95"
    );
}

/// Run a refresh that must fail and prove the old catalog is byte-identical afterwards.
fn assert_old_catalog_survives(offer: Vec<Reply>, extra: &[&str], expect: &str) {
    let server = Server::start(aws_routes(offer));
    let (dir, before) = current_aws();
    refresh_aws(&server, dir.path())
        .args(extra)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(expect));
    assert_eq!(std::fs::read(dir.path().join("aws.json")).unwrap(), before);
    assert_eq!(entries_in(dir.path()), vec!["aws.json"], "temp file left");
}

#[test]
fn truncated_offer_file_keeps_old_catalog() {
    let body = fixture("aws/offer-us-east-1.json");
    let keep = body.len() * 2 / 3;
    assert_old_catalog_survives(vec![Reply::Truncated(body, keep)], &[], "offer file");
}

#[test]
fn timeout_keeps_old_catalog() {
    assert_old_catalog_survives(
        vec![Reply::Stall(Duration::from_secs(10))],
        &["--timeout-secs", "0.3", "--retries", "2"],
        "after 2 attempt(s)",
    );
}

#[test]
fn persistent_server_error_keeps_old_catalog() {
    assert_old_catalog_survives(vec![Reply::Status(503, vec![])], &[], "503");
}

#[test]
fn not_json_keeps_old_catalog() {
    assert_old_catalog_survives(
        vec![Reply::Json("<html>maintenance</html>".into())],
        &[],
        "offer file",
    );
}

#[test]
fn empty_offer_is_refused_even_though_it_parses() {
    let empty = r#"{"formatVersion":"v1.0","offerCode":"AmazonEC2","version":"1","products":{},"terms":{"OnDemand":{}}}"#;
    assert_old_catalog_survives(
        vec![Reply::Json(empty.into())],
        &[],
        "no usable prices for us-east-1",
    );
}

#[test]
fn drastically_fewer_prices_need_force() {
    let server = Server::start(aws_routes(vec![Reply::file("aws/offer-us-east-1.json")]));
    // No catalog in the folder: the refresh starts from the embedded one (~130 prices in
    // us-east-1 that this offer excerpt covers), so 20 refreshed prices are drastically fewer.
    let dir = tempfile::tempdir().unwrap();
    refresh_aws(&server, dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("drastically fewer"));
    assert!(entries_in(dir.path()).is_empty());
    refresh_aws(&server, dir.path())
        .arg("--force")
        .assert()
        .success();
    let c = catalog(&dir.path().join("aws.json"));
    assert_eq!(c["prices"]["us-east-1"]["ec2/g5.xlarge"]["price"], "0.95");
    // Embedded entries the excerpt lacks are kept with their seed source.
    assert_eq!(
        c["prices"]["us-east-1"]["ec2/g6e.xlarge"]["source"],
        "nable-2026-09"
    );
}

#[test]
fn azure_refresh_pages_and_filters() {
    let server = Server::start(vec![
        route(
            "/api/retail/prices",
            &["Virtual Machines", "eastus", "$skip=100"],
            vec![Reply::file("azure/vm-eastus-page2.json")],
        ),
        route(
            "/api/retail/prices",
            &[
                "serviceName eq 'Virtual Machines'",
                "armRegionName eq 'eastus'",
            ],
            vec![Reply::file("azure/vm-eastus-page1.json")],
        ),
        route(
            "/api/retail/prices",
            &["contains(productName, 'Managed Disks')", "eastus"],
            vec![Reply::file("azure/disks-eastus.json")],
        ),
    ]);
    let dir = tempfile::tempdir().unwrap();
    costgate()
        .args([
            "pricing", "refresh", "--cloud", "azure", "--region", "eastus", "--force",
        ])
        .args(["--endpoint", &server.base, "--out"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(server.unmatched.lock().unwrap().is_empty());
    let c = catalog(&dir.path().join("azure.json"));
    let e = &c["prices"]["eastus"];
    let src = "azure-retail-prices-2026-11-26";
    // Linux Consumption, not Windows (4.409), Reservation or DevTest.
    assert_eq!(e["vm/standard_nc24ads_a100_v4"]["price"], "3.673");
    assert_eq!(e["vm/standard_nc24ads_a100_v4"]["source"], src);
    assert_eq!(e["vm-spot/standard_nc24ads_a100_v4"]["price"], "0.7345");
    assert_eq!(e["vm/standard_d2s_v5"]["price"], "0.096");
    // From the second page.
    assert_eq!(e["vm/standard_nd96isr_h100_v5"]["price"], "98.32");
    assert_eq!(e["vm/standard_nd96isr_h100_v5"]["source"], src);
    assert!(e.get("vm/standard_z99_v9").is_none());
    assert_eq!(e["disk/p10"]["price"], "19.71");
    assert_eq!(e["disk/p10"]["unit"], "month");
    assert_eq!(e["disk/e10"]["price"], "7.68");
    assert_eq!(e["disk/s10"]["price"], "5.89");
    let title = c["sources"][src]["title"].as_str().unwrap();
    assert!(
        title.contains("2023-01-01-preview") && title.contains("2026-11-01"),
        "{title}"
    );
}

fn gcp_routes() -> Vec<Route> {
    let skus = "/v1/services/6F81-5844-456A/skus";
    vec![
        route(
            "/v1/services",
            &["pageToken=svc_page2"],
            vec![Reply::file("gcp/services-page2.json")],
        ),
        route(
            "/v1/services",
            &["key=test-key"],
            vec![Reply::file("gcp/services-page1.json")],
        ),
        route(
            skus,
            &["key=test-key", "pageToken=APKCS1HVa0Yp_page2"],
            vec![Reply::file("gcp/skus-page2.json")],
        ),
        route(
            skus,
            &["key=test-key", "currencyCode=USD"],
            vec![Reply::file("gcp/skus-page1.json")],
        ),
    ]
}

#[test]
fn gcp_refresh_composes_machine_prices() {
    let server = Server::start(gcp_routes());
    let dir = tempfile::tempdir().unwrap();
    costgate()
        .env("COSTGATE_GCP_API_KEY", "test-key")
        .args([
            "pricing",
            "refresh",
            "--cloud",
            "gcp",
            "--region",
            "us-central1",
            "--force",
        ])
        .args(["--endpoint", &server.base, "--out"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(server.unmatched.lock().unwrap().is_empty());
    let c = catalog(&dir.path().join("gcp.json"));
    let p = &c["prices"]["us-central1"];
    // 12 vCPU × 0.031611 + 85 GiB × 0.004237 + 1 × A100 2.933908
    assert_eq!(p["gce/a2-highgpu-1g"]["price"], "3.673385");
    assert_eq!(
        p["gce/a2-highgpu-1g"]["source"],
        "gcp-billing-catalog-2026-11-26"
    );
    // Spot: 12 × 0.009483 + 85 × 0.001271 + 0.88
    assert_eq!(p["gce-spot/a2-highgpu-1g"]["price"], "1.101831");
    assert_eq!(p["gce-core/n1"]["price"], "0.031611");
    assert_eq!(p["gce-ram/e2"]["price"], "0.002923");
    assert_eq!(p["gpu/nvidia-tesla-t4"]["price"], "0.35");
    // The Commit1Yr SKU (0.22) is not the spot or on-demand rate.
    assert_eq!(p["gpu-spot/nvidia-tesla-t4"]["price"], "0.14");
    assert_eq!(p["pd/pd-balanced/storage"]["price"], "0.1");
    assert_eq!(
        p["gce/e2-standard-4"]["source"],
        "gcp-billing-catalog-2026-11-26"
    );
    // Shared-core types are not composed: the seed price stays.
    assert_ne!(
        p["gce/e2-medium"]["source"],
        "gcp-billing-catalog-2026-11-26"
    );
    assert!(p.get("gce-core/memory-optimized").is_none());
}

#[test]
fn gcp_needs_a_key_and_never_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    costgate()
        .args([
            "pricing",
            "refresh",
            "--cloud",
            "gcp",
            "--region",
            "us-central1",
        ])
        .args(["--endpoint", "http://127.0.0.1:9", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("COSTGATE_GCP_API_KEY"));
    let server = Server::start(vec![route(
        "/v1/services",
        &[],
        vec![Reply::Status(403, vec![])],
    )]);
    costgate()
        .env("GOOGLE_API_KEY", "very-secret-key")
        .args([
            "pricing",
            "refresh",
            "--cloud",
            "gcp",
            "--region",
            "us-central1",
        ])
        .args(["--endpoint", &server.base, "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("403").and(predicate::str::contains("very-secret-key").not()),
        );
    assert!(entries_in(dir.path()).is_empty());
}

#[test]
fn shipped_catalogs_verify() {
    costgate()
        .args(["pricing", "verify"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("3 catalog(s) checked: 0 error(s)")
                // Coverage per cloud and region, with the share of derived prices.
                .and(predicate::str::contains("coverage aws: 45 region(s)"))
                .and(predicate::str::contains("coverage azure swedencentral:"))
                .and(predicate::str::contains("coverage gcp europe-west4:"))
                .and(predicate::str::contains("% derived")),
        );
}

#[test]
fn verify_warns_when_stale_and_fails_when_invalid() {
    costgate()
        .env("COSTGATE_TODAY", "2027-06-01")
        .args(["pricing", "verify", "--max-age-days", "30"])
        .assert()
        .success()
        .stdout(predicate::str::contains("days old"));
    let dir = tempfile::tempdir().unwrap();
    let bad = fixture("aws/current-aws.json").replace("\"0.192\"", "\"0\"");
    std::fs::write(dir.path().join("aws.json"), bad).unwrap();
    costgate()
        .args(["pricing", "verify", "--pricing-dir"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("price 0 is not > 0"));
    let undated = fixture("aws/current-aws.json").replace(", \"as_of\": \"2026-07-28\"", "");
    std::fs::write(dir.path().join("aws.json"), undated).unwrap();
    costgate()
        .args(["pricing", "verify", "--pricing-dir"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("no as_of date"));
}

#[test]
fn show_filters() {
    costgate()
        .args([
            "pricing",
            "show",
            "--cloud",
            "aws",
            "--region",
            "us-east-1",
            "--filter",
            "p5.48",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("ec2/p5.48xlarge")
                .and(predicate::str::contains("55.04"))
                .and(predicate::str::contains("2026-09-24"))
                .and(predicate::str::contains("us-west-2").not()),
        );
}

#[test]
fn estimate_warns_about_stale_catalogs() {
    let plan = format!(
        "{}/testdata/plans/aws-gpu-create/plan.json",
        env!("CARGO_MANIFEST_DIR")
    );
    costgate()
        .env("COSTGATE_TODAY", "2027-07-01")
        .args(["estimate", &plan])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning: prices from the aws catalog used here are older than 180 days \
             (oldest 2026-12-06, 207 days",
        ));
    // The limit is configurable; at the pinned date the prices used are fresh.
    costgate()
        .env("COSTGATE_TODAY", "2027-06-01")
        .env("COSTGATE_MAX_PRICE_AGE_DAYS", "200")
        .args(["estimate", &plan])
        .assert()
        .success()
        .stdout(predicate::str::contains("older than").not());
    costgate()
        .args(["estimate", &plan])
        .assert()
        .success()
        .stdout(predicate::str::contains("older than").not());
}

/// `--pricing-dir` / `COSTGATE_PRICING_DIR` that is missing, a file or empty is an error
/// (exit 2), never a silent fallback to the embedded catalogs.
#[test]
fn a_pricing_dir_that_holds_no_catalog_is_an_error() {
    let plan = format!(
        "{}/testdata/plans/aws-gpu-create/plan.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aws.json.txt");
    std::fs::write(&file, "{}").unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for (d, want) in [
        (dir.path().join("missing"), "does not exist"),
        (file.clone(), "is not a folder"),
        (empty.clone(), "holds no price catalog"),
    ] {
        costgate()
            .args(["estimate", &plan, "--pricing-dir"])
            .arg(&d)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(want));
        costgate()
            .args(["estimate", &plan])
            .env("COSTGATE_PRICING_DIR", &d)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(want));
    }
}

/// A hostile mirror: oversized pages and streams, a mirror that never finishes, redirects and
/// absolute URLs to another host, implausible prices. Each is refused and the old catalog
/// stays byte-identical.
#[test]
fn oversized_responses_are_refused() {
    assert_old_catalog_survives(
        vec![Reply::file("aws/offer-us-east-1.json")],
        &["--max-json-bytes", "200"],
        "200 bytes",
    );
    assert_old_catalog_survives(
        vec![Reply::file("aws/offer-us-east-1.json")],
        &["--max-body-bytes", "5000"],
        "5000 bytes",
    );
}

#[test]
fn the_refresh_has_a_total_deadline() {
    let server = Server::start(vec![route(
        OFFER_INDEX,
        &[],
        vec![Reply::Stall(Duration::from_secs(20))],
    )]);
    let (dir, before) = current_aws();
    let started = std::time::Instant::now();
    refresh_aws(&server, dir.path())
        .args([
            "--timeout-secs",
            "15",
            "--retries",
            "5",
            "--deadline-secs",
            "0.5",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("deadline"));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the deadline cut it short"
    );
    assert_eq!(std::fs::read(dir.path().join("aws.json")).unwrap(), before);
}

#[test]
fn redirects_and_urls_to_another_host_are_refused() {
    // The offer file redirects to another server, named `localhost` (another host than the
    // endpoint's 127.0.0.1): refused unless that host is allowed.
    let other = Server::start(vec![route(
        "/moved.json",
        &[],
        vec![Reply::file("aws/offer-us-east-1.json")],
    )]);
    let moved = format!(
        "{}/moved.json",
        other.base.replace("127.0.0.1", "localhost")
    );
    let server = Server::start(aws_routes(vec![Reply::Status(
        302,
        vec![("Location".into(), moved)],
    )]));
    let (dir, before) = current_aws();
    refresh_aws(&server, dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("redirect to another host"));
    assert_eq!(std::fs::read(dir.path().join("aws.json")).unwrap(), before);
    refresh_aws(&server, dir.path())
        .args(["--allow-redirect-host", "localhost"])
        .assert()
        .success();
    assert_eq!(other.hits("/moved.json"), 1, "followed only when allowed");

    // An index naming an absolute URL on another host is not fetched.
    let index = fixture("aws/region_index.json").replace(
        "\"/offers/v1.0/aws/AmazonEC2/20261120000000/us-east-1/index.json\"",
        "\"http://prices.evil.example/offer.json\"",
    );
    let server = Server::start(vec![
        route(OFFER_INDEX, &[], vec![Reply::file("aws/index.json")]),
        route(REGION_INDEX, &[], vec![Reply::Json(index)]),
    ]);
    let (dir, before) = current_aws();
    refresh_aws(&server, dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "prices.evil.example is not the endpoint",
        ));
    assert_eq!(std::fs::read(dir.path().join("aws.json")).unwrap(), before);
}

#[test]
fn implausible_prices_need_force() {
    let offer = fixture("aws/offer-us-east-1.json")
        // p5.48xlarge (8 × H100) at a ten-billionth of a dollar an hour.
        .replacen(
            "\"USD\" : \"55.0400000000\"",
            "\"USD\" : \"0.0000000001\"",
            1,
        )
        // g5.xlarge 500× its current price.
        .replacen(
            "\"USD\" : \"0.9500000000\"",
            "\"USD\" : \"500.0000000000\"",
            1,
        );
    assert_old_catalog_survives(
        vec![Reply::Json(offer.clone())],
        &[],
        "ec2/p5.48xlarge: $0.0000000001",
    );
    assert_old_catalog_survives(
        vec![Reply::Json(offer.clone())],
        &[],
        "more than 100× apart",
    );
    let server = Server::start(aws_routes(vec![Reply::Json(offer)]));
    let (dir, _) = current_aws();
    refresh_aws(&server, dir.path())
        .arg("--force")
        .assert()
        .success();
}

/// `pricing verify` with a missing, empty or file `--pricing-dir` is an error (exit 2), never
/// a check of the embedded catalogs in its place.
#[test]
fn verify_refuses_a_bad_pricing_dir() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aws.json");
    std::fs::write(&file, "{}").unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for d in [dir.path().join("missing"), empty, file] {
        costgate()
            .args(["pricing", "verify", "--pricing-dir"])
            .arg(&d)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("costgate::pricing::dir"));
    }
}
