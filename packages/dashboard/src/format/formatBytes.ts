/** A memory size in binary units: '512B', '87MiB', '1.5GiB'. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '?';
  if (bytes < 1024) return `${Math.round(bytes)}B`;
  if (bytes < 1024 ** 2) return `${Math.round(bytes / 1024)}KiB`;
  if (bytes < 1024 ** 3) return `${Math.round(bytes / 1024 ** 2)}MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)}GiB`;
}
