// Shared helpers for the end-to-end tests.

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A unified social credit code with a valid check character (GB 32100-2015). */
export function creditCode(seed: number): string {
  const org = String(seed % 1_000_000_000).padStart(9, '0');
  const body = `91539902${org}`;
  const sum = [...body].reduce((acc, ch, i) => acc + CHARSET.indexOf(ch) * WEIGHTS[i], 0);
  return body + CHARSET[(31 - (sum % 31)) % 31];
}

/** A user name that no earlier run has taken. */
export function uniqueUsername(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}
