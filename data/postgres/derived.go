package postgres

import (
	"strings"

	"needledesk/data/internal/searchkeys"
)

// A client's derived columns and a parsed query are searchkeys', the same
// as data/sqlite's: both stores must find the same clients for the same
// words, which the contract suite checks.
var (
	deriveClient = searchkeys.Derive
	parseSearch  = searchkeys.Parse
)

// likeContains is a LIKE pattern for text containing w anywhere.
func likeContains(w string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(w) + "%"
}
