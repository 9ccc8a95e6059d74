'use client';

import { type FormEvent, useCallback, useEffect, useState } from 'react';
import styles from './store.module.css';
import { errorMessage, storeApi } from './store-client';

type Apps = Awaited<ReturnType<typeof storeApi.storeAccess.apps.query>>;
type Store = Awaited<ReturnType<typeof storeApi.storeAccess.store.query>>;
type Step =
  | { kind: 'loading' }
  | { kind: 'email' }
  | { kind: 'code'; email: string }
  | { kind: 'apps'; apps: Apps };

/** Sign in with a one-time code, then download within the allowance. */
export function StoreAccess({ storeId }: { storeId: string }) {
  const [store, setStore] = useState<Store | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'loading' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadApps = useCallback(async () => {
    const apps = await storeApi.storeAccess.apps.query();
    if (apps.store.id !== storeId) throw new Error('signed in to another store');
    setStep({ kind: 'apps', apps });
  }, [storeId]);

  useEffect(() => {
    storeApi.storeAccess.store
      .query({ storeId })
      .then(async (found) => {
        setStore(found);
        if (!found.signedIn) return setStep({ kind: 'email' });
        await loadApps().catch(() => setStep({ kind: 'email' }));
      })
      .catch(() => {
        setError('This store does not exist.');
        setStep({ kind: 'email' });
      });
  }, [storeId, loadApps]);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  function requestCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    void run(async () => {
      await storeApi.storeAccess.requestCode.mutate({ storeId, email });
      setStep({ kind: 'code', email });
    });
  }

  function verifyCode(event: FormEvent<HTMLFormElement>, email: string) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    void run(async () => {
      await storeApi.storeAccess.verifyCode.mutate({ storeId, email, code });
      await loadApps();
    });
  }

  function signOut() {
    void run(async () => {
      await storeApi.storeAccess.logout.mutate();
      setStep({ kind: 'email' });
    });
  }

  return (
    <main className={styles.page}>
      <header>
        <p className={styles.brand}>OTP Access</p>
        <p className={styles.organization}>{store?.organizationName ?? ' '}</p>
        <h1>{store?.name ?? 'App store'}</h1>
        {store?.description ? <p className={styles.description}>{store.description}</p> : null}
      </header>

      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}

      {step.kind === 'loading' && <p aria-busy="true">Loading…</p>}

      {step.kind === 'email' && (
        <form onSubmit={requestCode} className={styles.form}>
          <label htmlFor="email">Your email address</label>
          <input id="email" name="email" type="email" autoComplete="email" required maxLength={256} />
          <button type="submit" disabled={busy}>
            Send me a code
          </button>
        </form>
      )}

      {step.kind === 'code' && (
        <form onSubmit={(event) => verifyCode(event, step.email)} className={styles.form}>
          <p>
            If {step.email} may download from this store, a sign-in code is on its way. It is valid for a few
            minutes.
          </p>
          <label htmlFor="code">Code</label>
          <input
            id="code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6,10}"
            required
          />
          <button type="submit" disabled={busy}>
            Sign in
          </button>
          <button type="button" className={styles.link} onClick={() => setStep({ kind: 'email' })}>
            Use another email
          </button>
        </form>
      )}

      {step.kind === 'apps' && (
        <section>
          <p>
            Signed in as <strong>{step.apps.email}</strong>.{' '}
            <button type="button" className={styles.link} onClick={signOut} disabled={busy}>
              Sign out
            </button>
          </p>
          {step.apps.apps.length === 0 ? (
            <p>There is nothing for you to download here.</p>
          ) : (
            <ul className={styles.apps}>
              {step.apps.apps.map((app) => {
                const left = app.remainingDownloads;
                const canDownload = left === null || left > 0;
                return (
                  <li key={app.publishedApplicationId}>
                    <div>
                      <strong>{app.name}</strong> <span>{app.version}</span>
                      <p>
                        {left === null
                          ? 'Unlimited downloads'
                          : `${left} download${left === 1 ? '' : 's'} left`}
                      </p>
                    </div>
                    {app.fileName === null ? (
                      <span className={styles.muted}>Not available yet</span>
                    ) : canDownload ? (
                      <a
                        href={`/api/store/${storeId}/apps/${app.publishedApplicationId}/download`}
                        onClick={() => setTimeout(() => void loadApps().catch(() => {}), 1500)}
                      >
                        Download
                      </a>
                    ) : (
                      <span className={styles.muted}>No downloads left</span>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
    </main>
  );
}
