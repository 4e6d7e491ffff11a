package tour

import (
	"context"
	"fmt"
	"io"
)

// All runs every API's tour in turn and stops at the first failure.
func All(ctx context.Context, w io.Writer, env Env) error {
	for _, t := range []struct {
		name string
		run  func(context.Context, io.Writer, Env) error
	}{
		{"backoffice", Backoffice},
		{"telphin", Telphin},
		{"accountuser", Accountuser},
		{"iotuser", Iotuser},
	} {
		if err := t.run(ctx, w, env); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	fmt.Fprintln(w, "\nDone: every step succeeded.")
	return nil
}
