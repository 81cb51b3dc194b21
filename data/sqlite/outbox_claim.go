package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"needledesk/data"
)

// defaultClaim is how many messages a claim takes when asked for none.
const defaultClaim = 10

// ClaimOutbox takes up to limit messages due at now (queued ones whose
// time has come, and ones whose sender's lease ran out) and marks them
// being sent until now+lease, counting the attempt. Each item carries
// the appointment, the client's name and the clinic as they are now. A
// message that should no longer go is settled instead: withdrawn when its
// appointment was cancelled, missed or done or the client withdrew
// consent, failed when its appointment has already begun.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]data.OutboxItem, error) {
	if limit <= 0 {
		limit = defaultClaim
	}
	now = now.UTC()
	// Nothing due (the usual case, every half minute): no write at all.
	// Something due: the claim waits for the start-up check in its own
	// time rather than starting it at once (see waitQuietly).
	due, err := queryOutbox(ctx, s.r, `WHERE due_at IS NOT NULL AND due_at <= ? LIMIT 1`, timeText(now))
	if err != nil {
		return nil, fmt.Errorf("looking for messages to send: %w", err)
	}
	if len(due) == 0 {
		return nil, nil
	}
	if err := s.gate.waitQuietly(ctx); err != nil {
		return nil, notChecked(err)
	}
	var items []data.OutboxItem
	err = s.write(ctx, func(tx *sql.Tx, _ time.Time) error {
		due, err := queryOutbox(ctx, tx, `WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?`, timeText(now), limit)
		if err != nil || len(due) == 0 {
			return err
		}
		clinic, err := claimClinic(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range due {
			item, ok, err := claimOne(ctx, tx, m, clinic, now, lease)
			if err != nil {
				return fmt.Errorf("outbox message %d: %w", m.ID, err)
			}
			if ok {
				items = append(items, item)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claiming messages to send: %w", err)
	}
	return items, nil
}

// claimClinic is the clinic as every item of a claim names it.
func claimClinic(ctx context.Context, tx *sql.Tx) (data.OutboxItem, error) {
	st, err := settingsIn(ctx, tx)
	if err != nil {
		return data.OutboxItem{}, err
	}
	mail, err := clinicMail(ctx, tx)
	if err != nil {
		return data.OutboxItem{}, err
	}
	mail.ReminderHours = reminderHours(mail)
	var calendar string
	if err := tx.QueryRowContext(ctx, `SELECT value FROM store_meta WHERE key = 'calendar_id'`).Scan(&calendar); err != nil {
		return data.OutboxItem{}, fmt.Errorf("reading the clinic's calendar identity: %w", err)
	}
	return data.OutboxItem{
		UID: calendar, ClinicName: st.ClinicName, ClinicAddress: st.Address, ClinicPhone: st.Phone,
		ClinicEmail: st.Email, TimeZone: st.Location().String(), DateFormat: st.DateFormat, Email: mail,
	}, nil
}

// claimOne settles m or claims it; ok says it was claimed.
func claimOne(ctx context.Context, tx *sql.Tx, m data.OutboxMessage, clinic data.OutboxItem, now time.Time, lease time.Duration) (data.OutboxItem, bool, error) {
	if m.AppointmentID == 0 { // a message about no appointment (a test message)
		return claimRow(ctx, tx, m, clinic, now, lease)
	}
	a, err := readAppointment(ctx, tx, m.AppointmentID)
	if err != nil {
		return clinic, false, err
	}
	var consent bool
	if err := tx.QueryRowContext(ctx, `SELECT email_reminders FROM client WHERE id = ?`, a.ClientID).Scan(&consent); err != nil {
		return clinic, false, err
	}
	switch {
	case !a.Status.Open():
		return clinic, false, settle(ctx, tx, m.ID, data.OutboxWithdrawn, "")
	case !consent:
		return clinic, false, settle(ctx, tx, m.ID, data.OutboxWithdrawn, "the client no longer agrees to e-mail reminders")
	case !a.Start.After(now):
		return clinic, false, settle(ctx, tx, m.ID, data.OutboxFailed, "too late: the appointment had begun before the message could be sent")
	}
	item, _, err := claimRow(ctx, tx, m, clinic, now, lease)
	if err != nil {
		return item, false, err
	}
	item.ClientName, item.Start, item.Minutes = a.ClientName, a.Start, a.Minutes
	item.TechnicianName, item.TreatmentName, item.RoomName = a.TechnicianName, a.TreatmentName, a.RoomName
	item.Sequence = a.Sequence
	item.UID = fmt.Sprintf("appointment-%d-%s@needledesk", a.ID, clinic.UID)
	return item, true, nil
}

// claimRow marks m being sent until now+lease and counts the attempt.
func claimRow(ctx context.Context, tx *sql.Tx, m data.OutboxMessage, clinic data.OutboxItem, now time.Time, lease time.Duration) (data.OutboxItem, bool, error) {
	until := now.Add(lease)
	_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?, due_at = ?
		WHERE id = ?`, timeText(until), timeText(until), m.ID)
	if err != nil {
		return clinic, false, err
	}
	m.State, m.Attempts = data.OutboxSending, m.Attempts+1
	item := clinic
	item.Message = m
	return item, true, nil
}

// settle ends a message that will not be sent, with why.
func settle(ctx context.Context, tx *sql.Tx, id int64, state data.OutboxState, why string) error {
	_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, due_at = NULL, lease_until = NULL,
		last_error = CASE WHEN ? = '' THEN last_error ELSE ? END WHERE id = ?`, string(state), why, why, id)
	return err
}
