//! The dashboard: HTML pages and SVG charts rendered on the server from the same progress
//! views the JSON API serves.

pub mod chart;
pub mod figures;
pub mod handlers;
pub mod labels;
pub mod pages;
pub mod query;
pub mod scale;
