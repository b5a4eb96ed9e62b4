/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`packages/protocol/test/index.test.ts > TAP > index - export list > runtime exports of @relurec/protocol 1`] = `
Array [
  "EventLevel",
  "FragmentStage",
  "KvBucket",
  "MalformedMessageError",
  "MsgId",
  "ObjectStoreName",
  "PROTOCOL_VERSION",
  "RESERVED_RUN_IDS",
  "RUN_ID_PATTERN",
  "RunState",
  "StreamName",
  "Subject",
  "SubjectKind",
  "TASK_ID_PATTERN",
  "TaskFailedError",
  "WorkerState",
  "assertRunId",
  "decode",
  "decodeFragmentMessage",
  "decodeHeartbeat",
  "decodeRunEvent",
  "decodeRunRecord",
  "decodeRunStatus",
  "decodeTaskMessage",
  "encode",
  "formatTaskId",
  "isRunId",
  "isTaskId",
  "parseSubject",
  "validateFragmentMessage",
  "validateHeartbeat",
  "validateOracleSpec",
  "validateRunEvent",
  "validateRunRecord",
  "validateRunStatus",
  "validateTaskMessage",
]
`
