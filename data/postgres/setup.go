package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// setUpLock is the transaction lock a set-up holds, so two workstations
// setting up one new clinic at once cannot both make a first owner.
const setUpLock = 0x4e6565646c66

// SetUpClinic is the first start in one transaction, as data/sqlite's:
// the first owner with a password, the clinic's name saved under the
// owner, and, when c.Sample is set, the sample clinic written through a
// data.SampleStore bound to the same transaction. Any failure, a refusal
// or a cancelled ctx included, rolls all of it back. It returns the owner.
func (s *Store) SetUpClinic(ctx context.Context, c data.ClinicSetup, progress func(done, total int)) (data.Staff, error) {
	if err := c.Validate(); err != nil {
		return data.Staff{}, fmt.Errorf("setting up the clinic: %w", err)
	}
	hash, err := data.HashPassword(c.Password)
	if err != nil {
		return data.Staff{}, fmt.Errorf("setting up the clinic: %w", err)
	}
	var owner data.Staff
	err = s.write(ctx, func(tx pgx.Tx, now time.Time) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, setUpLock); err != nil {
			return err
		}
		id, err := firstOwner(ctx, tx, c.Owner(), hash, now)
		if err != nil {
			return err
		}
		if err := nameClinic(ctx, tx, id, c.ClinicName, now); err != nil {
			return err
		}
		if c.Sample != nil {
			if err := c.Sample(ctx, &setupTx{tx: tx, now: now, today: s.today()}, progress); err != nil {
				return fmt.Errorf("filling the sample clinic: %w", err)
			}
		}
		owner, err = actingStaff(ctx, tx, id)
		return err
	})
	if err != nil {
		return data.Staff{}, fmt.Errorf("setting up the clinic: %w", describeServerError(err))
	}
	return owner, nil
}

// nameClinic saves the clinic's name in the settings, under the owner.
func nameClinic(ctx context.Context, tx pgx.Tx, owner int64, name string, now time.Time) error {
	st, err := settingsIn(ctx, tx)
	if err != nil {
		return err
	}
	st.ClinicName = strings.TrimSpace(name)
	_, err = saveSettings(ctx, tx, owner, st, now)
	return err
}

// setupTx is the data.SampleStore SetUpClinic hands the sample clinic,
// with what filling its appointment book needs as well (demo.BookStore):
// each method does what the Store's method of the same name does (the
// same checks of the actor and the records, the same audit rows), inside
// the set-up's transaction, whose instant is now. A refusal is not kept
// as an ActionDenied row: the whole set-up rolls back.
type setupTx struct {
	tx    pgx.Tx
	now   time.Time
	today data.Date
}

var _ data.SampleStore = (*setupTx)(nil)

// Settings, StaffList and Products read inside the set-up, which makes
// the first owner: there is no one yet whose role to check.
func (t *setupTx) Settings(ctx context.Context, _ int64) (data.Settings, error) {
	st, err := settingsIn(ctx, t.tx)
	if err != nil {
		return st, fmt.Errorf("reading settings: %w", err)
	}
	return st, nil
}

func (t *setupTx) SaveSettings(ctx context.Context, actor int64, st *data.Settings) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	if err := st.Aftercare.CheckSources(); err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	if _, err := mayAct(ctx, t.tx, actor, data.PermSettingsWrite); err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	version, err := saveSettings(ctx, t.tx, actor, *st, t.now)
	if err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	st.Version = version
	return nil
}

// StaffList reads as Store.StaffList does.
func (t *setupTx) StaffList(ctx context.Context, _ int64, includeInactive bool) ([]data.Staff, error) {
	rows, err := t.tx.Query(ctx, `SELECT `+staffColumns+` FROM staff WHERE active OR $1`+staffOrder, includeInactive)
	if err != nil {
		return nil, fmt.Errorf("listing staff: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.Staff, error) { return scanStaff(r) })
	if err != nil {
		return nil, fmt.Errorf("listing staff: %w", err)
	}
	return out, nil
}

func (t *setupTx) CreateStaff(ctx context.Context, actor int64, st *data.Staff) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("adding staff member: %w", err)
	}
	if _, err := mayAct(ctx, t.tx, actor, data.PermStaffWrite); err != nil {
		return fmt.Errorf("adding staff member: %w", err)
	}
	id, err := createStaff(ctx, t.tx, *st, actor, t.now)
	if err != nil {
		return err
	}
	st.ID, st.HasPassword, st.Version = id, false, 1
	return nil
}

func (t *setupTx) SetPassword(ctx context.Context, actor, staffID int64, password string) error {
	hash, err := data.HashPassword(password)
	if err == nil {
		err = setPassword(ctx, t.tx, actor, staffID, hash, t.now)
	}
	if err != nil {
		return fmt.Errorf("setting the password: %w", err)
	}
	return nil
}

// Products reads as Store.Products does.
func (t *setupTx) Products(ctx context.Context, _ int64, includeRetired bool) ([]data.Product, error) {
	out, err := listProducts(ctx, t.tx, includeRetired)
	if err != nil {
		return nil, fmt.Errorf("listing products: %w", err)
	}
	return out, nil
}

func (t *setupTx) CreateProduct(ctx context.Context, actor int64, p *data.Product) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("adding product: %w", err)
	}
	ingredients, err := jsonList(p.KeyIngredients)
	if err != nil {
		return err
	}
	if _, err := mayAct(ctx, t.tx, actor, data.PermProductWrite); err != nil {
		return fmt.Errorf("adding product: %w", err)
	}
	id, err := createProduct(ctx, t.tx, *p, ingredients, actor, t.now)
	if err != nil {
		return err
	}
	p.ID, p.Version = id, 1
	return nil
}

func (t *setupTx) ImportClients(ctx context.Context, actor int64, cs []data.Client) error {
	if err := validClients(cs, t.today); err != nil {
		return err
	}
	who, err := mayAct(ctx, t.tx, actor, data.PermClientCreate)
	if err != nil {
		return fmt.Errorf("importing clients: %w", err)
	}
	saved := slices.Clone(cs)
	if err := importClientsAs(ctx, t.tx, who, saved, t.now); err != nil {
		return fmt.Errorf("importing clients: %w", err)
	}
	copy(cs, saved)
	return nil
}

func (t *setupTx) ImportSessions(ctx context.Context, actor int64, ss []data.Session) error {
	if err := validSessions(ss); err != nil {
		return err
	}
	if _, err := mayAct(ctx, t.tx, actor, data.PermSessionWrite); err != nil {
		return fmt.Errorf("importing sessions: %w", err)
	}
	saved := slices.Clone(ss)
	if err := importSessions(ctx, t.tx, actor, saved, t.now); err != nil {
		return fmt.Errorf("importing sessions: %w", err)
	}
	copy(ss, saved)
	return nil
}

// Rooms reads as Store.Rooms does.
func (t *setupTx) Rooms(ctx context.Context, actor int64, includeRetired bool) ([]data.Room, error) {
	if _, err := mayAct(ctx, t.tx, actor, data.PermBookView); err != nil {
		return nil, fmt.Errorf("reading rooms: %w", err)
	}
	out, err := roomsIn(ctx, t.tx, includeRetired)
	if err != nil {
		return nil, fmt.Errorf("reading rooms: %w", err)
	}
	return out, nil
}

func (t *setupTx) CreateRoom(ctx context.Context, actor int64, r *data.Room) error {
	if err := r.Validate(); err != nil {
		return fmt.Errorf("adding room: %w", err)
	}
	if _, err := mayAct(ctx, t.tx, actor, data.PermBookSetup); err != nil {
		return fmt.Errorf("adding room: %w", err)
	}
	id, err := createRoomIn(ctx, t.tx, actor, *r, t.now)
	if err != nil {
		return fmt.Errorf("adding room: %w", err)
	}
	r.ID, r.Version = id, 1
	return nil
}

// TreatmentTypes reads as Store.TreatmentTypes does.
func (t *setupTx) TreatmentTypes(ctx context.Context, actor int64, includeRetired bool) ([]data.TreatmentType, error) {
	if _, err := mayAct(ctx, t.tx, actor, data.PermBookView); err != nil {
		return nil, fmt.Errorf("reading the treatment menu: %w", err)
	}
	out, err := treatmentTypesIn(ctx, t.tx, includeRetired)
	if err != nil {
		return nil, fmt.Errorf("reading the treatment menu: %w", err)
	}
	return out, nil
}

func (t *setupTx) CreateTreatmentType(ctx context.Context, actor int64, tt *data.TreatmentType) error {
	if err := tt.Validate(); err != nil {
		return fmt.Errorf("adding treatment: %w", err)
	}
	areas, err := jsonList(tt.Areas)
	if err != nil {
		return err
	}
	if _, err := mayAct(ctx, t.tx, actor, data.PermBookSetup); err != nil {
		return fmt.Errorf("adding treatment: %w", err)
	}
	id, err := createTreatmentIn(ctx, t.tx, actor, *tt, areas, t.now)
	if err != nil {
		return fmt.Errorf("adding treatment: %w", err)
	}
	tt.ID, tt.Version = id, 1
	return nil
}

func (t *setupTx) ImportAppointments(ctx context.Context, actor int64, as []data.Appointment) error {
	if err := data.ValidForImport(as); err != nil {
		return err
	}
	if _, err := mayAct(ctx, t.tx, actor, data.PermBookSetup); err != nil {
		return fmt.Errorf("importing appointments: %w", err)
	}
	saved := slices.Clone(as)
	if err := importAppointments(ctx, t.tx, actor, saved, t.now); err != nil {
		return fmt.Errorf("importing appointments: %w", err)
	}
	copy(as, saved)
	return nil
}

// DayAppointments reads as Store.DayAppointments does, in the set-up's
// transaction.
func (t *setupTx) DayAppointments(ctx context.Context, actor int64, day data.Date) ([]data.Appointment, error) {
	if _, err := mayAct(ctx, t.tx, actor, data.PermBookView); err != nil {
		return nil, fmt.Errorf("reading the day's appointments: %w", err)
	}
	if day.IsZero() {
		return nil, fmt.Errorf("reading the day's appointments: %w", data.Invalid("day", "choose a day"))
	}
	out, err := readDayIn(ctx, t.tx, day, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the day's appointments: %w", err)
	}
	return out, nil
}
