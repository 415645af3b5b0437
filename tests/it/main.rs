//! Every integration test in one binary (one link instead of fourteen; tests of all areas run
//! in parallel). One module per area; shared helpers in `support`.

mod support;

mod action_act;
mod action_lint;
mod ai;
mod aws_services;
mod cli;
mod coverage;
mod estimate;
mod families;
mod finops;
mod github_comment;
mod hcl;
mod html_chromium;
mod infracost;
mod layering;
mod policy;
mod price_book;
mod pricing;
mod report_formats;
mod robustness;
mod savings;
mod untrusted;
