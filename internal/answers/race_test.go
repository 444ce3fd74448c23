//go:build race

package answers

// raceEnabled: the race detector makes the heaviest measurements take
// minutes; they run in .ci/run's own step without it.
const raceEnabled = true
