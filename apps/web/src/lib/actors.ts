import type { Role } from '@otp-access/validators';
import { ROLE_LABELS } from './permissions';

/**
 * `user:<id> (email)` / `apiKey:<id> (name, prefix…)`, the API's actor labels, for people: who
 * (an email or a key's name) and what (their role here, or the key's prefix).
 */
export function describeActor(label: string, role: Role | null = null): { who: string; what: string } {
  const user = /^user:[0-9a-f]{24} \((.+)\)$/.exec(label);
  if (user) return { who: user[1]!, what: role ? ROLE_LABELS[role] : 'Former member' };
  const key = /^apiKey:[0-9a-f]{24} \((.+), ([^,]+)\)$/.exec(label);
  if (key) return { who: key[1]!, what: `API key ${key[2]}` };
  return { who: label, what: '' };
}
