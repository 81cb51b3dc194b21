// NeedleDesk: client records, treatment charts and aftercare sheets for
// skin-needling clinics. main only decides between a command (package
// ui/cli) and the window (package ui/desktop).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "needledesk/ui/syslocale" // before Fyne reads the locale: see the package

	"needledesk/ui/cli"
	"needledesk/ui/desktop"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the command the arguments name, or opens the window, and
// returns the process exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if cli.IsCommand(args) {
		return cli.Run(ctx, args, stdout, stderr)
	}
	return desktop.Run(ctx, args, stdout, stderr)
}
