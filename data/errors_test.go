package data

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestExplainedErrorsKeepTheirWords(t *testing.T) {
	inner := fmt.Errorf("there is no file at /media/stick/clinic.db: %w", fs.ErrNotExist)
	err := fmt.Errorf("restoring: %w", Explained(inner))
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrExplained) {
		t.Fatalf("errors.Is should find both what is wrapped and the mark: %v", err)
	}
	if got := UserMessage(err); got != err.Error() {
		t.Errorf("UserMessage = %q; want the words as written", got)
	}
	if got := UserMessage(inner); got == inner.Error() {
		t.Errorf("an unmarked error should not pass as plain words: %q", got)
	}
}
