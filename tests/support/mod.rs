//! Shared test helpers.
#![allow(dead_code)]

pub mod fake_github;
pub mod fixtures;
