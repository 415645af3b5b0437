//! `aws_sagemaker_notebook_instance`: notebook hours at the SageMaker notebook price, its ML
//! storage volume, and whether a lifecycle configuration stops it when idle.

use base64::Engine as _;

use crate::money::Decimal;
use crate::resources::{Costing, GpuFacts, IdleFacts, View};

use super::ec2_type_of_ml;

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    match v.required_str("instance_type") {
        Ok(t) => {
            let key = format!("sagemaker-notebook/{t}");
            if !v.ctx.catalogs.knows("aws", &key)
                && v.ctx.catalogs.machine("aws", ec2_type_of_ml(t)).is_none()
            {
                c.unpriced
                    .push(format!("unknown SageMaker instance type `{t}`"));
            } else {
                c.add(v.hourly(format!("notebook ({t})"), &key, Decimal::ONE));
            }
            if let Some(g) = v
                .ctx
                .catalogs
                .machine("aws", ec2_type_of_ml(t))
                .and_then(|m| m.gpu.as_ref())
            {
                c.gpu = Some(GpuFacts::new(g, 1, 1, 1, false));
            }
        }
        Err(e) => c.unpriced.push(e),
    }
    let size = v
        .num_or("volume_size", Decimal::from(5))
        .unwrap_or(Decimal::from(5));
    if v.ctx.catalogs.knows("aws", "sagemaker-notebook/storage") {
        c.add(v.component(
            format!("ML storage ({size} GB)"),
            "sagemaker-notebook/storage",
            size,
            "GB-months",
        ));
    } else {
        c.not_priced(format!(
            "ML storage volume ({size} GB) not priced: no catalog entry"
        ));
    }
    c.idle = Some(idle(v));
    c
}

/// Script text that installs an idle auto-stop (the AWS sample `autostop.py` and its kin).
pub fn script_stops_when_idle(script: &str) -> bool {
    let s = script.to_ascii_lowercase();
    [
        "autostop",
        "auto-stop",
        "idle_time",
        "stop-notebook-instance",
        "stop_notebook_instance",
    ]
    .iter()
    .any(|k| s.contains(k))
}

fn idle(v: &View) -> IdleFacts {
    let interactive = true;
    match v.get("lifecycle_config_name") {
        f if f.as_str().is_some()
            || !v
                .res
                .refs
                .get("lifecycle_config_name")
                .is_none_or(Vec::is_empty) =>
        {
            let Some(lc) = v.linked(&["lifecycle_config_name"], &["name"]) else {
                return IdleFacts {
                    interactive,
                    autopause: "unknown",
                    detail: format!(
                        "lifecycle configuration `{}` is not in this plan",
                        f.as_str().unwrap_or("?")
                    ),
                };
            };
            let scripts: Vec<String> = ["on_start", "on_create"]
                .iter()
                .filter_map(|k| lc.get(k).as_str())
                .map(|b64| {
                    base64::engine::general_purpose::STANDARD
                        .decode(b64.trim())
                        .ok()
                        .and_then(|b| String::from_utf8(b).ok())
                        .unwrap_or_else(|| b64.to_string())
                })
                .collect();
            if scripts.iter().any(|s| script_stops_when_idle(s)) {
                IdleFacts {
                    interactive,
                    autopause: "configured",
                    detail: format!(
                        "lifecycle configuration {} installs an idle auto-stop",
                        lc.res.address
                    ),
                }
            } else {
                IdleFacts {
                    interactive,
                    autopause: "missing",
                    detail: format!(
                        "lifecycle configuration {} has no idle auto-stop script",
                        lc.res.address
                    ),
                }
            }
        }
        f if f.is_unknown() => IdleFacts {
            interactive,
            autopause: "unknown",
            detail: "lifecycle_config_name is unknown until apply".into(),
        },
        _ => IdleFacts {
            interactive,
            autopause: "missing",
            detail: "no lifecycle configuration: the notebook runs until stopped by hand".into(),
        },
    }
}
