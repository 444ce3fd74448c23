// Package paris is the programme's time zone: its deadlines, its days and
// its figures are French calendar days, on any machine.
package paris

import (
	"fmt"
	"time"
	_ "time/tzdata" // Paris days even on a machine without zoneinfo
)

// Location is Europe/Paris.
var Location = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// The binary embeds time/tzdata, so this only happens in a broken build.
		panic(fmt.Sprintf("load time zone %s: %v", name, err))
	}
	return loc
}
