package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// defaultClaim is how many messages a claim takes when asked for none.
const defaultClaim = 10

// ClaimOutbox takes up to limit messages due at now (queued ones whose
// time has come, and ones whose sender's lease ran out) and marks them
// being sent until now+lease, counting the attempt. The rows are taken
// FOR UPDATE SKIP LOCKED: a sender on another workstation claiming at
// the same moment passes over them and takes others (or none), so no
// message is ever handed to two senders. Each item carries the
// appointment, the client's name and the clinic as they are now. A
// message that should no longer go is settled instead: withdrawn when its
// appointment was cancelled, missed or done or the client withdrew
// consent, failed when its appointment has already begun.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]data.OutboxItem, error) {
	if limit <= 0 {
		limit = defaultClaim
	}
	now = now.UTC()
	var items []data.OutboxItem
	err := s.write(ctx, func(tx pgx.Tx, _ time.Time) error {
		due, err := queryOutbox(ctx, tx, `WHERE due_at IS NOT NULL AND due_at <= $1 ORDER BY due_at, id LIMIT $2
			FOR UPDATE SKIP LOCKED`, timeText(now), limit)
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
func claimClinic(ctx context.Context, tx pgx.Tx) (data.OutboxItem, error) {
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
	if err := tx.QueryRow(ctx, `SELECT value FROM store_meta WHERE key = 'calendar_id'`).Scan(&calendar); err != nil {
		return data.OutboxItem{}, fmt.Errorf("reading the clinic's calendar identity: %w", err)
	}
	return data.OutboxItem{
		UID: calendar, ClinicName: st.ClinicName, ClinicAddress: st.Address, ClinicPhone: st.Phone,
		ClinicEmail: st.Email, TimeZone: st.Location().String(), DateFormat: st.DateFormat, Email: mail,
	}, nil
}

// claimOne settles m or claims it; ok says it was claimed.
func claimOne(ctx context.Context, tx pgx.Tx, m data.OutboxMessage, clinic data.OutboxItem, now time.Time, lease time.Duration) (data.OutboxItem, bool, error) {
	if m.AppointmentID == 0 { // a message about no appointment (a test message)
		return claimRow(ctx, tx, m, clinic, now, lease)
	}
	a, err := readAppointment(ctx, tx, m.AppointmentID)
	if err != nil {
		return clinic, false, err
	}
	var consent bool
	if err := tx.QueryRow(ctx, `SELECT email_reminders FROM client WHERE id = $1`, a.ClientID).Scan(&consent); err != nil {
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
func claimRow(ctx context.Context, tx pgx.Tx, m data.OutboxMessage, clinic data.OutboxItem, now time.Time, lease time.Duration) (data.OutboxItem, bool, error) {
	until := timeText(now.Add(lease))
	_, err := tx.Exec(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_until = $1, due_at = $1
		WHERE id = $2`, until, m.ID)
	if err != nil {
		return clinic, false, err
	}
	m.State, m.Attempts = data.OutboxSending, m.Attempts+1
	item := clinic
	item.Message = m
	return item, true, nil
}

// settle ends a message that will not be sent, with why.
func settle(ctx context.Context, tx pgx.Tx, id int64, state data.OutboxState, why string) error {
	_, err := tx.Exec(ctx, `UPDATE outbox SET state = $1, due_at = NULL, lease_until = NULL,
		last_error = CASE WHEN $2 = '' THEN last_error ELSE $2 END WHERE id = $3`, string(state), why, id)
	return err
}
