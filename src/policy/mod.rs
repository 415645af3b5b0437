//! Policy: the regorus engine, built-in and user policies, the input document, waivers.

pub mod finding;
