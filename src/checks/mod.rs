//! Feature checks, one file per family. Each produces [`Finding`](crate::Finding)s
//! with a stable check id, a status, a score and evidence.

pub mod mrz_data;
