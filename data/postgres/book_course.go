package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// Treatment courses, read with their progress counted from their
// appointments (data.CountCourse), as data/sqlite's course.go.

var _ data.CourseStore = (*Store)(nil)

// CreateCourse validates and adds a course for a current client, setting
// c.ID, c.Version and c.CreatedAt.
func (s *Store) CreateCourse(ctx context.Context, actor int64, c *data.Course) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("adding course: %w", err)
	}
	var saved data.Course
	t := target{entity: data.EntityCourse, clientID: c.ClientID}
	err := s.change(ctx, actor, data.PermBookWrite, t, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		if err := checkClient(ctx, tx, c.ClientID); err != nil {
			return err
		}
		if err := checkTreatment(ctx, tx, c.TreatmentID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO course (client_id, treatment_id, sessions, interval_days, note, closed,
			created_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			c.ClientID, c.TreatmentID, c.Sessions, c.IntervalDays, c.Note, c.Closed,
			timeText(now), timeText(now), actor).Scan(&id)
		if err != nil {
			return err
		}
		if saved, err = readCourse(ctx, tx, id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityCourse,
			entityID: id, clientID: c.ClientID, detail: courseWords(saved)})
	})
	if err != nil {
		return fmt.Errorf("adding course: %w", err)
	}
	*c = saved
	return nil
}

// UpdateCourse saves a course's plan (sessions, interval, note, closed)
// over the version read; the client and the treatment stay.
func (s *Store) UpdateCourse(ctx context.Context, actor int64, c *data.Course) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("saving course: %w", err)
	}
	var saved data.Course
	t := target{entity: data.EntityCourse, id: c.ID, clientID: c.ClientID}
	err := s.change(ctx, actor, data.PermBookWrite, t, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		tag, err := tx.Exec(ctx, `UPDATE course SET sessions = $1, interval_days = $2, note = $3, closed = $4,
			updated_at = $5, updated_by = $6, version = version + 1 WHERE id = $7 AND version = $8`,
			c.Sessions, c.IntervalDays, c.Note, c.Closed, timeText(now), actor, c.ID, c.Version)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return courseConflict(ctx, tx, c.ID)
		}
		if saved, err = readCourse(ctx, tx, c.ID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate, entity: data.EntityCourse,
			entityID: c.ID, clientID: saved.ClientID, detail: courseWords(saved)})
	})
	if err != nil {
		return fmt.Errorf("saving course: %w", err)
	}
	*c = saved
	return nil
}

func courseWords(c data.Course) string {
	w := fmt.Sprintf("%s: %d sessions, %d days apart", c.TreatmentName, c.Sessions, c.IntervalDays)
	if c.Closed {
		w += ", closed"
	}
	return clip(w)
}

// courseConflict refuses a save over a course changed since it was read,
// or is data.ErrNotFound when there is none.
func courseConflict(ctx context.Context, q queryer, id int64) error {
	var at sql.NullString
	var by, clientID int64
	err := q.QueryRow(ctx, `SELECT updated_at, updated_by, client_id FROM course WHERE id = $1`, id).Scan(&at, &by, &clientID)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(data.EntityCourse, id)
	}
	if err != nil {
		return err
	}
	when, err := parseTime(at)
	if err != nil {
		return err
	}
	what := "the course"
	if c, err := readClient(ctx, q, clientID); err == nil {
		what = c.FullName() + "'s course"
	}
	return &data.ConflictError{What: what, By: changedBy(ctx, q, by), At: when}
}

// Course reads one course with its progress.
func (s *Store) Course(ctx context.Context, actor, id int64) (data.Course, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityCourse, id: id}); err != nil {
		return data.Course{}, fmt.Errorf("reading course: %w", err)
	}
	var c data.Course
	err := s.read(ctx, func(tx pgx.Tx) error {
		var err error
		c, err = readCourse(ctx, tx, id)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("reading course: %w", err)
	}
	return c, nil
}

// ClientCourses lists a client's courses, newest first, with their
// progress.
func (s *Store) ClientCourses(ctx context.Context, actor, clientID int64) ([]data.Course, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityCourse, clientID: clientID}); err != nil {
		return nil, fmt.Errorf("reading the client's courses: %w", err)
	}
	var out []data.Course
	err := s.read(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = readCourses(ctx, tx, `c.client_id = $1 ORDER BY c.id DESC`, clientID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the client's courses: %w", err)
	}
	return out, nil
}

func readCourse(ctx context.Context, q queryer, id int64) (data.Course, error) {
	cs, err := readCourses(ctx, q, `c.id = $1`, id)
	if err != nil {
		return data.Course{}, err
	}
	if len(cs) == 0 {
		return data.Course{}, notFound(data.EntityCourse, id)
	}
	return cs[0], nil
}

// readCourses reads the courses where says, then counts each one's
// appointments.
func readCourses(ctx context.Context, q queryer, where string, arg any) ([]data.Course, error) {
	rows, err := q.Query(ctx, `SELECT c.id, c.client_id, c.treatment_id, c.sessions, c.interval_days, c.note,
		c.closed, c.version, c.created_at, t.name FROM course c JOIN treatment_type t ON t.id = c.treatment_id WHERE `+where, arg)
	if err != nil {
		return nil, describeServerError(err)
	}
	var out []data.Course
	for rows.Next() {
		var c data.Course
		var created sql.NullString
		if err := rows.Scan(&c.ID, &c.ClientID, &c.TreatmentID, &c.Sessions, &c.IntervalDays, &c.Note, &c.Closed,
			&c.Version, &created, &c.TreatmentName); err != nil {
			rows.Close()
			return nil, err
		}
		c.Note, c.TreatmentName = data.Neutralised(c.Note), data.Neutralised(c.TreatmentName)
		if c.CreatedAt, err = parseTime(created); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, countCourses(ctx, q, out)
}

// countCourses fills in each course's progress from its appointments.
func countCourses(ctx context.Context, q queryer, cs []data.Course) error {
	if len(cs) == 0 {
		return nil
	}
	loc, err := clinicZone(ctx, q)
	if err != nil {
		return err
	}
	for i := range cs {
		appts, err := queryAppointments(ctx, q, `WHERE a.course_id = $1 ORDER BY a.start_at, a.id`, cs[i].ID)
		if err != nil {
			return err
		}
		cs[i].Progress = data.CountCourse(cs[i], appts, loc)
	}
	return nil
}
