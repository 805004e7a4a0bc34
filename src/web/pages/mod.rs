//! The HTML pages, rendered from the progress views (escaping every text by construction).

pub mod country;
pub mod dashboard;
pub mod layout;
pub mod target;
