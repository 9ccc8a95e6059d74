import autocannon from 'autocannon';

/** How one request of a scenario is built: called for every request, so each can differ. */
export type RequestFactory = () => {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
};

export interface LoadResult {
  connections: number;
  /** The fixed offered rate (req/s), when the run had one. */
  offeredRate: number | null;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
}

export async function runLoad(options: {
  url: string;
  connections: number;
  durationSeconds: number;
  overallRate?: number;
  request: RequestFactory;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    timeout: 10,
    requests: [
      {
        setupRequest: (request) => {
          const next = options.request();
          return {
            ...request,
            method: next.method,
            path: next.path,
            headers: { ...next.headers, ...(next.body ? { 'content-type': 'application/json' } : {}) },
            ...(next.body ? { body: next.body } : {}),
          };
        },
      },
    ],
  });
  return {
    connections: options.connections,
    offeredRate: options.overallRate ?? null,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}
