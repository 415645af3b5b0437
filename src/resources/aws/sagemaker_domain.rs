//! `aws_sagemaker_domain`: free by itself; Studio apps bill per hour while they run. Reports
//! the default app instance types as *potential* GPUs (none running at apply) and whether
//! JupyterLab / Code Editor apps shut down when idle (`app_lifecycle_management.idle_settings`).
//! Usage `app_hours` prices that many hours of the first default app instance type.

use crate::resources::{Costing, GpuFacts, IdleFacts, View};

use super::ec2_type_of_ml;
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "aws_sagemaker_domain",
    cloud: Cloud::Aws,
    types: &["aws_sagemaker_domain"],
    reads: &["default_space_settings.0.jupyter_lab_app_settings.0.default_resource_spec.0.instance_type", "default_space_settings.0.jupyter_server_app_settings.0.default_resource_spec.0.instance_type", "default_space_settings.0.kernel_gateway_app_settings.0.default_resource_spec.0.instance_type", "default_user_settings.0.code_editor_app_settings.0.default_resource_spec.0.instance_type", "default_user_settings.0.jupyter_lab_app_settings.0.app_lifecycle_management.0.idle_settings.0.idle_timeout_in_minutes", "default_user_settings.0.jupyter_lab_app_settings.0.app_lifecycle_management.0.idle_settings.0.lifecycle_management", "default_user_settings.0.jupyter_lab_app_settings.0.default_resource_spec.0.instance_type", "default_user_settings.0.jupyter_server_app_settings.0.default_resource_spec.0.instance_type", "default_user_settings.0.kernel_gateway_app_settings.0.default_resource_spec.0.instance_type", "default_user_settings.0.r_session_app_settings.0.default_resource_spec.0.instance_type", "default_user_settings.0.tensor_board_app_settings.0.default_resource_spec.0.instance_type"],
    price_keys: &["sagemaker-studio/{instance_type}"],
    usage: &[UsageKey { key: "app_hours", unit: "hours", doc: "hours a month Studio apps run at the default app instance type" }],
    cost,
    ..Family::DEFAULTS
};

const USER_APPS: &[&str] = &[
    "jupyter_lab",
    "code_editor",
    "jupyter_server",
    "kernel_gateway",
    "r_session",
    "tensor_board",
];
const SPACE_APPS: &[&str] = &["jupyter_lab", "jupyter_server", "kernel_gateway"];

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let types = app_instance_types(v);
    c.notes.push(
        "the domain is free; Studio apps are billed per hour while running (usage `app_hours`)"
            .into(),
    );
    if let Some(t) = types.first() {
        if v.usage("app_hours").is_some() {
            let mut comp = v.usage_component(
                format!("Studio app hours ({t})"),
                &format!("sagemaker-studio/{t}"),
                "app_hours",
                "hours",
            );
            if let Ok(x) = &mut comp {
                x.unit = "hours".into();
            }
            c.add(comp);
        }
    }
    let gpu = types.iter().find_map(|t| {
        v.ctx
            .catalogs
            .machine("aws", ec2_type_of_ml(t))
            .and_then(|m| m.gpu.as_ref())
    });
    if let Some(g) = gpu {
        let mut f = GpuFacts::new(g, 0, 0, 1, false);
        f.potential = true;
        c.gpu = Some(f);
    }
    c.idle = Some(idle(v));
    c
}

/// Default instance types of the domain's user and space app settings, in declaration order.
fn app_instance_types<'a>(v: &View<'a>) -> Vec<&'a str> {
    let mut out = Vec::new();
    let paths = USER_APPS
        .iter()
        .map(|a| {
            format!(
                "default_user_settings.0.{a}_app_settings.0.default_resource_spec.0.instance_type"
            )
        })
        .chain(SPACE_APPS.iter().map(|a| {
            format!(
                "default_space_settings.0.{a}_app_settings.0.default_resource_spec.0.instance_type"
            )
        }));
    for p in paths {
        if let Some(t) = v.get(&p).as_str() {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// Idle shutdown of JupyterLab / Code Editor apps in the default user or space settings.
fn idle(v: &View) -> IdleFacts {
    let mut seen = Vec::new();
    for scope in ["default_user_settings", "default_space_settings"] {
        for app in ["jupyter_lab", "code_editor"] {
            let p = format!(
                "{scope}.0.{app}_app_settings.0.app_lifecycle_management.0.idle_settings.0"
            );
            let enabled = v.get(&format!("{p}.lifecycle_management")).as_str();
            let timeout = v.get(&format!("{p}.idle_timeout_in_minutes")).as_f64();
            match (enabled, timeout) {
                (Some("ENABLED"), Some(t)) => {
                    return IdleFacts {
                        interactive: true,
                        autopause: "configured",
                        detail: format!("{app} apps ({scope}) stop after {t} idle minutes"),
                    }
                }
                (Some(e), _) => seen.push(format!("{app} lifecycle_management = {e}")),
                _ => {}
            }
        }
    }
    IdleFacts {
        interactive: true,
        autopause: "missing",
        detail: if seen.is_empty() {
            "no app_lifecycle_management idle_settings: Studio apps run until stopped".into()
        } else {
            format!("idle shutdown not enabled ({})", seen.join(", "))
        },
    }
}
