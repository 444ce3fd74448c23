package main

import (
	"context"
	"fmt"
)

// runTune prints the model's cross-validation: each training group left
// out of the fit in turn, the figures the thresholds were chosen on.
func runTune(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("tune")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("tune: no argument expected: %w", errUsage)
	}
	m, err := c.matcher()
	if err != nil {
		return err
	}
	m.CrossValidation(c.stdout)
	m.ThresholdCurve(c.stdout)
	return nil
}
