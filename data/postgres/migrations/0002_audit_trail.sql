-- Schema 2: the audit trail, append-only and a hash chain (see
-- data/audit_chain.go for what is hashed). Every event carries the hash
-- of the one before it and its own; audit_head holds the newest event's
-- ID and hash and the number of events. The store assigns an event's ID
-- itself, as the next after the head's, while it holds the head row
-- locked (SELECT ... FOR UPDATE): writers on several workstations append
-- one at a time, so the trail stays one chain.
CREATE TABLE audit_event (
    id        bigint PRIMARY KEY,
    at        text   NOT NULL,
    actor_id  bigint NOT NULL,
    action    text   NOT NULL,
    entity    text   NOT NULL,
    entity_id bigint NOT NULL,
    client_id bigint NOT NULL DEFAULT 0,
    detail    text   NOT NULL DEFAULT '',
    row_hash  text   NOT NULL DEFAULT '',
    prev_hash text   NOT NULL,
    hash      text   NOT NULL
);

CREATE INDEX audit_event_by_entity ON audit_event (entity, entity_id, id);
CREATE INDEX audit_event_by_actor  ON audit_event (actor_id, id);
CREATE INDEX audit_event_by_client ON audit_event (client_id, id);
CREATE INDEX audit_event_by_action ON audit_event (action, id);
CREATE INDEX audit_event_by_time   ON audit_event (at);

CREATE TABLE audit_head (
    id      integer PRIMARY KEY CHECK (id = 1),
    last_id bigint  NOT NULL,
    events  bigint  NOT NULL,
    hash    text    NOT NULL
);

INSERT INTO audit_head (id, last_id, events, hash) VALUES (1, 0, 0, repeat('0', 64));

-- Append-only, whoever asks (the app's own role gets no UPDATE or DELETE
-- on it either, once pg-init grants rights).
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: events cannot be changed or deleted';
END;
$$;

CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
