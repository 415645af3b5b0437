//! `[policies.idle-autopause] autostop_patterns`: the config's own idle auto-stop scripts. A
//! SageMaker notebook whose lifecycle configuration script costgate does not recognise is
//! `unknown`; when one of these patterns (regular expressions, case-insensitive) matches its
//! script, the notebook counts as `configured`.

use serde_json::Value;

use crate::error::Result;
use crate::estimate::Estimate;
use crate::project::Project;
use crate::resources::aws::sagemaker_notebook::lifecycle_scripts;

const NOTEBOOK: &str = "aws_sagemaker_notebook_instance";
const LIFECYCLE: &str = "aws_sagemaker_notebook_instance_lifecycle_configuration";

/// The patterns of the config (already validated as regular expressions by the schema check).
pub fn patterns(config: &super::config::Config) -> Result<Vec<regex::Regex>> {
    let Some(list) = config
        .policy("idle-autopause")
        .get("autostop_patterns")
        .and_then(Value::as_array)
    else {
        return Ok(Vec::new());
    };
    list.iter()
        .filter_map(Value::as_str)
        .map(|p| {
            regex::RegexBuilder::new(p)
                .case_insensitive(true)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| {
                    miette::miette!(
                        code = crate::error::Code::ConfigType,
                        "policies.idle-autopause.autostop_patterns: `{p}` is not a regular expression: {e}"
                    )
                })
        })
        .collect()
}

/// Mark notebooks whose lifecycle script matches a pattern as configured.
pub fn apply(estimate: &mut Estimate, project: &Project, patterns: &[regex::Regex]) {
    if patterns.is_empty() {
        return;
    }
    let name_of = |r: &crate::project::Resource| {
        r.current()
            .and_then(|a| a.values.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    for e in estimate
        .resources
        .iter_mut()
        .filter(|e| e.rtype == NOTEBOOK)
    {
        let Some(idle) = e.idle.as_mut().filter(|i| i.autopause == "unknown") else {
            continue;
        };
        let Some(nb) = project.resources.iter().find(|r| r.address == e.address) else {
            continue;
        };
        let wanted = nb
            .current()
            .and_then(|a| a.values.get("lifecycle_config_name"))
            .and_then(Value::as_str);
        let linked = nb.refs.get("lifecycle_config_name");
        let lc = project.resources.iter().find(|r| {
            r.rtype == LIFECYCLE
                && (linked.is_some_and(|l| l.iter().any(|a| r.address.starts_with(a.as_str())))
                    || (wanted.is_some() && name_of(r).as_deref() == wanted))
        });
        let Some(lc) = lc else { continue };
        let Some(values) = lc.current().map(|a| &a.values) else {
            continue;
        };
        let scripts = lifecycle_scripts(|k| values.get(k).and_then(Value::as_str));
        if let Some(p) = patterns
            .iter()
            .find(|p| scripts.iter().any(|s| p.is_match(s)))
        {
            idle.autopause = "configured";
            idle.detail = format!(
                "lifecycle configuration {} runs a script matching autostop_patterns `{}`",
                lc.address,
                p.as_str()
            );
        }
    }
}
