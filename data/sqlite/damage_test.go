package sqlite_test

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/sqlite"
)

const pageSize = 4096 // SQLite's default, which the store keeps

// healthyFile is a closed demo database: a real file with many pages.
func healthyFile(t *testing.T) []byte {
	t.Helper()
	e := demoEnv(t, 200)
	e.closeStore()
	b, err := os.ReadFile(e.path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 40*pageSize {
		t.Fatalf("the demo database has only %d bytes", len(b))
	}
	return b
}

// damages are ways a database file gets damaged: cut short by a full disk
// or a copy stopped halfway, a header overwritten, pages overwritten by
// another program or a failing disk.
func damages(t *testing.T, good []byte) map[string][]byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	clone := func() []byte { return slices.Clone(good) }
	out := map[string][]byte{
		"truncated at half its pages": clone()[:len(good)/2/pageSize*pageSize],
		"truncated mid-page":          clone()[:len(good)/2+123],
		"only its first page":         clone()[:pageSize],
		"only 50 bytes":               clone()[:50],
	}
	b := clone()
	copy(b[16:100], garbage(84))
	out["garbage in the header"] = b
	b = clone()
	copy(b, garbage(100))
	out["garbage over the whole header"] = b
	b = clone()
	for p := 2; p*pageSize < len(b); p += 7 {
		copy(b[(p-1)*pageSize:], garbage(pageSize))
	}
	out["random bytes over every seventh page"] = b
	b = clone()
	copy(b[pageSize:], garbage(4*pageSize))
	out["random bytes over pages 2 to 5"] = b
	return out
}

// writeDamaged puts a damaged copy in a folder of its own.
func writeDamaged(t *testing.T, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clinic.db")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// untouched checks the file has the hash it had and nothing appeared
// beside it.
func untouched(t *testing.T, path string, hash [32]byte, doing string) {
	t.Helper()
	if fileHash(t, path) != hash {
		t.Errorf("%s changed the damaged file", doing)
	}
	if names := folderNames(t, filepath.Dir(path)); len(names) != 1 {
		t.Errorf("%s left files beside the damaged one: %v", doing, names)
	}
}

func TestDamagedFilesAreRefusedAndNeverChanged(t *testing.T) {
	good := healthyFile(t)
	for name, content := range damages(t, good) {
		t.Run(name, func(t *testing.T) {
			path := writeDamaged(t, content)
			hash := fileHash(t, path)

			err := sqlite.QuickCheck(t.Context(), path)
			if !errors.Is(err, data.ErrDamaged) || !strings.Contains(err.Error(), "is not a NeedleDesk database or is damaged") {
				t.Errorf("QuickCheck: %v; want a clear damaged error", err)
			}
			untouched(t, path, hash, "QuickCheck")

			rep, err := sqlite.Check(t.Context(), path)
			if err == nil && rep.IntegrityOK {
				t.Errorf("Check found nothing wrong: %+v", rep)
			}
			untouched(t, path, hash, "Check")

			err = sqlite.StartUpCheck(t.Context(), path, filepath.Join(t.TempDir(), "no backups"))
			var d *sqlite.DamagedDatabaseError
			if !errors.As(err, &d) || d.Backup != "" || !strings.Contains(err.Error(), "No good backup was found") {
				t.Errorf("StartUpCheck: %v", err)
			}
			untouched(t, path, hash, "StartUpCheck")
		})
	}
}

// TestOpenRefusesFilesCutShortOrWithABadHeader: Open reads the header
// before SQLite writes anything. Damage inside pages is for QuickCheck,
// which the app runs before Open (a full check at every Open would cost
// seconds on a large clinic).
func TestOpenRefusesFilesCutShortOrWithABadHeader(t *testing.T) {
	good := healthyFile(t)
	for name, content := range damages(t, good) {
		if strings.HasPrefix(name, "random bytes") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			path := writeDamaged(t, content)
			hash := fileHash(t, path)
			st, err := sqlite.Open(t.Context(), path)
			if err == nil {
				_ = st.Close()
				t.Fatal("Open accepted a damaged file")
			}
			if !errors.Is(err, data.ErrDamaged) {
				t.Errorf("Open: %v; want data.ErrDamaged", err)
			}
			untouched(t, path, hash, "Open")
		})
	}
}

func TestQuickCheckOnHealthyMissingAndNewer(t *testing.T) {
	e := newEnv(t)
	e.client()
	if err := sqlite.QuickCheck(e.ctx, e.path); err != nil {
		t.Errorf("an open, healthy database: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "none.db")
	if err := sqlite.QuickCheck(e.ctx, missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
	if err := sqlite.StartUpCheck(e.ctx, missing, t.TempDir()); err != nil {
		t.Errorf("StartUpCheck on a new clinic: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Error("QuickCheck created the file")
	}
	if _, err := e.st.WriterForTest().ExecContext(e.ctx, `INSERT INTO schema_migrations VALUES (999, 'future', 'x')`); err != nil {
		t.Fatal(err)
	}
	e.closeStore()
	err := sqlite.StartUpCheck(e.ctx, e.path, t.TempDir())
	if !errors.Is(err, sqlite.ErrNewerSchema) || errors.Is(err, data.ErrDamaged) {
		t.Errorf("a newer database: %v; want ErrNewerSchema, not damage", err)
	}
}

func TestStartUpCheckOffersTheNewestGoodBackup(t *testing.T) {
	e := demoEnv(t, 50)
	folder := filepath.Join(t.TempDir(), "backups")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return testNow.AddDate(0, 0, d) }
	names := map[string]string{}
	for _, d := range []int{-3, -2, -1} {
		name := backup.FileName(day(d), 1, false)
		names[name] = filepath.Join(folder, name)
		if err := e.st.Backup(e.ctx, data.SystemActor, names[name], sqlite.BackupOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	newest := names[backup.FileName(day(-1), 1, false)]
	good := names[backup.FileName(day(-2), 1, false)]
	// The newest backup is damaged, and an encrypted one (which cannot be
	// checked without its passphrase) is newer still.
	b, _ := os.ReadFile(newest)
	if err := os.WriteFile(newest, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	enc := filepath.Join(folder, backup.FileName(day(0), 1, true))
	if err := e.st.Backup(e.ctx, data.SystemActor, enc, sqlite.BackupOptions{Passphrase: []byte("0123456789ab"), WorkFactor: cheapWorkFactor}); err != nil {
		t.Fatal(err)
	}
	e.closeStore()
	content, _ := os.ReadFile(e.path)
	damaged := writeDamaged(t, damages(t, content)["random bytes over every seventh page"])

	path, at, err := sqlite.NewestGoodBackup(e.ctx, folder)
	if err != nil || path != good || !at.Equal(day(-2).Truncate(time.Second)) {
		t.Errorf("NewestGoodBackup = %s, %v, %v; want %s", path, at, err, good)
	}
	err = sqlite.StartUpCheck(e.ctx, damaged, folder)
	var d *sqlite.DamagedDatabaseError
	if !errors.As(err, &d) || d.Backup != good || !errors.Is(err, data.ErrDamaged) {
		t.Fatalf("StartUpCheck = %v; want the backup of two days ago offered", err)
	}
	for _, want := range []string{"did not open it and has not changed it", "needledesk restore --db", good} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if _, _, err := sqlite.NewestGoodBackup(e.ctx, filepath.Join(folder, "none")); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("no backups folder: %v", err)
	}
}

func TestStartUpCheckOnAnEmptyFile(t *testing.T) {
	e := newEnv(t)
	e.client()
	folder := filepath.Join(t.TempDir(), "backups")
	_ = os.Mkdir(folder, 0o700)
	empty := writeDamaged(t, nil)
	if err := sqlite.StartUpCheck(e.ctx, empty, folder); err != nil {
		t.Errorf("an empty file with no backups is a database being created: %v", err)
	}
	backup := filepath.Join(folder, backup.FileName(testNow, 1, false))
	if err := e.st.Backup(e.ctx, data.SystemActor, backup, sqlite.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	var d *sqlite.DamagedDatabaseError
	if err := sqlite.StartUpCheck(e.ctx, empty, folder); !errors.As(err, &d) || d.Backup != backup {
		t.Errorf("an empty file where backups exist: %v; want the backup offered", err)
	}
}

// TestACrashedDatabaseIsNotTakenForDamaged: after a crash (or a power cut)
// the last changes are in the -wal beside the file, and the header may be
// behind them; that is healthy, and the app opens it with every change.
func TestACrashedDatabaseIsNotTakenForDamaged(t *testing.T) {
	e := demoEnv(t, 50)
	dir := t.TempDir()
	path := filepath.Join(dir, "clinic.db")
	for _, suffix := range []string{"", "-wal"} { // copied while open: as a crash leaves them
		b, err := os.ReadFile(e.path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := sqlite.StartUpCheck(t.Context(), path, t.TempDir()); err != nil {
		t.Fatalf("StartUpCheck after a crash: %v", err)
	}
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n := countRows(t, st, "client"); n != 50 {
		t.Errorf("%d clients after the crash; want 50", n)
	}
}
