//! Integration tests through the real HTTP stack. One binary; each test starts its own
//! server on a fresh database.

mod architecture;
mod batches;
mod catalogue;
mod command_line;
mod consistency;
mod contract;
mod dashboard;
mod documented;
mod errors;
mod estimates;
mod exports;
mod extremes;
#[path = "../shared/fresh_db.rs"]
mod fresh_db;
mod history;
mod hostile;
mod http_rules;
mod initiatives;
mod live;
mod malformed_input;
mod operations;
mod outage;
mod page_policy;
mod parameters;
mod progress;
mod query_plans;
mod reference_data;
mod reference_tables;
mod reporting;
mod resilience;
mod resubmission;
mod safety;
mod sdmx;
mod staleness;
mod support;
mod text_input;
mod text_rules;
mod tls;
mod upgrades;
