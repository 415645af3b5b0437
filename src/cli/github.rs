//! `costgate comment github`: arguments, resolved into [`github::PostOptions`].

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::github::{self, comment::Behavior};

#[derive(Debug, Subcommand)]
pub enum CommentCommand {
    /// Post or update costgate's sticky comment on a GitHub pull request.
    Github(GithubCommentArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("body").required(true).args(["body_file", "path"])))]
pub struct GithubCommentArgs {
    /// Markdown to post (`check --format markdown > body.md`); `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// Run `check` on this plan JSON or .tf directory and post its Markdown report (exit code
    /// as `check`: 1 on a deny, see --fail-on, once the comment is written).
    #[arg(long, value_name = "PLAN_OR_DIR")]
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub policy: super::PolicyArgs,
    #[command(flatten)]
    pub compare: super::CompareArgs,
    /// With --path: exit 1 on a denial (default), on a denial or warning, or never.
    #[arg(long, value_enum, requires = "path")]
    pub fail_on: Option<super::FailOn>,
    /// `owner/repo` [default: $GITHUB_REPOSITORY].
    #[arg(long)]
    pub repo: Option<String>,
    /// Pull request number [default: from $GITHUB_EVENT_PATH or $GITHUB_REF].
    #[arg(long)]
    pub pr: Option<u64>,
    // The help text shows the URL as is (rustdoc would want <...>).
    #[allow(rustdoc::bare_urls)]
    /// REST API base [default: $GITHUB_API_URL or https://api.github.com].
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// GraphQL endpoint [default: $GITHUB_GRAPHQL_URL, else derived from the API URL].
    #[arg(long, value_name = "URL")]
    pub graphql_url: Option<String>,
    /// Name of the environment variable holding the token.
    #[arg(long, value_name = "NAME", default_value = "GITHUB_TOKEN")]
    pub token_env: String,
    #[arg(long, value_enum, default_value = "update")]
    pub behavior: Behavior,
    /// Separate sticky comment per key (e.g. one per project in a monorepo).
    #[arg(long)]
    pub key: Option<String>,
    /// Only treat comments by this login as costgate's (e.g. `github-actions[bot]`).
    #[arg(long, value_name = "LOGIN")]
    pub author: Option<String>,
    /// Print what would be posted; no network.
    #[arg(long)]
    pub dry_run: bool,
}

impl GithubCommentArgs {
    /// The posting options these flags give.
    pub fn post_options(&self) -> github::PostOptions {
        github::PostOptions {
            repo: self.repo.clone(),
            pr: self.pr,
            api_url: self.api_url.clone(),
            graphql_url: self.graphql_url.clone(),
            token_env: self.token_env.clone(),
            behavior: self.behavior,
            key: self.key.clone(),
            author: self.author.clone(),
            dry_run: self.dry_run,
        }
    }
}
