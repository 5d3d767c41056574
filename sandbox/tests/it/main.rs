//! Integration tests of the sandbox over HTTP (reqwest), one test binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

mod common;

mod auth;
mod bad_input;
mod cases;
mod controls;
mod endpoints;
mod filters;
mod persistence;
