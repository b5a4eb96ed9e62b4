/** JetStream object stores. */
export const ObjectStoreName = {
  /** Target models (relu-net files) and other large immutable blobs, by name. */
  models: 'relurec-models',
  /** Messages too large for one NATS message (max_payload), stored by the bus and referenced from the stream message. */
  payloads: 'relurec-payloads',
} as const;
export type ObjectStoreName = (typeof ObjectStoreName)[keyof typeof ObjectStoreName];
