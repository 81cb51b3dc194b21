//go:build !unix

package data_test

import "testing"

func noUmask(*testing.T) {}
