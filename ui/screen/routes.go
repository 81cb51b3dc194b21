package screen

import "needledesk/data"

// Route names a page by what it shows, so any screen can open any page
// (the session form for client 42) without knowing which tab holds it or
// how it is built: the shell maps each route to its area.
type Route interface{ isRoute() }

// ClientSearch is the client list with the cursor in its search.
type ClientSearch struct{}

// NewClient is an empty client form.
type NewClient struct{}

// ClientRecord is a client's record.
type ClientRecord struct{ Client data.ClientID }

// NewSession is the session form for a new session of Client; when
// Appointment is set, the session is given for that appointment, which
// it completes once saved.
type NewSession struct {
	Client      data.ClientID
	Appointment int64
}

// Book is the booking dialog for Client's next visit, with the technician
// and the treatment of the client's last session filled in, over the page
// it was asked from.
type Book struct{ Client data.ClientID }

// Appointment is an appointment's own page in the book, where it can be
// marked, moved or cancelled.
type Appointment struct{ ID int64 }

func (ClientSearch) isRoute() {}
func (NewClient) isRoute()    {}
func (ClientRecord) isRoute() {}
func (NewSession) isRoute()   {}
func (Book) isRoute()         {}
func (Appointment) isRoute()  {}
