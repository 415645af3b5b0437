//! The price book (`--price-book FILE`, `[price_book]` in costgate.toml): discounts,
//! negotiated rates, commitments, currency; list beside effective in every output; the budget
//! basis. Figures are hand-checked from the embedded catalog's list prices (us-east-1):
//! m5.xlarge $0.192/h, p4d.24xlarge $21.957642/h, p5.48xlarge $55.04/h, g5.xlarge unused.

use std::path::Path;

use assert_cmd::Command;
use costgate::money::{cents, Decimal};
use serde_json::Value;

fn costgate() -> Command {
    let mut c = Command::cargo_bin("costgate").unwrap();
    c.env_remove("COSTGATE_PRICING_DIR")
        .env("NO_COLOR", "1")
        .env("COSTGATE_TODAY", "2026-12-06");
    c
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A directory with `main.tf` (aws provider in us-east-1 plus `body`) and `book.toml`.
fn project(body: &str, book: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        format!("provider \"aws\" {{\n  region = \"us-east-1\"\n}}\n{body}"),
    )
    .unwrap();
    std::fs::write(dir.path().join("book.toml"), book).unwrap();
    dir
}

fn instances(name: &str, count: usize, itype: &str) -> String {
    format!(
        "resource \"aws_instance\" \"{name}\" {{\n  count         = {count}\n  ami           = \"ami-123\"\n  instance_type = \"{itype}\"\n}}\n"
    )
}

fn run(args: &[&str], dir: &Path) -> std::process::Output {
    costgate().current_dir(dir).args(args).output().unwrap()
}

fn estimate(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "estimate",
        ".",
        "--format",
        "json",
        "--price-book",
        "book.toml",
    ];
    args.extend_from_slice(extra);
    let out = run(&args, dir);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn res<'a>(doc: &'a Value, address: &str) -> &'a Value {
    doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} not in output"))
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("{k} missing in {v}"))
}

/// The fixtures carry no tags: the required-tags policy is not what these tests look at.
const NO_TAGS: &str = "[policies.required-tags]\nenabled = false\n";

const EDP: &str = "[[discounts]]\nname = \"EDP\"\ncloud = \"aws\"\npercent = 20\n";

#[test]
fn twenty_percent_on_aws_only() {
    let gcp = "provider \"google\" {\n  region = \"us-central1\"\n}\nresource \"google_compute_instance\" \"vm\" {\n  name         = \"vm\"\n  machine_type = \"n1-standard-4\"\n  zone         = \"us-central1-a\"\n  boot_disk {\n    initialize_params {\n      image = \"debian-cloud/debian-12\"\n      size  = 20\n    }\n  }\n  network_interface {\n    network = \"default\"\n  }\n}\n";
    let dir = project(&format!("{}{gcp}", instances("web", 1, "m5.xlarge")), EDP);
    let doc = estimate(dir.path(), &[]);
    let web = res(&doc, "aws_instance.web[0]");
    // 0.192 × 730 = 140.16 list; × 0.8 = 112.128 → 112.13.
    assert_eq!(s(web, "monthly_list_cost"), "140.16");
    assert_eq!(s(web, "monthly_cost"), "112.13");
    let c = &web["components"][0];
    assert_eq!(s(c, "unit_price"), "0.1536");
    assert_eq!(s(c, "list_unit_price"), "0.192");
    assert_eq!(s(c, "price_book"), "\u{2212}20 % EDP");
    // GCP is not discounted: effective = list.
    let vm = res(&doc, "google_compute_instance.vm");
    assert_eq!(s(vm, "monthly_cost"), s(vm, "monthly_list_cost"));
    assert!(vm["components"][0].get("price_book").is_none());
    let t = &doc["totals"];
    let after = d(s(&doc["resources"][0], "monthly_cost")) + d(s(vm, "monthly_cost"));
    assert_eq!(d(s(t, "monthly_after")), after);
    assert_eq!(
        d(s(t, "monthly_after_list")),
        d("140.16") + d(s(vm, "monthly_list_cost"))
    );
    assert_eq!(s(&doc["price_book"], "name"), "book.toml");
}

/// `explain` of `aws_instance.h100[0]` with the directory's book.
fn explain_h100(dir: &Path) -> String {
    let args = [
        "explain",
        ".",
        "aws_instance.h100[0]",
        "--price-book",
        "book.toml",
    ];
    String::from_utf8_lossy(&run(&args, dir).stdout).into_owned()
}

#[test]
fn a_negotiated_p5_rate_replaces_the_discount_in_its_region() {
    let book = format!(
        "{EDP}[[rates]]\nname = \"H100 deal\"\nkey = \"ec2/p5.48xlarge\"\nregion = \"us-east-1\"\nprice = 38.00\n"
    );
    let dir = project(&instances("h100", 1, "p5.48xlarge"), &book);
    let doc = estimate(dir.path(), &[]);
    let r = res(&doc, "aws_instance.h100[0]");
    // 38.00 × 730 = 27,740.00; list 55.04 × 730 = 40,179.20.
    assert_eq!(s(r, "monthly_cost"), "27740.00");
    assert_eq!(s(r, "monthly_list_cost"), "40179.20");
    assert_eq!(
        s(&r["components"][0], "price_book"),
        "negotiated rate H100 deal"
    );
    let text = explain_h100(dir.path());
    assert!(
        text.contains("price book: list $55.04/h, price book negotiated rate H100 deal → $38.00/h"),
        "{text}"
    );
    assert!(text.contains("at list price: $0.00 → $40,179.20"), "{text}");
    // The EDP line of explain for a discounted resource.
    let dir = project(&instances("h100", 1, "p5.48xlarge"), EDP);
    let text = explain_h100(dir.path());
    assert!(
        text.contains("price book: list $55.04/h, price book \u{2212}20 % EDP → $44.03/h"),
        "{text}"
    );
}

#[test]
fn two_reserved_p4d_cover_two_of_three_instances() {
    let book = "[[commitments]]\nid = \"ri-p4d\"\nkind = \"reserved\"\ncloud = \"aws\"\nkey = \"ec2/p4d.24xlarge\"\nregion = \"us-east-1\"\ncount = 2\nterm = \"1y\"\nhourly = 10.00\nupfront = 43800\n";
    let dir = project(&instances("train", 3, "p4d.24xlarge"), book);
    let doc = estimate(dir.path(), &[]);
    // Per unit-hour: 10.00 + 43,800 / 8,760 = 15.00; 730 h × 15.00 = 10,950.00.
    for i in 0..2 {
        let r = res(&doc, &format!("aws_instance.train[{i}]"));
        assert_eq!(s(r, "monthly_cost"), "10950.00");
        let c = &r["components"][0]["commitments"][0];
        assert_eq!(
            (s(c, "id"), s(c, "kind"), s(c, "quantity")),
            ("ri-p4d", "reserved", "730")
        );
    }
    // The third at list: 21.957642 × 730 = 16,029.07866 → 16,029.08.
    let third = res(&doc, "aws_instance.train[2]");
    assert_eq!(s(third, "monthly_cost"), "16029.08");
    assert!(third["components"][0].get("commitments").is_none());
    assert_eq!(s(&doc["totals"], "monthly_after"), "37929.08");
    assert_eq!(s(&doc["totals"], "monthly_after_list"), "48087.24");
    assert_eq!(doc["price_book"]["idle_commitments"], serde_json::json!([]));
}

#[test]
fn a_savings_plan_covers_part_of_a_gpu_fleet() {
    let book = "[[commitments]]\nid = \"sp-gpu\"\nkind = \"savings_plan\"\ncloud = \"aws\"\nhourly_commitment = 50\ndiscounts = [{ key = \"ec2/p5.*\", percent = 40 }]\n";
    let dir = project(&instances("fleet", 4, "p5.48xlarge"), book);
    let doc = estimate(dir.path(), &[]);
    let cost = |i: usize| {
        s(
            res(&doc, &format!("aws_instance.fleet[{i}]")),
            "monthly_cost",
        )
        .to_string()
    };
    // Plan rate 55.04 × 0.6 = 33.024/h; capacity 50 × 730 = 36,500 a month.
    // fleet[0]: 730 h × 33.024 = 24,107.52, all covered; 12,392.48 of the plan left.
    assert_eq!(cost(0), "24107.52");
    // fleet[1]: 12,392.48 covers 375.2568… h; the other 354.7431… h at list:
    // (24,107.52 − 12,392.48) / 0.6 = 19,525.0666…; 12,392.48 + 19,525.07 = 31,917.55.
    assert_eq!(cost(1), "31917.55");
    // fleet[2] and [3] at list.
    assert_eq!(cost(2), "40179.20");
    assert_eq!(cost(3), "40179.20");
    assert_eq!(s(&doc["totals"], "monthly_after"), "136383.47");
    assert_eq!(s(&doc["totals"], "monthly_after_list"), "160716.80");
}

#[test]
fn an_unused_commitment_is_an_idle_finding() {
    let book = "[[commitments]]\nid = \"ri-g5\"\nkind = \"reserved\"\nkey = \"ec2/g5.xlarge\"\nregion = \"us-east-1\"\ncount = 1\nhourly = 0.60\n";
    let dir = project(&instances("web", 1, "m5.xlarge"), book);
    std::fs::write(dir.path().join("costgate.toml"), NO_TAGS).unwrap();
    let out = run(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--price-book",
            "book.toml",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let idle: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == "idle-commitment")
        .collect();
    assert_eq!(idle.len(), 1, "{}", doc["findings"]);
    assert_eq!(idle[0]["severity"], "warn");
    // 1 unit × 0.60 × 730 = 438.00 a month.
    assert_eq!(
        idle[0]["message"],
        "commitment `ri-g5` (reserved, ec2/g5.xlarge in us-east-1) is idle: nothing in the configuration uses it; 438.00 USD a month paid for nothing"
    );
    let text = String::from_utf8_lossy(
        &run(&["estimate", ".", "--price-book", "book.toml"], dir.path()).stdout,
    )
    .to_string();
    assert!(text.contains("commitment `ri-g5`"), "{text}");
}

#[test]
fn euro_output_with_the_rate_in_force() {
    let book = format!(
        "{EDP}[currency]\ncode = \"EUR\"\nrates = [\n  {{ from = \"2026-11-01\", per_usd = 0.90 }},\n  {{ from = \"2026-12-01\", per_usd = 0.92 }},\n  {{ from = \"2027-01-01\", per_usd = 0.50 }},\n]\n"
    );
    let dir = project(&instances("h100", 1, "p5.48xlarge"), &book);
    let doc = estimate(dir.path(), &[]);
    assert_eq!(doc["currency"], "EUR");
    assert_eq!(doc["price_book"]["exchange_rate"]["per_usd"], "0.92");
    assert_eq!(doc["price_book"]["exchange_rate"]["from"], "2026-12-01");
    let r = res(&doc, "aws_instance.h100[0]");
    // 55.04 × 0.8 × 0.92 × 730 = 29,571.8912; list 55.04 × 0.92 × 730 = 36,964.864.
    assert_eq!(s(r, "monthly_cost"), "29571.89");
    assert_eq!(s(r, "monthly_list_cost"), "36964.86");
    let out = run(
        &[
            "estimate",
            ".",
            "--format",
            "markdown",
            "--price-book",
            "book.toml",
        ],
        dir.path(),
    );
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("€29,571.89"), "{md}");
    assert!(!md.contains('$'), "{md}");
    // Before the first rate: no rate in force, an error.
    let out = costgate()
        .env("COSTGATE_TODAY", "2026-10-01")
        .current_dir(dir.path())
        .args(["estimate", ".", "--price-book", "book.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no exchange rate for EUR"));
}

/// Every resource's effective cost is its list cost less 20 %, rounded to cents once: the
/// same rounding as today, so `monthly_after` is the sum of those.
#[test]
fn twenty_percent_makes_an_aws_plan_80_percent_of_list() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.toml"), EDP).unwrap();
    let plan =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/plans/aws-gpu-create/plan.json");
    let out = costgate()
        .args([
            "estimate",
            plan.to_str().unwrap(),
            "--format",
            "json",
            "--price-book",
        ])
        .arg(dir.path().join("book.toml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (mut after, mut list, mut checked) = (Decimal::ZERO, Decimal::ZERO, 0);
    let eighty = d("0.8");
    for r in doc["resources"].as_array().unwrap() {
        let Some(m) = r["monthly_cost"].as_str() else {
            continue;
        };
        let comps = r["components"].as_array().unwrap();
        let exact: Decimal = comps
            .iter()
            .map(|c| d(s(c, "quantity")) * d(s(c, "list_unit_price")))
            .sum();
        if comps.iter().all(|c| c.get("tiered").is_none()) {
            assert_eq!(d(m), cents(exact * eighty), "{}", r["address"]);
            assert_eq!(
                d(s(r, "monthly_list_cost")),
                cents(exact),
                "{}",
                r["address"]
            );
            checked += 1;
        }
        after += d(m);
        list += d(s(r, "monthly_list_cost"));
    }
    assert!(checked >= 5, "{checked}");
    let t = &doc["totals"];
    assert_eq!(d(s(t, "monthly_after")), after);
    assert_eq!(d(s(t, "monthly_after_list")), list);
    // Per-resource rounding keeps the total within half a cent per resource of 80 %.
    let n = Decimal::from(doc["resources"].as_array().unwrap().len());
    assert!((after - list * eighty).abs() <= n * d("0.005"));
    // Without a book nothing about list prices is added.
    let out = costgate()
        .args(["estimate", plan.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let plain: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(plain.get("price_book").is_none());
    assert!(plain["totals"].get("monthly_after_list").is_none());
    assert!(plain["resources"][0].get("monthly_list_cost").is_none());
    assert_eq!(plain["totals"]["monthly_after"].as_str().map(d), Some(list));
}

#[test]
fn the_budget_passes_on_effective_and_fails_on_list() {
    // List 4 × 55.04 × 730 = 160,716.80; effective 80 % of it = 128,573.44.
    let dir = project(&instances("fleet", 4, "p5.48xlarge"), "");
    let config = |basis: &str| {
        format!(
            "{NO_TAGS}[policies.budget]\n{basis}deny = {{ total_monthly = 150000 }}\n\n[[price_book.discounts]]\nname = \"EDP\"\ncloud = \"aws\"\npercent = 20\n"
        )
    };
    std::fs::write(dir.path().join("costgate.toml"), config("")).unwrap();
    let out = run(&["check", ".", "--format", "json"], dir.path());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", doc["findings"]);
    assert_eq!(doc["totals"]["monthly_after"], "128573.44");
    assert_eq!(doc["totals"]["monthly_after_list"], "160716.80");
    std::fs::write(
        dir.path().join("costgate.toml"),
        config("basis = \"list\"\n"),
    )
    .unwrap();
    let out = run(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let msgs: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == "budget")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(
        msgs,
        ["total monthly cost at list price would be $160,716.80, over the budget of $150,000.00"]
    );
    // --no-config: no book, list prices, the budget is off too.
    let out = run(
        &["check", ".", "--format", "json", "--no-config"],
        dir.path(),
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc.get("price_book").is_none());
    assert_eq!(doc["totals"]["monthly_after"], "160716.80");
}

#[test]
fn a_bad_book_is_an_error_at_its_line() {
    let dir = project(
        &instances("web", 1, "m5.xlarge"),
        "[[discounts]]\ncloud = \"aws\"\npercent = 20\n\n[[discounts]]\ncloud = \"aws\"\npercent = \"twenty\"\n",
    );
    let out = run(&["estimate", ".", "--price-book", "book.toml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("discounts.1.percent must be a number"),
        "{err}"
    );
    assert!(err.contains("book.toml:7"), "{err}");
}

#[test]
fn focus_export_carries_list_contracted_effective_and_commitments() {
    let book = format!(
        "{EDP}[[commitments]]\nid = \"ri-p4d\"\nkind = \"reserved\"\ncloud = \"aws\"\nkey = \"ec2/p4d.24xlarge\"\nregion = \"us-east-1\"\ncount = 2\nhourly = 15.00\n"
    );
    let dir = project(&instances("train", 3, "p4d.24xlarge"), &book);
    let out = run(
        &[
            "estimate",
            ".",
            "--format",
            "focus-json",
            "--period",
            "2026-12",
            "--price-book",
            "book.toml",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let sum = |k: &str| rows.iter().map(|r| d(s(r, k))).sum::<Decimal>();
    // 2 × 10,950.00 covered + 12,823.26 (EDP) = 34,723.26; list 3 × 16,029.08.
    assert_eq!(sum("EffectiveCost"), d("34723.26"));
    assert_eq!(sum("BilledCost"), d("34723.26"));
    assert_eq!(sum("ListCost"), d("48087.24"));
    // Contracted: the EDP price, before the reservation: 3 × 12,823.26.
    assert_eq!(sum("ContractedCost"), d("38469.78"));
    let covered: Vec<&Value> = rows
        .iter()
        .filter(|r| !r["CommitmentDiscountId"].is_null())
        .collect();
    assert_eq!(covered.len(), 2);
    for r in covered {
        assert_eq!(s(r, "CommitmentDiscountId"), "ri-p4d");
        assert_eq!(s(r, "CommitmentDiscountCategory"), "Usage");
        assert_eq!(s(r, "CommitmentDiscountType"), "Reserved Instance");
        assert_eq!(s(r, "CommitmentDiscountStatus"), "Used");
        assert_eq!(s(r, "CommitmentDiscountQuantity"), "730");
        assert_eq!(s(r, "ContractedUnitPrice"), "17.5661136");
        assert_eq!(s(r, "ListUnitPrice"), "21.957642");
    }
    assert_eq!(s(&rows[0], "ServiceProviderName"), "AWS");
    assert_eq!(s(&rows[0], "HostProviderName"), "AWS");
}

#[test]
fn commitments_are_imported_from_a_focus_export() {
    // A hand-made FOCUS 1.3 extract of November (720 hours): two reserved p4d, one used 540 of
    // its 720 hours; a $50/h savings plan used for p5 at 40 % off list, $6,000 of it unused.
    let csv = "\
BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceProviderName,RegionId,SkuId,ListCost,EffectiveCost,CommitmentDiscountId,CommitmentDiscountCategory,CommitmentDiscountType,CommitmentDiscountStatus,CommitmentDiscountQuantity
USD,2026-11-01T00:00:00Z,2026-11-16T00:00:00Z,AWS,us-east-1,ec2/p4d.24xlarge,15809.50,10800.00,arn:ri-1,Usage,Reserved Instance,Used,720
USD,2026-11-16T00:00:00Z,2026-12-01T00:00:00Z,AWS,us-east-1,ec2/p4d.24xlarge,13833.31,9450.00,arn:ri-1,Usage,Reserved Instance,Used,630
USD,2026-11-16T00:00:00Z,2026-12-01T00:00:00Z,AWS,us-east-1,ec2/p4d.24xlarge,0,1350.00,arn:ri-1,Usage,Reserved Instance,Unused,90
USD,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,AWS,us-east-1,ec2/p5.48xlarge,50000.00,30000.00,arn:sp-1,Spend,Savings Plan,Used,30000
USD,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,AWS,,,0,6000.00,arn:sp-1,Spend,Savings Plan,Unused,6000
USD,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,AWS,us-east-1,ec2/m5.xlarge,138.24,138.24,,,,,
";
    let dir = project(&instances("train", 3, "p4d.24xlarge"), "");
    std::fs::write(dir.path().join("focus.csv"), csv).unwrap();
    let out = run(&["pricing", "book", "import", "focus.csv"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = String::from_utf8(out.stdout).unwrap();
    // 720 + 630 + 90 = 1,440 unit-hours / 720 h = 2 units at 21,600 / 1,440 = $15.00 an hour;
    // (30,000 + 6,000) / 720 h = $50 an hour; 1 − 30,000 / 50,000 = 40 % off p5.
    for want in [
        "id = \"arn:ri-1\"\nkind = \"reserved\"",
        "key = \"ec2/p4d.24xlarge\"\ncount = 2\nhourly = 15.0\n",
        "region = \"us-east-1\"",
        "id = \"arn:sp-1\"\nkind = \"savings_plan\"",
        "hourly_commitment = 50.0\ndiscounts = [{ key = \"ec2/p5.*\", percent = 40.0 }]",
    ] {
        assert!(toml.contains(want), "{want} not in\n{toml}");
    }
    // The output is a valid price book: two p4d of three covered at $15.00.
    std::fs::write(dir.path().join("book.toml"), &toml).unwrap();
    let doc = estimate(dir.path(), &[]);
    assert_eq!(s(&doc["totals"], "monthly_after"), "37929.08");
    // Not an export: a clear error, exit 2.
    std::fs::write(dir.path().join("bad.csv"), "a,b\n1,2\n").unwrap();
    let out = run(&["pricing", "book", "import", "bad.csv"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no `CommitmentDiscountId` column"));
}
