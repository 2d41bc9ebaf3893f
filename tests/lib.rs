//! The integration test binary: one crate, one module per area.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

mod common;
mod conformance;
mod properties;

#[cfg(feature = "serde")]
mod cli;
#[cfg(all(feature = "specimen", feature = "serde"))]
mod fixtures;
#[cfg(feature = "serde")]
mod schema;
