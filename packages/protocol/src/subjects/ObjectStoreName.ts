/** JetStream object stores. */
export const ObjectStoreName = {
  /** Target models (relu-net files) and other large immutable blobs, by name. */
  models: 'relurec-models',
} as const;
export type ObjectStoreName = (typeof ObjectStoreName)[keyof typeof ObjectStoreName];
