package book

import (
	"context"
	"fmt"

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

// courseLabel names a course in the booking dialog: "Face needling,
// session 3 of 6 (2 done, 1 booked)".
func courseLabel(c data.Course) string {
	return fmt.Sprintf("%s, %s (%s)", c.TreatmentName, c.Progress.Label(), c.Progress.Detail())
}

// loadCourses reads the chosen client's open courses in the background
// and offers them; the course the dialog was opened with, or else the one
// for the chosen treatment, is chosen.
func (b *bookingDialog) loadCourses(clientID int64) {
	b.courseSeq++
	seq := b.courseSeq
	b.setCourses(0, nil)
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
		b.setCourses(clientID, openCourses(cs))
	})
}

// setCourses offers a client's open courses.
func (b *bookingDialog) setCourses(clientID int64, open []data.Course) {
	b.courses, b.coursesFor, b.coursePicked = open, clientID, false
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
	if b.coursePicked || b.course == nil {
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
