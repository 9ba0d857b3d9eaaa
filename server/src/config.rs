//! Server settings, from CLI flags or `MARKET_*` environment variables (see `main.rs`).

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen; port 0 picks a free port (tests).
    pub addr: SocketAddr,
    /// Holds `market.sqlite3` and its WAL files.
    pub data_dir: PathBuf,
    /// PostgreSQL instead of SQLite (`postgres://user@host:port/database`): several instances
    /// may then serve one database.
    pub database_url: Option<String>,
    /// The built frontend (Trunk's `dist/`).
    pub dist: PathBuf,
    /// Seed the demo data on the first start against an empty database.
    pub demo: bool,
    /// Set when clients reach the server over TLS (directly or through a proxy): session
    /// cookies then get `Secure` and the `__Host-` prefix.
    pub tls_cookies: bool,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Testing only: a clock that stands still unless `POST /api/test/clock` moves it, so
    /// end-to-end tests can pass deadlines and publicity periods without waiting.
    pub test_clock: bool,
    /// Scheme, host and port the public uses, without a trailing slash: open data publishes
    /// absolute URLs (OCDS `uri` fields must be absolute). Empty: `http://` and the address
    /// the server listens on.
    pub public_url: String,
    /// Scheduled backups of the SQLite database, if any.
    pub backups: Option<crate::backup::Schedule>,
    /// Days audit records are kept; never fewer than [`crate::audit::MIN_RETENTION_DAYS`].
    pub audit_retention_days: u32,
    /// State-changing requests one account may make at once before it is slowed to the
    /// refill rate ([`crate::http::rate`]).
    pub write_burst: u32,
}

impl Config {
    pub fn new(addr: SocketAddr, data_dir: PathBuf, dist: PathBuf) -> Config {
        Config {
            addr,
            data_dir,
            database_url: None,
            dist,
            demo: true,
            tls_cookies: false,
            body_limit: 64 * 1024,
            test_clock: false,
            public_url: String::new(),
            backups: None,
            audit_retention_days: crate::audit::MIN_RETENTION_DAYS,
            write_burst: crate::http::rate::BURST,
        }
    }
}
