package yuma

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeJSONRows(t *testing.T) {
	in, err := DecodeJSON(strings.NewReader(`{
		"stake": [1, 2, 3],
		"weights": [[0, 1, 3], [[2, 0], [0, 5]], [0.0, 0.25, 0.5]],
		"bonds": [[], [[1, 7]]],
		"kappa": 0.5, "bond_alpha": 0.25, "owner_uid": 1, "yuma3": false}`))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]Entry{
		{{1, 1}, {2, 3}},         // dense integer row: stored as given, zeros not stored
		{{2, 0}, {0, 5}},         // pairs: order and explicit zeros kept
		{{1, 32768}, {2, 65535}}, // float row: max-upscaled like set_weights
	}
	if !reflect.DeepEqual(in.Weights, want) {
		t.Fatalf("weights %v, want %v", in.Weights, want)
	}
	if !reflect.DeepEqual(in.Bonds, [][]Entry{{}, {{1, 7}}}) {
		t.Fatalf("bonds %v", in.Bonds)
	}
	if in.Kappa != FromF64(0.5) || in.BondAlpha != FromF64(0.25) || in.OwnerUID == nil || *in.OwnerUID != 1 || in.Yuma3 {
		t.Fatalf("parameters not applied: %+v", in)
	}
	d, err := DecodeJSON(strings.NewReader(`{"stake": [1]}`))
	if err != nil {
		t.Fatal(err)
	}
	if def := DefaultInput([]uint64{1}); !reflect.DeepEqual(d, def) {
		t.Fatalf("defaults %+v, want %+v", d, def)
	}
}

func TestDecodeJSONErrorsNameField(t *testing.T) {
	for doc, field := range map[string]string{
		`{"stake":[1,2,3],"weights":[[1,2]]}`:         "weights[0]",
		`{"stake":[-1]}`:                              "stake[0]",
		`{"stake":[1],"alpha_low_u16":9,"x":1}`:       "x",
		`{"stake":[1],"bonds_moving_average":2e6}`:    "bonds_moving_average",
		`{"stake":[1],"alpha_sigmoid_steepness":1.5}`: "alpha_sigmoid_steepness",
		`{"stake":[1]} {}`:                            "input",
		``:                                            "input",
	} {
		_, err := DecodeJSON(strings.NewReader(doc))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != field || !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: err %v, want field %q", doc, err, field)
		}
	}
}

// FuzzDecodeJSON: arbitrary documents never panic; whatever decodes runs.
func FuzzDecodeJSON(f *testing.F) {
	files, _ := filepath.Glob("testdata/subtensor/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var c struct {
			Steps []struct {
				Input json.RawMessage `json:"input"`
			} `json:"steps"`
		}
		if err := json.Unmarshal(data, &c); err != nil {
			f.Fatal(err)
		}
		for _, s := range c.Steps {
			f.Add(string(s.Input))
		}
	}
	f.Add(`{"stake":[1,2],"weights":[[0,1.5]],"liquid_alpha":true,"bonds":[[[1,3]]]}`)
	f.Add(`{"stake":[1,2],"weights":[[[1,1e300]]]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		in, err := DecodeJSON(strings.NewReader(doc))
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("error %v does not wrap ErrInvalidInput", err)
			}
			return
		}
		if _, err := Run(in); err != nil {
			t.Fatalf("decoded input fails to run: %v", err)
		}
	})
}
