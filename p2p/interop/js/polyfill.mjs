// Node 20 lacks Promise.withResolvers (Node 22+), which recent libp2p
// dependencies use. Imported first by query.mjs.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve, reject
    const promise = new this((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
