//go:build !race

package answers

const raceEnabled = false
