/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`packages/bus/test/index.test.ts > TAP > index - export list > runtime exports of @relurec/bus 1`] = `
Array [
  "BusClosedError",
  "BusConnectionError",
  "BusTopologyError",
  "InProcessBus",
  "NatsBus",
  "connectNatsBus",
  "natsConnectionOptions",
  "natsServerList",
]
`
