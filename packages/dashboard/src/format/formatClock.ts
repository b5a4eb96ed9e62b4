/** Local wall-clock time of day, 'HH:MM:SS'. @param at milliseconds since the epoch */
export function formatClock(at: number): string {
  const d = new Date(at);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
