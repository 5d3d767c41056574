'use strict'
// Loads the native addon built from the Rust sources (src/). The test script copies
// target/debug/libwebcare_node.so here as webcare.<platform>-<arch>[-gnu].node.
const { platform, arch } = process
const suffix = platform === 'linux' ? '-gnu' : platform === 'win32' ? '-msvc' : ''
const file = `./webcare.${platform}-${arch}${suffix}.node`
try {
  module.exports = require(file)
} catch (e) {
  throw new Error(`webcare: cannot load the native addon ${file} (${e.message}); build it with scripts/test-node.sh or cargo build -p webcare-node`, { cause: e })
}
