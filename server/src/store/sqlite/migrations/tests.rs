use super::*;

#[test]
fn migrations_bring_an_empty_database_to_the_latest_version_once() {
    let mut conn = Connection::open_in_memory().unwrap();
    apply(&mut conn).unwrap();
    apply(&mut conn).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version as usize, latest_version());
}

#[test]
fn rebuilding_users_keeps_accounts_and_their_references() {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let tx = conn.transaction().unwrap();
    for sql in &MIGRATIONS[..4] {
        tx.execute_batch(sql).unwrap();
    }
    tx.pragma_update(None, "user_version", 4).unwrap();
    tx.commit().unwrap();
    conn.execute(
        "INSERT INTO users (username, password_hash, role, organization_name, created_at)
         VALUES ('old', 'x', 'enterprise', '云州市城投', 1)",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip) VALUES ('t', 1, 1, 1, '127.0.0.1')",
        [],
    )
    .unwrap();
    apply(&mut conn).unwrap();
    let sessions: i64 = conn
        .query_row("SELECT count(*) FROM sessions WHERE user_id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(sessions, 1);
    conn.execute(
        "INSERT INTO users (username, password_hash, role, organization_name, created_at)
         VALUES ('officer', 'x', 'approval_officer', '云州市政务服务和数据管理局', 2)",
        [],
    )
    .unwrap();
    let enforced: bool = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(enforced);
}

#[test]
fn the_audit_log_refuses_updates_and_deletes_of_records_younger_than_180_days() {
    let mut conn = Connection::open_in_memory().unwrap();
    apply(&mut conn).unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let day = 86_400;
    for at in [now - 179 * day, now - 181 * day] {
        conn.execute(
            "INSERT INTO audit_log (at, ip, event, outcome) VALUES (?1, '127.0.0.1', 'login', 'success')",
            [at],
        )
        .unwrap();
    }
    assert!(conn
        .execute("UPDATE audit_log SET outcome = 'x'", [])
        .is_err());
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    assert_eq!(
        conn.execute("DELETE FROM audit_log WHERE at < ?1", [now - 180 * day])
            .unwrap(),
        1
    );
    let left: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |row| row.get(0))
        .unwrap();
    assert_eq!(left, 1);
}

#[test]
fn events_stored_before_the_chain_are_linked_once_and_then_frozen() {
    let mut conn = Connection::open_in_memory().unwrap();
    let tx = conn.transaction().unwrap();
    for sql in &MIGRATIONS[..5] {
        tx.execute_batch(sql).unwrap();
    }
    tx.pragma_update(None, "user_version", 5).unwrap();
    tx.commit().unwrap();
    conn.execute_batch(
        "INSERT INTO users (username, password_hash, role, organization_name, created_at)
             VALUES ('owner', 'x', 'enterprise', '云州市城投', 1);
         INSERT INTO jobs (enterprise_user_id, state, content, project_code, service_type, created_at)
             VALUES (1, 'published', '{}', 'p', 'eia', 1);
         INSERT INTO job_events (job_id, at, actor, event, detail) VALUES (1, 100, 'enterprise', 'created', '');
         INSERT INTO job_events (job_id, at, actor, event, detail) VALUES (1, 200, 'enterprise', 'published', '截止');",
    )
    .unwrap();
    apply(&mut conn).unwrap();
    let tx = conn.transaction().unwrap();
    assert_eq!(
        super::super::jobs_sql::seal_unhashed_events(&tx).unwrap(),
        2
    );
    assert_eq!(
        super::super::jobs_sql::seal_unhashed_events(&tx).unwrap(),
        0
    );
    tx.commit().unwrap();
    let events = super::super::jobs_sql::events(&conn, 1).unwrap();
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2]);
    assert!(market_domain::chain::verify(1, &events).is_ok());
    assert!(conn
        .execute("UPDATE job_events SET detail = 'x' WHERE seq = 2", [])
        .is_err());
}

#[test]
fn a_job_notification_subject_stored_before_other_subjects_existed_still_decodes() {
    let mut conn = Connection::open_in_memory().unwrap();
    let tx = conn.transaction().unwrap();
    for sql in &MIGRATIONS[..11] {
        tx.execute_batch(sql).unwrap();
    }
    tx.pragma_update(None, "user_version", 11).unwrap();
    tx.commit().unwrap();
    conn.execute_batch(
        r#"INSERT INTO users (username, password_hash, role, organization_name, created_at)
             VALUES ('owner', 'x', 'enterprise', '云州市城投', 1);
         INSERT INTO notifications (user_id, kind, title, body, link, created_at, subject)
             VALUES (1, 'bids_opened', '已开标:云州大道', '', '/jobs/1', 1,
                     '{"event":"opened","project":"云州大道","service_type":"surveying"}');"#,
    )
    .unwrap();
    apply(&mut conn).unwrap();
    let stored: String = conn
        .query_row("SELECT subject FROM notifications", [], |r| r.get(0))
        .unwrap();
    let subject: market_domain::notify::NotificationSubject =
        serde_json::from_str(&stored).unwrap();
    assert_eq!(
        subject.title(market_domain::Locale::En).as_deref(),
        Some("Bids opened: 云州大道")
    );
}

#[test]
fn only_a_migration_that_changes_rows_or_an_existing_table_is_checked_for_broken_references() {
    let conn = Connection::open_in_memory().unwrap();
    // As `apply` runs migrations: nothing stops a broken reference but the check.
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    conn.execute_batch(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);
         CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));
         INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1);",
    )
    .unwrap();
    let after = |sql: &str| {
        let tx = conn.unchecked_transaction().unwrap();
        let before = Footprint::of(&tx).unwrap();
        tx.execute_batch(sql).unwrap();
        let checked = before.may_break_foreign_keys(&Footprint::of(&tx).unwrap());
        tx.rollback().unwrap();
        checked
    };
    assert!(!after("CREATE INDEX child_by_parent ON child (parent_id)"));
    assert!(!after(
        "CREATE TABLE other (id INTEGER PRIMARY KEY REFERENCES parent (id))"
    ));
    assert!(!after(
        "CREATE TRIGGER t AFTER INSERT ON parent BEGIN SELECT 1; END"
    ));
    assert!(after("DELETE FROM parent"));
    assert!(after("UPDATE child SET parent_id = 2"));
    assert!(after("DROP TABLE parent"));
    assert!(after("ALTER TABLE parent RENAME TO elder"));
    assert!(after("ALTER TABLE child ADD COLUMN note TEXT"));
}
