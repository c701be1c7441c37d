'use strict'
// The idle trigger of the thread-stream corpus suite:
//
//   node flush.js [SECONDS]
//
// A ThreadStream whose worker writes to a slow destination (slow-sink.js: each
// chunk takes SECONDS, default 2); the main thread writes one line and flushes,
// which waits until the worker has written it, then ends the stream. The main
// thread only waits. thread-stream 0.1.0 waits in flush() by re-checking the
// shared read index on every setImmediate: a core busy for as long as the
// destination takes. The fix (pinojs/thread-stream#5, "Smart wait", in 0.3.2)
// checks it on a timer with exponential backoff up to 1 s.
const { join } = require('path')
const ThreadStream = require('thread-stream')

const secs = process.argv.length > 2 ? Number(process.argv[2]) : 2
if (!(secs > 0)) {
  process.stderr.write('usage: node flush.js [SECONDS]\n')
  process.exit(2)
}
const stream = new ThreadStream({
  filename: join(__dirname, 'slow-sink.js'),
  workerData: { ms: secs * 1000 },
  sync: false
})
stream.once('ready', () => {
  stream.write('one line\n')
  stream.flush(() => stream.end())
})
