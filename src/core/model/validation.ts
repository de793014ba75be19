/** DNS-1123 subdomain-ish object names, as the API server checks them for these kinds. */
export function validateName(name: string): string | undefined {
  if (!name) return 'A name is required.';
  if (name.length > 63) return `The name is ${name.length} characters long; at most 63 are allowed.`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    return 'Use lowercase letters, digits and "-", starting and ending with a letter or digit.';
  }
  return undefined;
}

export function validateReplicas(text: string, max = 1000): string | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return 'Enter a whole number (0 or more).';
  const n = Number(t);
  if (n > max) return `At most ${max} replicas.`;
  return undefined;
}

/** A generated claim name: `<pool>-claim-<5 random>` trimmed to fit 63 characters. */
export function generateClaimName(base: string, random: () => number = Math.random): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += alphabet[Math.floor(random() * alphabet.length)];
  const prefix = base.slice(0, 63 - 1 - 5 - 6).replace(/-+$/, '');
  return `${prefix}-claim-${suffix}`;
}
