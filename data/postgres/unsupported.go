package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"needledesk/data"
)

// What the first slice of the PostgreSQL store (issue 13) does not do yet:
// each method says so with an error naming it that matches
// errors.ErrUnsupported, never a panic, so a screen or command that
// reaches one shows a plain message.

// unsupported is the error for a method not written yet.
func unsupported(method string) error {
	return fmt.Errorf("the PostgreSQL store cannot do %s yet: %w", method, errors.ErrUnsupported)
}

func (s *Store) BookAppointment(_ context.Context, _ int64, _ *data.Appointment) error {
	return unsupported("BookAppointment")
}

func (s *Store) MoveAppointment(_ context.Context, _, _, _ int64, _ data.Slot) (data.Appointment, error) {
	return data.Appointment{}, unsupported("MoveAppointment")
}

func (s *Store) ChangeAppointmentLength(_ context.Context, _, _, _ int64, _ int) (data.Appointment, error) {
	return data.Appointment{}, unsupported("ChangeAppointmentLength")
}

func (s *Store) CancelAppointment(_ context.Context, _, _, _ int64, _ data.Cancellation) (data.Appointment, error) {
	return data.Appointment{}, unsupported("CancelAppointment")
}

func (s *Store) MarkAppointment(_ context.Context, _, _, _ int64, _ data.AppointmentStatus) (data.Appointment, error) {
	return data.Appointment{}, unsupported("MarkAppointment")
}

func (s *Store) LinkSession(_ context.Context, _, _, _, _ int64) (data.Appointment, error) {
	return data.Appointment{}, unsupported("LinkSession")
}

func (s *Store) Appointment(_ context.Context, _, _ int64) (data.Appointment, error) {
	return data.Appointment{}, unsupported("Appointment")
}

func (s *Store) DayAppointments(_ context.Context, _ int64, _ data.Date) ([]data.Appointment, error) {
	return nil, unsupported("DayAppointments")
}

func (s *Store) WeekAppointments(_ context.Context, _ int64, _ data.Week) ([]data.Appointment, error) {
	return nil, unsupported("WeekAppointments")
}

func (s *Store) ClientAppointments(_ context.Context, _, _ int64) ([]data.Appointment, error) {
	return nil, unsupported("ClientAppointments")
}

func (s *Store) NextAppointment(_ context.Context, _, _ int64, _ time.Time) (data.Appointment, error) {
	return data.Appointment{}, unsupported("NextAppointment")
}

func (s *Store) ImportAppointments(_ context.Context, _ int64, _ []data.Appointment) error {
	return unsupported("ImportAppointments")
}

func (s *Store) Rooms(_ context.Context, _ int64, _ bool) ([]data.Room, error) {
	return nil, unsupported("Rooms")
}

func (s *Store) CreateRoom(_ context.Context, _ int64, _ *data.Room) error {
	return unsupported("CreateRoom")
}

func (s *Store) UpdateRoom(_ context.Context, _ int64, _ *data.Room) error {
	return unsupported("UpdateRoom")
}

func (s *Store) TreatmentTypes(_ context.Context, _ int64, _ bool) ([]data.TreatmentType, error) {
	return nil, unsupported("TreatmentTypes")
}

func (s *Store) CreateTreatmentType(_ context.Context, _ int64, _ *data.TreatmentType) error {
	return unsupported("CreateTreatmentType")
}

func (s *Store) UpdateTreatmentType(_ context.Context, _ int64, _ *data.TreatmentType) error {
	return unsupported("UpdateTreatmentType")
}

func (s *Store) BookableStaff(_ context.Context, _ int64) ([]data.StaffName, error) {
	return nil, unsupported("BookableStaff")
}

func (s *Store) WorkingHours(_ context.Context, _, _ int64) (data.WorkingHours, error) {
	return data.WorkingHours{}, unsupported("WorkingHours")
}

func (s *Store) SaveWorkingHours(_ context.Context, _ int64, _ *data.WorkingHours) error {
	return unsupported("SaveWorkingHours")
}

func (s *Store) CreateCourse(_ context.Context, _ int64, _ *data.Course) error {
	return unsupported("CreateCourse")
}

func (s *Store) UpdateCourse(_ context.Context, _ int64, _ *data.Course) error {
	return unsupported("UpdateCourse")
}

func (s *Store) Course(_ context.Context, _, _ int64) (data.Course, error) {
	return data.Course{}, unsupported("Course")
}

func (s *Store) ClientCourses(_ context.Context, _, _ int64) ([]data.Course, error) {
	return nil, unsupported("ClientCourses")
}

func (s *Store) ClaimOutbox(_ context.Context, _ time.Time, _ time.Duration, _ int) ([]data.OutboxItem, error) {
	return nil, unsupported("ClaimOutbox")
}

func (s *Store) MarkSent(_ context.Context, _ int64, _ time.Time) error {
	return unsupported("MarkSent")
}

func (s *Store) MarkFailed(_ context.Context, _ int64, _ time.Time, _ string, _ time.Time) error {
	return unsupported("MarkFailed")
}

func (s *Store) Outbox(_ context.Context, _ int64, _ data.OutboxFilter) ([]data.OutboxMessage, error) {
	return nil, unsupported("Outbox")
}

func (s *Store) AppointmentMessages(_ context.Context, _, _ int64) ([]data.OutboxMessage, error) {
	return nil, unsupported("AppointmentMessages")
}
