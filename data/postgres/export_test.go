package postgres

import "context"

// InitAt sets url up as pg-init did in a NeedleDesk whose newest schema
// was schema: the migrations up to it, the role's rights on its tables.
func InitAt(ctx context.Context, url, role string, schema int) (InitReport, error) {
	return initAt(ctx, url, role, schema)
}
