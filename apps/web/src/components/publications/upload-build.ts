/** Where the console uploads a build: the REST route a CI pipeline uses, with the session cookie. */
export function buildUploadUrl(space: string, storeId: string, publishedApplicationId: string): string {
  return `/v1/organizations/${encodeURIComponent(space)}/stores/${storeId}/published-applications/${publishedApplicationId}/builds`;
}

export interface UploadOutcome {
  ok: boolean;
  status: number;
  message: string;
}

function send(url: string, file: File, publish: boolean, onProgress: (fraction: number) => void) {
  // XMLHttpRequest, not fetch: only it reports upload progress.
  return new Promise<UploadOutcome>((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as {
        status?: boolean;
        error?: { message?: string; data?: Record<string, unknown> };
      } | null;
      const detail = body?.error?.data
        ? Object.values(body.error.data).find((v) => typeof v === 'string')
        : undefined;
      resolve({
        ok: xhr.status === 200 && body?.status === true,
        status: xhr.status,
        message:
          xhr.status === 200
            ? 'Uploaded'
            : xhr.status === 413
              ? (body?.error?.message ?? 'The file is larger than the upload limit.')
              : typeof detail === 'string'
                ? detail
                : (body?.error?.message ?? 'The upload failed. Try again.'),
      });
    };
    xhr.onerror = () =>
      resolve({
        ok: false,
        status: 0,
        message: 'The upload was interrupted. Check your connection and try again.',
      });
    const form = new FormData();
    form.set('publish', publish ? 'true' : 'false');
    form.set('file', file);
    xhr.send(form);
  });
}

/**
 * Uploads with progress. An access token that expired while the page was open is renewed once
 * (POST /refresh) and the upload tried again.
 */
export async function uploadBuild(
  url: string,
  file: File,
  publish: boolean,
  onProgress: (fraction: number) => void,
): Promise<UploadOutcome> {
  const first = await send(url, file, publish, onProgress);
  if (first.status !== 401) return first;
  const refreshed = await fetch('/refresh', { method: 'POST', credentials: 'same-origin' }).catch(() => null);
  if (!refreshed?.ok) return { ok: false, status: 401, message: 'Your session has ended. Sign in again.' };
  onProgress(0);
  return send(url, file, publish, onProgress);
}
