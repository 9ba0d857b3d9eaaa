//! Versioned schema migrations, applied in order at start-up and tracked in `PRAGMA user_version`.

use rusqlite::Connection;

/// The statistics of migration 16 recomputed from the rows: what its triggers keep, in one
/// pass. Shared with the bulk load, which fills the tables once at its end instead.
macro_rules! stats_fill {
    () => {
        r#"    INSERT INTO stats_volume (month, service_type, jobs, awarded, budget, amount)
    SELECT strftime('%Y-%m', published_at + 28800, 'unixepoch'), service_type, count(*), sum(w),
           sum(w * coalesce(json_extract(content, '$.budget_ceiling'), 0)), sum(w * price)
    FROM (SELECT published_at, service_type, content,
                 (award IS NOT NULL AND state NOT IN ('unsuccessful', 'cancelled')) AS w,
                 coalesce(CAST(json_extract(award, '$.prices[' || json_extract(award, '$.position') || ']') AS INTEGER), 0) AS price
          FROM jobs WHERE published_at IS NOT NULL)
    GROUP BY 1, 2;
    INSERT INTO stats_agency_awards (agency_id, awards, amount)
    SELECT CAST(json_extract(award, '$.candidates[' || json_extract(award, '$.position') || ']') AS INTEGER),
           count(*),
           sum(coalesce(CAST(json_extract(award, '$.prices[' || json_extract(award, '$.position') || ']') AS INTEGER), 0))
    FROM jobs WHERE award IS NOT NULL AND state NOT IN ('unsuccessful', 'cancelled')
    GROUP BY 1;
    INSERT INTO stats_job_bids (job_id, bucket)
    SELECT j.id, min((SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
                      AND b.terms_revision = j.terms_revision), 5)
    FROM jobs j WHERE j.state NOT IN ('draft', 'published', 'cancelled');
    INSERT INTO stats_bids (bucket, jobs) SELECT bucket, count(*) FROM stats_job_bids GROUP BY bucket;
    INSERT INTO stats_steps (step, jobs, seconds)
    SELECT 'published_to_opened', count(*), coalesce(sum(t_end - t_start), 0) FROM (
        SELECT (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ('published')) AS t_start,
               (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ('opened')) AS t_end
        FROM jobs j)
    WHERE t_start IS NOT NULL AND t_end IS NOT NULL AND t_end >= t_start;
    INSERT INTO stats_steps (step, jobs, seconds)
    SELECT 'opened_to_awarded', count(*), coalesce(sum(t_end - t_start), 0) FROM (
        SELECT (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ('opened')) AS t_start,
               (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ('awarded', 'drawn')) AS t_end
        FROM jobs j)
    WHERE t_start IS NOT NULL AND t_end IS NOT NULL AND t_end >= t_start;
    INSERT INTO stats_steps (step, jobs, seconds)
    SELECT 'awarded_to_contracted', count(*), coalesce(sum(t_end - t_start), 0) FROM (
        SELECT (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ('awarded', 'drawn')) AS t_start,
               (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ('contracted')) AS t_end
        FROM jobs j)
    WHERE t_start IS NOT NULL AND t_end IS NOT NULL AND t_end >= t_start;
    INSERT INTO stats_steps (step, jobs, seconds)
    SELECT 'contracted_to_delivered', count(*), coalesce(sum(t_end - t_start), 0) FROM (
        SELECT (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ('contracted')) AS t_start,
               (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ('delivered')) AS t_end
        FROM jobs j)
    WHERE t_start IS NOT NULL AND t_end IS NOT NULL AND t_end >= t_start;
    INSERT INTO stats_steps (step, jobs, seconds)
    SELECT 'delivered_to_accepted', count(*), coalesce(sum(t_end - t_start), 0) FROM (
        SELECT (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ('delivered')) AS t_start,
               (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ('accepted')) AS t_end
        FROM jobs j)
    WHERE t_start IS NOT NULL AND t_end IS NOT NULL AND t_end >= t_start;
"#
    };
}

/// Migration 19's fee-flagged awards recomputed from the rows, shared in the same way.
macro_rules! stats_flagged_fill {
    () => {
        r#"    INSERT INTO stats_agency_awards (agency_id, awards, amount, flagged)
    SELECT b.agency_id, 0, 0, count(*) FROM bids b JOIN jobs j ON j.id = b.job_id
    WHERE b.flags <> '[]' AND (j.award IS NOT NULL AND j.state NOT IN ('unsuccessful', 'cancelled')) AND CAST(json_extract(j.award, '$.candidates[' || json_extract(j.award, '$.position') || ']') AS INTEGER) = b.agency_id
    GROUP BY b.agency_id
    ON CONFLICT (agency_id) DO UPDATE SET flagged = excluded.flagged;
"#
    };
}

/// Empties the statistics and fills them again from the rows, as migrations 16 and 19 first
/// did. Run with the statistics triggers set aside.
pub const STATS_REFILL: &str = concat!(
    "DELETE FROM stats_volume; DELETE FROM stats_agency_awards; DELETE FROM stats_job_bids;
     DELETE FROM stats_bids; DELETE FROM stats_steps;\n",
    stats_fill!(),
    "\n",
    stats_flagged_fill!()
);

/// Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &[
    // 1: accounts, sessions, audit, agency directory.
    r#"
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('enterprise', 'agency', 'regulator')),
        organization_name TEXT NOT NULL,
        credit_code TEXT,
        contact_person TEXT,
        phone TEXT,
        email TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX users_enterprise_credit_code ON users (credit_code) WHERE role = 'enterprise';

    CREATE TABLE agencies (
        id INTEGER PRIMARY KEY,
        owner_user_id INTEGER UNIQUE REFERENCES users (id),
        name TEXT NOT NULL,
        credit_code TEXT NOT NULL UNIQUE,
        district TEXT NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        legal_representative TEXT NOT NULL DEFAULT '',
        contact_person TEXT NOT NULL,
        phone TEXT NOT NULL,
        email TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        staff_count INTEGER NOT NULL DEFAULT 0 CHECK (staff_count >= 0),
        listing_status TEXT NOT NULL CHECK (listing_status IN ('pending', 'approved')),
        listed_since TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX agencies_by_status_district ON agencies (listing_status, district);

    CREATE TABLE agency_service_types (
        agency_id INTEGER NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
        service_type TEXT NOT NULL,
        PRIMARY KEY (agency_id, service_type)
    ) WITHOUT ROWID;
    CREATE INDEX agency_service_types_by_type ON agency_service_types (service_type, agency_id);

    CREATE TABLE qualifications (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        number TEXT NOT NULL,
        level TEXT NOT NULL,
        authority TEXT NOT NULL,
        issued_on TEXT NOT NULL,
        expires_on TEXT NOT NULL,
        service_types TEXT NOT NULL,
        CHECK (expires_on > issued_on)
    );
    CREATE INDEX qualifications_by_agency ON qualifications (agency_id);

    -- Only a hash of the session token is stored; the token itself lives in the cookie.
    CREATE TABLE sessions (
        token_hash BLOB PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        ip TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_user ON sessions (user_id);

    CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        throttle_key TEXT NOT NULL,
        at INTEGER NOT NULL
    );
    CREATE INDEX login_failures_by_key ON login_failures (throttle_key, at);

    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        user_id INTEGER,
        username TEXT,
        ip TEXT NOT NULL,
        event TEXT NOT NULL,
        outcome TEXT NOT NULL
    );
    CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

    -- Trigram full-text index: Chinese has no spaces, so words cannot be tokenised by them.
    CREATE VIRTUAL TABLE agency_search USING fts5 (
        name, description, content = 'agencies', content_rowid = 'id', tokenize = 'trigram'
    );
    CREATE TRIGGER agencies_search_insert AFTER INSERT ON agencies BEGIN
        INSERT INTO agency_search (rowid, name, description) VALUES (new.id, new.name, new.description);
    END;
    CREATE TRIGGER agencies_search_delete AFTER DELETE ON agencies BEGIN
        INSERT INTO agency_search (agency_search, rowid, name, description)
        VALUES ('delete', old.id, old.name, old.description);
    END;
    CREATE TRIGGER agencies_search_update AFTER UPDATE OF name, description ON agencies BEGIN
        INSERT INTO agency_search (agency_search, rowid, name, description)
        VALUES ('delete', old.id, old.name, old.description);
        INSERT INTO agency_search (rowid, name, description) VALUES (new.id, new.name, new.description);
    END;
    "#,
    // 2: versioned listings, fee standards, qualification coverage, suspensions.
    r#"
    ALTER TABLE agencies ADD COLUMN service_commitment TEXT NOT NULL DEFAULT '';

    -- Every submitted listing is kept; nothing is overwritten. The agencies, qualifications,
    -- agency_service_types and fee_standards tables hold the approved version's projection.
    CREATE TABLE listing_versions (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        version_no INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'changes_requested', 'superseded')),
        content TEXT NOT NULL,
        submitted_by INTEGER REFERENCES users (id),
        submitted_at INTEGER NOT NULL,
        decided_by INTEGER REFERENCES users (id),
        decided_at INTEGER,
        decision_reason TEXT,
        UNIQUE (agency_id, version_no)
    );
    CREATE INDEX listing_versions_by_status ON listing_versions (status, submitted_at);

    CREATE TABLE fee_standards (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
        service_type TEXT NOT NULL,
        content TEXT NOT NULL
    );
    CREATE INDEX fee_standards_by_type ON fee_standards (service_type, agency_id);

    CREATE TABLE qualification_services (
        qualification_id INTEGER NOT NULL REFERENCES qualifications (id) ON DELETE CASCADE,
        agency_id INTEGER NOT NULL,
        service_type TEXT NOT NULL,
        expires_on TEXT NOT NULL,
        PRIMARY KEY (qualification_id, service_type)
    ) WITHOUT ROWID;
    CREATE INDEX qualification_services_by_agency ON qualification_services (agency_id, service_type, expires_on);
    WITH RECURSIVE split (qualification_id, agency_id, expires_on, item, rest) AS (
        SELECT id, agency_id, expires_on, '', service_types || ',' FROM qualifications
        UNION ALL
        SELECT qualification_id, agency_id, expires_on,
               substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
        FROM split WHERE rest <> ''
    )
    INSERT OR IGNORE INTO qualification_services (qualification_id, agency_id, service_type, expires_on)
    SELECT qualification_id, agency_id, item, expires_on FROM split WHERE item <> '';

    CREATE TABLE suspensions (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        reason TEXT NOT NULL,
        starts_on TEXT NOT NULL,
        ends_on TEXT NOT NULL,
        blacklist INTEGER NOT NULL,
        basis TEXT,
        created_by INTEGER NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL,
        lifted_by INTEGER REFERENCES users (id),
        lifted_at INTEGER,
        CHECK (ends_on >= starts_on)
    );
    CREATE INDEX suspensions_by_agency ON suspensions (agency_id, starts_on, ends_on);
    "#,
    // 3: evaluation jobs, sealed bids and the job timeline.
    r#"
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        enterprise_user_id INTEGER NOT NULL REFERENCES users (id),
        state TEXT NOT NULL,
        terms_revision INTEGER NOT NULL DEFAULT 1,
        content TEXT NOT NULL,
        project_code TEXT NOT NULL,
        service_type TEXT NOT NULL,
        deadline INTEGER,
        draw_seed BLOB,
        draw_commitment TEXT,
        unsuccessful_reason TEXT,
        published_at INTEGER,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX jobs_by_state ON jobs (state, service_type, deadline);
    CREATE INDEX jobs_by_enterprise ON jobs (enterprise_user_id);

    CREATE TABLE bids (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs (id),
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        price INTEGER NOT NULL CHECK (price >= 0),
        service_days INTEGER NOT NULL,
        commitment TEXT NOT NULL,
        proposal TEXT NOT NULL,
        flags TEXT NOT NULL,
        terms_revision INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn', 'voided')),
        submitted_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (job_id, agency_id)
    );

    CREATE TABLE job_events (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs (id),
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        event TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX job_events_by_job ON job_events (job_id, id);
    CREATE TRIGGER job_events_are_append_only_update BEFORE UPDATE ON job_events
    BEGIN SELECT RAISE(ABORT, 'job_events is append-only'); END;
    CREATE TRIGGER job_events_are_append_only_delete BEFORE DELETE ON job_events
    BEGIN SELECT RAISE(ABORT, 'job_events is append-only'); END;
    "#,
    // 4: awards, objections, contracts, delivery and ratings.
    r#"
    ALTER TABLE jobs ADD COLUMN award TEXT;
    ALTER TABLE jobs ADD COLUMN contract TEXT;
    ALTER TABLE jobs ADD COLUMN delivery TEXT;

    CREATE TABLE objections (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs (id),
        filed_by INTEGER NOT NULL REFERENCES users (id),
        reason TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'upheld', 'dismissed')),
        answer TEXT,
        filed_at INTEGER NOT NULL,
        answered_at INTEGER
    );
    CREATE INDEX objections_by_job ON objections (job_id, status);

    CREATE TABLE ratings (
        job_id INTEGER PRIMARY KEY REFERENCES jobs (id),
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        quality INTEGER NOT NULL CHECK (quality BETWEEN 1 AND 5),
        timeliness INTEGER NOT NULL CHECK (timeliness BETWEEN 1 AND 5),
        attitude INTEGER NOT NULL CHECK (attitude BETWEEN 1 AND 5),
        fee_compliance INTEGER NOT NULL CHECK (fee_compliance BETWEEN 1 AND 5),
        integrity INTEGER NOT NULL CHECK (integrity BETWEEN 1 AND 5),
        comment TEXT NOT NULL,
        reply TEXT,
        rated_at INTEGER NOT NULL,
        replied_at INTEGER
    );
    CREATE INDEX ratings_by_agency ON ratings (agency_id, rated_at);
    "#,
    // 5: the approval-officer role, approval cases and their events, integration tokens, and
    // each job's link to the case it serves. SQLite cannot change a CHECK, so `users` is rebuilt
    // (foreign keys are off while migrating and checked before commit).
    r#"
    CREATE TABLE users_v5 (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('enterprise', 'agency', 'regulator', 'approval_officer')),
        organization_name TEXT NOT NULL,
        credit_code TEXT,
        contact_person TEXT,
        phone TEXT,
        email TEXT,
        created_at INTEGER NOT NULL
    );
    INSERT INTO users_v5 SELECT id, username, password_hash, role, organization_name, credit_code,
        contact_person, phone, email, created_at FROM users;
    DROP TABLE users;
    ALTER TABLE users_v5 RENAME TO users;
    CREATE UNIQUE INDEX users_enterprise_credit_code ON users (credit_code) WHERE role = 'enterprise';

    CREATE TABLE approval_items (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        department TEXT NOT NULL,
        required_services TEXT NOT NULL
    );

    CREATE TABLE approval_cases (
        id INTEGER PRIMARY KEY,
        case_number TEXT NOT NULL UNIQUE,
        project_code TEXT NOT NULL,
        project_name TEXT NOT NULL,
        item_code TEXT NOT NULL REFERENCES approval_items (code),
        applicant_user_id INTEGER NOT NULL REFERENCES users (id),
        status TEXT NOT NULL CHECK (status IN ('received', 'under_review', 'correction', 'approved', 'denied')),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX approval_cases_by_applicant ON approval_cases (applicant_user_id);

    CREATE TABLE case_events (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES approval_cases (id),
        event_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('status', 'technical_review')),
        status TEXT,
        service_type TEXT,
        result TEXT,
        note TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        UNIQUE (case_id, event_id)
    );
    CREATE INDEX case_events_in_time ON case_events (case_id, at, id);
    CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
        BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
    CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
        BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;

    CREATE TABLE integration_tokens (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_by INTEGER NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
    );

    ALTER TABLE jobs ADD COLUMN case_id INTEGER REFERENCES approval_cases (id);
    CREATE INDEX jobs_by_case ON jobs (case_id);
    "#,
    // 6: the job history becomes a hash chain, with daily roots over all chains.
    r#"
    ALTER TABLE job_events ADD COLUMN seq INTEGER;
    ALTER TABLE job_events ADD COLUMN prev_hash TEXT;
    ALTER TABLE job_events ADD COLUMN hash TEXT;
    CREATE UNIQUE INDEX job_events_chain ON job_events (job_id, seq);
    CREATE INDEX job_events_in_time ON job_events (at);
    -- Rows from before the chain get their links once, at startup; linked rows never change.
    DROP TRIGGER job_events_are_append_only_update;
    CREATE TRIGGER job_events_are_append_only_update BEFORE UPDATE ON job_events
    WHEN OLD.hash IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'job_events is append-only'); END;

    CREATE TABLE chain_roots (
        day TEXT PRIMARY KEY,
        root TEXT NOT NULL,
        jobs INTEGER NOT NULL,
        events INTEGER NOT NULL,
        computed_at INTEGER NOT NULL
    );
    CREATE TRIGGER chain_roots_append_only_update BEFORE UPDATE ON chain_roots
    BEGIN SELECT RAISE(ABORT, 'chain roots are append-only'); END;
    CREATE TRIGGER chain_roots_append_only_delete BEFORE DELETE ON chain_roots
    BEGIN SELECT RAISE(ABORT, 'chain roots are append-only'); END;
    "#,
    // 7: in-app notifications, per-kind mutes and the deadline reminders already sent.
    r#"
    CREATE TABLE notifications (
        -- AUTOINCREMENT: ids are never reused, so a stream's Last-Event-ID stays meaningful.
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users (id),
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        link TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        read_at INTEGER
    );
    CREATE INDEX notifications_by_user ON notifications (user_id, id);
    CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

    CREATE TABLE notification_mutes (
        user_id INTEGER NOT NULL REFERENCES users (id),
        kind TEXT NOT NULL,
        PRIMARY KEY (user_id, kind)
    );

    CREATE TABLE deadline_reminders (
        job_id INTEGER NOT NULL REFERENCES jobs (id),
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        terms_revision INTEGER NOT NULL,
        sent_at INTEGER NOT NULL,
        PRIMARY KEY (job_id, agency_id, terms_revision)
    );
    "#,
    // 8: a reposted job points at the job it replaces (the red flag for cancel-and-repost).
    r#"
    ALTER TABLE jobs ADD COLUMN reposted_from INTEGER REFERENCES jobs (id);
    UPDATE jobs SET reposted_from = (
        SELECT CAST(replace(replace(e.detail, '由项目 ', ''), ' 重新发布', '') AS INTEGER)
        FROM job_events e WHERE e.job_id = jobs.id AND e.event = 'reposted_from'
    );
    CREATE INDEX jobs_by_repost ON jobs (reposted_from) WHERE reposted_from IS NOT NULL;
    "#,
    // 9: complaints (投诉) and the suspensions they propose.
    r#"
    CREATE TABLE complaints (
        id INTEGER PRIMARY KEY,
        complainant_user_id INTEGER NOT NULL REFERENCES users (id),
        target_kind TEXT NOT NULL CHECK (target_kind IN ('agency', 'enterprise', 'job')),
        target_id INTEGER NOT NULL,
        target_name TEXT NOT NULL,
        respondent_user_id INTEGER REFERENCES users (id),
        agency_id INTEGER REFERENCES agencies (id),
        category TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        evidence TEXT NOT NULL,
        attachments TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('filed', 'accepted', 'refused', 'answered', 'upheld', 'dismissed')),
        filed_at INTEGER NOT NULL,
        due_at INTEGER,
        acceptance_note TEXT,
        answer TEXT,
        decision_reason TEXT,
        decided_at INTEGER
    );
    CREATE INDEX complaints_by_status ON complaints (status, due_at);
    CREATE INDEX complaints_by_agency ON complaints (agency_id, status, decided_at);

    CREATE TABLE suspension_proposals (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        complaint_ids TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'dismissed')),
        proposed_at INTEGER NOT NULL,
        decided_at INTEGER,
        decided_by INTEGER REFERENCES users (id),
        note TEXT
    );
    CREATE UNIQUE INDEX one_open_proposal_per_agency ON suspension_proposals (agency_id)
        WHERE status = 'proposed';
    "#,
    // Addresses an account has signed in from: guesses from strangers elsewhere must not
    // lock the owner out of its own address (ASVS 5.0 V6, NIST 800-63B 5.2.2).
    r#"
    CREATE TABLE login_known_addresses (
        username TEXT NOT NULL,
        ip TEXT NOT NULL,
        last_success_at INTEGER NOT NULL,
        PRIMARY KEY (username, ip)
    ) WITHOUT ROWID;

    -- Sealed bid actions: each one's receipt goes to its bidder now and into the job's
    -- public chain at opening (domain::chain::bid_receipt).
    CREATE TABLE bid_receipts (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs (id),
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        at INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('submitted', 'updated', 'withdrawn', 'confirmed')),
        receipt TEXT NOT NULL,
        nonce TEXT NOT NULL
    );
    CREATE INDEX bid_receipts_by_bid ON bid_receipts (job_id, agency_id, id);
    CREATE TRIGGER bid_receipts_are_append_only_update BEFORE UPDATE ON bid_receipts
    BEGIN SELECT RAISE(ABORT, 'bid_receipts is append-only'); END;
    CREATE TRIGGER bid_receipts_are_append_only_delete BEFORE DELETE ON bid_receipts
    BEGIN SELECT RAISE(ABORT, 'bid_receipts is append-only'); END;

    -- Every OCDS release as it was published, so each stays retrievable by its id and a
    -- record lists them all (one per job event of a published job).
    CREATE TABLE ocds_releases (
        release_id TEXT PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs (id),
        seq INTEGER NOT NULL,
        date TEXT NOT NULL,
        tags TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX ocds_releases_by_job ON ocds_releases (job_id, seq);
    "#,
    // What a notification is about, as codes and arguments (JSON), so each reader's locale
    // renders it; the Chinese title and body stay for API clients and older rows.
    r#"
    ALTER TABLE notifications ADD COLUMN subject TEXT;
    "#,
    // 12: a notification's subject names what it is about, now that listing decisions, cases,
    // complaints and reminders carry one as well as job events.
    r#"
    UPDATE notifications SET subject = json_object('job', json(subject))
    WHERE subject IS NOT NULL AND json_extract(subject, '$.event') IS NOT NULL;
    "#,
    // 13: no partial indexes, and the indexes a provincial data set showed missing. To decide whether a partial index applies, SQLite compares the
    // statement's bound parameters with the index's WHERE, and then prepares the statement again
    // whenever a parameter changes: every cached statement touching these tables was parsed
    // anew on every run (most of a write's cost, measured with `market-server generate`). The
    // same rules hold through full and expression indexes.
    r#"
    DROP INDEX users_enterprise_credit_code;
    CREATE UNIQUE INDEX users_enterprise_credit_code
        ON users (iif(role = 'enterprise', credit_code, NULL));
    DROP INDEX notifications_unread;
    CREATE INDEX notifications_unread ON notifications (user_id, read_at);
    DROP INDEX jobs_by_repost;
    CREATE INDEX jobs_by_repost ON jobs (reposted_from);
    -- Found at 100,000 agencies: replacing an agency's fee standards scanned every agency's, and
    -- an agency's own bids were found by scanning all bids.
    CREATE INDEX fee_standards_by_agency ON fee_standards (agency_id);
    CREATE INDEX bids_by_agency ON bids (agency_id, job_id);
    "#,
    // 14: daily roots chain to the day before (scheme 2), so sealing a day reads that day's
    // events only; roots already published keep their scheme and are audited by it.
    r#"
    ALTER TABLE chain_roots ADD COLUMN scheme INTEGER NOT NULL DEFAULT 1;
    "#,
    // 15: the change feed of the in-memory directory and notices (crate::search). Every write
    // that changes what they show of an agency or a job names it here, in the same transaction,
    // so each server applies exactly the changes committed, whichever code path wrote them.
    r#"
    CREATE TABLE search_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        agency_id INTEGER,
        job_id INTEGER
    );
    CREATE TRIGGER search_jobs_insert AFTER INSERT ON jobs
    BEGIN INSERT INTO search_changes (job_id) VALUES (NEW.id); END;
    CREATE TRIGGER search_jobs_update AFTER UPDATE OF content, state, published_at, created_at, enterprise_user_id ON jobs
    BEGIN INSERT INTO search_changes (job_id) VALUES (NEW.id); END;
    CREATE TRIGGER search_jobs_delete AFTER DELETE ON jobs
    BEGIN INSERT INTO search_changes (job_id) VALUES (OLD.id); END;
    CREATE TRIGGER search_owner_renamed AFTER UPDATE OF organization_name ON users
    BEGIN INSERT INTO search_changes (job_id) SELECT id FROM jobs WHERE enterprise_user_id = NEW.id; END;
    -- The trigram index could not find 2-character terms; the directory's own index replaces it.
    DROP TRIGGER agencies_search_insert;
    DROP TRIGGER agencies_search_delete;
    DROP TRIGGER agencies_search_update;
    DROP TABLE agency_search;
    CREATE TRIGGER search_agencies_insert AFTER INSERT ON agencies
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.id); END;
    CREATE TRIGGER search_qualifications_insert AFTER INSERT ON qualifications
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.agency_id); END;
    CREATE TRIGGER search_suspensions_insert AFTER INSERT ON suspensions
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.agency_id); END;
    CREATE TRIGGER search_fee_standards_insert AFTER INSERT ON fee_standards
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.agency_id); END;
    CREATE TRIGGER search_ratings_insert AFTER INSERT ON ratings
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.agency_id); END;
    CREATE TRIGGER search_agencies_update AFTER UPDATE ON agencies
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.id); END;
    CREATE TRIGGER search_qualifications_update AFTER UPDATE ON qualifications
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.agency_id); END;
    CREATE TRIGGER search_suspensions_update AFTER UPDATE ON suspensions
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.agency_id); END;
    CREATE TRIGGER search_fee_standards_update AFTER UPDATE ON fee_standards
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.agency_id); END;
    CREATE TRIGGER search_ratings_update AFTER UPDATE ON ratings
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.agency_id); END;
    CREATE TRIGGER search_agencies_delete AFTER DELETE ON agencies
    BEGIN INSERT INTO search_changes (agency_id) VALUES (OLD.id); END;
    CREATE TRIGGER search_qualifications_delete AFTER DELETE ON qualifications
    BEGIN INSERT INTO search_changes (agency_id) VALUES (OLD.agency_id); END;
    CREATE TRIGGER search_suspensions_delete AFTER DELETE ON suspensions
    BEGIN INSERT INTO search_changes (agency_id) VALUES (OLD.agency_id); END;
    CREATE TRIGGER search_fee_standards_delete AFTER DELETE ON fee_standards
    BEGIN INSERT INTO search_changes (agency_id) VALUES (OLD.agency_id); END;
    CREATE TRIGGER search_ratings_delete AFTER DELETE ON ratings
    BEGIN INSERT INTO search_changes (agency_id) VALUES (OLD.agency_id); END;
    CREATE TRIGGER search_agency_service_types_insert AFTER INSERT ON agency_service_types
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.agency_id); END;
    CREATE TRIGGER search_agency_service_types_delete AFTER DELETE ON agency_service_types
    BEGIN INSERT INTO search_changes (agency_id) VALUES (OLD.agency_id); END;
    CREATE TRIGGER search_complaints_decided AFTER UPDATE OF status ON complaints WHEN NEW.agency_id IS NOT NULL
    BEGIN INSERT INTO search_changes (agency_id) VALUES (NEW.agency_id); END;
    CREATE TRIGGER search_awards_new AFTER UPDATE OF award, state ON jobs
    BEGIN INSERT INTO search_changes (agency_id) SELECT CAST(json_extract(NEW.award, '$.candidates[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER) WHERE NEW.award IS NOT NULL; END;
    CREATE TRIGGER search_awards_old AFTER UPDATE OF award, state ON jobs
    BEGIN INSERT INTO search_changes (agency_id) SELECT CAST(json_extract(OLD.award, '$.candidates[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER) WHERE OLD.award IS NOT NULL; END;
    "#,
    // 16: the statistics kept up to date by triggers in the writing transaction, so reading them
    // costs a few rows however many jobs there are. Filled once here from the rows as they are;
    // the API test compares them with the full recomputation. Bids are bucketed up to 5
    // (`stats::BIDS_BUCKET_MAX`); the steps are `stats::Step::events`.
    concat!(
        r#"
    CREATE TABLE stats_volume (
        month TEXT NOT NULL,
        service_type TEXT NOT NULL,
        jobs INTEGER NOT NULL,
        awarded INTEGER NOT NULL,
        budget INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        PRIMARY KEY (month, service_type)
    ) WITHOUT ROWID;
    CREATE TABLE stats_agency_awards (
        agency_id INTEGER PRIMARY KEY,
        awards INTEGER NOT NULL,
        amount INTEGER NOT NULL
    );
    CREATE INDEX stats_agency_awards_rank ON stats_agency_awards (awards DESC, amount DESC, agency_id);
    CREATE TABLE stats_job_bids (
        job_id INTEGER PRIMARY KEY,
        bucket INTEGER NOT NULL
    );
    CREATE TABLE stats_bids (
        bucket INTEGER PRIMARY KEY,
        jobs INTEGER NOT NULL
    );
    CREATE TABLE stats_steps (
        step TEXT PRIMARY KEY,
        jobs INTEGER NOT NULL,
        seconds INTEGER NOT NULL
    );

"#,
        stats_fill!(),
        r#"
    CREATE TRIGGER stats_job_bids_in AFTER INSERT ON stats_job_bids BEGIN
        INSERT INTO stats_bids (bucket, jobs) VALUES (NEW.bucket, 1)
        ON CONFLICT (bucket) DO UPDATE SET jobs = jobs + 1;
    END;
    CREATE TRIGGER stats_job_bids_out AFTER DELETE ON stats_job_bids BEGIN
        UPDATE stats_bids SET jobs = jobs - 1 WHERE bucket = OLD.bucket;
    END;

    CREATE TRIGGER stats_jobs_insert AFTER INSERT ON jobs BEGIN
        INSERT INTO stats_volume (month, service_type, jobs, awarded, budget, amount)
        SELECT strftime('%Y-%m', NEW.published_at + 28800, 'unixepoch'), NEW.service_type,
               1, 1 * (NEW.award IS NOT NULL AND NEW.state NOT IN ('unsuccessful', 'cancelled')), 1 * (NEW.award IS NOT NULL AND NEW.state NOT IN ('unsuccessful', 'cancelled')) * coalesce(json_extract(NEW.content, '$.budget_ceiling'), 0), 1 * (NEW.award IS NOT NULL AND NEW.state NOT IN ('unsuccessful', 'cancelled')) * coalesce(CAST(json_extract(NEW.award, '$.prices[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER), 0)
        WHERE NEW.published_at IS NOT NULL
        ON CONFLICT (month, service_type) DO UPDATE SET jobs = jobs + excluded.jobs,
            awarded = awarded + excluded.awarded, budget = budget + excluded.budget,
            amount = amount + excluded.amount;
        INSERT INTO stats_agency_awards (agency_id, awards, amount)
        SELECT CAST(json_extract(NEW.award, '$.candidates[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER), 1, 1 * coalesce(CAST(json_extract(NEW.award, '$.prices[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER), 0)
        WHERE (NEW.award IS NOT NULL AND NEW.state NOT IN ('unsuccessful', 'cancelled'))
        ON CONFLICT (agency_id) DO UPDATE SET awards = awards + excluded.awards,
            amount = amount + excluded.amount;
        DELETE FROM stats_job_bids WHERE job_id = NEW.id;
        INSERT INTO stats_job_bids (job_id, bucket)
        SELECT j.id, min((SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
                          AND b.terms_revision = j.terms_revision), 5)
        FROM jobs j WHERE j.id = NEW.id AND j.state NOT IN ('draft', 'published', 'cancelled');
    END;
    CREATE TRIGGER stats_jobs_update AFTER UPDATE OF published_at, service_type, award, state, content, terms_revision ON jobs BEGIN
        INSERT INTO stats_volume (month, service_type, jobs, awarded, budget, amount)
        SELECT strftime('%Y-%m', OLD.published_at + 28800, 'unixepoch'), OLD.service_type,
               -1, -1 * (OLD.award IS NOT NULL AND OLD.state NOT IN ('unsuccessful', 'cancelled')), -1 * (OLD.award IS NOT NULL AND OLD.state NOT IN ('unsuccessful', 'cancelled')) * coalesce(json_extract(OLD.content, '$.budget_ceiling'), 0), -1 * (OLD.award IS NOT NULL AND OLD.state NOT IN ('unsuccessful', 'cancelled')) * coalesce(CAST(json_extract(OLD.award, '$.prices[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER), 0)
        WHERE OLD.published_at IS NOT NULL
        ON CONFLICT (month, service_type) DO UPDATE SET jobs = jobs + excluded.jobs,
            awarded = awarded + excluded.awarded, budget = budget + excluded.budget,
            amount = amount + excluded.amount;
        INSERT INTO stats_agency_awards (agency_id, awards, amount)
        SELECT CAST(json_extract(OLD.award, '$.candidates[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER), -1, -1 * coalesce(CAST(json_extract(OLD.award, '$.prices[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER), 0)
        WHERE (OLD.award IS NOT NULL AND OLD.state NOT IN ('unsuccessful', 'cancelled'))
        ON CONFLICT (agency_id) DO UPDATE SET awards = awards + excluded.awards,
            amount = amount + excluded.amount;
        INSERT INTO stats_volume (month, service_type, jobs, awarded, budget, amount)
        SELECT strftime('%Y-%m', NEW.published_at + 28800, 'unixepoch'), NEW.service_type,
               1, 1 * (NEW.award IS NOT NULL AND NEW.state NOT IN ('unsuccessful', 'cancelled')), 1 * (NEW.award IS NOT NULL AND NEW.state NOT IN ('unsuccessful', 'cancelled')) * coalesce(json_extract(NEW.content, '$.budget_ceiling'), 0), 1 * (NEW.award IS NOT NULL AND NEW.state NOT IN ('unsuccessful', 'cancelled')) * coalesce(CAST(json_extract(NEW.award, '$.prices[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER), 0)
        WHERE NEW.published_at IS NOT NULL
        ON CONFLICT (month, service_type) DO UPDATE SET jobs = jobs + excluded.jobs,
            awarded = awarded + excluded.awarded, budget = budget + excluded.budget,
            amount = amount + excluded.amount;
        INSERT INTO stats_agency_awards (agency_id, awards, amount)
        SELECT CAST(json_extract(NEW.award, '$.candidates[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER), 1, 1 * coalesce(CAST(json_extract(NEW.award, '$.prices[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER), 0)
        WHERE (NEW.award IS NOT NULL AND NEW.state NOT IN ('unsuccessful', 'cancelled'))
        ON CONFLICT (agency_id) DO UPDATE SET awards = awards + excluded.awards,
            amount = amount + excluded.amount;
        DELETE FROM stats_job_bids WHERE job_id = NEW.id;
        INSERT INTO stats_job_bids (job_id, bucket)
        SELECT j.id, min((SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
                          AND b.terms_revision = j.terms_revision), 5)
        FROM jobs j WHERE j.id = NEW.id AND j.state NOT IN ('draft', 'published', 'cancelled');
    END;
    CREATE TRIGGER stats_jobs_delete AFTER DELETE ON jobs BEGIN
        INSERT INTO stats_volume (month, service_type, jobs, awarded, budget, amount)
        SELECT strftime('%Y-%m', OLD.published_at + 28800, 'unixepoch'), OLD.service_type,
               -1, -1 * (OLD.award IS NOT NULL AND OLD.state NOT IN ('unsuccessful', 'cancelled')), -1 * (OLD.award IS NOT NULL AND OLD.state NOT IN ('unsuccessful', 'cancelled')) * coalesce(json_extract(OLD.content, '$.budget_ceiling'), 0), -1 * (OLD.award IS NOT NULL AND OLD.state NOT IN ('unsuccessful', 'cancelled')) * coalesce(CAST(json_extract(OLD.award, '$.prices[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER), 0)
        WHERE OLD.published_at IS NOT NULL
        ON CONFLICT (month, service_type) DO UPDATE SET jobs = jobs + excluded.jobs,
            awarded = awarded + excluded.awarded, budget = budget + excluded.budget,
            amount = amount + excluded.amount;
        INSERT INTO stats_agency_awards (agency_id, awards, amount)
        SELECT CAST(json_extract(OLD.award, '$.candidates[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER), -1, -1 * coalesce(CAST(json_extract(OLD.award, '$.prices[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER), 0)
        WHERE (OLD.award IS NOT NULL AND OLD.state NOT IN ('unsuccessful', 'cancelled'))
        ON CONFLICT (agency_id) DO UPDATE SET awards = awards + excluded.awards,
            amount = amount + excluded.amount;
        DELETE FROM stats_job_bids WHERE job_id = OLD.id;
    END;
    CREATE TRIGGER stats_bids_insert AFTER INSERT ON bids BEGIN
        DELETE FROM stats_job_bids WHERE job_id = NEW.job_id;
        INSERT INTO stats_job_bids (job_id, bucket)
        SELECT j.id, min((SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
                          AND b.terms_revision = j.terms_revision), 5)
        FROM jobs j WHERE j.id = NEW.job_id AND j.state NOT IN ('draft', 'published', 'cancelled');
    END;
    CREATE TRIGGER stats_bids_update AFTER UPDATE OF status, terms_revision, job_id ON bids BEGIN
        DELETE FROM stats_job_bids WHERE job_id = NEW.job_id;
        INSERT INTO stats_job_bids (job_id, bucket)
        SELECT j.id, min((SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
                          AND b.terms_revision = j.terms_revision), 5)
        FROM jobs j WHERE j.id = NEW.job_id AND j.state NOT IN ('draft', 'published', 'cancelled');
    END;
    CREATE TRIGGER stats_bids_delete AFTER DELETE ON bids BEGIN
        DELETE FROM stats_job_bids WHERE job_id = OLD.job_id;
        INSERT INTO stats_job_bids (job_id, bucket)
        SELECT j.id, min((SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
                          AND b.terms_revision = j.terms_revision), 5)
        FROM jobs j WHERE j.id = OLD.job_id AND j.state NOT IN ('draft', 'published', 'cancelled');
    END;
    CREATE TRIGGER stats_job_events_insert AFTER INSERT ON job_events BEGIN
        INSERT INTO stats_steps (step, jobs, seconds)
        SELECT 'published_to_opened', 1, NEW.at - t_start
        FROM (SELECT min(at) AS t_start FROM job_events WHERE job_id = NEW.job_id AND event IN ('published'))
        WHERE NEW.event IN ('opened') AND t_start IS NOT NULL AND NEW.at >= t_start
          AND NOT EXISTS (SELECT 1 FROM job_events e WHERE e.job_id = NEW.job_id AND e.event IN ('opened')
                          AND e.id <> NEW.id AND (e.at < NEW.at OR (e.at = NEW.at AND e.id < NEW.id)))
        ON CONFLICT (step) DO UPDATE SET jobs = jobs + 1, seconds = seconds + excluded.seconds;
        INSERT INTO stats_steps (step, jobs, seconds)
        SELECT 'opened_to_awarded', 1, NEW.at - t_start
        FROM (SELECT min(at) AS t_start FROM job_events WHERE job_id = NEW.job_id AND event IN ('opened'))
        WHERE NEW.event IN ('awarded', 'drawn') AND t_start IS NOT NULL AND NEW.at >= t_start
          AND NOT EXISTS (SELECT 1 FROM job_events e WHERE e.job_id = NEW.job_id AND e.event IN ('awarded', 'drawn')
                          AND e.id <> NEW.id AND (e.at < NEW.at OR (e.at = NEW.at AND e.id < NEW.id)))
        ON CONFLICT (step) DO UPDATE SET jobs = jobs + 1, seconds = seconds + excluded.seconds;
        INSERT INTO stats_steps (step, jobs, seconds)
        SELECT 'awarded_to_contracted', 1, NEW.at - t_start
        FROM (SELECT min(at) AS t_start FROM job_events WHERE job_id = NEW.job_id AND event IN ('awarded', 'drawn'))
        WHERE NEW.event IN ('contracted') AND t_start IS NOT NULL AND NEW.at >= t_start
          AND NOT EXISTS (SELECT 1 FROM job_events e WHERE e.job_id = NEW.job_id AND e.event IN ('contracted')
                          AND e.id <> NEW.id AND (e.at < NEW.at OR (e.at = NEW.at AND e.id < NEW.id)))
        ON CONFLICT (step) DO UPDATE SET jobs = jobs + 1, seconds = seconds + excluded.seconds;
        INSERT INTO stats_steps (step, jobs, seconds)
        SELECT 'contracted_to_delivered', 1, NEW.at - t_start
        FROM (SELECT min(at) AS t_start FROM job_events WHERE job_id = NEW.job_id AND event IN ('contracted'))
        WHERE NEW.event IN ('delivered') AND t_start IS NOT NULL AND NEW.at >= t_start
          AND NOT EXISTS (SELECT 1 FROM job_events e WHERE e.job_id = NEW.job_id AND e.event IN ('delivered')
                          AND e.id <> NEW.id AND (e.at < NEW.at OR (e.at = NEW.at AND e.id < NEW.id)))
        ON CONFLICT (step) DO UPDATE SET jobs = jobs + 1, seconds = seconds + excluded.seconds;
        INSERT INTO stats_steps (step, jobs, seconds)
        SELECT 'delivered_to_accepted', 1, NEW.at - t_start
        FROM (SELECT min(at) AS t_start FROM job_events WHERE job_id = NEW.job_id AND event IN ('delivered'))
        WHERE NEW.event IN ('accepted') AND t_start IS NOT NULL AND NEW.at >= t_start
          AND NOT EXISTS (SELECT 1 FROM job_events e WHERE e.job_id = NEW.job_id AND e.event IN ('accepted')
                          AND e.id <> NEW.id AND (e.at < NEW.at OR (e.at = NEW.at AND e.id < NEW.id)))
        ON CONFLICT (step) DO UPDATE SET jobs = jobs + 1, seconds = seconds + excluded.seconds;
    END;
    "#
    ),
    // 17: each job's latest event, kept by trigger, so the OCDS feed pages by an index instead
    // of grouping every event of every job on each request.
    r#"
    CREATE TABLE ocds_feed (
        job_id INTEGER PRIMARY KEY,
        cursor INTEGER NOT NULL,
        at INTEGER NOT NULL
    );
    INSERT INTO ocds_feed (job_id, cursor, at)
    SELECT job_id, max(id), max(at) FROM job_events GROUP BY job_id;
    CREATE INDEX ocds_feed_by_cursor ON ocds_feed (cursor);
    CREATE INDEX ocds_feed_by_time ON ocds_feed (at, cursor);
    CREATE TRIGGER ocds_feed_event AFTER INSERT ON job_events BEGIN
        INSERT INTO ocds_feed (job_id, cursor, at) VALUES (NEW.job_id, NEW.id, NEW.at)
        ON CONFLICT (job_id) DO UPDATE SET cursor = max(cursor, excluded.cursor),
            at = max(at, excluded.at);
    END;
    "#,
    // 18: cases page newest first by an index, and their total is a counter.
    r#"
    CREATE INDEX approval_cases_in_order ON approval_cases (created_at, id);
    CREATE INDEX approval_cases_of_applicant_in_order ON approval_cases (applicant_user_id, created_at, id);
    CREATE TABLE counters (
        name TEXT PRIMARY KEY,
        n INTEGER NOT NULL
    );
    INSERT INTO counters (name, n) SELECT 'approval_cases', count(*) FROM approval_cases;
    CREATE TRIGGER counters_cases_insert AFTER INSERT ON approval_cases
    BEGIN UPDATE counters SET n = n + 1 WHERE name = 'approval_cases'; END;
    CREATE TRIGGER counters_cases_delete AFTER DELETE ON approval_cases
    BEGIN UPDATE counters SET n = n - 1 WHERE name = 'approval_cases'; END;
    "#,
    // 19: each agency's fee-flagged awards (its credit score counts them) kept with its awards,
    // so neither the directory nor the credit page reads every bid; the ratings an agency's
    // score needs read from an index alone.
    concat!(
        r#"
    ALTER TABLE stats_agency_awards ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
"#,
        stats_flagged_fill!(),
        r#"    CREATE TRIGGER stats_flagged_insert AFTER INSERT ON jobs BEGIN
        INSERT INTO stats_agency_awards (agency_id, awards, amount, flagged)
        SELECT CAST(json_extract(NEW.award, '$.candidates[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER), 0, 0, 1
        WHERE (NEW.award IS NOT NULL AND NEW.state NOT IN ('unsuccessful', 'cancelled')) AND EXISTS (SELECT 1 FROM bids b WHERE b.job_id = NEW.id
            AND b.agency_id = CAST(json_extract(NEW.award, '$.candidates[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER) AND b.flags <> '[]')
        ON CONFLICT (agency_id) DO UPDATE SET flagged = flagged + excluded.flagged;
    END;
    CREATE TRIGGER stats_flagged_update AFTER UPDATE OF award, state ON jobs BEGIN
        INSERT INTO stats_agency_awards (agency_id, awards, amount, flagged)
        SELECT CAST(json_extract(OLD.award, '$.candidates[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER), 0, 0, -1
        WHERE (OLD.award IS NOT NULL AND OLD.state NOT IN ('unsuccessful', 'cancelled')) AND EXISTS (SELECT 1 FROM bids b WHERE b.job_id = OLD.id
            AND b.agency_id = CAST(json_extract(OLD.award, '$.candidates[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER) AND b.flags <> '[]')
        ON CONFLICT (agency_id) DO UPDATE SET flagged = flagged + excluded.flagged;
        INSERT INTO stats_agency_awards (agency_id, awards, amount, flagged)
        SELECT CAST(json_extract(NEW.award, '$.candidates[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER), 0, 0, 1
        WHERE (NEW.award IS NOT NULL AND NEW.state NOT IN ('unsuccessful', 'cancelled')) AND EXISTS (SELECT 1 FROM bids b WHERE b.job_id = NEW.id
            AND b.agency_id = CAST(json_extract(NEW.award, '$.candidates[' || json_extract(NEW.award, '$.position') || ']') AS INTEGER) AND b.flags <> '[]')
        ON CONFLICT (agency_id) DO UPDATE SET flagged = flagged + excluded.flagged;
    END;
    CREATE TRIGGER stats_flagged_delete AFTER DELETE ON jobs BEGIN
        INSERT INTO stats_agency_awards (agency_id, awards, amount, flagged)
        SELECT CAST(json_extract(OLD.award, '$.candidates[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER), 0, 0, -1
        WHERE (OLD.award IS NOT NULL AND OLD.state NOT IN ('unsuccessful', 'cancelled')) AND EXISTS (SELECT 1 FROM bids b WHERE b.job_id = OLD.id
            AND b.agency_id = CAST(json_extract(OLD.award, '$.candidates[' || json_extract(OLD.award, '$.position') || ']') AS INTEGER) AND b.flags <> '[]')
        ON CONFLICT (agency_id) DO UPDATE SET flagged = flagged + excluded.flagged;
    END;
    CREATE INDEX ratings_scores_by_agency
        ON ratings (agency_id, quality, timeliness, attitude, fee_compliance, integrity);
    "#
    ),
    // 20: a case's jobs read from the index alone: `service_type` and `state` sit after the
    // job's content in its row, so reading them from the table walked the content's overflow
    // pages for every job of every case listed.
    r#"
    DROP INDEX jobs_by_case;
    CREATE INDEX jobs_by_case ON jobs (case_id, id, service_type, state);
    "#,
    // 21: what the notices index reads of each job, kept narrow by triggers. Reading it from
    // `jobs` walked every job's content and stored releases' neighbours: 21 s at a million
    // jobs once the page cache had lost them, most of the startup budget.
    r#"
    CREATE TABLE job_search (
        job_id INTEGER PRIMARY KEY,
        state TEXT NOT NULL,
        service_type TEXT NOT NULL,
        owner INTEGER NOT NULL,
        listed_at INTEGER NOT NULL,
        project_name TEXT,
        scope TEXT
    );
    INSERT INTO job_search
    SELECT id, state, service_type, enterprise_user_id, coalesce(published_at, created_at),
           json_extract(content, '$.project_name'), json_extract(content, '$.scope')
    FROM jobs;
    CREATE TRIGGER job_search_insert AFTER INSERT ON jobs BEGIN
        INSERT INTO job_search VALUES (NEW.id, NEW.state, NEW.service_type,
            NEW.enterprise_user_id, coalesce(NEW.published_at, NEW.created_at),
            json_extract(NEW.content, '$.project_name'), json_extract(NEW.content, '$.scope'));
    END;
    CREATE TRIGGER job_search_update
    AFTER UPDATE OF state, service_type, enterprise_user_id, published_at, created_at, content
    ON jobs BEGIN
        INSERT OR REPLACE INTO job_search VALUES (NEW.id, NEW.state, NEW.service_type,
            NEW.enterprise_user_id, coalesce(NEW.published_at, NEW.created_at),
            json_extract(NEW.content, '$.project_name'), json_extract(NEW.content, '$.scope'));
    END;
    CREATE TRIGGER job_search_delete AFTER DELETE ON jobs BEGIN
        DELETE FROM job_search WHERE job_id = OLD.id;
    END;
    "#,
    // 22: a case list's technical reviews from the index alone: the page's cases have about two
    // status events each and rarely a review, and reading each event's row to see its kind was
    // the largest part of the case list after the cases themselves.
    r#"
    CREATE INDEX case_reviews ON case_events (case_id, kind, at, id, service_type, result);
    "#,
    // 23: every state change is audited, kept at least 180 days (等保 2.0 level 3) and then
    // pruned by the server's retention setting, which may only be longer: the database refuses
    // to delete a younger record whatever the server asks. Exports and pruning read by time.
    r#"
    DROP TRIGGER audit_log_is_append_only_delete;
    CREATE TRIGGER audit_log_keeps_180_days BEFORE DELETE ON audit_log
    WHEN OLD.at > CAST(strftime('%s', 'now') AS INTEGER) - 15552000
    BEGIN SELECT RAISE(ABORT, 'audit records are kept at least 180 days'); END;
    CREATE INDEX audit_log_by_time ON audit_log (at, id);
    "#,
];

/// What a migration could break foreign keys with: the rows changed on the connection and
/// every table's definition. The check reads the whole database (3.5 minutes over 26 GB, for
/// a migration that only adds an index), so it runs only after a migration that changed rows
/// or an existing table; new indexes, triggers and empty tables cannot break a reference.
#[derive(Debug)]
struct Footprint {
    changes: u64,
    tables: Vec<(String, String)>,
}

impl Footprint {
    fn of(conn: &Connection) -> rusqlite::Result<Footprint> {
        let mut stmt = conn.prepare(
            "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'table' ORDER BY name",
        )?;
        let tables = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Footprint {
            changes: conn.total_changes(),
            tables,
        })
    }

    fn may_break_foreign_keys(&self, after: &Footprint) -> bool {
        after.changes != self.changes
            || !self.tables.iter().all(|table| after.tables.contains(table))
    }
}

/// Applies the pending migrations. Foreign keys are off meanwhile (a table rebuild needs it, as
/// SQLite documents) and every migration must leave none broken before it commits.
pub fn apply(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let enforced: bool = conn.query_row("PRAGMA foreign_keys", [], |row| row.get(0))?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = (|| {
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let version = index as i64 + 1;
            let tx = conn.transaction()?;
            let before = Footprint::of(&tx)?;
            tx.execute_batch(sql)?;
            let broken: i64 = if before.may_break_foreign_keys(&Footprint::of(&tx)?) {
                tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
                    row.get(0)
                })?
            } else {
                0
            };
            if broken > 0 {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT),
                    Some(format!("migration {version} breaks {broken} foreign keys")),
                ));
            }
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()?;
            tracing::info!(version, "applied database migration");
        }
        Ok(())
    })();
    if enforced {
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    result
}

/// The schema version a fully migrated database is at; the PostgreSQL schema mirrors it.
pub fn latest_version() -> usize {
    MIGRATIONS.len()
}

#[cfg(test)]
mod tests;
