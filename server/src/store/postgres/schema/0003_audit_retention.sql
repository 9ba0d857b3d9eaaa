-- Mirrors SQLite migration 23: audit records are kept at least 180 days (等保 2.0 level 3),
-- then pruned by the server's retention setting, which may only be longer; the database
-- refuses to delete a younger record whatever the server asks.
DROP TRIGGER audit_log_is_append_only ON audit_log;
CREATE TRIGGER audit_log_is_append_only BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change('audit_log is append-only');
CREATE FUNCTION audit_log_keeps_180_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.at > extract(epoch FROM now())::bigint - 15552000 THEN
        RAISE EXCEPTION 'audit records are kept at least 180 days' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER audit_log_keeps_180_days BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_keeps_180_days();
CREATE INDEX audit_log_by_time ON audit_log (at, id);
