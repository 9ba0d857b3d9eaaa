//! PostgreSQL backend, for deployments that run several server instances on one shared,
//! replicated database. Its schema mirrors the SQLite one column for column, so that
//! `market-server migrate` can move a city's data from the embedded database to it.

pub mod migrations;

use tokio_postgres::{Client, NoTls};

/// Connects to `url` (`postgres://user@host:port/database`). The connection's I/O runs on its
/// own task, which logs how the connection ended.
pub async fn connect(url: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::warn!(%error, "PostgreSQL connection ended");
        }
    });
    Ok(client)
}

/// A PostgreSQL error with the server's message and detail, which `Display` leaves out.
pub fn describe(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{}: {detail}", db.message()),
            None => db.message().to_owned(),
        },
        None => error.to_string(),
    }
}
