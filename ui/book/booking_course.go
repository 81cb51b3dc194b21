package book

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
)

// noCourse is the course choice's first line.
const noCourse = "Not part of a course"

// openCourses are the client's courses that can take another booking:
// not closed, with sessions planned that are neither done nor booked.
func openCourses(cs []data.Course) []data.Course {
	var out []data.Course
	for _, c := range cs {
		p := c.Progress
		if !c.Closed && p.Done+p.Booked < p.Planned {
			out = append(out, c)
		}
	}
	return out
}

// fullyBooked are the client's courses that take no more bookings
// because every session not yet given is booked: not closed, not
// finished, nothing left to book.
func fullyBooked(cs []data.Course) []data.Course {
	var out []data.Course
	for _, c := range cs {
		p := c.Progress
		if !c.Closed && !p.Finished() && p.Done+p.Booked >= p.Planned {
			out = append(out, c)
		}
	}
	return out
}

// courseLabel names a course in the booking dialog by the session a new
// booking would be, after those done and booked: "Face needling,
// session 4 of 6 (2 done, 1 booked)".
func courseLabel(c data.Course) string {
	p := c.Progress
	return fmt.Sprintf("%s, session %d of %d (%s)", c.TreatmentName, min(p.Done+p.Booked+1, p.Planned), p.Planned, p.Detail())
}

// fullCourseNote says why a booking for a course's treatment is not part
// of it: "Every session of the Face needling course is done or booked
// (2 done, 4 booked), so this appointment is not part of it."
func fullCourseNote(c data.Course) string {
	return fmt.Sprintf("Every session of the %s course is done or booked (%s), so this appointment is not part of it.",
		c.TreatmentName, c.Progress.Detail())
}

// loadCourses reads the chosen client's open courses in the background
// and offers them; the course the dialog was opened with, or else the one
// for the chosen treatment, is chosen.
func (b *bookingDialog) loadCourses(clientID int64) {
	b.courseSeq++
	seq := b.courseSeq
	b.setCourses(0, nil, nil)
	if clientID == 0 || b.env.deps.Courses == nil {
		return
	}
	read, actor := b.env.deps.Courses, b.env.ActorID()
	screen.Background(b.env.Env, func(ctx context.Context) ([]data.Course, error) {
		return read.ClientCourses(ctx, actor, clientID)
	}, func(cs []data.Course, err error) {
		if seq != b.courseSeq {
			return // another client was chosen since
		}
		if err != nil {
			b.fields.Find("course").SetProblem("Could not read the client's courses. " + data.UserMessage(err))
			return
		}
		b.setCourses(clientID, openCourses(cs), fullyBooked(cs))
	})
}

// setCourses offers a client's open courses; full are those with every
// session left booked, which the dialog names when booking their
// treatment outside any course.
func (b *bookingDialog) setCourses(clientID int64, open, full []data.Course) {
	b.courses, b.fullCourses, b.coursesFor, b.coursePicked = open, full, clientID, false
	opts := []string{noCourse}
	for _, c := range open {
		opts = append(opts, courseLabel(c))
	}
	b.settingCourse = true
	b.course.SetOptions(opts)
	b.course.SetSelectedIndex(0)
	b.settingCourse = false
	if len(open) == 0 {
		b.course.Disable()
	} else {
		b.course.Enable()
	}
	if clientID != 0 && clientID == b.pre.ClientID && b.pre.CourseID != 0 {
		for i, c := range open {
			if c.ID == b.pre.CourseID {
				b.selectCourse(i + 1)
				b.coursePicked = true
				b.noteFullCourse()
				return
			}
		}
	}
	b.defaultCourse()
}

// defaultCourse chooses the open course for the chosen treatment (the
// newest, when there are several), or no course; a course chosen by hand
// stays.
func (b *bookingDialog) defaultCourse() {
	if b.course == nil {
		return
	}
	defer b.noteFullCourse()
	if b.coursePicked {
		return
	}
	t, ok := b.chosenTreatment()
	pick := 0
	for i, c := range b.courses { // newest first
		if ok && c.TreatmentID == t.ID {
			pick = i + 1
			break
		}
	}
	b.selectCourse(pick)
}

// noteFullCourse says, under the course choice, when the appointment is
// booked outside any course while the client's course for its treatment
// has every session left booked already.
func (b *bookingDialog) noteFullCourse() {
	f := b.fields.Find("course")
	if f == nil {
		return
	}
	t, ok := b.chosenTreatment()
	if _, inCourse := b.chosenCourse(); ok && !inCourse {
		for _, c := range b.fullCourses {
			if c.TreatmentID == t.ID {
				f.SetWarning(fullCourseNote(c))
				return
			}
		}
	}
	if f.Message.Importance == widget.WarningImportance {
		f.SetProblem("")
		f.Message.Importance = widget.DangerImportance
	}
}

func (b *bookingDialog) selectCourse(i int) {
	b.settingCourse = true
	b.course.SetSelectedIndex(i)
	b.settingCourse = false
}

// onCourse keeps a course chosen by hand, and chooses its treatment when
// none is chosen yet.
func (b *bookingDialog) onCourse(string) {
	if b.settingCourse {
		return
	}
	b.coursePicked = true
	defer b.noteFullCourse()
	c, ok := b.chosenCourse()
	if !ok {
		return
	}
	if _, chosen := b.chosenTreatment(); chosen {
		return
	}
	for i, t := range b.refs.activeMenu() {
		if t.ID == c.TreatmentID {
			b.treatment.SetSelectedIndex(i)
		}
	}
}

func (b *bookingDialog) chosenCourse() (data.Course, bool) {
	if i := b.course.SelectedIndex(); i > 0 && i <= len(b.courses) {
		return b.courses[i-1], true
	}
	return data.Course{}, false
}
