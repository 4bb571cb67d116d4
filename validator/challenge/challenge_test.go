package challenge

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

func secret(b byte) Secret { var s Secret; s[0] = b; return s }

func TestPromptsAreDeterministicAndSecretDependent(t *testing.T) {
	a, b := secret(1), secret(2)
	same, distinct := 0, map[string]bool{}
	for i := range uint64(200) {
		pa := Prompt(a, i)
		if pa != Prompt(a, i) {
			t.Fatalf("prompt %d not deterministic", i)
		}
		if strings.ContainsAny(pa, "{}") || len(pa) < 10 {
			t.Fatalf("prompt %d malformed: %q", i, pa)
		}
		if pa == Prompt(b, i) {
			same++
		}
		distinct[pa] = true
	}
	// Another secret predicts almost nothing; one secret gives varied prompts.
	if same > 10 {
		t.Fatalf("%d of 200 prompts equal under different secrets", same)
	}
	if len(distinct) < 180 {
		t.Fatalf("only %d distinct prompts of 200", len(distinct))
	}
}

func TestEpochSecretsDiffer(t *testing.T) {
	m := secret(9)
	if EpochSecret(m, 1) == EpochSecret(m, 2) || EpochSecret(m, 1) == EpochSecret(secret(8), 1) {
		t.Fatal("epoch secrets collide")
	}
	if EpochSecret(m, 5) != EpochSecret(m, 5) {
		t.Fatal("epoch secret not deterministic")
	}
}

func TestPromptTokensInRange(t *testing.T) {
	p := PromptTokens(secret(1), 3, 1, 3, 512, 12)
	if len(p) != 12 || p[0] != 1 {
		t.Fatalf("tokens = %v", p)
	}
	for _, x := range p[1:] {
		if x < 3 || x >= 512 {
			t.Fatalf("token %d out of range", x)
		}
	}
	if slicesEqual(p, PromptTokens(secret(2), 3, 1, 3, 512, 12)) {
		t.Fatal("token prompts equal under different secrets")
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestMinerSeedsNeverShared(t *testing.T) {
	nonce := secret(7)
	q := QueryID(secret(1), 0)
	seen := map[uint64]common.Address{}
	for i := range 1000 {
		m := common.BigToAddress(common.Big1).Bytes()
		m[0] = byte(i)
		m[1] = byte(i >> 8)
		addr := common.BytesToAddress(m)
		s := MinerSeed(nonce, addr, q)
		if s == 0 {
			t.Fatal("zero seed")
		}
		if prev, dup := seen[s]; dup {
			t.Fatalf("miners %s and %s share seed %d", prev, addr, s)
		}
		seen[s] = addr
		if MinerSeed(nonce, addr, QueryID(secret(1), 1)) == s {
			t.Fatal("same seed for two queries")
		}
		if MinerSeed(secret(8), addr, q) == s {
			t.Fatal("seed does not depend on the nonce")
		}
	}
	if bytes.Equal(QueryID(secret(1), 0), QueryID(secret(1), 1)) || len(q) != 16 {
		t.Fatal("query ids collide or have the wrong size")
	}
}

func TestSettingsStayInOptions(t *testing.T) {
	o := DefaultSamplingOptions()
	o.Temperatures = append(o.Temperatures, 0)
	greedy, sampled := 0, 0
	for i := range uint64(300) {
		s := Settings(secret(3), i, o)
		if s.MaxTokens < o.MinTokens || s.MaxTokens > o.MaxTokens {
			t.Fatalf("max tokens %d outside [%d,%d]", s.MaxTokens, o.MinTokens, o.MaxTokens)
		}
		if s != Settings(secret(3), i, o) {
			t.Fatal("settings not deterministic")
		}
		if s.Temperature == 0 {
			greedy++
		} else {
			sampled++
		}
	}
	if greedy == 0 || sampled == 0 {
		t.Fatalf("greedy %d, sampled %d: both kinds must occur", greedy, sampled)
	}
	for _, tmp := range DefaultSamplingOptions().Temperatures {
		if tmp == 0 {
			t.Fatal("default options include greedy probes")
		}
	}
}

func TestScheduleIsFair(t *testing.T) {
	uids := []uint16{0, 3, 4, 9, 11}
	span := 10 * time.Minute
	tests := []struct{ perMiner int }{{1}, {3}, {8}}
	for _, tc := range tests {
		p := Schedule(secret(5), uids, tc.perMiner, span)
		if len(p) != len(uids)*tc.perMiner {
			t.Fatalf("%d probes, want %d", len(p), len(uids)*tc.perMiner)
		}
		win := span / time.Duration(tc.perMiner)
		perWindow := map[[2]int]int{}
		for i, x := range p {
			if x.At < 0 || x.At >= span {
				t.Fatalf("probe at %v outside the epoch", x.At)
			}
			if i > 0 && p[i-1].At > x.At {
				t.Fatal("schedule not sorted")
			}
			if x.Index != uint64(i) {
				t.Fatal("indices not sequential")
			}
			perWindow[[2]int{int(x.UID), int(x.At / win)}]++
		}
		for _, u := range uids {
			for w := range tc.perMiner {
				if perWindow[[2]int{int(u), w}] != 1 {
					t.Fatalf("uid %d has %d probes in window %d, want 1", u, perWindow[[2]int{int(u), w}], w)
				}
			}
		}
	}
	a, b := Schedule(secret(5), uids, 3, span), Schedule(secret(6), uids, 3, span)
	diff := 0
	for i := range a {
		if a[i].At != b[i].At {
			diff++
		}
	}
	if diff == 0 {
		t.Fatal("schedule does not depend on the secret")
	}
	if Schedule(secret(5), nil, 3, span) != nil || Schedule(secret(5), uids, 0, span) != nil {
		t.Fatal("empty input must give no probes")
	}
}
