'use strict'
// The worker's destination in the thread-stream corpus suite: a Writable that
// takes `ms` milliseconds to write each chunk, with a high-water mark of one
// byte, so that the worker acknowledges a chunk only once it is written.
const { Writable } = require('stream')

module.exports = async function ({ ms }) {
  return new Writable({
    highWaterMark: 1,
    write (chunk, encoding, callback) {
      setTimeout(callback, ms)
    }
  })
}
