//! Rules of the 中介超市 that must hold identically on the server and in the browser.
//!
//! Everything here is pure: no I/O, no clock, no randomness. Boundary values are parsed into
//! newtypes with private fields, so a value of such a type is known to be valid.

pub mod account;
pub mod approval;
pub mod award;
pub mod bid;
pub mod catalog;
pub mod chain;
pub mod code;
pub mod complaint;
pub mod contract;
pub mod credit;
pub mod date;
pub mod draw;
pub mod error;
pub mod fee;
pub mod format;
pub mod identifiers;
pub mod job;
pub mod listing;
pub mod money;
pub mod notify;
pub mod ocds;
pub mod oversight;
pub mod selection;
pub mod stats;
pub mod text;
pub mod wire;

pub use account::{Password, Role, Username};
pub use catalog::{District, ServiceType};
pub use code::{Code, UnknownCode};
pub use date::CalendarDate;
pub use error::{FieldError, Locale, Violation};
pub use identifiers::{CreditCode, Email, Phone, ProjectCode};
pub use money::Money;
pub use text::{BoundedText, OrgName, PersonName};
