import type { OracleSpec } from '../messages/RunRecord.js';
import { Check } from './internal/Check.js';

/**
 * Checks an oracle spec (a RunRecord's `oracle`): kind 'network' (name, blob non-empty), 'http'
 * (url non-empty, headers of non-empty name and value), 'onnx' (file non-empty) or 'service'.
 * @param field path of the spec in its message, for errors ('oracle').
 * @returns the same value, typed.
 * @throws MalformedMessageError naming the first bad field.
 */
export function validateOracleSpec(value: unknown, subject = '', field = 'oracle', type = 'OracleSpec'): OracleSpec {
  const check = new Check(type, subject);
  const kind = (value as { kind?: unknown } | null)?.kind;
  switch (kind) {
    case 'network': {
      const m = check.object(value, field, ['kind', 'name', 'blob']);
      check.string(m.name, `${field}.name`, { nonEmpty: true });
      check.string(m.blob, `${field}.blob`, { nonEmpty: true });
      break;
    }
    case 'http': {
      const m = check.object(value, field, ['kind', 'url', 'headers']);
      check.string(m.url, `${field}.url`, { nonEmpty: true });
      check.array(m.headers, `${field}.headers`).forEach((h, i) => {
        const header = check.object(h, `${field}.headers[${i}]`, ['name', 'value']);
        check.string(header.name, `${field}.headers[${i}].name`, { nonEmpty: true });
        check.string(header.value, `${field}.headers[${i}].value`);
      });
      break;
    }
    case 'onnx': {
      const m = check.object(value, field, ['kind', 'file']);
      check.string(m.file, `${field}.file`, { nonEmpty: true });
      break;
    }
    case 'service': {
      const m = check.object(value, field, ['kind'], ['name']);
      if (m.name !== undefined) check.string(m.name, `${field}.name`, { nonEmpty: true });
      break;
    }
    default:
      check.object(value, field, ['kind'], ['name', 'blob', 'url', 'headers', 'file']);
      check.fail(`${field}.kind`, "must be one of 'network', 'http', 'onnx', 'service'", kind);
  }
  return value as OracleSpec;
}
