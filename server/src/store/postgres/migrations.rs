//! Versioned schema migrations for PostgreSQL, tracked in `schema_migrations` and applied under
//! an advisory lock, so that instances starting together apply each one exactly once.

use tokio_postgres::Client;

/// Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("schema/0001_initial.sql"),
    include_str!("schema/0002_instances.sql"),
    include_str!("schema/0003_audit_retention.sql"),
];

/// The SQLite schema version the latest PostgreSQL migration mirrors. A new SQLite migration
/// needs its PostgreSQL counterpart before this moves (a test holds the two together).
pub const MIRRORS_SQLITE_VERSION: usize = 23;

/// The advisory lock key migrations run under (any constant shared by all instances).
const MIGRATION_LOCK: i64 = 0x6d61_726b_6574_0001;

/// Applies the pending migrations in one transaction; returns the version reached.
pub async fn apply(client: &mut Client) -> Result<usize, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version bigint PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let current: i64 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            &[],
        )
        .await?
        .get(0);
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&version],
        )
        .await?;
        tracing::info!(version, "applied PostgreSQL migration");
    }
    tx.commit().await?;
    Ok(MIGRATIONS.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_postgres_schema_mirrors_the_latest_sqlite_migration() {
        assert_eq!(
            super::MIRRORS_SQLITE_VERSION,
            crate::store::sqlite::migrations::latest_version(),
            "a SQLite migration was added: add its PostgreSQL counterpart and move the mirror"
        );
    }
}
