//! A hand-built `CheckReport` exercising every branch of the PR-facing renderers: create,
//! update, delete, unpriced and free resources, GPUs before/after, deny/warn/waived findings,
//! a plan-level finding without an address or source, and hostile text (newlines, `%`, `:`,
//! `,`, HTML, markers, @-mentions).

use std::collections::BTreeMap;

use costgate::estimate::{Estimate, ResourceEstimate, Totals};
use costgate::money::Decimal;
use costgate::policy::finding::{CheckReport, Finding, PolicyMeta, Severity};
use costgate::project::{Action, SourceLocation};
use costgate::resources::GpuFacts;

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn src(file: &str, line: usize) -> Option<SourceLocation> {
    Some(SourceLocation {
        file: file.into(),
        line,
    })
}

pub fn resource(
    address: &str,
    rtype: &str,
    action: Action,
    before: &str,
    after: &str,
) -> ResourceEstimate {
    let money = |s: &str| if s == "?" { None } else { Some(d(s)) };
    ResourceEstimate {
        address: address.into(),
        rtype: rtype.into(),
        name: address.rsplit('.').next().unwrap_or(address).into(),
        module: String::new(),
        provider: "registry.terraform.io/hashicorp/aws".into(),
        action,
        region: Some("us-east-1".into()),
        monthly_before: money(before),
        monthly_after: money(after),
        components: Vec::new(),
        gpu: None,
        gpu_before: None,
        idle: None,
        tags: BTreeMap::new(),
        tags_known: true,
        source: None,
        unpriced_reason: None,
        free: None,
        notes: Vec::new(),
        deposed: None,
        savings: Default::default(),
        unit_cost: None,
        coverage: Default::default(),
        list: None,
        components_before: Vec::new(),
    }
}

pub fn gpu(model: &str, count: f64) -> Option<GpuFacts> {
    Some(GpuFacts {
        model: model.into(),
        family: None,
        vendor: Some("nvidia".into()),
        per_node: count,
        nodes_min: 1,
        nodes_desired: 1,
        nodes_max: 1,
        count,
        max_count: count,
        spot: false,
        potential: false,
    })
}

pub fn finding(
    policy: &str,
    severity: Severity,
    address: &str,
    message: &str,
    source: Option<SourceLocation>,
) -> Finding {
    Finding {
        policy: policy.into(),
        severity,
        address: address.into(),
        message: message.into(),
        source,
        call_site: None,
        waived: false,
        waiver_note: None,
        monthly_saving: None,
    }
}

pub fn policies() -> Vec<PolicyMeta> {
    let p = |id: &str, title: &str, severity, help: &str| PolicyMeta {
        id: id.into(),
        title: title.into(),
        severity,
        help: help.into(),
        origin: "builtin".into(),
    };
    vec![
        p(
            "gpu-quota",
            "GPU quota",
            Severity::Deny,
            "Limits the number of GPUs per model a change may add.",
        ),
        p(
            "required-tags",
            "Required tags",
            Severity::Warn,
            "Every priced resource carries the tags `team` and `cost-center`.",
        ),
        p(
            "budget",
            "Monthly budget",
            Severity::Deny,
            "The monthly total after the change stays within the budget.",
        ),
        p("idle-autopause", "Idle auto-pause", Severity::Warn, ""),
    ]
}

pub fn estimate() -> Estimate {
    let mut p5 = resource(
        "aws_instance.p5",
        "aws_instance",
        Action::Create,
        "0",
        "40179.20",
    );
    p5.gpu = gpu("H100", 8.0);
    p5.source = src("main.tf", 12);
    let mut g5 = resource(
        "module.ml.aws_instance.g5",
        "aws_instance",
        Action::Update,
        "1332.88",
        "7659.63",
    );
    g5.gpu_before = gpu("A10G", 1.0);
    g5.gpu = gpu("L40S", 4.0);
    g5.source = src("modules/ml/main.tf", 3);
    let mut vol = resource(
        "aws_ebs_volume.data[\"a|b\"]",
        "aws_ebs_volume",
        Action::Create,
        "0",
        "100.00",
    );
    vol.source = src("storage.tf", 7);
    let old = resource(
        "aws_instance.old",
        "aws_instance",
        Action::Delete,
        "140.16",
        "0",
    );
    let mut unknown = resource(
        "aws_bedrock_thing.x",
        "aws_bedrock_thing",
        Action::Create,
        "?",
        "?",
    );
    unknown.unpriced_reason =
        Some("resource type `aws_bedrock_thing` is not supported yet <b>".into());
    let mut role = resource("aws_iam_role.r", "aws_iam_role", Action::Create, "0", "0");
    role.free = Some("IAM is free");
    let resources = vec![p5, g5, vol, old, unknown, role];
    let mut totals = Totals {
        unpriced_count: 1,
        ..Totals::default()
    };
    for r in &resources {
        totals.monthly_before += r.monthly_before.unwrap_or_default();
        totals.monthly_after += r.monthly_after.unwrap_or_default();
        if let Some(g) = &r.gpu {
            *totals
                .gpu_count_by_model
                .entry(g.model.clone())
                .or_default() += g.count;
        }
        if let Some(g) = &r.gpu_before {
            *totals
                .gpu_count_by_model_before
                .entry(g.model.clone())
                .or_default() += g.count;
        }
    }
    Estimate {
        project: "infra/gpu".into(),
        resources,
        totals,
        warnings: Vec::new(),
        projects: Vec::new(),
        gaps: Vec::new(),
        book: None,
    }
}

pub fn report() -> CheckReport {
    let mut waived = finding(
        "required-tags",
        Severity::Warn,
        "aws_instance.old",
        "missing tag `team`",
        None,
    );
    waived.waived = true;
    waived.waiver_note = Some("legacy box, removed in this PR (until 2030-01-01)".into());
    CheckReport {
        estimate: estimate(),
        findings: vec![
            finding(
                "required-tags",
                Severity::Warn,
                "aws_ebs_volume.data[\"a|b\"]",
                // Like the built-in policies: a sentence that starts with the address.
                "aws_ebs_volume.data[\"a|b\"] is missing required tag(s): team, cost-center",
                src("storage.tf", 7),
            ),
            finding(
                "gpu-quota",
                Severity::Deny,
                "aws_instance.p5",
                "adds 8 × H100: quota is 4\n100% over, see <!-- costgate:comment --> @infra-team",
                src("main.tf", 12),
            ),
            finding(
                "budget",
                Severity::Deny,
                "",
                "monthly total $48,038.83 exceeds the budget of $20,000.00",
                None,
            ),
            finding(
                "gpu-quota",
                Severity::Deny,
                "module.ml.aws_instance.g5",
                "adds 4 × L40S: quota is 2",
                src("modules/ml/main.tf", 3),
            ),
            finding(
                "idle-autopause",
                Severity::Warn,
                "module.ml.aws_instance.g5",
                "module.ml.aws_instance.g5 is interactive and never stops when idle",
                src("modules/ml/main.tf", 3),
            ),
            waived,
        ],
        policies: policies(),
        warnings: Vec::new(),
    }
}

/// `n` GPU instances each with a deny and a warn finding (for limits and truncation).
pub fn big_report(n: usize) -> CheckReport {
    let mut r = report();
    r.findings.clear();
    r.estimate.resources.clear();
    for i in 0..n {
        let addr = format!("module.fleet.aws_instance.node[{i}]");
        let mut res = resource(
            &addr,
            "aws_instance",
            Action::Create,
            "0",
            &format!("{}.00", 1000 + i),
        );
        res.source = src("fleet.tf", 10 + i);
        r.estimate.resources.push(res);
        r.findings.push(finding(
            "gpu-quota",
            Severity::Deny,
            &addr,
            "adds 8 × H100: over quota",
            src("fleet.tf", 10 + i),
        ));
        r.findings.push(finding(
            "required-tags",
            Severity::Warn,
            &addr,
            "missing tags: team",
            src("fleet.tf", 10 + i),
        ));
    }
    r.estimate.totals.monthly_after = r
        .estimate
        .resources
        .iter()
        .map(|x| x.monthly_after.unwrap())
        .sum();
    r.estimate.totals.monthly_before = Decimal::ZERO;
    r.estimate.totals.unpriced_count = 0;
    r
}

/// Text a pull request controls, built to break out of every format: a code span closed by a
/// double backtick, raw HTML, links, images, autolinks, mentions, math, table pipes, workflow
/// commands after newlines, terminal escapes.
pub const HOSTILE: &str = "`` <img src=x onerror=alert(1)> ``\n::error::pwned\r\n::stop-commands::tok \u{1b}[31m **[click](https://evil.example)** ![](https://evil.example/p.png) <a href=\"https://evil.example\">x</a> @octocat @org/team a@b.example www.evil.example https://evil.example/x $x^2$ | cell [^1] <details> <!-- costgate:comment -->";

/// [`report`] with [`HOSTILE`] text in every PR-controlled string: a `for_each` key, a file
/// name, the project, an unpriced reason, a GPU model, policy messages and a waiver note.
pub fn hostile_report() -> CheckReport {
    let mut r = report();
    let addr = format!("aws_instance.x[\"{HOSTILE}\"]");
    let mut x = resource(&addr, "aws_instance", Action::Create, "0", "12.00");
    x.source = src(&format!("{HOSTILE}.tf"), 4);
    x.gpu = gpu(HOSTILE, 1.0);
    let mut y = resource(&format!("{addr}.y"), "aws_thing", Action::Create, "?", "?");
    y.unpriced_reason = Some(HOSTILE.into());
    y.notes.push(HOSTILE.into());
    r.estimate.project = HOSTILE.into();
    r.estimate.resources.push(x);
    r.estimate.resources.push(y);
    r.estimate.warnings.push(HOSTILE.into());
    r.findings.push(finding(
        "required-tags",
        Severity::Deny,
        &addr,
        &format!("{addr} has tag owner = {HOSTILE}"),
        src(&format!("{HOSTILE}.tf"), 4),
    ));
    r.findings
        .push(finding("gpu-quota", Severity::Warn, &addr, HOSTILE, None));
    let mut w = finding("budget", Severity::Deny, &addr, HOSTILE, None);
    w.waived = true;
    w.waiver_note = Some(HOSTILE.into());
    r.findings.push(w);
    r.warnings.push(HOSTILE.into());
    r
}
