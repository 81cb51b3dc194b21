-- Issue 12, the appointment book (5 of 5): the outbox. The messages a
-- booking owes the client (a confirmation, a reminder some hours before)
-- are queued in the booking's own transaction and sent later by a
-- background worker, so a booking made while the mail server cannot be
-- reached still gets its e-mail, and a cancelled booking never does.
--
-- due_at is when a message may next be claimed: for a queued message its
-- send_after or, after a failure, the time of its retry; for one being
-- sent the end of the worker's lease, after which another worker may
-- take it (a worker that died mid-send delays a message but never loses
-- it). Sent, failed and withdrawn messages are never claimed: due_at is
-- NULL. channel leaves room for a second channel (an SMS gateway).
-- recipient is the address as it was when the message was queued.
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY,
    appointment_id INTEGER REFERENCES appointment (id),
    client_id      INTEGER REFERENCES client (id),
    channel        TEXT    NOT NULL CHECK (channel IN ('email')),
    kind           TEXT    NOT NULL CHECK (kind IN ('confirmation', 'reminder', 'test')),
    recipient      TEXT    NOT NULL,
    send_after     TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'withdrawn')),
    due_at         TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_attempt   TEXT,
    lease_until    TEXT,
    last_error     TEXT    NOT NULL DEFAULT '',
    sent_at        TEXT,
    created_at     TEXT    NOT NULL,
    CHECK ((state IN ('queued', 'sending')) = (due_at IS NOT NULL))
) STRICT;

CREATE INDEX outbox_due ON outbox (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX outbox_by_appointment ON outbox (appointment_id, id);
CREATE INDEX outbox_by_state ON outbox (state, id);

-- The clinic's calendar identity: each appointment's calendar entry is
-- appointment-ID-<this>@needledesk in every message about it, so a phone
-- calendar updates the entry it took rather than adding another.
INSERT INTO store_meta (key, value) VALUES ('calendar_id', lower(hex(randomblob(12))));
