// Package verify checks a miner's receipt for a validator's query: the
// signer and miner field are the targeted miner, the query id, model id and
// prompt are the query's, then the logits digests are re-executed exactly
// (models.Worker.Verify: one teacher-forced batched pass, all positions or
// a random sample) and each sampled token must follow from the logits and
// the miner's own seed. The result feeds scoring.Score.
//
// Import rules: only the validator role imports it.
package verify
