package data

import (
	"errors"
	"strings"
	"testing"
)

func TestAuditEventValidate(t *testing.T) {
	ok := AuditEvent{Action: ActionBackup, Entity: EntityDatabase, Detail: strings.Repeat("王", MaxAuditDetail)}
	if err := ok.Validate(); err != nil {
		t.Errorf("a valid event: %v", err)
	}
	cases := map[string]struct {
		edit  func(*AuditEvent)
		field string
	}{
		"unknown action": {func(e *AuditEvent) { e.Action = "delete_everything" }, "action"},
		"no action":      {func(e *AuditEvent) { e.Action = "" }, "action"},
		"no entity":      {func(e *AuditEvent) { e.Entity = "" }, "entity"},
		"long detail":    {func(e *AuditEvent) { e.Detail = strings.Repeat("a", MaxAuditDetail+1) }, "detail"},
		"line break":     {func(e *AuditEvent) { e.Detail = "one\ntwo" }, "detail"},
		"escape":         {func(e *AuditEvent) { e.Detail = "red \x1b[31m" }, "detail"},
		"bad bytes":      {func(e *AuditEvent) { e.Detail = "a\xffb" }, "detail"},
	}
	for name, c := range cases {
		e := ok
		c.edit(&e)
		err := e.Validate()
		var ve *ValidationError
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &ve) || ve.For(c.field) == "" {
			t.Errorf("%s: %v; want a validation error for %s", name, err, c.field)
		}
	}
}
