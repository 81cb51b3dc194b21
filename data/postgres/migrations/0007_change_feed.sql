-- Schema 7: every workstation hears what the others change. Each change
-- writes its audit row in its own transaction, so a trigger on the trail
-- tells the listeners (data/postgres/changes.go) once the change commits:
-- NOTIFY is delivered at commit, and never for a change rolled back.
-- Reads, sign-ins, locks, refusals, exports and backups change nothing a
-- screen shows, and are not told.
CREATE FUNCTION audit_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('needledesk_changes',
        concat_ws(' ', NEW.action, NEW.entity, NEW.entity_id, NEW.client_id, NEW.actor_id));
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_event_tells AFTER INSERT ON audit_event
    FOR EACH ROW
    WHEN (NEW.action NOT IN ('view', 'sign_in', 'sign_in_failed', 'sign_out', 'lock', 'denied', 'export', 'backup'))
    EXECUTE FUNCTION audit_event_notify();
