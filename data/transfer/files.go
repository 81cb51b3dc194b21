package transfer

import (
	"fmt"
	"os"
	"runtime"

	"needledesk/data"
)

// syncDir makes the names in a folder durable, so that after a power cut
// the export is either all there or absent. Windows cannot sync a folder
// and does not need to.
func syncDir(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	dir, err := os.Open(path)
	if err != nil {
		return fileProblem("saving "+path, err)
	}
	defer dir.Close()
	if err := dir.Sync(); err != nil {
		return fileProblem("saving "+path, err)
	}
	return nil
}

// fileProblem says what was being done to the export's files and what the
// system answered (a full disk, a folder without permission): words for
// the person, not a fault of NeedleDesk.
func fileProblem(doing string, err error) error {
	return data.Explained(fmt.Errorf("%s: %w", doing, err))
}
