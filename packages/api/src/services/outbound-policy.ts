import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { DeliveryError } from '../delivery';

/**
 * Which hosts a tenant-configured destination (an SMTP host) may reach. A tenant must not turn
 * the server into a probe of its own network: by default only public unicast addresses are
 * reachable, never loopback, private, link-local (cloud metadata), unique-local, carrier-grade
 * NAT or reserved ranges. The operator allows more by host (optionally `host:port`) or network.
 */
export interface OutboundPolicy {
  /** Lower-case host names or addresses, each with a port (`host:25`) or for every port (`host`). */
  readonly allowHosts: ReadonlySet<string>;
  readonly allowNetworks: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = { allowHosts: new Set(), allowNetworks: [] };

/** `[::1]` → `::1`; `0x7f000001` → `127.0.0.1`; a host name stays as it is (lower-cased). */
function normalizeHost(host: string): string {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) ? ipaddr.process(bare).toString() : bare;
}

function parseHostEntry(entry: string): string {
  const text = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed)
    return bracketed[2] ? `${normalizeHost(bracketed[1]!)}:${bracketed[2]}` : normalizeHost(bracketed[1]!);
  // One colon: host:port. More: a bare IPv6 address.
  const parts = text.split(':');
  if (parts.length === 2 && /^\d{1,5}$/.test(parts[1]!)) return `${normalizeHost(parts[0]!)}:${parts[1]}`;
  return normalizeHost(text);
}

/** Builds a policy from operator settings; throws on a network that does not parse. */
export function createOutboundPolicy(options: { hosts?: readonly string[]; networks?: readonly string[] }) {
  const networks = (options.networks ?? []).map((cidr) => {
    try {
      return ipaddr.parseCIDR(cidr.trim());
    } catch {
      throw new Error(`Not a network in CIDR notation: "${cidr}"`);
    }
  });
  return {
    allowHosts: new Set((options.hosts ?? []).filter((h) => h.trim()).map(parseHostEntry)),
    allowNetworks: networks,
  } satisfies OutboundPolicy;
}

/** The same policy, also allowing these exact endpoints (the embedded mode's own mail sink). */
export function allowEndpoints(policy: OutboundPolicy, endpoints: { host: string; port: number }[]) {
  return {
    allowHosts: new Set([
      ...policy.allowHosts,
      ...endpoints.map(({ host, port }) => `${normalizeHost(host)}:${port}`),
    ]),
    allowNetworks: policy.allowNetworks,
  } satisfies OutboundPolicy;
}

const isHostAllowed = (policy: OutboundPolicy, host: string, port: number) =>
  policy.allowHosts.has(host) || policy.allowHosts.has(`${host}:${port}`);

function isAddressAllowed(policy: OutboundPolicy, address: string, port: number): boolean {
  const parsed = ipaddr.process(address);
  if (parsed.range() === 'unicast') return true;
  if (isHostAllowed(policy, parsed.toString(), port)) return true;
  return policy.allowNetworks.some(
    ([network, bits]) => network.kind() === parsed.kind() && parsed.match(network, bits),
  );
}

const REFUSED =
  'This host is not allowed: it is an internal address (loopback, private, link-local or reserved). The operator can allow it.';

/**
 * For saving a setting: a literal address the policy refuses, explained; host names are only
 * known when they are resolved, at connect time.
 */
export function literalHostProblem(policy: OutboundPolicy, host: string, port: number): string | undefined {
  const normalized = normalizeHost(host);
  if (!ipaddr.isValid(normalized) || isHostAllowed(policy, normalized, port)) return undefined;
  return isAddressAllowed(policy, normalized, port) ? undefined : REFUSED;
}

/**
 * The addresses of `host` that the policy allows, resolved once: the caller connects to exactly
 * these (never resolving again), so a name that answers differently a moment later (DNS
 * rebinding) cannot slip an internal address past the check. None allowed: a DeliveryError that
 * says so without any connection having been tried, so it tells nothing about the target.
 */
export async function resolveAllowedAddresses(
  policy: OutboundPolicy,
  host: string,
  port: number,
): Promise<string[]> {
  const normalized = normalizeHost(host);
  let addresses: string[];
  if (ipaddr.isValid(normalized)) {
    addresses = [normalized];
  } else {
    try {
      addresses = (await lookup(normalized, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw new DeliveryError('UNREACHABLE', 'The host name could not be resolved');
    }
  }
  if (isHostAllowed(policy, normalized, port)) return addresses;
  const allowed = addresses.filter((address) => isAddressAllowed(policy, address, port));
  if (allowed.length === 0) throw new DeliveryError('UNREACHABLE', REFUSED);
  return allowed;
}
