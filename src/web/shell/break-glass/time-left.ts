/**
 * What is left of a grant, for a countdown: `59:07`, `1:05:00`; `0:00` once it is over.
 * Whole seconds, rounded up, so the countdown shows `0:00` only when the time is really up.
 */
export function formatTimeLeft(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}
