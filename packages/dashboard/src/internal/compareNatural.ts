const collator = new Intl.Collator('en', { numeric: true });

/** Orders ids as people read them: 'w2' before 'w10'. */
export function compareNatural(a: string, b: string): number {
  return collator.compare(a, b);
}
