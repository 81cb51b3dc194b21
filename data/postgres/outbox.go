package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/internal/settingsdoc"
)

// The outbox, as data/sqlite's outbox.go: the messages a booking owes
// the client, queued and withdrawn in the same transaction as the change
// to the appointment, and claimed, sent and marked by a background
// worker on any workstation (outbox_claim.go).

var _ data.OutboxStore = (*Store)(nil)

// appointmentChanged keeps the appointment's messages in step with it,
// in the change's transaction: a new booking queues a confirmation and a
// reminder; a new time or length (the calendar entry's sequence rose)
// withdraws those not yet sent and queues new ones; an appointment
// cancelled, missed or done withdraws those not yet sent. before is the
// zero appointment for a new booking.
func appointmentChanged(ctx context.Context, tx pgx.Tx, before, after data.Appointment, now time.Time) error {
	switch {
	case before.ID == 0:
		return queueMessages(ctx, tx, after, now)
	case !after.Status.Open():
		return withdrawMessages(ctx, tx, after.ID)
	case after.Sequence != before.Sequence:
		if err := withdrawMessages(ctx, tx, after.ID); err != nil {
			return err
		}
		return queueMessages(ctx, tx, after, now)
	}
	return nil
}

// queueMessages queues a's confirmation, and its reminder when the
// reminder's time is still to come, if the client agreed to e-mail and
// has an address, and the appointment is still to come.
func queueMessages(ctx context.Context, tx pgx.Tx, a data.Appointment, now time.Time) error {
	var email string
	var consent bool
	if err := tx.QueryRow(ctx, `SELECT email, email_reminders FROM client WHERE id = $1`, a.ClientID).Scan(&email, &consent); err != nil {
		return fmt.Errorf("reading the client's e-mail: %w", err)
	}
	if !consent || email == "" || !a.Start.After(now) {
		return nil
	}
	mail, err := clinicMail(ctx, tx)
	if err != nil {
		return err
	}
	if err := queueMessage(ctx, tx, a, data.MessageConfirmation, email, now, now); err != nil {
		return err
	}
	if remind := a.Start.Add(-time.Duration(reminderHours(mail)) * time.Hour); remind.After(now) {
		return queueMessage(ctx, tx, a, data.MessageReminder, email, remind, now)
	}
	return nil
}

func queueMessage(ctx context.Context, tx pgx.Tx, a data.Appointment, kind data.MessageKind, to string, after, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO outbox (appointment_id, client_id, channel, kind, recipient, send_after,
		state, due_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $6, $7)`,
		a.ID, a.ClientID, string(data.ChannelEmail), string(kind), to, timeText(after), timeText(now))
	if err != nil {
		return fmt.Errorf("queuing the %s: %w", kind, err)
	}
	return nil
}

// withdrawMessages withdraws an appointment's messages not yet sent,
// those a worker is sending too (should the server accept one all the
// same, MarkSent records it as sent).
func withdrawMessages(ctx context.Context, tx pgx.Tx, appointmentID int64) error {
	_, err := tx.Exec(ctx, `UPDATE outbox SET state = 'withdrawn', due_at = NULL, lease_until = NULL
		WHERE appointment_id = $1 AND state IN ('queued', 'sending')`, appointmentID)
	if err != nil {
		return fmt.Errorf("withdrawing the appointment's messages: %w", err)
	}
	return nil
}

func reminderHours(m data.EmailSettings) int {
	if m.ReminderHours <= 0 {
		return data.DefaultReminderHours
	}
	return m.ReminderHours
}

// clinicMail reads the clinic's mail settings from the settings
// document's "mail" object (settingsdoc.Mail); empty when none were saved.
func clinicMail(ctx context.Context, q queryer) (data.EmailSettings, error) {
	var doc sql.NullString
	err := q.QueryRow(ctx, `SELECT (doc::jsonb -> 'mail')::text FROM settings WHERE id = $1`, settingsID).Scan(&doc)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return data.EmailSettings{}, fmt.Errorf("reading the clinic's mail settings: %w", err)
	}
	var m settingsdoc.Mail
	if doc.Valid && doc.String != "" {
		if err := json.Unmarshal([]byte(doc.String), &m); err != nil {
			return data.EmailSettings{}, fmt.Errorf("the clinic's mail settings are damaged: %w", err)
		}
	}
	return data.EmailSettings(m), nil
}

// outboxColumns are what scanOutbox reads.
const outboxColumns = `id, coalesce(appointment_id, 0), coalesce(client_id, 0), channel, kind, recipient, send_after,
	state, attempts, next_attempt, last_error, sent_at, created_at,
	coalesce((SELECT given_name || chr(31) || family_name FROM client WHERE client.id = outbox.client_id), ''),
	(SELECT start_at FROM appointment WHERE appointment.id = outbox.appointment_id)`

func scanOutbox(sc pgx.Row) (data.OutboxMessage, error) {
	var m data.OutboxMessage
	var channel, kind, state string
	var after, next, sent, created, start sql.NullString
	var names string
	err := sc.Scan(&m.ID, &m.AppointmentID, &m.ClientID, &channel, &kind, &m.To, &after, &state, &m.Attempts,
		&next, &m.LastError, &sent, &created, &names, &start)
	if err != nil {
		return m, err
	}
	m.Channel, m.Kind, m.State = data.Channel(channel), data.MessageKind(kind), data.OutboxState(state)
	m.ClientName, _ = data.JoinedFullName(names) // "" when the message names no client
	var errs [5]error
	m.SendAfter, errs[0] = parseTime(after)
	m.NextAttempt, errs[1] = parseTime(next)
	m.SentAt, errs[2] = parseTime(sent)
	m.Created, errs[3] = parseTime(created)
	m.AppointmentStart, errs[4] = parseTime(start)
	if err := errors.Join(errs[:]...); err != nil {
		return m, fmt.Errorf("outbox message %d: %w", m.ID, err)
	}
	return m, nil
}

func queryOutbox(ctx context.Context, q queryer, where string, args ...any) ([]data.OutboxMessage, error) {
	rows, err := q.Query(ctx, `SELECT `+outboxColumns+` FROM outbox `+where, args...)
	if err != nil {
		return nil, describeServerError(err)
	}
	defer rows.Close()
	var out []data.OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Outbox page sizes, as data/sqlite's.
const (
	DefaultOutboxLimit = 100
	MaxOutboxLimit     = 1000
)

// Outbox lists messages newest first for the owner's screen; owners only.
func (s *Store) Outbox(ctx context.Context, actor int64, f data.OutboxFilter) ([]data.OutboxMessage, error) {
	if _, err := s.allowRead(ctx, actor, data.PermOutboxView, target{entity: data.EntityAppointment}); err != nil {
		return nil, fmt.Errorf("reading the outbox: %w", err)
	}
	where, args := ``, []any{}
	if f.State != "" {
		where, args = `WHERE state = $1 `, append(args, string(f.State))
	}
	args = append(args, pageLimit(f.Limit, DefaultOutboxLimit, MaxOutboxLimit), max(f.Offset, 0))
	out, err := queryOutbox(ctx, s.pool, where+fmt.Sprintf(`ORDER BY id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("reading the outbox: %w", err)
	}
	return out, nil
}

// AppointmentMessages lists one appointment's messages, oldest first,
// for whoever may see the book.
func (s *Store) AppointmentMessages(ctx context.Context, actor, appointmentID int64) ([]data.OutboxMessage, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityAppointment, id: appointmentID}); err != nil {
		return nil, fmt.Errorf("reading the appointment's messages: %w", err)
	}
	out, err := queryOutbox(ctx, s.pool, `WHERE appointment_id = $1 ORDER BY id`, appointmentID)
	if err != nil {
		return nil, fmt.Errorf("reading the appointment's messages: %w", err)
	}
	return out, nil
}

// MarkSent records that the mail server accepted message id at at. A
// message already marked sent stays as it was.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time) error {
	err := s.write(ctx, func(tx pgx.Tx, _ time.Time) error {
		tag, err := tx.Exec(ctx, `UPDATE outbox SET state = 'sent', sent_at = $1, due_at = NULL, lease_until = NULL
			WHERE id = $2 AND state <> 'sent'`, timeText(at), id)
		if err != nil || tag.RowsAffected() == 1 {
			return err
		}
		if ok, err := rowExists(ctx, tx, `SELECT 1 FROM outbox WHERE id = $1`, id); err != nil || !ok {
			return errors.Join(err, fmt.Errorf("outbox message %d: %w", id, data.ErrNotFound))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("marking a message sent: %w", err)
	}
	return nil
}

// MarkFailed records a failed attempt at message id in the server's
// words: queued again for retryAt, or given up (failed) when retryAt is
// zero. A message sent or withdrawn meanwhile keeps its state and only
// gains the words.
func (s *Store) MarkFailed(ctx context.Context, id int64, at time.Time, problem string, retryAt time.Time) error {
	problem = data.ProblemWords(problem)
	err := s.write(ctx, func(tx pgx.Tx, _ time.Time) error {
		var state string
		err := tx.QueryRow(ctx, `SELECT state FROM outbox WHERE id = $1 FOR UPDATE`, id).Scan(&state)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("outbox message %d: %w", id, data.ErrNotFound)
		}
		if err != nil {
			return err
		}
		switch {
		case state == string(data.OutboxSent) || state == string(data.OutboxWithdrawn) || state == string(data.OutboxFailed):
			_, err = tx.Exec(ctx, `UPDATE outbox SET last_error = $1 WHERE id = $2`, problem, id)
		case retryAt.IsZero():
			_, err = tx.Exec(ctx, `UPDATE outbox SET state = 'failed', last_error = $1, due_at = NULL,
				lease_until = NULL, next_attempt = NULL WHERE id = $2`, problem, id)
		default:
			next := timeText(retryAt)
			_, err = tx.Exec(ctx, `UPDATE outbox SET state = 'queued', last_error = $1, due_at = $2,
				next_attempt = $2, lease_until = NULL WHERE id = $3`, problem, next, id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("marking a message failed: %w", err)
	}
	return nil
}
