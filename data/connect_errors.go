package data

import "errors"

// What can stop a workstation from opening the clinic's records on a
// database server. The errors data/storeopen gives match them, so the
// window can say which it is and offer a way on without knowing the store.
var (
	ErrServerUnreachable     = errors.New("the clinic's database server cannot be reached")
	ErrServerWantsPassword   = errors.New("the clinic's database server asks for a password, and none was given")
	ErrServerRefusedPassword = errors.New("the clinic's database server refused the password")
	ErrNewerSchema           = errors.New("the clinic's records were written by a newer version of NeedleDesk")
)
