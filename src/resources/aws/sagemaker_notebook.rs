//! `aws_sagemaker_notebook_instance`: notebook hours at the SageMaker notebook price, its ML
//! storage volume, and whether a lifecycle configuration stops it when idle.

use base64::Engine as _;

use crate::money::Decimal;
use crate::resources::{Costing, GpuFacts, IdleFacts, View};

use super::ec2_type_of_ml;
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "aws_sagemaker_notebook_instance",
    cloud: Cloud::Aws,
    types: &["aws_sagemaker_notebook_instance"],
    reads: &["instance_type", "lifecycle_config_name", "volume_size"],
    price_keys: &["sagemaker-notebook/{instance_type}"],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

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

/// Words in a lifecycle script that install an idle auto-stop: the AWS sample `autostop.py`
/// (and its `IDLE_TIME` setting), idle-stop and stop-notebook-instance scripts.
const AUTOSTOP_WORDS: &[&str] = &[
    "autostop",
    "auto-stop",
    "auto_stop",
    "idle_time",
    "idle-stop",
    "idle_stop",
    "stop-idle",
    "stop_idle",
    "idle-shutdown",
    "idle_shutdown",
    "stop-notebook-instance",
    "stop_notebook_instance",
];

/// Does the script install an idle auto-stop? The known auto-stop scripts, or a cron job or
/// systemd timer/service that runs an idle check.
pub fn script_stops_when_idle(script: &str) -> bool {
    let s = script.to_ascii_lowercase();
    if AUTOSTOP_WORDS.iter().any(|k| s.contains(k)) {
        return true;
    }
    let scheduler = ["crontab", "/etc/cron", "systemctl", ".timer", "systemd"]
        .iter()
        .any(|k| s.contains(k));
    scheduler && s.contains("idle") && (s.contains("stop") || s.contains("shutdown"))
}

/// The `on_start` / `on_create` scripts of a lifecycle configuration, decoded (base64).
pub fn lifecycle_scripts<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Vec<String> {
    ["on_start", "on_create"]
        .iter()
        .filter_map(|k| get(k))
        .map(|b64| {
            base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_else(|| b64.to_string())
        })
        .collect()
}

/// A name that says the configuration is an auto-stop.
fn named_autostop(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["autostop", "auto-stop", "auto_stop", "idle"]
        .iter()
        .any(|k| n.contains(k))
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
            let scripts = lifecycle_scripts(|k| lc.get(k).as_str());
            let name = lc.get("name").as_str().unwrap_or(&lc.res.name).to_string();
            if scripts.iter().any(|s| script_stops_when_idle(s)) {
                IdleFacts {
                    interactive,
                    autopause: "configured",
                    detail: format!(
                        "lifecycle configuration {} installs an idle auto-stop",
                        lc.res.address
                    ),
                }
            } else if scripts.is_empty() {
                IdleFacts {
                    interactive,
                    autopause: "missing",
                    detail: format!(
                        "lifecycle configuration {} has no on_start or on_create script",
                        lc.res.address
                    ),
                }
            } else {
                let named = if named_autostop(&name) || named_autostop(&lc.res.name) {
                    format!(" (its name `{name}` says auto-stop, but its script does not install one costgate recognises)")
                } else {
                    String::new()
                };
                IdleFacts {
                    interactive,
                    autopause: "unknown",
                    detail: format!(
                        "lifecycle configuration {}'s script is not recognised as an idle auto-stop{named}; add its pattern to autostop_patterns if it is one",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_stop_scripts_are_recognised() {
        for s in [
            "wget https://example.com/autostop.py\npython3 autostop.py --time 3600",
            "IDLE_TIME=3600",
            "aws sagemaker stop-notebook-instance --notebook-instance-name x",
            "install idle-stop.sh",
            "echo '*/5 * * * * /usr/bin/python3 /home/ec2-user/check_idle.py && shutdown' | crontab -",
            "cp idle-check.service /etc/systemd/system/ && systemctl enable idle-check.timer # stops when idle",
        ] {
            assert!(script_stops_when_idle(s), "{s}");
        }
        assert!(!script_stops_when_idle("pip install pandas"));
        assert!(!script_stops_when_idle("crontab -l # backups"));
        assert!(named_autostop("team-autostop") && !named_autostop("pip-setup"));
    }
}
