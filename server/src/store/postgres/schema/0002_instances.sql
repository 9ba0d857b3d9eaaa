-- Several instances on one database (PostgreSQL only; `market-server migrate` copies neither).

-- Each instance's place in the search change feed, so a prune keeps what a live one has not
-- applied yet.
CREATE TABLE search_readers (
    instance text PRIMARY KEY,
    position bigint NOT NULL,
    seen_at bigint NOT NULL
);

-- New notifications wake every instance's listener, which pushes them to its live streams.
CREATE FUNCTION notifications_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('market_notifications', '');
    RETURN NULL;
END $$;
CREATE TRIGGER notifications_added AFTER INSERT ON notifications
    FOR EACH STATEMENT EXECUTE FUNCTION notifications_added();
