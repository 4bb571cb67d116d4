package yuma

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// MaxJSONInput bounds the size of an epoch JSON document DecodeJSON reads.
const MaxJSONInput = 256 << 20

// jsonInput mirrors the documented input keys (docs/yuma.md). Pointers tell
// "absent" from zero.
type jsonInput struct {
	Stake                 []json.Number     `json:"stake"`
	Weights               []json.RawMessage `json:"weights"`
	Bonds                 []json.RawMessage `json:"bonds"`
	KappaU16              *uint16           `json:"kappa_u16"`
	Kappa                 *float64          `json:"kappa"`
	BondsMovingAverage    *uint64           `json:"bonds_moving_average"`
	BondAlpha             *float64          `json:"bond_alpha"`
	BondsPenaltyU16       *uint16           `json:"bonds_penalty_u16"`
	Yuma3                 *bool             `json:"yuma3"`
	LiquidAlpha           *bool             `json:"liquid_alpha"`
	AlphaLowU16           *uint16           `json:"alpha_low_u16"`
	AlphaHighU16          *uint16           `json:"alpha_high_u16"`
	AlphaSigmoidSteepness *int16            `json:"alpha_sigmoid_steepness"`
	MaxAllowedValidators  *uint16           `json:"max_allowed_validators"`
	OwnerUID              *uint16           `json:"owner_uid"`
	StakeThreshold        *uint64           `json:"stake_threshold"`
	RaoEmission           *uint64           `json:"rao_emission"`
	ValidatorPermits      []bool            `json:"validator_permits"`
	Active                []bool            `json:"active"`
}

// DecodeJSON reads one epoch's input (the keys of docs/yuma.md) and returns
// a validated Input. Errors wrap ErrInvalidInput and name the field.
func DecodeJSON(r io.Reader) (Input, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxJSONInput+1))
	if err != nil {
		return Input{}, fmt.Errorf("read epoch input: %w", err)
	}
	if len(data) > MaxJSONInput {
		return Input{}, fieldErr("input", "larger than %d bytes", MaxJSONInput)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var j jsonInput
	if err := dec.Decode(&j); err != nil {
		return Input{}, jsonErr(err)
	}
	if dec.More() {
		return Input{}, fieldErr("input", "trailing data after the JSON object")
	}
	if j.Stake == nil {
		return Input{}, fieldErr("stake", "missing (a list of raw u64 stakes, one per uid)")
	}
	stake := make([]uint64, len(j.Stake))
	for i, s := range j.Stake {
		v, err := strconv.ParseUint(s.String(), 10, 64)
		if err != nil {
			return Input{}, fieldErr(fmt.Sprintf("stake[%d]", i), "%s is not a non-negative integer u64", s)
		}
		stake[i] = v
	}
	n := len(stake)
	in := DefaultInput(stake)
	if in.Weights, err = decodeRows("weights", j.Weights, n, true); err != nil {
		return Input{}, err
	}
	if in.Bonds, err = decodeRows("bonds", j.Bonds, n, false); err != nil {
		return Input{}, err
	}
	switch {
	case j.KappaU16 != nil && j.Kappa != nil:
		return Input{}, fieldErr("kappa", "give kappa_u16 or kappa, not both")
	case j.KappaU16 != nil:
		in.Kappa = KappaFromU16(*j.KappaU16)
	case j.Kappa != nil:
		if err := unitFloat("kappa", *j.Kappa); err != nil {
			return Input{}, err
		}
		in.Kappa = FromF64(*j.Kappa)
	}
	switch {
	case j.BondsMovingAverage != nil && j.BondAlpha != nil:
		return Input{}, fieldErr("bond_alpha", "give bonds_moving_average or bond_alpha, not both")
	case j.BondsMovingAverage != nil:
		if *j.BondsMovingAverage > 1_000_000 {
			return Input{}, fieldErr("bonds_moving_average", "%d exceeds 1000000", *j.BondsMovingAverage)
		}
		in.BondAlpha = AlphaFromMovingAverage(*j.BondsMovingAverage)
	case j.BondAlpha != nil:
		if err := unitFloat("bond_alpha", *j.BondAlpha); err != nil {
			return Input{}, err
		}
		in.BondAlpha = FromF64(*j.BondAlpha)
	}
	if j.BondsPenaltyU16 != nil {
		in.BondsPenalty = U16Proportion(*j.BondsPenaltyU16)
	}
	if j.Yuma3 != nil {
		in.Yuma3 = *j.Yuma3
	}
	if j.LiquidAlpha != nil {
		in.LiquidAlpha = *j.LiquidAlpha
	}
	if j.AlphaLowU16 != nil {
		in.AlphaLow = U16Proportion(*j.AlphaLowU16)
	}
	if j.AlphaHighU16 != nil {
		in.AlphaHigh = U16Proportion(*j.AlphaHighU16)
	}
	if j.AlphaSigmoidSteepness != nil {
		in.AlphaSigmoidSteepness = FromInt(int64(*j.AlphaSigmoidSteepness))
	}
	if j.MaxAllowedValidators != nil {
		in.MaxAllowedValidators = int(*j.MaxAllowedValidators)
	}
	in.OwnerUID = j.OwnerUID
	if j.StakeThreshold != nil {
		in.StakeThreshold = *j.StakeThreshold
	}
	if j.RaoEmission != nil {
		in.RaoEmission = *j.RaoEmission
	}
	in.ValidatorPermits = j.ValidatorPermits
	in.Active = j.Active
	if err := in.Validate(); err != nil {
		return Input{}, err
	}
	return in, nil
}

func unitFloat(name string, f float64) error {
	if math.IsNaN(f) || f < 0 || f > 1 {
		return fieldErr(name, "%v is outside [0, 1]", f)
	}
	return nil
}

// jsonErr turns encoding/json errors into field errors.
func jsonErr(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "input"
		}
		return fieldErr(field, "expected %s, got JSON %s", te.Type, te.Value)
	case errors.As(err, &se):
		return fieldErr("input", "malformed JSON at byte %d: %v", se.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldErr(name, "unknown key")
	case errors.Is(err, io.EOF):
		return fieldErr("input", "empty document")
	}
	return fieldErr("input", "%v", err)
}

// isInteger reports whether a JSON number literal is written as an integer.
func isInteger(n json.Number) bool { return !strings.ContainsAny(n.String(), ".eE") }

// decodeRows parses weight or bond rows. A row is either dense (n numbers,
// one per uid; zeros are not stored) or sparse ([uid, value] pairs, kept
// as given, zeros included). Integer rows are stored u16 values; float rows
// (weights only; any value written with a fraction or exponent) are
// max-upscaled like set_weights.
func decodeRows(name string, raw []json.RawMessage, n int, floats bool) ([][]Entry, error) {
	if len(raw) > n {
		return nil, fieldErr(name, "%d rows for %d uids (more rows than stakes)", len(raw), n)
	}
	if raw == nil {
		return nil, nil
	}
	rows := make([][]Entry, len(raw))
	for i, r := range raw {
		field := fmt.Sprintf("%s[%d]", name, i)
		var cells []json.RawMessage
		if err := unmarshalNumbers(r, &cells); err != nil {
			return nil, fieldErr(field, "a row must be a list of numbers or of [uid, value] pairs")
		}
		var uids []int
		var vals []json.Number
		dense := false
		for k, c := range cells {
			c = bytes.TrimSpace(c)
			isNum := len(c) > 0 && (c[0] == '-' || (c[0] >= '0' && c[0] <= '9'))
			if k > 0 && isNum != dense {
				return nil, fieldErr(field, "mixes numbers and [uid, value] pairs")
			}
			if isNum {
				var num json.Number
				if err := unmarshalNumbers(c, &num); err != nil {
					return nil, fieldErr(fmt.Sprintf("%s[%d]", field, k), "not a number")
				}
				dense = true
				uids = append(uids, k)
				vals = append(vals, num)
				continue
			}
			var pair []json.Number
			if err := unmarshalNumbers(c, &pair); err != nil || len(pair) != 2 {
				return nil, fieldErr(fmt.Sprintf("%s[%d]", field, k), "expected a number or a [uid, value] pair")
			}
			uid, err := strconv.ParseUint(pair[0].String(), 10, 64)
			if err != nil || uid >= uint64(n) {
				return nil, fieldErr(fmt.Sprintf("%s[%d]", field, k), "uid %s out of range [0, %d)", pair[0], n)
			}
			uids = append(uids, int(uid))
			vals = append(vals, pair[1])
		}
		if dense && len(cells) != n {
			return nil, fieldErr(field, "ragged row: %d values for %d uids", len(cells), n)
		}
		u16s, err := rowValues(field, vals, floats)
		if err != nil {
			return nil, err
		}
		row := make([]Entry, 0, len(uids))
		for k, uid := range uids {
			if dense && u16s[k] == 0 {
				continue
			}
			row = append(row, Entry{UID: uint16(uid), Value: u16s[k]})
		}
		rows[i] = row
	}
	return rows, nil
}

func unmarshalNumbers(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

func rowValues(field string, vals []json.Number, floats bool) ([]uint16, error) {
	isFloat := false
	for _, v := range vals {
		if !isInteger(v) {
			isFloat = true
		}
	}
	if isFloat {
		if !floats {
			return nil, fieldErr(field, "values must be integers in [0, 65535]")
		}
		f := make([]float64, len(vals))
		for k, v := range vals {
			x, err := strconv.ParseFloat(v.String(), 64)
			if err != nil || x < 0 || math.IsInf(x, 0) {
				return nil, fieldErr(fmt.Sprintf("%s[%d]", field, k), "%s is not a finite non-negative number", v)
			}
			f[k] = x
		}
		q, err := QuantizeWeights(f)
		if err != nil {
			return nil, fieldErr(field, "%v", err)
		}
		return q, nil
	}
	out := make([]uint16, len(vals))
	for k, v := range vals {
		x, err := strconv.ParseUint(v.String(), 10, 16)
		if err != nil {
			return nil, fieldErr(fmt.Sprintf("%s[%d]", field, k), "%s is not an integer in [0, 65535]", v)
		}
		out[k] = uint16(x)
	}
	return out, nil
}

// JSONOutput is the document `ganglion epoch run` writes.
type JSONOutput struct {
	StakeWeightU16      []uint16   `json:"stake_weight_u16"`
	ConsensusU16        []uint16   `json:"consensus_u16"`
	IncentiveU16        []uint16   `json:"incentive_u16"`
	DividendsU16        []uint16   `json:"dividends_u16"`
	ValidatorTrustU16   []uint16   `json:"validator_trust_u16"`
	ServerEmission      []uint64   `json:"server_emission"`
	ValidatorEmission   []uint64   `json:"validator_emission"`
	CombinedEmission    []uint64   `json:"combined_emission"`
	BondsU16Dense       [][]uint16 `json:"bonds_u16_dense"`
	NewValidatorPermits []bool     `json:"new_validator_permits"`
	// Consensus, Incentive and Dividends are the exact I32F32 values as JSON
	// numbers (every I32F32 below 2^21 is exactly a float64).
	Consensus []json.Number `json:"consensus"`
	Incentive []json.Number `json:"incentive"`
	Dividends []json.Number `json:"dividends"`
}

// ToJSON converts an epoch Output to its JSON document.
func (o Output) ToJSON() JSONOutput {
	dec := func(x []I32F32) []json.Number {
		out := make([]json.Number, len(x))
		for i, v := range x {
			out[i] = json.Number(v.String())
		}
		return out
	}
	return JSONOutput{
		StakeWeightU16:      o.StakeWeightU16,
		ConsensusU16:        o.ConsensusU16,
		IncentiveU16:        o.IncentiveU16,
		DividendsU16:        o.DividendsU16,
		ValidatorTrustU16:   o.ValidatorTrustU16,
		ServerEmission:      o.ServerEmission,
		ValidatorEmission:   o.ValidatorEmission,
		CombinedEmission:    o.CombinedEmission,
		BondsU16Dense:       DenseBonds(o.Bonds, len(o.Stake)),
		NewValidatorPermits: o.NewValidatorPermits,
		Consensus:           dec(o.Consensus),
		Incentive:           dec(o.Incentive),
		Dividends:           dec(o.Dividends),
	}
}
