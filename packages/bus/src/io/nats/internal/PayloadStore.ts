import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { JetStreamApiCodes, JetStreamApiError, StorageType } from '@nats-io/jetstream';
import type { ObjectStore } from '@nats-io/obj';
import { Objm } from '@nats-io/obj';
import type { MsgHdrs } from '@nats-io/transport-node';
import { headers as makeHeaders, nuid } from '@nats-io/transport-node';
import { ObjectStoreName } from '@relurec/protocol';
import { isPassing } from './retryPassing.js';

/** Header of a message whose body lives in the payload object store: the object's name. */
export const PAYLOAD_HEADER = 'Relurec-Payload';

/** What goes on the wire for one message: the bytes themselves, or an empty body and a reference. */
export interface WireMessage {
  readonly data: Uint8Array;
  readonly headers?: MsgHdrs;
}

/** A received message, as far as payload references go. */
export interface ReceivedMessage {
  readonly data: Uint8Array;
  readonly headers?: MsgHdrs;
}

/** Why a referenced payload could not be read: the message is then rejected, like a malformed one. */
export class MissingPayloadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MissingPayloadError';
  }
}

/**
 * Messages larger than one NATS message may carry (the server's max_payload, 1 MB by default)
 * travel by reference: the encoded bytes go to the object store relurec-payloads (chunked, on
 * JetStream like everything else) and the stream message carries only their name in the
 * `Relurec-Payload` header. Receivers read the object back before decoding, so validation and
 * ordering are unchanged. Each stored payload gets a fresh name, so a redelivered task that
 * publishes its fragment again never replaces (purges) an object someone may be reading.
 * The store is opened on first use: most runs never need it.
 */
export class PayloadStore {
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #replicas: number;
  /** Largest encoded message sent inline, bytes. */
  readonly inlineLimit: number;
  #store: Promise<ObjectStore> | undefined;

  constructor(js: JetStreamClient, jsm: JetStreamManager, replicas: number, inlineLimit: number) {
    this.#js = js;
    this.#jsm = jsm;
    this.#replicas = replicas;
    this.inlineLimit = inlineLimit;
  }

  /** The message to publish for `bytes`: itself when small enough, else a reference to a stored copy named after `label`. */
  async wrap(bytes: Uint8Array, label: string): Promise<WireMessage> {
    if (bytes.length <= this.inlineLimit) return { data: bytes };
    const name = `${label}/${nuid.next()}`;
    const store = await this.#open(true);
    await store.putBlob({ name }, bytes);
    const h = makeHeaders();
    h.set(PAYLOAD_HEADER, name);
    return { data: new Uint8Array(0), headers: h };
  }

  /**
   * The message's own bytes: its body, or the stored payload its header names.
   * @throws MissingPayloadError when the named payload is not in the store.
   */
  async unwrap(message: ReceivedMessage): Promise<Uint8Array> {
    const name = message.headers?.get(PAYLOAD_HEADER);
    if (name === undefined || name === '') return message.data;
    let bytes: Uint8Array | null;
    try {
      bytes = await (await this.#open(false)).getBlob(name);
    } catch (err) {
      // A server restarting is not a missing payload: the caller retries those.
      if (isPassing(err)) throw err;
      throw new MissingPayloadError(`payload '${name}' could not be read from ${ObjectStoreName.payloads}: ${(err as Error).message}`, { cause: err });
    }
    if (bytes === null) throw new MissingPayloadError(`payload '${name}' is not in ${ObjectStoreName.payloads}`);
    return bytes;
  }

  /** Creates the store when missing (the coordinator does it before workers need it). */
  async prepare(): Promise<void> {
    await this.#open(true);
  }

  #open(create: boolean): Promise<ObjectStore> {
    this.#store ??= this.#openOnce(create);
    // A failed open is forgotten, so the next message tries again (the coordinator may create it meanwhile).
    return this.#store.catch((err: unknown) => {
      this.#store = undefined;
      throw err;
    });
  }

  async #openOnce(create: boolean): Promise<ObjectStore> {
    const objm = new Objm(this.#js);
    const stream = `OBJ_${ObjectStoreName.payloads}`;
    let exists = true;
    try {
      await this.#jsm.streams.info(stream);
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
      exists = false;
    }
    if (exists || !create) return objm.open(ObjectStoreName.payloads);
    return objm.create(ObjectStoreName.payloads, { storage: StorageType.File, replicas: this.#replicas });
  }
}
