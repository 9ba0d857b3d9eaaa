//! In-memory indexes over what the public lists read most: the agency directory (filters,
//! sorts, Chinese substring search) and the procurement notices. They are built from the
//! database at startup and kept exact by the change feed (`search_changes`, filled by triggers
//! in the same transaction as every write), so a list costs the page it returns, not the table.

pub mod bits;
pub mod directory;
pub mod notices;
pub mod text;
