//! Reusable view pieces.

pub mod agency_card;
pub mod agency_dashboard;
pub mod award_record;
pub mod badge;
pub mod chart;
pub mod chunk;
pub mod data_table;
pub mod error_view;
pub mod fee_calculator;
pub mod feedback;
pub mod form_field;
pub mod forms;
pub mod guard;
pub mod header;
pub mod job_table;
pub mod loaded;
pub mod pagination;
pub mod rating;
pub mod skeleton;

pub use agency_card::AgencyCard;
pub use agency_dashboard::AgencyDashboard;
pub use award_record::{ObjectionsCard, RatingCard};
pub use badge::{Badge, BadgeVariant};
pub use chart::{BarChart, ChartSeries, HBarChart, SeriesTone, ValueFormat};
pub use chunk::{Chunk, ChunkError};
pub use data_table::{DataTable, Heading, TableFrame};
pub use error_view::{error_text, ErrorView};
pub use feedback::{input, textarea, Feedback};
pub use form_field::{field_error, label, SelectField, TextField};
pub use guard::{login_href, safe_next, Guarded};
pub use header::{NotificationToast, SiteHeader};
pub use job_table::{bid_count_text, state_variant, JobTable};
pub use loaded::Loaded;
pub use pagination::Pagination;
pub use rating::RatingScores;
pub use skeleton::{Placeholder, Skeleton};
