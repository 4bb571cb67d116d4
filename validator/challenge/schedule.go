package challenge

import (
	"encoding/binary"
	"slices"
	"time"
)

// Probe is one scheduled query: at offset At from the epoch start, to uid.
type Probe struct {
	At    time.Duration
	UID   uint16
	Index uint64 // probe number within the epoch (input of QueryID, Prompt, Settings)
}

// Schedule spreads perMiner probes to each uid over span: the span is cut
// into perMiner equal windows and every uid gets exactly one probe in each
// window, at a secret-random offset inside it. Every registered miner is
// measured the same number of times, at times it cannot predict. The result
// is sorted by time; Index numbers the probes in that order.
func Schedule(s Secret, uids []uint16, perMiner int, span time.Duration) []Probe {
	if perMiner <= 0 || span <= 0 || len(uids) == 0 {
		return nil
	}
	r := newStream(s[:], "schedule"+string(binary.BigEndian.AppendUint64(nil, uint64(perMiner))))
	win := span / time.Duration(perMiner)
	if win <= 0 {
		win = 1
	}
	out := make([]Probe, 0, len(uids)*perMiner)
	for w := range perMiner {
		for _, u := range uids {
			out = append(out, Probe{At: time.Duration(w)*win + time.Duration(r.next()%uint64(win)), UID: u})
		}
	}
	slices.SortStableFunc(out, func(a, b Probe) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return int(a.UID) - int(b.UID)
	})
	for i := range out {
		out[i].Index = uint64(i)
	}
	return out
}
