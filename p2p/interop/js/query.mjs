// A js-libp2p peer for Ganglion (docs/protocol.md): joins a subnet over
// TCP + noise + yamux, publishes a signed Query on gossipsub and reads the
// miner's answer from a /ganglion/infer/1.0.0 stream it accepts.
//
//   node query.mjs              run a query (configured by GANGLION_* env)
//   node query.mjs --selftest   check signing bytes, digests and signatures
//                               against protocol/testdata/golden.json
//
// Prints one JSON object on stdout; exits non-zero on failure.
import './polyfill.mjs'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { privateKeyFromRaw } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import protobuf from 'protobufjs'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..', '..')
const root = protobuf.loadSync(join(repo, 'protocol', 'proto', 'ganglion.proto'))
const T = (name) => root.lookupType(`ganglion.v1.${name}`)
const MessageType = root.lookupEnum('ganglion.v1.MessageType').values

const DOMAIN_TAG = new TextEncoder().encode('ganglion/envelope/v1\0')
const INFER = '/ganglion/infer/1.0.0'
const FRAME = { chunk: 1, receipt: 2, reject: 3 }
const ACK = 0x06

const debug = (...a) => { if (process.env.GANGLION_DEBUG) console.error(new Date().toISOString(), ...a) }
const hex = (b) => Buffer.from(b).toString('hex')
const unhex = (s) => new Uint8Array(Buffer.from(s.replace(/^0x/, ''), 'hex'))

// signingBytes follows docs/protocol.md §4.1.
function signingBytes (env) {
  const payload = env.payload ?? new Uint8Array()
  const b = Buffer.alloc(DOMAIN_TAG.length + 40 + payload.length)
  let o = 0
  b.set(DOMAIN_TAG, o); o += DOMAIN_TAG.length
  b.writeUInt32BE(env.version, o); o += 4
  b.writeBigUInt64BE(BigInt(env.chainId), o); o += 8
  b.writeUInt32BE(env.netuid, o); o += 4
  b.writeUInt32BE(env.type, o); o += 4
  b.writeBigInt64BE(BigInt(env.timestampMs), o); o += 8
  b.writeBigUInt64BE(BigInt(env.nonce), o); o += 8
  b.writeUInt32BE(payload.length, o); o += 4
  b.set(payload, o)
  return new Uint8Array(b)
}

// sign returns r || s || v with v in {0,1}, as go-ethereum's crypto.Sign.
function sign (digest, key) {
  const rec = secp256k1.sign(digest, key, { prehash: false, lowS: true, format: 'recovered' })
  const out = new Uint8Array(65)
  out.set(rec.subarray(1), 0)
  out[64] = rec[0]
  return out
}

function addressOfPublicKey (pub) {
  const uncompressed = secp256k1.Point.fromBytes(pub).toBytes(false)
  return '0x' + hex(keccak_256(uncompressed.subarray(1)).subarray(12))
}

function recover (digest, sig) {
  if (sig.length !== 65 || sig[64] > 1) throw new Error('bad signature shape')
  const rec = new Uint8Array(65)
  rec[0] = sig[64]
  rec.set(sig.subarray(0, 64), 1)
  const s = secp256k1.Signature.fromBytes(rec, 'recovered')
  return addressOfPublicKey(s.recoverPublicKey(digest).toBytes(true))
}

function decodeEnvelope (bytes) {
  const env = T('Envelope').decode(bytes)
  const toN = (x) => (x && typeof x === 'object' && 'low' in x) ? BigInt.asUintN(64, (BigInt(x.high) << 32n) | BigInt(x.low >>> 0)) : BigInt(x ?? 0)
  return {
    version: env.version, chainId: toN(env.chainId), netuid: env.netuid, type: env.type,
    timestampMs: BigInt.asIntN(64, toN(env.timestampMs)), nonce: toN(env.nonce),
    payload: env.payload, signature: env.signature
  }
}

function selftest () {
  const g = JSON.parse(readFileSync(join(repo, 'protocol', 'testdata', 'golden.json'), 'utf8'))
  const key = unhex(g.key)
  let n = 0
  for (const v of g.vectors) {
    const env = decodeEnvelope(unhex(v.envelope))
    const sb = signingBytes(env)
    if (hex(sb) !== v.signing_bytes) throw new Error(`${v.type}: signing bytes differ`)
    const digest = keccak_256(sb)
    if ('0x' + hex(digest) !== v.digest) throw new Error(`${v.type}: digest differs`)
    if (hex(sign(digest, key)) !== v.signature) throw new Error(`${v.type}: signature differs`)
    if (recover(digest, env.signature) !== g.address.toLowerCase()) throw new Error(`${v.type}: recovered address differs`)
    n++
  }
  console.log(JSON.stringify({ selftest: 'ok', vectors: n }))
}

// readFrames yields [type, body] from a libp2p 3 stream.
async function * readFrames (stream) {
  let buf = Buffer.alloc(0)
  for await (const chunk of stream) {
    buf = Buffer.concat([buf, Buffer.from(chunk.subarray ? chunk.subarray() : chunk)])
    for (;;) {
      let len = 0; let shift = 0; let i = 0
      for (; i < buf.length && i < 10; i++) {
        len += (buf[i] & 0x7f) * 2 ** shift
        shift += 7
        if (buf[i] < 0x80) break
      }
      if (i >= buf.length || buf[i] >= 0x80) break
      const start = i + 1
      if (len < 1 || len > (1 << 20) + 130) throw new Error(`bad frame length ${len}`)
      if (buf.length < start + len) break
      yield [buf[start], new Uint8Array(buf.subarray(start + 1, start + len))]
      buf = buf.subarray(start + len)
    }
  }
  if (buf.length > 0) throw new Error('stream ended inside a frame')
}

async function query () {
  const env = process.env
  const goAddr = multiaddr(env.GANGLION_GO_ADDR)
  const chainId = BigInt(env.GANGLION_CHAIN_ID)
  const netuid = Number(env.GANGLION_NETUID)
  const key = unhex(env.GANGLION_KEY)
  const queryId = unhex(env.GANGLION_QUERY_ID)
  const modelId = unhex(env.GANGLION_MODEL_ID)
  const targets = JSON.parse(env.GANGLION_TARGETS ?? '[]')
  const meshsub = env.GANGLION_MESHSUB ? [`/meshsub/${env.GANGLION_MESHSUB}`] : undefined
  const topic = `/ganglion/${netuid}/query/1`

  const privateKey = privateKeyFromRaw(key)
  const address = addressOfPublicKey(privateKey.publicKey.raw)
  const node = await createLibp2p({
    privateKey,
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({ allowPublishToZeroTopicPeers: false, emitSelf: false })
    },
    start: false
  })
  // @libp2p/gossipsub 17 ignores its `protocols` option: restrict the
  // version ladder on the instance before it starts.
  if (meshsub) node.services.pubsub.protocols = meshsub
  await node.start()

  let done
  const answer = new Promise((resolve, reject) => { done = { resolve, reject } })
  await node.handle(INFER, async (stream, connection) => {
    try {
      const chunks = []
      let final = null
      debug('infer stream from', connection.remotePeer.toString())
      for await (const [type, body] of readFrames(stream)) {
        debug('frame', type, body.length)
        if (type === FRAME.chunk) {
          const c = T('TokenChunk').decode(body)
          if (hex(c.queryId) !== hex(queryId) || c.index !== chunks.length) throw new Error('chunk out of order')
          chunks.push(c.tokens)
        } else if (type === FRAME.receipt || type === FRAME.reject) {
          const e = decodeEnvelope(body)
          const signer = recover(keccak_256(signingBytes(e)), e.signature)
          const peerAddr = addressOfPublicKey(connection.remotePeer.publicKey.raw)
          if (signer !== peerAddr) throw new Error(`final frame signed by ${signer}, stream from ${peerAddr}`)
          const msg = type === FRAME.receipt ? T('Receipt').decode(e.payload) : T('Reject').decode(e.payload)
          final = { type: type === FRAME.receipt ? 'receipt' : 'reject', signer, message: msg.toJSON() }
          break
        } else {
          throw new Error(`unknown frame type ${type}`)
        }
      }
      if (!final) throw new Error('stream ended before the receipt')
      // Wait for the miner's half-close, then acknowledge and close. (The
      // stream's async iterator does not end when the remote FIN arrived
      // before iteration started, so check the status instead.)
      if (stream.remoteWriteStatus !== 'closed') {
        await new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no half-close after the final frame')), 10000)
          stream.addEventListener('remoteCloseWrite', () => { clearTimeout(timer); resolve() }, { once: true })
        })
      }
      debug('miner half-closed; ack')
      stream.send(Uint8Array.of(ACK))
      await stream.close()
      done.resolve({ chunks, final })
    } catch (err) {
      stream.abort(err)
      done.reject(err)
    }
  })

  await node.dial(goAddr)
  node.services.pubsub.subscribe(topic)
  const goPeer = goAddr.getComponents().find(c => c.name === 'p2p')?.value
  const deadline = Date.now() + 15000
  while (!node.services.pubsub.getSubscribers(topic).some(p => p.toString() === goPeer)) {
    if (Date.now() > deadline) throw new Error('the Go peer never subscribed to ' + topic)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  const conns = node.getConnections()
  const streams = conns.flatMap(c => c.streams.map(s => s.protocol)).filter(p => p?.startsWith('/meshsub/'))

  const now = Date.now()
  const q = T('Query').fromObject({
    queryId, sender: unhex(address), modelId, promptTokens: [1, 2, 3],
    sampling: { temperature: 0, maxTokens: 16 },
    targets: targets.map(t => ({ uid: t.uid, miner: unhex(t.miner), seed: t.seed ?? 1 })),
    deadlineMs: now + 60000, timestampMs: now
  })
  const payload = T('Query').encode(q).finish()
  const e = {
    version: 1, chainId, netuid, type: MessageType.MESSAGE_TYPE_QUERY, timestampMs: BigInt(now),
    nonce: randomBytes(8).readBigUInt64BE(), payload
  }
  const signature = sign(keccak_256(signingBytes(e)), key)
  const envelope = T('Envelope').encode(T('Envelope').fromObject({
    version: 1, chainId: chainId.toString(), netuid, type: e.type, timestampMs: now.toString(),
    nonce: e.nonce.toString(), payload, signature
  })).finish()
  await node.services.pubsub.publish(topic, envelope)

  const timeout = new Promise((resolve, reject) => setTimeout(() => reject(new Error('no answer within 30 s')), 30000))
  const result = await Promise.race([answer, timeout])
  console.log(JSON.stringify({
    address, peer: node.peerId.toString(), meshsub: [...new Set(streams)],
    chunks: result.chunks, final: result.final
  }))
  await node.stop()
}

try {
  if (process.argv.includes('--selftest')) selftest()
  else await query()
  process.exit(0)
} catch (err) {
  console.error(err?.stack ?? String(err))
  process.exit(1)
}
