package postgres

import (
	"context"
	"errors"
	"fmt"

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

func (s *Store) ImportClients(_ context.Context, _ int64, _ []data.Client) error {
	return unsupported("ImportClients")
}

func (s *Store) ImportClientRows(_ context.Context, _ int64, _ data.ClientRows, _ data.ImportOptions) (data.ImportResult, error) {
	return data.ImportResult{}, unsupported("ImportClientRows")
}

func (s *Store) CreateSession(_ context.Context, _ int64, _ *data.Session) error {
	return unsupported("CreateSession")
}

func (s *Store) UpdateSession(_ context.Context, _ int64, _ *data.Session) error {
	return unsupported("UpdateSession")
}

func (s *Store) Session(_ context.Context, _ int64, _ int64) (data.Session, error) {
	return data.Session{}, unsupported("Session")
}

func (s *Store) ClientSessions(_ context.Context, _ int64, _ int64) ([]data.Session, error) {
	return nil, unsupported("ClientSessions")
}

func (s *Store) SessionAmendments(_ context.Context, _ int64, _ int64) ([]data.SessionAmendment, error) {
	return nil, unsupported("SessionAmendments")
}

func (s *Store) ImportSessions(_ context.Context, _ int64, _ []data.Session) error {
	return unsupported("ImportSessions")
}

func (s *Store) RecordDoNotTreat(_ context.Context, _ int64, _ data.DoNotTreat) error {
	return unsupported("RecordDoNotTreat")
}

func (s *Store) CreateProduct(_ context.Context, _ int64, _ *data.Product) error {
	return unsupported("CreateProduct")
}

func (s *Store) UpdateProduct(_ context.Context, _ int64, _ *data.Product) error {
	return unsupported("UpdateProduct")
}

func (s *Store) Product(_ context.Context, _, _ int64) (data.Product, error) {
	return data.Product{}, unsupported("Product")
}

func (s *Store) Products(_ context.Context, _ int64, _ bool) ([]data.Product, error) {
	return nil, unsupported("Products")
}

func (s *Store) SetUpClinic(_ context.Context, _ data.ClinicSetup, _ func(done, _ int)) (data.Staff, error) {
	return data.Staff{}, unsupported("SetUpClinic")
}

func (s *Store) KeepSheet(_ context.Context, _ int64, _ *data.Sheet) error {
	return unsupported("KeepSheet")
}

func (s *Store) LatestSheet(_ context.Context, _, _ int64) (data.Sheet, error) {
	return data.Sheet{}, unsupported("LatestSheet")
}

func (s *Store) Sheet(_ context.Context, _, _ int64) (data.Sheet, error) {
	return data.Sheet{}, unsupported("Sheet")
}

func (s *Store) ReprintSheet(_ context.Context, _, _ int64) (data.Sheet, error) {
	return data.Sheet{}, unsupported("ReprintSheet")
}

func (s *Store) SheetInput(_ context.Context, _, _ int64) (data.SheetInput, error) {
	return data.SheetInput{}, unsupported("SheetInput")
}

func (s *Store) ClientSheets(_ context.Context, _, _ int64) ([]data.SheetInfo, error) {
	return nil, unsupported("ClientSheets")
}

func (s *Store) ClientRecord(_ context.Context, _ int64) (data.ClientRecord, error) {
	return data.ClientRecord{}, unsupported("ClientRecord")
}

func (s *Store) WalkClinic(_ context.Context, _ data.ClinicWalker) error {
	return unsupported("WalkClinic")
}
