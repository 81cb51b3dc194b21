package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"needledesk/data"
)

// runAppointments lists a clinic-local day's appointments, every
// technician and room and every state, as a table or one JSON object per
// line.
func runAppointments(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("appointments", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file")
	dayText := fs.String("day", "", "the day, YYYY-MM-DD, on the clinic's clock")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dayText == "" {
		return &flagError{fmt.Errorf("--day YYYY-MM-DD is required"), fs}
	}
	day, err := data.ParseDate(*dayText)
	if err != nil {
		return &flagError{fmt.Errorf("--day: %q is not a day in the form YYYY-MM-DD", *dayText), fs}
	}
	st, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	settings, err := st.Settings(ctx, data.SystemActor)
	if err != nil {
		return err
	}
	list, err := st.DayAppointments(ctx, data.SystemActor, day)
	if err != nil {
		return err
	}
	loc := settings.Location()
	if *asJSON {
		return printAppointmentsJSON(stdout, list, loc)
	}
	return printAppointments(stdout, list, loc, settings.FormatDate(day))
}

// appointmentJSON is the stable shape of `appointments --json` for
// owners' scripts. Times are RFC 3339 on the clinic's clock, with its
// offset from UTC.
type appointmentJSON struct {
	ID           int64  `json:"id"`
	Start        string `json:"start"`
	End          string `json:"end"`
	Minutes      int    `json:"minutes"`
	ClientID     int64  `json:"client_id"`
	Client       string `json:"client"`
	TechnicianID int64  `json:"technician_id"`
	Technician   string `json:"technician"`
	RoomID       int64  `json:"room_id,omitempty"`
	Room         string `json:"room,omitempty"`
	TreatmentID  int64  `json:"treatment_id"`
	Treatment    string `json:"treatment"`
	Status       string `json:"status"`
	CancelReason string `json:"cancel_reason,omitempty"`
	CancelNote   string `json:"cancel_note,omitempty"`
	Note         string `json:"note,omitempty"`
	SessionID    int64  `json:"session_id,omitempty"`
	Course       string `json:"course,omitempty"` // "3 of 6"
}

func printAppointmentsJSON(w io.Writer, list []data.Appointment, loc *time.Location) error {
	enc := json.NewEncoder(w)
	for _, a := range list {
		j := appointmentJSON{ID: a.ID, Start: a.Start.In(loc).Format(time.RFC3339), End: a.End().In(loc).Format(time.RFC3339),
			Minutes: a.Minutes, ClientID: a.ClientID, Client: a.ClientName, TechnicianID: a.TechnicianID,
			Technician: a.TechnicianName, RoomID: a.RoomID, Room: a.RoomName, TreatmentID: a.TreatmentID,
			Treatment: a.TreatmentName, Status: string(a.Status), CancelReason: string(a.Cancel.Reason),
			CancelNote: a.Cancel.Note, Note: a.Note, SessionID: a.SessionID}
		if a.CourseNumber > 0 {
			j.Course = fmt.Sprintf("%d of %d", a.CourseNumber, a.CoursePlanned)
		}
		if err := enc.Encode(j); err != nil {
			return err
		}
	}
	return nil
}

func printAppointments(w io.Writer, list []data.Appointment, loc *time.Location, day string) error {
	if len(list) == 0 {
		_, err := fmt.Fprintf(w, "No appointments on %s.\n", day)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tCLIENT\tTECHNICIAN\tROOM\tTREATMENT\tSTATE")
	for _, a := range list {
		state := a.Status.Label()
		if a.Status == data.StatusCancelled {
			state += " (" + a.Cancel.Reason.Label() + ")"
		}
		fmt.Fprintf(tw, "%s-%s\t%s\t%s\t%s\t%s\t%s\n", a.Start.In(loc).Format("15:04"), a.End().In(loc).Format("15:04"),
			a.ClientName, a.TechnicianName, a.RoomName, a.TreatmentName, state)
	}
	return tw.Flush()
}
