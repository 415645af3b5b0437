//! Shared test helpers.
#![allow(dead_code)]

pub mod fake_github;
pub mod fixtures;
pub mod http_server;
pub mod peer;
pub mod registry;
