package booksetup

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// RoomsScreen lists the treatment rooms (or chairs) appointments take:
// add one, rename it, retire it when it is no longer used (past
// appointments keep its name) and bring it back.
type RoomsScreen struct {
	env   *areaEnv
	stack *screen.Stack

	items []data.Room
	gen   uint64
	Form  *RoomForm // the form open now, if any

	ShowRetired *widget.Check
	AddBtn      *widget.Button
	list        *fyne.Container
	Status      *widget.Label
}

func newRoomsScreen(env *areaEnv) *RoomsScreen {
	s := &RoomsScreen{env: env}
	s.ShowRetired = &widget.Check{Text: "Show retired rooms", OnChanged: func(bool) { s.reload() }}
	s.AddBtn = &widget.Button{Text: "Add room", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: s.onAdd}
	s.list = container.NewVBox()
	s.Status = &widget.Label{Text: "The rooms are read when you open this tab."}
	top := container.NewVBox(container.NewBorder(nil, nil, nil, s.AddBtn, widgets.Title("Rooms")),
		widgets.Caption("The rooms or chairs appointments take. A room holds one appointment at a time, "+
			"so the book never puts two clients in it at once."),
		s.ShowRetired, widget.NewSeparator())
	root := container.NewPadded(widgets.Column(top, container.NewVScroll(s.list), container.NewVBox(widget.NewSeparator(), s.Status)))
	s.stack = screen.NewStack(env.Env, &screen.Page{Title: "Rooms", Content: root})
	return s
}

func (s *RoomsScreen) content() fyne.CanvasObject { return s.stack.Content }
func (s *RoomsScreen) dirty() bool                { return s.stack.HasUnsaved() }
func (s *RoomsScreen) save()                      { s.stack.SaveTop() }
func (s *RoomsScreen) shown() {
	if s.stack.Depth() == 1 {
		s.reload()
	}
}

// reload reads the rooms in the background.
func (s *RoomsScreen) reload() {
	if s.env.deps.Rooms == nil {
		return
	}
	s.gen++
	gen, all, actor, store := s.gen, s.ShowRetired.Checked, s.env.ActorID(), s.env.deps.Rooms
	screen.Background(s.env.Env, func(ctx context.Context) ([]data.Room, error) {
		return store.Rooms(ctx, actor, all)
	}, func(rs []data.Room, err error) {
		if gen != s.gen {
			return
		}
		if err != nil {
			setStatus(s.Status, "Could not read the rooms. "+data.UserMessage(err), true)
			return
		}
		s.items = rs
		s.render()
	})
}

func (s *RoomsScreen) render() {
	var objs []fyne.CanvasObject
	active := 0
	for _, r := range s.items {
		objs = append(objs, s.row(r))
		if r.Active {
			active++
		}
	}
	s.list.Objects = rows(objs)
	s.list.Refresh()
	switch {
	case len(s.items) == 0:
		setStatus(s.Status, "No rooms yet. Add the rooms or chairs clients are treated in.", false)
	case active == len(s.items):
		setStatus(s.Status, widgets.Count(active, "room")+" in use", false)
	default:
		setStatus(s.Status, fmt.Sprintf("%s in use, %d retired", widgets.Count(active, "room"), len(s.items)-active), false)
	}
}

func (s *RoomsScreen) row(r data.Room) fyne.CanvasObject {
	rename := &widget.Button{Text: "Rename", Icon: theme.DocumentCreateIcon(), OnTapped: func() { s.open(r) }}
	if r.Active {
		retire := &widget.Button{Text: "Retire", Importance: widget.LowImportance, OnTapped: func() { s.onRetire(r) }}
		return listRow(r.Name, "", false, rename, retire)
	}
	back := &widget.Button{Text: "Bring back", Icon: theme.ContentUndoIcon(), OnTapped: func() { s.setActive(r, true) }}
	return listRow(r.Name, "", true, rename, back)
}

func (s *RoomsScreen) onAdd() { s.open(data.Room{Active: true}) }

func (s *RoomsScreen) open(r data.Room) {
	s.Form = newRoomForm(s.env, r, func() { s.stack.PopNow(); s.reload() }, s.stack.Pop)
	s.stack.Push(s.Form.page)
	s.env.Focus(s.Form.Name)
	selectAll(s.Form.Name) // typing a new name replaces the old one
}

func (s *RoomsScreen) onRetire(r data.Room) {
	s.env.Confirm("Retire room", fmt.Sprintf("Stop booking %s? Appointments already in it keep it, "+
		"but it is no longer offered for new ones. You can bring it back later.", r.Name), "Retire",
		func() { s.setActive(r, false) })
}

func (s *RoomsScreen) setActive(r data.Room, active bool) {
	r.Active = active
	actor, store := s.env.ActorID(), s.env.deps.Rooms
	screen.Background(s.env.Env, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, store.UpdateRoom(ctx, actor, &r)
	}, func(_ struct{}, err error) {
		if err != nil {
			s.env.ShowError("Could not change the room", err)
		}
		s.reload()
	})
}

// RoomForm adds a room or renames one.
type RoomForm struct {
	env      *areaEnv
	original data.Room
	saved    func()
	page     *screen.Page

	Name    *widgets.Entry
	Fields  widgets.FieldSet
	Summary *widget.Label
	SaveBtn *widget.Button
	saving  bool
}

func newRoomForm(env *areaEnv, r data.Room, saved, cancel func()) *RoomForm {
	f := &RoomForm{env: env, original: r, saved: saved}
	f.Name = widgets.NewSubmitEntry(1, f.save, nil)
	f.Name.PlaceHolder = "For example: Room 1, or the window chair"
	f.Name.OnEscape = cancel
	f.Name.SetText(r.Name)
	f.Fields = widgets.FieldSet{widgets.NewField("name", "Name", f.Name)}
	f.Summary = widgets.Summary()
	f.SaveBtn = &widget.Button{Text: "Save room", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: f.save}
	title := "New room"
	if r.ID != 0 {
		title = "Rename " + r.Name
	}
	buttons := container.NewHBox(f.SaveBtn, &widget.Button{Text: "Cancel", OnTapped: cancel})
	form := container.NewVBox(fixedWidth(420, f.Fields[0].Box), f.Summary,
		container.NewBorder(nil, nil, buttons, nil, widgets.Caption("Enter or Ctrl+S saves; Escape goes back.")))
	f.page = &screen.Page{Title: title, Content: container.NewPadded(container.NewPadded(form)),
		Dirty: func() bool { return trimmed(f.Name) != f.original.Name }, Save: f.save}
	f.Fields.Watch(func() []data.FieldError { return data.FieldProblems(f.read().Validate()) },
		func() { widgets.SetSummary(f.Summary, "", widget.MediumImportance) })
	return f
}

func (f *RoomForm) read() data.Room {
	r := f.original
	r.Name = trimmed(f.Name)
	return r
}

func (f *RoomForm) save() {
	if f.saving {
		return
	}
	r := f.read()
	if !showProblems(f.Fields, f.Summary, data.FieldProblems(r.Validate())) {
		return
	}
	f.saving = true
	f.SaveBtn.Disable()
	actor, store := f.env.ActorID(), f.env.deps.Rooms
	screen.Background(f.env.Env, func(ctx context.Context) (struct{}, error) {
		if r.ID == 0 {
			return struct{}{}, store.CreateRoom(ctx, actor, &r)
		}
		return struct{}{}, store.UpdateRoom(ctx, actor, &r)
	}, func(_ struct{}, err error) {
		f.saving = false
		f.SaveBtn.Enable()
		if err != nil {
			saveFailed(f.Fields, f.Summary, err, "the room")
			return
		}
		f.original.Name = r.Name
		f.saved()
	})
}
